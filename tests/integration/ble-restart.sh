#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bluetoothd going away and coming back mid-stream: org.bluez loses its
# owner and gets one again (links lost; or left connected but stale), the
# fake killed and started anew (devices to be discovered again), an
# adapter powered off and on from outside, and jkbmsd itself restarted
# while BlueZ keeps its links. Every BMS streams again each time.
. "$top_srcdir/tests/integration/ble-lib.sh"
ble_require

plan 11

A=C8:47:8C:00:00:31 B=20:21:11:00:00:32 C=C8:47:8C:00:00:33
SPECS="--bms address=$A,seed=1 --bms address=$B,seed=2,layout=single,variant=jk02_24s,cells=12 --bms address=$C,adapter=hci1,seed=3"
# shellcheck disable=SC2086
start_bus && start_fake $SPECS
ok $? "the fake starts"

ble_conf
ble_bms one $A connect_timeout=3s
ble_bms two $B connect_timeout=3s
ble_bms three $C adapter=hci1 connect_timeout=3s
start_daemon -c "$TMP/jkbmsd.conf"
wait_for 40 all_online one two three
ok $? "three BMSs online"

reconnects() { json_num "$1" reconnects; }

fake restart 500 && wait_for 10 eval '! is_state one online' &&
	wait_for 60 all_online one two three &&
	[ "$(reconnects one)" -ge 1 ] && [ "$(reconnects three)" -ge 1 ] &&
	frames_grow one 5 && frames_grow three 5
ok $? "bluetoothd restarted mid-stream: all three stream again"

d=$(fake_stat $A disconnects)
fake restart 500 stale && wait_for 10 eval '! is_state one online' &&
	wait_for 60 all_online one two three && stat_ge $A disconnects $((d + 1)) &&
	frames_grow two 5
ok $? "restarted with the links left stale: disconnected first, streaming"

stop_fake
wait_for 10 eval '! is_state two online'
ok $? "the fake killed: the BMSs go down"

# shellcheck disable=SC2086
start_fake $SPECS && wait_for 90 all_online one two three &&
	frames_grow one 5 && frames_grow three 5
ok $? "a new bluetoothd: rediscovered, all three stream again"

r3=$(reconnects three)
fake power hci0 off && wait_for 10 eval '! is_state one online && ! is_state two online'
ok $? "hci0 powered off from outside: its BMSs go down"
frames_grow three 5 && [ "$(reconnects three)" = "$r3" ]
ok $? "the BMS on hci1 does not notice"
fake power hci0 on && wait_for 60 all_online one two three
ok $? "powered on again: back online"

kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
wait_for 5 eval '[ "$(fake_stat $A notifying)" = 0 ]' &&
	[ "$(fake_stat $A connected)" = 1 ]
ok $? "jkbmsd killed: BlueZ keeps the links, the notify sessions end"

d=$(fake_stat $A disconnects)
start_daemon -c "$TMP/jkbmsd.conf"
wait_for 40 all_online one two three && stat_ge $A disconnects $((d + 1)) &&
	frames_grow one 5
ok $? "jkbmsd restarted: the stale links are disconnected first, online"

finish
