#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Who may write (DESIGN "The two-password scheme"): through the real
# daemon, jkbmsctl and simulated BMSs. No password, a wrong one, the right
# one; an authorisation window, its expiry and closing; the lockout after
# settings_max_failures wrong passwords and its expiry; writes = no; the
# audit lines; parallel writes to one BMS, serialised; and no password in
# any log or reply.
. "$top_srcdir/tests/integration/lib.sh"

plan 28

PW=123456
WRONG=wr0ngPw9
printf '%s\n' "$PW" >"$TMP/pw.secret"
printf '%s\n' "$WRONG" >"$TMP/bad.secret"
chmod 600 "$TMP/pw.secret" "$TMP/bad.secret"

cat >"$TMP/w.conf" <<EOF
[daemon]
control_socket = $SOCK

[history]
path = $TMP/history.db
flush_interval = 1s

[bms a]
transport = sim
cells = 16
profile = idle

[bms lock]
transport = sim
cells = 8
seed = 5
profile = idle
settings_max_failures = 3
settings_failure_window = 1m
settings_lockout = 3s

[bms ro]
transport = sim
cells = 8
seed = 9
profile = idle
writes = no
EOF

start_daemon -c "$TMP/w.conf"
wait_for 15 is_state a online && wait_for 15 is_state lock online &&
	wait_for 15 is_state ro online
ok $? "three simulated BMSs online"

# out NAME CMD...: runs jkbmsctl, output in $TMP/NAME, status returned
out() {
	local name=$1
	shift
	timeout 20 setsid -w "$JKBMSCTL" --socket "$SOCK" "$@" \
		</dev/null >"$TMP/$name" 2>&1
}

out nopw set a charge_switch off --window
[ $? -eq 1 ] && grep -q 'denied (no settings password and no authorisation window' "$TMP/nopw"
ok $? "no password and no window: denied"

out prompt set a charge_switch off
[ $? -eq 1 ] && grep -q 'no terminal to ask for the settings password' "$TMP/prompt"
ok $? "without a terminal the password is not asked for: use --password-file"

out wrong set a charge_switch off --password-file "$TMP/bad.secret"
[ $? -eq 1 ] && grep -q 'denied (wrong settings password)' "$TMP/wrong"
ok $? "a wrong password: denied"

out right set a charge_switch off --password-file "$TMP/pw.secret"
[ $? -eq 0 ] && grep -q '^a: charge_switch on -> off: applied (the BMS holds off)' "$TMP/right"
ok $? "the right password: applied and read back"

out auth auth a --for 2s --password-file "$TMP/pw.secret"
[ $? -eq 0 ] && grep -q 'authorisation window open for' "$TMP/auth"
ok $? "auth opens a window"

out inwin switch a charge on --window
[ $? -eq 0 ] && grep -q 'charge_switch off -> on: applied' "$TMP/inwin"
ok $? "within the window no password is needed"

out status auth a --status
grep -q 'authorisation window open for' "$TMP/status"
ok $? "auth --status shows the window"

sleep 2.5
out expired switch a charge off --window
[ $? -eq 1 ] && grep -q 'the authorisation window has expired' "$TMP/expired"
ok $? "after the window expired: denied"

out auth2 auth a --for 10m --password-file "$TMP/pw.secret" &&
	out close auth a --close &&
	! out closed switch a charge off --window &&
	grep -q 'denied' "$TMP/closed"
ok $? "auth --close shuts the window"

out badauth auth a --password-file "$TMP/bad.secret"
[ $? -eq 1 ] && grep -q 'wrong settings password' "$TMP/badauth"
ok $? "auth with a wrong password fails"

# lockout: settings_max_failures = 3 within 1m, then 3s locked
out l1 set lock charge_switch off --password-file "$TMP/bad.secret"
out l2 set lock charge_switch off --password-file "$TMP/bad.secret"
grep -q 'denied (wrong settings password)' "$TMP/l1" &&
	grep -q 'denied (wrong settings password)' "$TMP/l2"
ok $? "two wrong passwords: denied"

out l3 set lock charge_switch off --password-file "$TMP/bad.secret"
grep -q 'locked (wrong settings password; writes are now locked)' "$TMP/l3"
ok $? "the third wrong password locks the writes"

out l4 set lock charge_switch off --password-file "$TMP/pw.secret"
[ $? -eq 1 ] && grep -q 'locked (writes are locked for' "$TMP/l4"
ok $? "while locked even the right password is refused"

out l5 auth lock --password-file "$TMP/pw.secret"
[ $? -eq 1 ] && grep -q 'writes are locked for' "$TMP/l5"
ok $? "while locked no window opens"

out l6 auth lock --status
grep -q 'writes locked for' "$TMP/l6"
ok $? "auth --status shows the lockout"

out other set a charge_switch off --password-file "$TMP/pw.secret"
ok $? "the lockout is per BMS: another BMS still takes writes"

lock_over() {
	out st auth lock --status && ! grep -q 'writes locked' "$TMP/st"
}
wait_for 8 lock_over
out l7 set lock charge_switch off --password-file "$TMP/pw.secret"
grep -q 'charge_switch on -> off: applied' "$TMP/l7"
ok $? "after the lockout expired the right password works again"

out ro set ro charge_switch off --password-file "$TMP/pw.secret"
[ $? -eq 1 ] && grep -q 'denied (writes to this BMS are off' "$TMP/ro"
ok $? "writes = no: denied even with the password"

out roauth auth ro --password-file "$TMP/pw.secret"
[ $? -eq 1 ] && grep -q 'writes to this BMS are off' "$TMP/roauth"
ok $? "writes = no: no window either"

# four writers at once on one BMS: queued, each read back
pids=
for k in balance_trigger_delta:0.011 charge_ocp_delay:31 \
	discharge_ocp_delay:29 scp_release:61; do
	out "par-${k%%:*}" set a "${k%%:*}" "${k#*:}" \
		--password-file "$TMP/pw.secret" &
	pids="$pids $!"
done
n=0
for p in $pids; do
	wait "$p" && n=$((n + 1))
done
[ $n -eq 4 ] && cat "$TMP"/par-* | grep -c ': applied' | grep -qx 4
ok $? "four writes at once to one BMS are serialised and all applied"

grep -q "^jkbmsd: a: settings write charge_switch on -> off by control (uid $(id -u) pid [0-9]*): applied: the BMS holds off" \
	"$TMP/daemon.err" &&
	grep -q '^jkbmsd: a: settings write charge_switch on -> off by control (uid [0-9]* pid [0-9]*): denied: wrong settings password' \
		"$TMP/daemon.err" &&
	grep -q '^jkbmsd: a: settings authorisation by control (uid [0-9]* pid [0-9]*): applied: authorisation window open for 2.0s' \
		"$TMP/daemon.err" &&
	grep -q '^jkbmsd: ro: settings write charge_switch on -> off by control .*: denied' \
		"$TMP/daemon.err"
ok $? "every attempt is an audit line with source, origin, old, new and outcome"

grep -q '^jkbmsd: lock: 3 wrong settings passwords within 1m 0s: writes locked for 3.0s' "$TMP/daemon.err" &&
	grep -q '^jkbmsd: lock: wrong settings password (2 of 3 within 1m 0s before writes are locked)' \
		"$TMP/daemon.err"
ok $? "each wrong password and the lockout are logged"

for b in a lock ro; do
	ctl status "$b" --json
	ctl settings "$b" --json
	ctl info "$b" --json
done >"$TMP/replies" 2>&1
! find "$TMP" -type f ! -name '*.secret' -exec \
	grep -q -w -e "$PW" -e "$WRONG" {} +
ok $? "no password in the log, the replies or jkbmsctl's output"

kill -0 "$DAEMON_PID"
ok $? "the daemon is still running"

# the history database (if this build has the sink): audit rows, no password
sleep 1.5
if [ -s "$TMP/history.db" ]; then
	! grep -a -q -w -e "$PW" -e "$WRONG" "$TMP/history.db"
	ok $? "no password in the history database"
	[ "$(sql "$TMP/history.db" \
		"SELECT count(*) FROM audit WHERE outcome = 'denied'")" -ge 1 ] &&
		[ "$(sql "$TMP/history.db" \
			"SELECT count(*) FROM audit WHERE outcome = 'applied'")" -ge 1 ]
	ok $? "the attempts are audit rows in the history database"
else
	skip "no password in the history database" "no history sink"
	skip "the attempts are audit rows in the history database" "no history sink"
fi

stop_daemon 5
ok $? "SIGTERM: exit 0"

finish
