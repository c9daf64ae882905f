#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Pairing through jkbmsd's Agent1: a BMS paired because the config says
# pair = yes; one paired because BlueZ refused access for lack of pairing
# (StartNotify NotPermitted); a PIN that is not a number (RequestPinCode);
# a wrong PIN refused with a journal line and no busy loop; and a unit
# that rejects pairing it did not ask for is never asked.
. "$top_srcdir/tests/integration/ble-lib.sh"
ble_require

plan 9

P1=20:21:11:00:00:51 P2=20:21:11:00:00:52 P3=20:21:11:00:00:53
P4=C8:47:8C:00:00:54 P5=20:21:11:00:00:55
start_bus && start_fake \
	--bms "address=$P1 pair=required pin=654321 seed=1" \
	--bms "address=$P2 pair=required pin=123456 seed=2" \
	--bms "address=$P3 pair=required pin=111111 seed=3" \
	--bms "address=$P4 pair=reject seed=4" \
	--bms "address=$P5 pair=required pin=abcd seed=5"
ok $? "the fake starts"

ble_conf
ble_bms asked $P1 pair=yes pin=654321 connect_timeout=3s
ble_bms refused $P2 pin=123456 connect_timeout=3s
ble_bms wrongpin $P3 pin=222222 connect_timeout=3s
ble_bms nopair $P4 connect_timeout=3s
ble_bms textpin $P5 pair=yes pin=abcd connect_timeout=3s
start_daemon -c "$TMP/jkbmsd.conf"

wait_for 40 is_state asked online && [ "$(fake_stat $P1 paired)" = 1 ]
ok $? "pair = yes: paired through the agent, online"

wait_for 40 is_state refused online && [ "$(fake_stat $P2 paired)" = 1 ]
ok $? "access refused for lack of pairing: paired, online"

wait_for 40 is_state textpin online && [ "$(fake_stat $P5 paired)" = 1 ]
ok $? "a PIN that is not a number goes through RequestPinCode"

wait_for 40 is_state nopair online && [ "$(fake_stat $P4 pairs)" = 0 ]
ok $? "a unit that needs no pairing is never asked to pair"

fake status && printf '%s\n' "$FAKE_REPLY" | grep -q '^ok .*agent=/'
ok $? "jkbmsd registered an agent"

wait_for 20 stat_ge $P3 pairs 1 && sleep 2 && ! is_state wrongpin online &&
	[ "$(fake_stat $P3 paired)" = 0 ]
ok $? "a wrong PIN: not paired, not online"

grep -q 'wrongpin: .*pairing failed' "$TMP/daemon.err" && ! grep -q '222222' "$TMP/daemon.err" &&
	! grep -q '654321' "$TMP/daemon.err"
ok $? "the journal names it and never shows a PIN"

p=$(fake_stat $P3 pairs)
[ "$p" -le 6 ] && kill -0 "$DAEMON_PID" && frames_grow asked 5
ok $? "no busy loop ($p pairing attempts), the others stream"
grep 'wrongpin: ' "$TMP/daemon.err" | tail -n 3 | diag

finish
