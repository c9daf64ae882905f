#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# jkbmsctl scan and jkbmsctl release against the fake BlueZ: the scan
# lists the JK BMSs advertising on the adapter asked (name, MAC, RSSI,
# manufacturer data, the configured [bms] if any) and ends its discovery;
# release disconnects a BMS, keeps away for the time given, and comes
# back by itself or when the release is ended early.
. "$top_srcdir/tests/integration/ble-lib.sh"
ble_require

plan 12

A=C8:47:8C:00:00:41 B=C8:47:8C:00:00:42 C=C8:47:8C:00:00:43
D=20:21:11:00:00:44
start_bus && start_fake --bms "address=$A name=JK_B2A24S15P" \
	--bms "address=$B name=JK_B1A8S10P seed=2 rssi=-71" \
	--bms "address=$C name=JK_HIDDEN visible=0" \
	--bms "address=$D adapter=hci1 name=JK_PB2A16S15P"
ok $? "the fake starts"

ble_conf
ble_bms a $A connect_timeout=3s
start_daemon -c "$TMP/jkbmsd.conf"
wait_for 40 is_state a online
ok $? "the configured BMS is online"

ctl scan --for 2s >"$TMP/scan.txt" 2>&1
rc=$?
grep -q "^$B .*JK_B1A8S10P" "$TMP/scan.txt" &&
	grep -q "^$A .*JK_B2A24S15P *a " "$TMP/scan.txt" &&
	grep -q "0x0B65" "$TMP/scan.txt" && [ $rc -eq 0 ]
ok $? "scan lists the advertising BMSs, the configured one by its name"
[ $? -eq 0 ] || diag "$TMP/scan.txt"

! grep -q "$C" "$TMP/scan.txt" && ! grep -q "$D" "$TMP/scan.txt"
ok $? "not one that does not advertise, nor one on another adapter"

ctl scan --adapter hci1 --for 1s >"$TMP/scan1.txt" 2>&1 &&
	grep -q "^$D .*JK_PB2A16S15P" "$TMP/scan1.txt"
ok $? "scan --adapter hci1 finds the one there"

ctl scan --for 1s --json | tr -d ' \n' >"$TMP/scan.json"
grep -q "\"address\":\"$B\"" "$TMP/scan.json" &&
	grep -q '"manufacturer_id":2917' "$TMP/scan.json" &&
	grep -q '"rssi":-[0-9]' "$TMP/scan.json"
ok $? "scan --json: address, RSSI, manufacturer id 0x0B65"

wait_for 5 eval 'fake status hci0 && printf "%s\n" "$FAKE_REPLY" | grep -q "^hci0 .*discovering=0 sessions=0"'
ok $? "discovery ends with the scan"

is_state a online && frames_grow a 5
ok $? "the BMS streamed through the scans"

c=$(fake_stat $A connects)
ctl release a --for 3s >/dev/null && wait_for 5 eval '[ "$(fake_stat $A connected)" = 0 ]' &&
	sleep 1 && [ "$(fake_stat $A connects)" = "$c" ] && ! is_state a online
ok $? "release --for 3s: disconnected, and it keeps away"

wait_for 20 is_state a online && frames_grow a 5
ok $? "after the release it comes back by itself"

ctl release a --for 10m >/dev/null && wait_for 5 eval '[ "$(fake_stat $A connected)" = 0 ]' &&
	ctl release a --for 0 >/dev/null && wait_for 20 is_state a online
ok $? "release --for 0 ends a release early"

! ctl release nosuch --for 1m >/dev/null 2>&1
ok $? "releasing an unknown BMS is an error"

finish
