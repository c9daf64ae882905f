#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Settings writes over BLE: the guarded write path sends the command frame
# through BlueZ (WriteValue on FFE1), the simulated BMS behind the fake
# applies it, and the write is reported applied only once the next
# settings frame holds the value; a wrong settings password sends nothing.
. "$top_srcdir/tests/integration/ble-lib.sh"
ble_require

plan 7

printf '123456\n' >"$TMP/pw.secret"
printf 'n0tThis1\n' >"$TMP/bad.secret"
chmod 600 "$TMP/pw.secret" "$TMP/bad.secret"

start_bus && start_fake \
	--bms "address=C8:47:8C:00:00:11 variant=jk02_32s cells=16 layout=split mtu=20" \
	--bms "address=C8:47:8C:00:00:12 variant=jk02_24s cells=8 layout=single mtu=128 seed=2"
ok $? "a private bus and the fake BlueZ with 2 BMSs start"

ble_conf
ble_bms new32 C8:47:8C:00:00:11
ble_bms old24 C8:47:8C:00:00:12
start_daemon -c "$TMP/jkbmsd.conf"
wait_for 40 all_online new32 old24
ok $? "both BMSs online over BLE"
ctl status | grep -Eq '^new32 +ble .* -?[0-9]+ dBm$'
ok $? "the status table shows each BLE link's RSSI"

write() {	# write NAME BMS KEY VALUE SECRET
	local name=$1
	shift
	timeout 30 setsid -w "$JKBMSCTL" --socket "$SOCK" set "$1" "$2" "$3" \
		--password-file "$4" </dev/null >"$TMP/$name" 2>&1
}

write a new32 cell_ovpr 3.550 "$TMP/pw.secret" &&
	grep -q 'applied' "$TMP/a"
ok $? "jk02_32s: cell_ovpr written over BLE and read back"
[ -s "$TMP/a" ] && diag "$TMP/a"

write b old24 balance_trigger_delta 0.007 "$TMP/pw.secret" &&
	grep -q 'applied' "$TMP/b"
ok $? "jk02_24s: balance_trigger_delta written over BLE and read back"
[ -s "$TMP/b" ] && diag "$TMP/b"

check_held() {
	status_json new32 | grep -q '"cell_ovpr":3.55\(0\)\{0,1\}[,}]'
}
wait_for 10 check_held
ok $? "the daemon's settings show the new value"

write c old24 charge_switch off "$TMP/bad.secret"
rc=$?
sleep 2
[ $rc -ne 0 ] && grep -qi 'password' "$TMP/c" &&
	status_json old24 | grep -q '"charge_switch":true'
ok $? "a wrong settings password: denied, nothing written to the BMS"
[ -s "$TMP/c" ] && diag "$TMP/c"
finish
