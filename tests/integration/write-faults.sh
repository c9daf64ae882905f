#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes that meet a faulty BMS or link (the simulator's write_fault): a
# BMS that acknowledges but ignores the write is reported as not applied
# with the value it holds; a link that drops right after the write ends
# it as failed, the queued write behind it fails too, nobody hangs, the
# daemon keeps running and the BMS comes back. Then writes to it work.
. "$top_srcdir/tests/integration/lib.sh"

plan 12

printf '123456\n' >"$TMP/pw.secret"
chmod 600 "$TMP/pw.secret"
cat >"$TMP/w.conf" <<EOF
[daemon]
control_socket = $SOCK

[history]
enabled = no

[bms ign]
transport = sim
cells = 16
profile = idle
write_fault = ignore

[bms ign24]
transport = sim
variant = jk02_24s
cells = 12
seed = 2
profile = idle
write_fault = ignore

[bms drop]
transport = sim
cells = 8
seed = 3
profile = idle
write_fault = drop
EOF

start_daemon -c "$TMP/w.conf"
wait_for 15 is_state ign online && wait_for 15 is_state ign24 online &&
	wait_for 15 is_state drop online
ok $? "three simulated BMSs online"

out() {
	local name=$1
	shift
	timeout 20 setsid -w "$JKBMSCTL" --socket "$SOCK" "$@" \
		</dev/null >"$TMP/$name" 2>&1
}

out i1 set ign charge_switch off --password-file "$TMP/pw.secret"
[ $? -eq 1 ] && grep -q '^ign: charge_switch on -> off: not-applied (charge_switch: the BMS holds on, not off)' "$TMP/i1"
ok $? "a BMS that ignores the write: not applied, with what it holds"

out i2 set ign cell_ovp 3.640 --password-file "$TMP/pw.secret" --json
[ $? -eq 1 ] && tr -d ' \n' <"$TMP/i2" | grep -q '"outcome":"not-applied".*"old":"3.650".*"new":"3.640".*"held":"3.650"'
ok $? "the reply carries old, new and held values"

out i3 preset ign24 li-ion --yes --password-file "$TMP/pw.secret"
[ $? -eq 1 ] && grep -q 'preset_liion: not-applied (cell_uvp: the BMS holds 2.500 V, not 2.800 V)' "$TMP/i3"
ok $? "a preset written value by value: the first one not held is named"

grep -q '^jkbmsd: ign: settings write charge_switch on -> off by control (uid [0-9]* pid [0-9]*): not-applied: charge_switch: the BMS holds on, not off' \
	"$TMP/daemon.err"
ok $? "the audit line says not applied"

# two writes at once to a BMS whose link drops after the first
out d1 set drop charge_switch off --password-file "$TMP/pw.secret" &
p1=$!
sleep 0.05
out d2 set drop discharge_switch off --password-file "$TMP/pw.secret" &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
[ $r1 -eq 1 ] && grep -q 'charge_switch on -> off: failed (the link was lost after the write was sent; the BMS may or may not hold the new value' "$TMP/d1"
ok $? "the link drops mid-write: failed, saying the value is unknown"
[ $r2 -eq 1 ] && grep -q 'failed (the BMS is not online\|failed (the link was lost' "$TMP/d2"
ok $? "the write queued behind it fails too, without hanging"

kill -0 "$DAEMON_PID"
ok $? "the daemon keeps running"

wait_for 20 is_state drop online
ok $? "the BMS comes back online"

grep -q '^jkbmsd: drop: settings write charge_switch on -> off by control (uid [0-9]* pid [0-9]*): failed: the link was lost' "$TMP/daemon.err"
ok $? "the audit line says failed"

out s1 status drop --json
grep -q '"charge_switch": false' "$TMP/s1" || grep -q '"charge_switch": true' "$TMP/s1"
ok $? "status still answers for the BMS"

stop_daemon 5
ok $? "SIGTERM: exit 0"

finish
