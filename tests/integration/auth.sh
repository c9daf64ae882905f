#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The connection password (DESIGN "The two-password scheme"): a simulated
# BMS reporting "1234" while the config expects another password ends
# auth-failed, the log says why without the password, and nothing of it
# is published; a correctly configured BMS beside it is unaffected.
. "$top_srcdir/tests/integration/lib.sh"

plan 9

cat >"$TMP/auth.conf" <<EOC
[daemon]
control_socket = $SOCK

[bms good]
transport = sim
password = 1234
cells = 16
time_scale = 10

[bms intruder]
transport = sim
password = s3cr3tPw
cells = 8
seed = 7
EOC

start_daemon -c "$TMP/auth.conf"
wait_for 10 is_state intruder auth-failed
ok $? "a BMS with another connection password ends auth-failed"

wait_for 10 is_state good online
ok $? "the correctly configured BMS beside it comes online"

grep -q '^jkbmsd: intruder: handshake -> auth-failed: connection password mismatch' \
	"$TMP/daemon.err"
ok $? "the log says why, naming the BMS"

! grep -q 's3cr3tPw' "$TMP/daemon.err" "$TMP/daemon.out" &&
	! grep -q '1234' "$TMP/daemon.err" "$TMP/daemon.out"
ok $? "no password appears in the log"

ctl status intruder --json | tr -d ' \n' >"$TMP/intruder.json"
grep -q '"state":"auth-failed"' "$TMP/intruder.json" &&
	grep -q '"live":{}' "$TMP/intruder.json" &&
	grep -q '"info":{}' "$TMP/intruder.json" &&
	grep -q '"settings":{}' "$TMP/intruder.json" &&
	grep -q '"auth_failures":1' "$TMP/intruder.json"
ok $? "status shows no live values, info or settings of it"

ctl status good --json | tr -d ' \n' | grep -q '"soc":[0-9]'
ok $? "the good BMS has live values"

ctl status | grep -q '^intruder  *auth-failed  *-  *-'
ok $? "the status table shows it auth-failed without values"

# The retry fails again (after the first backoff step, about 30 s), and
# the journal is not told twice.
auth_failures() {
	ctl status intruder --json | tr -d ' \n' |
		sed -n 's/.*"auth_failures":\([0-9]*\).*/\1/p'
}
failed_twice() { [ "$(auth_failures)" -ge 2 ]; }
wait_for 60 failed_twice &&
	[ "$(grep -c 'auth-failed: connection password mismatch' "$TMP/daemon.err")" = 1 ]
ok $? "the mismatch is said once however often it is retried ($(auth_failures) failures)"

stop_daemon 2
ok $? "SIGTERM: exit 0"

finish
