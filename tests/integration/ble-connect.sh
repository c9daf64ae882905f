#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Connection faults, each on its own BMS on one adapter, all at start:
# le-connection-abort-by-local, InProgress, a Connect never answered,
# services that never resolve (the device is removed and rediscovered), a
# stale link left Connected from before (disconnected first), a device
# out of range. Each one recovers within a few backoff steps, and the
# healthy BMS beside them comes online and keeps streaming meanwhile.
. "$top_srcdir/tests/integration/ble-lib.sh"
ble_require

plan 12

A=C8:47:8C:00:00:11 B=C8:47:8C:00:00:12 C=C8:47:8C:00:00:13
D=C8:47:8C:00:00:14 E=C8:47:8C:00:00:15 F=C8:47:8C:00:00:16
G=C8:47:8C:00:00:17
start_bus && start_fake \
	--bms "address=$A seed=1" --bms "address=$B seed=2" \
	--bms "address=$C seed=3" --bms "address=$D seed=4" \
	--bms "address=$E seed=5 connected=1" --bms "address=$F seed=6" \
	--bms "address=$G seed=7 variant=jk02_24s cells=12 visible=0" &&
	fake fault $A Connect Failed 2 le-connection-abort-by-local &&
	fake fault $B Connect InProgress 2 &&
	fake fault $C Connect noreply 1 &&
	fake no-resolve $D 1
ok $? "the fake starts with the faults armed"

ble_conf
for n in abort:$A busy:$B mute:$C unresolved:$D stale:$E healthy:$F far:$G; do
	ble_bms "${n%%:*}" "${n#*:}" connect_timeout=3s
done
start_daemon -c "$TMP/jkbmsd.conf"

wait_for 30 is_state healthy online && frames_grow healthy 5
ok $? "the healthy BMS comes online and streams while the others fail"

wait_for 40 is_state abort online &&
	[ "$(grep -c 'fault: Connect on .*dev_C8_47_8C_00_00_11' "$TMP/fake.log")" -eq 2 ]
ok $? "le-connection-abort-by-local twice: online after retries"
grep -q 'abort: .*le-connection-abort-by-local' "$TMP/daemon.err"
ok $? "the abort is logged with the BMS name"

wait_for 40 is_state busy online
ok $? "InProgress twice: online"

wait_for 40 is_state mute online
ok $? "a Connect never answered times out and is retried: online"

wait_for 60 is_state unresolved online && stat_ge $D removes 1
ok $? "services never resolved: device removed, rediscovered, online"

wait_for 30 is_state stale online && stat_ge $E disconnects 1
ok $? "a stale link from before is disconnected first, then online"

sleep 3
s=$(state_of far)
[ "$s" != online ] && [ -n "$s" ]
ok $? "a BMS out of range is not online ($s)"

fake show $G && wait_for 60 is_state far online
ok $? "once it advertises it comes online"

all_online abort busy mute unresolved stale healthy far && frames_grow healthy 5
ok $? "all seven online, the healthy one still streaming"

kill -0 "$DAEMON_PID" && stop_daemon 5
ok $? "the daemon ran throughout and exits cleanly"

finish
