#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# SIGHUP: a new BMS is started, an unchanged one keeps running, a removed
# one goes, and a bad config is reported while the running one is kept.
. "$top_srcdir/tests/integration/lib.sh"

plan 8

write_conf() {	# write_conf NAME...: one sim BMS per name
	{
		for n in "$@"; do
			printf '[bms %s]\ntransport = sim\ncells = 16\n\n' "$n"
		done
		# History in the test's own directory, never the system's.
		printf '[history]\npath = %s/history.db\n' "$TMP"
	} >"$TMP/jkbmsd.conf"
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

stop_daemon 2
ok $? "SIGTERM: exit 0"

finish
