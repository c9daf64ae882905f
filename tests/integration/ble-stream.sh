#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# jkbmsd against the fake BlueZ: BMSs of both JK02 variants, both module
# kinds (one FFE1, or two), notification sizes 20, 128 and 244, on two
# adapters, all streaming into the state; their values match what the
# simulated BMSs report; a BMS reporting another connection password is
# auth-failed with nothing published, and the others do not notice.
. "$top_srcdir/tests/integration/ble-lib.sh"
ble_require

plan 15

start_bus && start_fake \
	--bms "address=C8:47:8C:00:00:01 variant=jk02_32s cells=16 layout=split mtu=20" \
	--bms "address=C8:47:8C:00:00:02 variant=jk02_24s cells=8 layout=single mtu=128 seed=2" \
	--bms "address=20:21:11:00:00:03 adapter=hci1 variant=jk02_32s cells=24 mtu=244 seed=3" \
	--bms "address=20:21:11:00:00:04 password=s3cr3tPw cells=16 seed=4"
ok $? "a private bus and the fake BlueZ with 4 BMSs start"

ble_conf
ble_bms new32 C8:47:8C:00:00:01
ble_bms old24 C8:47:8C:00:00:02
ble_bms big 20:21:11:00:00:03 adapter=hci1
ble_bms intruder 20:21:11:00:00:04
start_daemon -c "$TMP/jkbmsd.conf"

wait_for 40 all_online new32 old24 big
rc=$?
ok $rc "three BMSs on two adapters come online"
[ $rc -eq 0 ] && ctl status >/dev/null || { ctl status | diag; diag "$TMP/daemon.err"; }

check_bms() {	# check_bms BMS MAC CELLS VARIANT
	local j
	j=$(status_json "$1")
	printf '%s' "$j" | grep -q "\"cell_count\":$3[,}]" &&
		printf '%s' "$j" | grep -q "\"variant\":\"$4\"" &&
		printf '%s' "$j" | grep -q '"model":"JK-B5A25S-60P"' &&
		printf '%s' "$j" | grep -q "\"address\":\"$2\""
}
wait_for 10 check_bms new32 C8:47:8C:00:00:01 16 jk02_32s
ok $? "new32: 16 cells, jk02_32s, the model from device info (two FFE1s, 20-byte notifications)"
wait_for 10 check_bms old24 C8:47:8C:00:00:02 8 jk02_24s
ok $? "old24: 8 cells, jk02_24s (one FFE1, 128-byte notifications)"
wait_for 10 check_bms big 20:21:11:00:00:03 24 jk02_32s
ok $? "big: 24 cells on hci1 (244-byte notifications)"

# The daemon's voltage and SOC against the simulator's own view.
close_to_sim() {	# close_to_sim BMS MAC
	local v mv soc s
	v=$(json_num "$1" voltage)
	s=$(json_num "$1" soc)
	mv=$(fake_stat "$2" voltage_mv)
	soc=$(fake_stat "$2" soc)
	[ -n "$v" ] && [ -n "$mv" ] && [ -n "$s" ] && [ -n "$soc" ] &&
		awk -v v="$v" -v mv="$mv" -v s="$s" -v soc="$soc" 'BEGIN {
			d = v * 1000 - mv; if (d < 0) d = -d
			e = s - soc; if (e < 0) e = -e
			exit !(d <= mv * 0.01 && e <= 1) }'
}
wait_for 10 close_to_sim new32 C8:47:8C:00:00:01 &&
	wait_for 10 close_to_sim old24 C8:47:8C:00:00:02 &&
	wait_for 10 close_to_sim big 20:21:11:00:00:03
ok $? "voltage within 1 % and SOC within 1 of the simulators'"

frames_grow new32 5 && frames_grow old24 5 && frames_grow big 5
ok $? "cell frames keep arriving on all three"

[ "$(json_num new32 frames_bad)" = 0 ] && [ "$(json_num old24 frames_bad)" = 0 ]
ok $? "no bad frames however the notifications cut them"

wait_for 20 is_state intruder auth-failed
ok $? "a BMS reporting another connection password is auth-failed"

j=$(status_json intruder)
printf '%s' "$j" | grep -q '"live":{}' && printf '%s' "$j" | grep -q '"info":{}' &&
	printf '%s' "$j" | grep -q '"settings":{}'
ok $? "nothing of it is in the state"

grep -q 'intruder: .*-> auth-failed: connection password mismatch' "$TMP/daemon.err"
ok $? "the journal line names it"

! grep -q 's3cr3tPw' "$TMP/daemon.err" "$TMP/daemon.out"
ok $? "its password is never logged"

all_online new32 old24 big
ok $? "the others stay online beside it"

stop_daemon 5
ok $? "SIGTERM: clean exit"

wait_for 5 eval '[ "$(fake_stat C8:47:8C:00:00:01 connected)" = 0 ] &&
	[ "$(fake_stat 20:21:11:00:00:03 connected)" = 0 ]'
ok $? "it disconnected its BMSs on the way out"

finish
