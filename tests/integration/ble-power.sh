#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The last resort: an adapter whose every Connect aborts
# (le-connection-abort-by-local) until it is power cycled. jkbmsd cycles
# Adapter1.Powered after several failures in a row with no link up on that
# adapter, the BMS there comes back, and the BMS on the other adapter
# streams on untouched.
. "$top_srcdir/tests/integration/ble-lib.sh"
ble_require

plan 6

A=C8:47:8C:00:00:61 B=C8:47:8C:00:00:62
start_bus && start_fake --bms "address=$A adapter=hci1 seed=1" \
	--bms "address=$B seed=2"
ok $? "the fake starts"

ble_conf
ble_bms wedged $A adapter=hci1 connect_timeout=3s
ble_bms other $B connect_timeout=3s
start_daemon -c "$TMP/jkbmsd.conf"
wait_for 40 is_state wedged online && wait_for 40 is_state other online
ok $? "both online"

fake wedge hci1 && fake drop $A && wait_for 10 eval '! is_state wedged online'
ok $? "the adapter wedged, the link lost"

wait_for 120 eval 'fake status hci1 && printf "%s\n" "$FAKE_REPLY" | grep -q "^hci1 .*power_cycles=1"'
ok $? "jkbmsd power cycles the adapter"
grep -q 'hci1: .*power cycling' "$TMP/daemon.err" || diag "$TMP/daemon.err"

wait_for 90 is_state wedged online && frames_grow wedged 5
ok $? "and the BMS on it streams again"

[ "$(json_num other reconnects)" = 0 ] && frames_grow other 5 &&
	fake status hci0 && printf '%s\n' "$FAKE_REPLY" | grep -q '^hci0 .*power_cycles=0'
ok $? "the other adapter and its BMS were left alone"

finish
