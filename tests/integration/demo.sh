#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# jkbmsd --demo end to end: simulated BMSs through the real pipeline, the
# status table on stdout, jkbmsctl against the demo's control socket, and
# a clean SIGTERM.
. "$top_srcdir/tests/integration/lib.sh"

plan 13

all_online() {
	for b in house-1 house-2 shed-1; do
		is_state $b online || return 1
	done
}

# The last table the demo printed has every BMS online.
table_online() {
	[ "$(tail -n 16 "$TMP/daemon.out" |
		awk '$2 == "online" { n++ } END { print n + 0 }')" -eq 3 ]
}

start_daemon --demo --duration 60s
wait_for 10 test -S "$SOCK"
ok $? "demo creates its control socket"

wait_for 15 all_online
ok $? "every simulated BMS comes online"

wait_for 10 table_online
ok $? "the demo prints a status table with every BMS online"

last=$(tail -n 16 "$TMP/daemon.out")
echo "$last" | grep -q '^house  *parallel  *2/2' &&
	echo "$last" | grep -q '^shed  *parallel  *1/1'
ok $? "the table shows both banks with their members online"

# SOC 0..100 %, pack voltage plausible for 8..16 cells, cell delta < 0.5 V.
echo "$last" | awk '
	$2 == "online" { n++
		if ($3 < 0 || $3 > 100 || $4 != "%") bad++
		if ($5 < 20 || $5 > 70 || $6 != "V") bad++
		if ($14 < 0 || $14 > 0.5) bad++ }
	END { exit !(n == 3 && bad == 0) }'
ok $? "SOC, voltage and cell delta of every BMS are sane"

ctl status --json >"$TMP/status.json"
rc=$?
for key in '"ok": true' '"banks": {' '"house": {' '"shed": {' \
	'"house-1": {' '"house-2": {' '"shed-1": {' '"members": \[' \
	'"state": "online"' '"link": {' '"frames_good": ' '"live": {' \
	'"cell_voltage": \[' '"soc": ' '"voltage": ' '"current": ' \
	'"power": ' '"cell_voltage_min": ' '"cell_count": ' \
	'"temperature_mos": ' '"balancing": ' '"info": {' \
	'"software_version": ' '"settings": {' '"cell_ovp": '; do
	grep -q "$key" "$TMP/status.json" || { echo "# missing $key"; rc=1; }
done
ok $rc "jkbmsctl status --json has every BMS and bank with DESIGN's keys"

[ "$(grep -c '"state": "online"' "$TMP/status.json")" -eq 3 ]
ok $? "jkbmsctl status --json reports three BMSs online"

ctl status house-1 >"$TMP/house-1.txt"
rc=$?
grep -q '^BMS house-1: online' "$TMP/house-1.txt" &&
	grep -q '^  cell_voltage  *\[3\.[0-9]*,' "$TMP/house-1.txt" &&
	grep -q '^  soc  *[0-9]' "$TMP/house-1.txt" &&
	! grep -q 'house-2' "$TMP/house-1.txt"
ok $(($? + rc)) "jkbmsctl status house-1 shows that BMS only"

ctl status >"$TMP/table.txt" &&
	grep -q '^house-2  *online' "$TMP/table.txt" &&
	grep -q '^BMS  *TRANSPORT' "$TMP/table.txt"
ok $? "jkbmsctl status prints the table"

ctl status nope >"$TMP/nope.out" 2>"$TMP/nope.err"
rc=$?
[ $rc -eq 1 ] && grep -q "unknown BMS 'nope'" "$TMP/nope.err"
ok $? "an unknown BMS is an error (exit 1)"

stop_daemon 2
ok $? "SIGTERM: jkbmsd exits 0 within 2 s"

[ ! -e "$SOCK" ]
ok $? "the control socket is removed on exit"

ctl status >/dev/null 2>"$TMP/down.err"
rc=$?
[ $rc -eq 1 ] && grep -q "cannot connect to $SOCK" "$TMP/down.err"
ok $? "jkbmsctl without a daemon: exit 1, cannot connect"

finish
