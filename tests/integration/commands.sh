#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every jkbmsctl command against a daemon with streaming simulated BMSs:
# status (table and JSON), cells, info, settings, watch, debug, reload
# with a good and a bad config, refusals for another uid, and the error
# when no daemon runs.
. "$top_srcdir/tests/integration/lib.sh"

write_conf() {	# write_conf IMBALANCE NAME...: one sim BMS per name
	local imb=$1
	shift
	{
		for n in "$@"; do
			printf '[bms %s]\ntransport = sim\ncells = 16\n' "$n"
			printf 'time_scale = 60\nimbalance = %s\n\n' "$imb"
		done
		printf '[bank house]\nmembers = a\n\n'
		# History in the test's own directory, never the system's.
		printf '[history]\npath = %s/history.db\n' "$TMP"
	} >"$TMP/jkbmsd.conf"
}

frames_of() {
	ctl status --json "$1" |
		sed -n 's/^ *"frames_good": \([0-9]*\),*$/\1/p'
}

plan 34

# --- no daemon ---
out=$(ctl status 2>&1)
rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q "cannot connect to $SOCK: No such file or directory (is jkbmsd running?)"
ok $? "no daemon: exit 1 with a clear message"

write_conf 0 a b
start_daemon -c "$TMP/jkbmsd.conf"
wait_for 10 is_state a online && wait_for 10 is_state b online
ok $? "both BMSs come online"

# --- status ---
ctl status >"$TMP/status.txt"
grep -q '^house  *parallel 1/1 ' "$TMP/status.txt" &&
	grep -q '^a  *online ' "$TMP/status.txt" &&
	grep -q '^b  *online ' "$TMP/status.txt"
ok $? "status: the bank and both BMSs in tables"

ctl status --json >"$TMP/status.json"
grep -q '"ok": true' "$TMP/status.json" &&
	grep -q '"cell_voltage": \[' "$TMP/status.json" &&
	grep -q '"members_online": 1' "$TMP/status.json"
ok $? "status --json: the daemon's document with DESIGN's keys"

# --- cells, info, settings ---
ctl cells a >"$TMP/cells.txt"
rc=$?
[ $rc -eq 0 ] && grep -q '^BMS a: online, 16 cells$' "$TMP/cells.txt" &&
	[ "$(grep -c '^ *[0-9][0-9]*  [0-9]\.[0-9][0-9][0-9] V    [0-9.]* Ω' "$TMP/cells.txt")" -eq 16 ] &&
	grep -q '  lowest$' "$TMP/cells.txt" && grep -q '  highest$' "$TMP/cells.txt" &&
	grep -q '^  min [0-9.]* V  max [0-9.]* V  delta [0-9.]* V' "$TMP/cells.txt"
ok $? "cells: 16 cells with voltage and resistance, lowest, highest, summary"

ctl cells a --json >"$TMP/cells.json"
grep -q '"bms": "a"' "$TMP/cells.json" && grep -q '"cell_voltage_delta":' "$TMP/cells.json" &&
	! grep -q '"soc"' "$TMP/cells.json"
ok $? "cells --json: only the cell keys"

ctl info a >"$TMP/info.txt"
grep -q '^BMS a: online (sim)$' "$TMP/info.txt" &&
	grep -q '^  model  *JK-B5A25S-60P  (Model)$' "$TMP/info.txt" &&
	grep -q '^  software_version ' "$TMP/info.txt"
ok $? "info: device information with labels"

# The settings frame may follow the first cells: wait for it.
settings_read() {
	ctl settings a >"$TMP/settings.txt" &&
		grep -q '^  cell_ovp  *[0-9]\.[0-9][0-9][0-9] V ' "$TMP/settings.txt" &&
		[ "$(wc -l <"$TMP/settings.txt")" -gt 20 ]
}
wait_for 10 settings_read
ok $? "settings: every setting with its unit"

ctl settings a --json | grep -q '"cell_uvp": [0-9]\.[0-9][0-9][0-9]'
ok $? "settings --json: exact decimals"

out=$(ctl cells nosuch 2>&1)
[ $? -eq 1 ] && [ "$out" = "jkbmsctl: unknown BMS 'nosuch'" ]
ok $? "cells of an unknown BMS: exit 1 and the reason"

ctl info >/dev/null 2>&1
[ $? -eq 2 ]
ok $? "info without a BMS: usage error, exit 2"

# --- watch ---
ctl watch --count 3 --interval 200ms >"$TMP/watch.txt"
rc=$?
[ $rc -eq 0 ] && [ "$(grep -c '^jkbmsctl watch, ' "$TMP/watch.txt")" -eq 3 ] &&
	[ "$(grep -c '^a  *online ' "$TMP/watch.txt")" -eq 3 ]
ok $? "watch --count 3: three draws, then exit 0"

ctl watch b --count 1 | grep -q '^BMS b: online'
ok $? "watch BMS: the one-BMS view"

ctl watch --count 0 >/dev/null 2>&1
[ $? -eq 2 ]
ok $? "watch --count 0: usage error"

# --- debug ---
[ "$(ctl debug)" = "debug: off" ]
ok $? "debug: none on at start"
[ "$(ctl debug sim,control on)" = "debug: control,sim" ]
ok $? "debug sim,control on"
ctl status a >/dev/null
wait_for 5 grep -q "control request 'status' from uid $(id -u) pid [0-9]" "$TMP/daemon.err"
ok $? "the control category logs requests with the peer's uid"
[ "$(ctl debug sim off)" = "debug: control" ] && ctl debug control off >/dev/null
ok $? "debug sim off leaves control"
out=$(ctl debug warp on 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q "unknown debug category in 'warp'"
ok $? "debug with an unknown category: refused"

# --- reload while streaming ---
fa=$(frames_of a)
write_conf 5 a b c
sed -i '/^\[bms a\]/,/^$/ s/^imbalance = 5/imbalance = 0/' "$TMP/jkbmsd.conf"
out=$(ctl reload)
rc=$?
[ $rc -eq 0 ] && [ "$out" = "configuration reloaded from $TMP/jkbmsd.conf" ]
ok $? "reload: a good config is applied"
wait_for 10 is_state c online && wait_for 10 is_state b online
ok $? "reload: the new BMS c comes online, the restarted b again"
grep -q 'configuration reloaded from .*: 1 BMS kept, 1 restarted, 1 added, 0 removed' "$TMP/daemon.err"
ok $? "reload: only b (imbalance changed) restarted, a kept"
[ "$(frames_of a)" -ge "$fa" ] && ! grep -q '^jkbmsd: a: online -> ' "$TMP/daemon.err"
ok $? "reload: a kept streaming without a reconnect"

printf '[bms a]\ntransport = sim\ncells = 99\n[history]\nenabled = no\n' \
	>"$TMP/jkbmsd.conf"
out=$(ctl reload 2>&1)
rc=$?
[ $rc -eq 1 ] && echo "$out" | grep -q 'reload failed with 1 error, keeping the running configuration' &&
	echo "$out" | grep -q 'cells'
ok $? "reload: a bad config is refused, with the reason"
is_state a online && is_state b online && is_state c online
ok $? "reload: after the refusal every BMS still runs"
grep -q 'reload failed with 1 error' "$TMP/daemon.err"
ok $? "reload: the refusal is logged too"
write_conf 5 a b c

# --- another uid ---
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null ||
	! setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$JKBMSCTL" --version >/dev/null 2>&1; then
	for d in "connect refused by 0660" "status allowed" "reload refused" \
		"debug refused" "refusals logged" "debug query allowed"; do
		skip "another uid: $d" "needs root and setpriv, and a build nobody can run"
	done
else
	as_nobody() {
		timeout 10 setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$JKBMSCTL" --socket "$SOCK" "$@"
	}
	chmod 0755 "$TMP"
	out=$(as_nobody status 2>&1)
	[ $? -eq 1 ] && echo "$out" | grep -q 'Permission denied'
	ok $? "another uid: a 0660 socket refuses the connection"
	chmod 0666 "$SOCK"
	as_nobody status >/dev/null
	ok $? "another uid on an open socket: status is allowed"
	out=$(as_nobody reload 2>&1)
	[ $? -eq 1 ] && echo "$out" | grep -q '^jkbmsctl: permission denied: reload needs root'
	ok $? "another uid: reload is refused"
	out=$(as_nobody debug all on 2>&1)
	[ $? -eq 1 ] && echo "$out" | grep -q '^jkbmsctl: permission denied: debug needs root' &&
		[ "$(ctl debug)" = "debug: off" ]
	ok $? "another uid: debug on is refused and changes nothing"
	grep -q "reload refused: uid $(id -u nobody) " "$TMP/daemon.err"
	ok $? "another uid: the refusal is logged with the uid"
	[ "$(as_nobody debug)" = "debug: off" ]
	ok $? "another uid: asking which categories are on is allowed"
fi

stop_daemon 5
ok $? "SIGTERM: exit 0"

# A socket file left by a daemon that died: the message says so.
"$JKBMSD" --demo --socket "$SOCK" --duration 30s >/dev/null 2>&1 &
pid=$!
wait_for 10 test -S "$SOCK"
kill -KILL $pid
wait $pid 2>/dev/null
out=$(ctl status 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q 'Connection refused (is jkbmsd running?)'
ok $? "a stale socket: exit 1, connection refused, is jkbmsd running?"
finish
