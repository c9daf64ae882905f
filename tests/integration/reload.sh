#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# SIGHUP: a new BMS is started, an unchanged one keeps running, a removed
# one goes, and a bad config is reported while the running one is kept.
# A changed [history] moves the history to its new settings at once; the
# old database gets what was pending and its energy counters first.
. "$top_srcdir/tests/integration/lib.sh"

plan 13

# Samples every second, written only every minute: at the [history]
# change below they are still pending.
HISTORY="path = $TMP/history.db
sample_interval = 1s
flush_interval = 60s"

write_conf() {	# write_conf NAME...: one sim BMS per name
	{
		for n in "$@"; do
			printf '[bms %s]\ntransport = sim\ncells = 16\n\n' "$n"
		done
		# History in the test's own directory, never the system's.
		printf '[history]\n%s\n' "$HISTORY"
	} >"$TMP/jkbmsd.conf"
}

rows() {	# rows DB: raw samples of BMS a in that database
	sql "$1" "SELECT count(*) FROM samples JOIN bms ON bms.id = bms_id WHERE name = 'a'" \
		2>>"$TMP/sqlite.err"
}

frames_of() {
	ctl status "$1" | sed -n 's/^  frames_good  *\([0-9]*\)/\1/p'
}

write_conf a
start_daemon -c "$TMP/jkbmsd.conf"
wait_for 10 is_state a online
ok $? "BMS a comes online"

write_conf a b
kill -HUP "$DAEMON_PID"
wait_for 10 is_state b online
ok $? "after SIGHUP the added BMS b comes online"

grep -q 'configuration reloaded from .*: 1 BMS kept, 0 restarted, 1 added, 0 removed' \
	"$TMP/daemon.err"
rc=$?
ok $rc "the reload is logged as a diff"
[ $rc -eq 0 ] || diag "$TMP/daemon.err"

! grep -q '^jkbmsd: a: online -> ' "$TMP/daemon.err" && is_state a online
ok $? "the unchanged BMS a kept running"

printf '[bms a]\ntransport = nowhere\n' >"$TMP/jkbmsd.conf"
kill -HUP "$DAEMON_PID"
wait_for 10 grep -q 'reload failed with 1 error, keeping the running configuration' \
	"$TMP/daemon.err"
ok $? "a bad config on reload is reported and the old one kept"

is_state a online && is_state b online
ok $? "both BMSs still run after the failed reload"

write_conf a
kill -HUP "$DAEMON_PID"
wait_for 10 sh -c "! '$JKBMSCTL' --socket '$SOCK' status b"
ok $? "a BMS removed from the config is gone"

sleep 3	# a few samples, pending until the minute's flush
HISTORY="path = $TMP/moved.db
sample_interval = 1s
flush_interval = 1s"
write_conf a
kill -HUP "$DAEMON_PID"
moved_has_rows() { [ "$(rows "$TMP/moved.db")" -ge 2 ]; }
wait_for 10 moved_has_rows
rc=$?
ok $rc "a changed [history] writes to its new database at once"
[ $rc -eq 0 ] || diag "$TMP/daemon.err"

grep -q 'history: \[history\] changed, reopening the database' "$TMP/daemon.err"
ok $? "the history change is logged"

# The old database got its pending samples and was closed in good order.
[ "$(sql "$TMP/history.db" 'PRAGMA integrity_check')" = ok ] &&
	[ "$(rows "$TMP/history.db")" -ge 1 ] &&
	[ "$(sql "$TMP/history.db" \
		"SELECT count(*) FROM energy")" -ge 1 ]
rc=$?
ok $rc "the old database got the pending samples and the counters"
[ $rc -eq 0 ] || sqlite3 "$TMP/history.db" 'PRAGMA integrity_check' \
	'SELECT count(*) FROM samples' 'SELECT * FROM energy' 'SELECT * FROM bms' 2>&1 |
	diag

HISTORY="enabled = no"
write_conf a
kill -HUP "$DAEMON_PID"
wait_for 10 grep -q 'history: \[history\] changed, closing the database' \
	"$TMP/daemon.err"
ok $? "history turned off by a reload closes the database"

n1=$(rows "$TMP/moved.db")
sleep 2.5
n2=$(rows "$TMP/moved.db")
[ -n "$n1" ] && [ "$n1" = "$n2" ] && is_state a online
rc=$?
ok $rc "no more samples once off, and BMS a still runs ($n1 = $n2)"
[ $rc -eq 0 ] || diag "$TMP/sqlite.err" 2>/dev/null

stop_daemon 2
ok $? "SIGTERM: exit 0"

finish
