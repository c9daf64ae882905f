#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# jkbmsd and the system bus itself: started before the bus exists, the bus
# going away under it and coming back (a new connection, the mirror, the
# pairing agent exported and registered again), link health (RSSI) in the
# status, a bus that takes the connection and never answers (the loop
# must not wait for it), and a clean exit throughout.
. "$top_srcdir/tests/integration/ble-lib.sh"
ble_require
echo "1..10"

A=C8:47:8C:00:00:31
B=C8:47:8C:00:00:32
FAKE_ARGS="--bms address=$A --bms address=$B,pair=required,pin=246810"

# The bus's socket path is known before the bus runs.
DBUS_SYSTEM_BUS_ADDRESS="unix:path=$TMP/bus"
export DBUS_SYSTEM_BUS_ADDRESS
ble_conf
ble_bms plain $A connect_timeout=5s
ble_bms paired $B pin=246810 connect_timeout=5s
start_daemon -c "$TMP/jkbmsd.conf" -d ble
wait_for 10 eval 'ctl status >/dev/null 2>&1' &&
	wait_for 10 grep -q 'cannot connect to the system bus' "$TMP/daemon.err"
rc=$?
# A few retries (every 2 s) later it has still said so only once.
sleep 5
[ $rc -eq 0 ] &&
	[ "$(grep -c 'cannot connect to the system bus' "$TMP/daemon.err")" = 1 ]
ok $? "no system bus yet: said once, the daemon answers"

start_bus && start_fake $FAKE_ARGS &&
	wait_for 60 all_online plain paired
rc=$?
ok $rc "the bus and bluetoothd appear: both online (one paired)"
[ $rc -eq 0 ] || { ctl status | diag; diag "$TMP/daemon.err"; }

rssi=$(json_num plain rssi)
[ -n "$rssi" ] && [ "$rssi" -lt 0 ]
ok $? "link health has the RSSI ($rssi dBm)"

# The bus dies: the fake goes with it.
stop_fake
kill -TERM "$BUS_PID" && wait "$BUS_PID" 2>/dev/null
BUS_PID=
wait_for 20 eval '! is_state plain online && ! is_state paired online'
ok $? "the bus goes away: both links down"
kill -0 "$DAEMON_PID" && ctl status >/dev/null
ok $? "the daemon keeps running and answering"

rm -f "$TMP/bus"
start_bus && start_fake $FAKE_ARGS &&
	wait_for 60 all_online plain paired && frames_grow paired 5
rc=$?
ok $rc "a new bus: reconnected, the agent registered again, both stream"
[ $rc -eq 0 ] || { ctl status | diag; diag "$TMP/daemon.err"; }

[ "$(grep -c 'pairing agent registered' "$TMP/daemon.err")" -ge 2 ] &&
	! grep -q 246810 "$TMP/daemon.err"
ok $? "the agent on each bus, the PIN never in the journal"

stop_daemon 10
ok $? "SIGTERM: clean exit"

# A bus that never answers, and a simulated BMS beside the BLE one: the
# BLE link waits, nothing else does.
stop_fake
kill -TERM "$BUS_PID" && wait "$BUS_PID" 2>/dev/null
BUS_PID=
DBUS_SYSTEM_BUS_ADDRESS="unix:path=$TMP/mute"
"$top_builddir/tests/peers/mute-bus" "$TMP/mute" 60 &
MUTE_PID=$!
wait_for 5 test -S "$TMP/mute"
printf '[bms sim]\ntransport = sim\ncells = 8\n' >>"$TMP/jkbmsd.conf"
start_daemon -c "$TMP/jkbmsd.conf" -d ble
wait_for 10 is_state sim online && ! is_state plain online
rc=$?
ok $rc "a bus that never answers: the simulated BMS comes online, the daemon answers"
[ $rc -eq 0 ] || { ctl status | diag; diag "$TMP/daemon.err"; }
stop_daemon 10
ok $? "and SIGTERM still exits cleanly"
kill -TERM "$MUTE_PID" 2>/dev/null
wait "$MUTE_PID" 2>/dev/null
finish
