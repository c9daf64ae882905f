#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# History end to end: jkbmsd with simulated BMSs writes a real SQLite file
# (WAL, schema version 2, incremental auto_vacuum); jkbmsctl history reads
# it while the daemon runs, and its CSV parses and matches the database;
# events and energy read back; the energy counters continue across a
# restart and never go backwards; the demo writes history too.
. "$top_srcdir/tests/integration/lib.sh"

plan 18
DB=$TMP/history.db
q() { sql "$DB" "$@" 2>>"$TMP/sqlite.err"; }

cat >"$TMP/h.conf" <<EOF
[daemon]
control_socket = $SOCK
[mqtt]
enabled = no
[history]
path = $DB
sample_interval = 1s
flush_interval = 1s
[bms house-1]
transport = sim
cells = 16
profile = cycle
time_scale = 120
[bms shed-1]
transport = sim
cells = 8
time_scale = 60
EOF

samples_of() { q "SELECT count(*) FROM samples s JOIN bms b ON b.id = s.bms_id WHERE b.name = '$1'"; }
has_samples() { [ "$(samples_of "$1" 2>/dev/null)" -ge "$2" ] 2>/dev/null; }

start_daemon -c "$TMP/h.conf" -d history
wait_for 20 has_samples house-1 4
ok $? "samples of a simulated BMS are flushed to $DB"
# Run until the energy counters have moved (bounded).
moved() { [ "$(q "SELECT count(*) FROM samples s JOIN bms b ON b.id = s.bms_id WHERE b.name = 'house-1' AND energy_charged + energy_discharged > 0")" -ge 2 ] 2>/dev/null; }
wait_for 20 moved
ok $([ "$(q 'PRAGMA journal_mode')" = wal ]; echo $?) "the database is in WAL mode"
ok $([ "$(q 'PRAGMA user_version')" = 2 ] && [ "$(q 'PRAGMA auto_vacuum')" = 2 ]; echo $?) \
	"schema version 2 with incremental auto_vacuum"

# Read while the daemon writes.
timeout 10 "$JKBMSCTL" history house-1 --db "$DB" --since 1h --csv \
	>"$TMP/live.csv" 2>"$TMP/live.err"
ok $? "jkbmsctl history reads the database while jkbmsd runs"
wait_for 10 has_samples shed-1 3
ok $? "the second BMS has samples too"

stop_daemon 10
ok $? "jkbmsd stops cleanly"

# CSV: every row has as many fields as the header, and the rows are the
# database's rows (count, times and voltages, in order).
ctl_h() { timeout 10 "$JKBMSCTL" history "$@" --db "$DB" --since 1h; }
TZ=UTC ctl_h house-1 --csv >"$TMP/h.csv" 2>"$TMP/h.err"
ok $? "jkbmsctl history --csv exits 0"
awk -F, 'NR == 1 { n = NF; next } NF != n { bad = 1 } END { exit bad || NR < 2 }' \
	"$TMP/h.csv"
ok $? "CSV parses: every row has the header's $(head -1 "$TMP/h.csv" | awk -F, '{print NF}') fields"
vcol=$(head -1 "$TMP/h.csv" | tr , '\n' | grep -n '^voltage$' | cut -d: -f1)
tail -n +2 "$TMP/h.csv" | cut -d, -f1,"$vcol" >"$TMP/csv.rows"
TZ=UTC q "SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', s.t / 1000, 'unixepoch') || ',' || printf('%d.%03d', s.voltage / 1000, s.voltage % 1000) FROM samples s JOIN bms b ON b.id = s.bms_id WHERE b.name = 'house-1' ORDER BY s.t" >"$TMP/db.rows"
cmp -s "$TMP/csv.rows" "$TMP/db.rows"
ok $? "CSV times and voltages match the database ($(wc -l <"$TMP/db.rows") rows)"
[ $? -eq 0 ] || diff "$TMP/csv.rows" "$TMP/db.rows" | head -5 | diag

ctl_h shed-1 --json --fields voltage,soc,cell_voltage >"$TMP/h.json" 2>&1 &&
	jq -e 'length > 0 and all(.[]; .bms == "shed-1" and has("voltage") and
		(.cell_voltage | length) == 8 and (has("current") | not))' \
		"$TMP/h.json" >/dev/null
ok $? "jkbmsctl history --json --fields: only those fields, 8 cells"

ctl_h shed-1 --csv --fields soc,cell_voltage,voltage >"$TMP/f.csv" 2>&1 &&
	[ "$(head -1 "$TMP/f.csv")" = "time,bms,soc,$(seq -s, -f 'cell_voltage_%g' 1 8),voltage" ] &&
	ctl_h shed-1 --json --fields soc,cell_voltage,voltage >"$TMP/f.json" &&
	jq -e '.[0] | keys_unsorted == ["time", "bms", "soc", "cell_voltage", "voltage"]' \
		"$TMP/f.json" >/dev/null
ok $? "--fields: the columns and keys come in the order given"

ctl_h house-1 --every 1m --csv >"$TMP/m.csv" 2>&1 &&
	[ "$(wc -l <"$TMP/m.csv")" -ge 2 ]
ok $? "jkbmsctl history --every 1m reads the aggregates"

timeout 10 "$JKBMSCTL" events --db "$DB" --since 1h --json >"$TMP/ev.json" 2>&1 &&
	jq -e '[.[] | select(.kind == "link_up")] | length == 2' "$TMP/ev.json" >/dev/null &&
	jq -e '[.[] | select(.kind == "link_down")] | length == 2' "$TMP/ev.json" >/dev/null
ok $? "events: link up and down of both BMSs"

# Energy: the stored counters come back after a restart and every sample's
# counter is at least the one before it.
e1=$(q "SELECT charged + discharged FROM energy e JOIN bms b ON b.id = e.bms_id WHERE b.name = 'house-1'")
n1=$(samples_of house-1)
start_daemon -c "$TMP/h.conf" -d history
wait_for 20 has_samples house-1 $((n1 + 3))
stop_daemon 10
first=$(q "SELECT s.energy_charged + s.energy_discharged FROM samples s JOIN bms b ON b.id = s.bms_id WHERE b.name = 'house-1' ORDER BY s.t LIMIT 1 OFFSET $n1")
[ -n "$e1" ] && [ "$e1" -gt 0 ] && [ -n "$first" ] && [ "$first" -ge "$e1" ]
ok $? "energy counters continue across a restart ($e1 -> $first mWh)"
back=$(q "SELECT count(*) FROM (SELECT energy_charged - lag(energy_charged) OVER (PARTITION BY bms_id ORDER BY t) AS d, energy_discharged - lag(energy_discharged) OVER (PARTITION BY bms_id ORDER BY t) AS e FROM samples) WHERE d < 0 OR e < 0")
ok $([ "$back" = 0 ]; echo $?) "energy counters never go backwards ($back steps back)"
timeout 10 "$JKBMSCTL" energy house-1 --db "$DB" --csv >"$TMP/energy.csv" 2>&1 &&
	head -1 "$TMP/energy.csv" | grep -qx 'day,energy_charged,energy_discharged' &&
	[ "$(wc -l <"$TMP/energy.csv")" -ge 2 ]
ok $? "jkbmsctl energy --csv: kWh per day"
ok $([ "$(q 'PRAGMA integrity_check')" = ok ]; echo $?) "integrity_check: ok"

# The demo writes history too, to the path given, and says so.
timeout 20 "$JKBMSD" --demo --log=stderr --socket "$TMP/demo.sock" \
	--history "$TMP/demo.db" --duration 2s >/dev/null 2>"$TMP/demo.err"
grep -q "demo history in $TMP/demo.db" "$TMP/demo.err" &&
	[ "$(sqlite3 "$TMP/demo.db" 'PRAGMA user_version')" = 2 ]
ok $? "jkbmsd --demo --history PATH writes a history database"
finish
