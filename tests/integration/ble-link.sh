#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults of a streaming link, each on its own BMS: Connected false in the
# middle of a frame, a plain link loss, garbage notifications, a BMS that
# falls silent, D-Bus errors of several kinds on the way back; and
# modules with a wrong GATT layout (no FFE0, no notify, no FFE1). Each is
# a clear journal line naming the BMS, no crash, no busy loop, and a
# healthy BMS beside them never notices.
. "$top_srcdir/tests/integration/ble-lib.sh"
ble_require

plan 15

L1=C8:47:8C:00:00:21 L2=C8:47:8C:00:00:22 L3=C8:47:8C:00:00:23
L4=C8:47:8C:00:00:24 L5=C8:47:8C:00:00:25 H=C8:47:8C:00:00:26
W1=20:21:11:00:00:27 W2=20:21:11:00:00:28 W3=20:21:11:00:00:29
start_bus && start_fake \
	--bms "address=$L1 seed=1 mtu=20" --bms "address=$L2 seed=2" \
	--bms "address=$L3 seed=3" --bms "address=$L4 seed=4" \
	--bms "address=$L5 seed=5 layout=single" --bms "address=$H seed=6" \
	--bms "address=$W1 layout=no-service" \
	--bms "address=$W2 layout=no-notify" \
	--bms "address=$W3 layout=wrong-uuid"
ok $? "the fake starts"

ble_conf
for n in cut:$L1 lost:$L2 noisy:$L3 silent:$L4 errors:$L5 healthy:$H \
	noservice:$W1 nonotify:$W2 wronguuid:$W3; do
	ble_bms "${n%%:*}" "${n#*:}" connect_timeout=3s
done
start_daemon -c "$TMP/jkbmsd.conf"

wait_for 40 all_online cut lost noisy silent errors healthy
rc=$?
ok $rc "six BMSs online"
[ $rc -eq 0 ] || { ctl status | diag; diag "$TMP/daemon.err"; }

fake drop-mid-frame $L1 && wait_for 10 stat_ge $L1 drops 1 &&
	wait_for 30 eval '[ "$(json_num cut reconnects)" -ge 1 ]' &&
	wait_for 30 is_state cut online && frames_grow cut 5
ok $? "Connected false mid-frame: reconnected, streaming again"

[ "$(json_num cut frames_bad)" = 0 ]
ok $? "the half frame is not glued to the next link's bytes"

fake drop $L2 && wait_for 30 eval '[ "$(json_num lost reconnects)" -ge 1 ]' &&
	wait_for 30 is_state lost online && frames_grow lost 5
ok $? "link loss: reconnected, streaming again"

fake garbage $L3 5 && wait_for 10 eval '[ "$(json_num noisy frames_bad)" -ge 1 ]' &&
	frames_grow noisy 5 && is_state noisy online &&
	[ "$(json_num noisy reconnects)" = 0 ]
ok $? "garbage notifications: counted bad, the stream goes on, no reconnect"

w=$(fake_stat $L4 writes)
fake freeze $L4 && wait_for 15 stat_ge $L4 writes $((w + 1))
ok $? "a silent BMS is asked again (0x96 rewritten)"
fake freeze $L4 off && wait_for 40 is_state silent online && frames_grow silent 5
ok $? "once it talks again it streams"

fake fault $L5 StartNotify NotSupported 1 &&
	fake fault $L5 WriteValue org.freedesktop.DBus.Error.AccessDenied 1 &&
	fake fault $L5 Connect org.freedesktop.DBus.Error.ServiceUnknown 1 &&
	fake drop $L5 && wait_for 60 is_state errors online && frames_grow errors 5
ok $? "Connect, StartNotify, WriteValue errors in turn: online again"
[ "$(fake_stat $L5 connects)" -ge 2 ] && fake status &&
	printf '%s\n' "$FAKE_REPLY" | grep -q '^ok .* faults=0$'
ok $? "every armed error was met"
grep -q '^jkbmsd: errors: a write to the BMS failed: org.freedesktop.DBus.Error.AccessDenied' \
	"$TMP/daemon.err"
ok $? "the failed write is a journal line naming the BMS and the error"

layouts_refused() {
	for b in noservice nonotify wronguuid; do
		s=$(state_of $b)
		[ "$s" != online ] && [ -n "$s" ] || return 1
	done
	grep -q 'noservice: .*no JK service (ffe0)' "$TMP/daemon.err" &&
		grep -q 'nonotify: .*(wrong layout)' "$TMP/daemon.err" &&
		grep -q 'wronguuid: .*(wrong layout)' "$TMP/daemon.err"
}
layouts_refused
ok $? "wrong GATT layouts: never online, a journal line naming each"

c=$(fake_stat $W1 connects)
[ "$c" -ge 1 ] && [ "$c" -le 12 ]
ok $? "no busy loop: $c connects of the module without FFE0"

fake set $W2 layout=split && wait_for 60 is_state nonotify online
ok $? "once the module is right it comes online"

all_online healthy && [ "$(json_num healthy reconnects)" = 0 ] &&
	[ "$(json_num healthy frames_bad)" = 0 ] && frames_grow healthy 5 &&
	kill -0 "$DAEMON_PID"
ok $? "the healthy BMS never noticed; the daemon is alive"
grep -E '(noservice|nonotify|wronguuid|errors|cut|lost|noisy|silent):' \
	"$TMP/daemon.err" | sort | uniq -c | sort -rn | head -n 12 | diag

finish
