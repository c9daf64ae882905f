#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every writable setting of a JK02_32S and of a JK02_24S simulated BMS,
# written through jkbmsctl and the daemon and read back from the BMS's
# next settings (or device-info) frame; one case per setting. The values
# come from write-plan: one step away from what the BMS holds, valid by
# the rules. Then the presets (the BMS's own command on JK02_32S, the
# appendix values one by one on JK02_24S), restart and factory reset with
# their confirmations.
. "$top_srcdir/tests/integration/lib.sh"

PLAN="$top_builddir/tests/integration/write-plan"
keys32=$("$PLAN" list jk02_32s)
keys24=$("$PLAN" list jk02_24s)
n32=$(echo "$keys32" | wc -l)
n24=$(echo "$keys24" | wc -l)
plan $((n32 + n24 + 19))

printf '123456\n' >"$TMP/pw.secret"
chmod 600 "$TMP/pw.secret"

cat >"$TMP/w.conf" <<EOF
[daemon]
control_socket = $SOCK

[history]
enabled = no

[bms s32]
transport = sim
variant = jk02_32s
cells = 16
profile = idle

[bms s24]
transport = sim
variant = jk02_24s
cells = 16
seed = 4
profile = idle
EOF

start_daemon -c "$TMP/w.conf"
wait_for 15 is_state s32 online && wait_for 15 is_state s24 online
ok $? "both simulated BMSs online"

out() {
	local name=$1
	shift
	timeout 20 setsid -w "$JKBMSCTL" --socket "$SOCK" "$@" \
		</dev/null >"$TMP/$name" 2>&1
}

out auth32 auth s32 --for 10m --password-file "$TMP/pw.secret" &&
	out auth24 auth s24 --for 10m --password-file "$TMP/pw.secret"
ok $? "authorisation windows open"

# write_each BMS VARIANT KEYS
write_each() {
	local bms=$1 variant=$2 key value
	for key in $3; do
		ctl settings "$bms" --json >"$TMP/held.json" 2>&1
		value=$("$PLAN" next "$variant" "$key" <"$TMP/held.json")
		if [ -z "$value" ]; then
			ok 1 "$bms ($variant): $key: no value to write"
			continue
		fi
		out set set "$bms" "$key" "$value" --window
		grep -q ": applied (the BMS holds" "$TMP/set"
		ok $? "$bms ($variant): $key = $value written and read back"
		[ $? -eq 0 ] || diag "$TMP/set"
	done
}

write_each s32 jk02_32s "$keys32"
write_each s24 jk02_24s "$keys24"

ctl settings s24 --json | tr -d ' \n' >"$TMP/s24.json"
grep -q '"settings":{"smart_sleep_voltage"' "$TMP/s24.json"
ok $? "the settings reply shows the values read back"

# calibrations: written, nothing to read back, acknowledged
out cal1 set s32 voltage_calibration 53.2 --window
grep -q 'voltage_calibration ? -> 53.200000 V: sent (acknowledged by the BMS)' "$TMP/cal1"
ok $? "JK02_32S: voltage calibration sent and acknowledged"
out cal2 set s24 current_calibration 1.5 --window
grep -q 'current_calibration ? -> 1.500 A: sent (acknowledged by the BMS)' "$TMP/cal2"
ok $? "JK02_24S: current calibration sent and acknowledged"
out cal3 set s32 voltage_calibration 53.2005 --window
[ $? -eq 1 ] && grep -q 'refused (voltage_calibration must be a multiple of 0.001000 V on jk02_32s)' "$TMP/cal3"
ok $? "a calibration finer than the wire carries: refused"

# presets
printf 'y\n' | timeout 20 "$JKBMSCTL" --socket "$SOCK" preset s32 li-ion \
	--window >"$TMP/p32" 2>&1
grep -q 'preset_liion: sent (acknowledged by the BMS)' "$TMP/p32"
ok $? "JK02_32S: the preset is the BMS's own command, acknowledged"

wait_for 5 sh -c "'$JKBMSCTL' --socket '$SOCK' settings s32 --json | tr -d ' ' | grep -q '\"cell_ovp\":4.200'"
ok $? "JK02_32S: the Li-ion values arrive with the next settings frame"

out p24 preset s24 lifepo4 --window --yes
grep -q 'preset_lfp: applied (21 settings written and read back)' "$TMP/p24"
ok $? "JK02_24S: the LiFePO4 preset is written as the appendix values"
[ $? -eq 0 ] || diag "$TMP/p24"

ctl settings s24 --json | tr -d ' \n' >"$TMP/s24p.json"
grep -q '"cell_uvp":2.500' "$TMP/s24p.json" &&
	grep -q '"cell_ovp":3.650' "$TMP/s24p.json" &&
	grep -q '"power_off_voltage":2.499' "$TMP/s24p.json"
ok $? "JK02_24S: the BMS holds the appendix values"

printf 'n\n' | timeout 20 "$JKBMSCTL" --socket "$SOCK" preset s24 lto \
	--window >"$TMP/pno" 2>&1
[ $? -eq 1 ] && grep -q 'not confirmed' "$TMP/pno"
ok $? "a preset not confirmed is not sent"

printf 'y\nwrong-name\n' | timeout 20 "$JKBMSCTL" --socket "$SOCK" \
	factory-reset s32 --window >"$TMP/fr1" 2>&1
[ $? -eq 1 ] && grep -q 'not confirmed' "$TMP/fr1"
ok $? "factory-reset needs the BMS's name as second confirmation"

printf 'y\ns32\n' | timeout 20 "$JKBMSCTL" --socket "$SOCK" \
	factory-reset s32 --window >"$TMP/fr2" 2>&1
grep -q 'factory_reset: sent (acknowledged by the BMS)' "$TMP/fr2"
ok $? "factory-reset asked twice, then sent and acknowledged"

out fr24 factory-reset s24 --window --yes
[ $? -eq 1 ] && grep -q 'factory_reset: refused (factory_reset is not available on jk02_24s)' "$TMP/fr24"
ok $? "no factory reset on JK02_24S: refused, nothing sent"

printf 'y\ns32\n' | timeout 20 "$JKBMSCTL" --socket "$SOCK" \
	restart s32 --window >"$TMP/rs" 2>&1
grep -q 'restart: sent (acknowledged by the BMS)' "$TMP/rs"
ok $? "restart asked twice, then sent and acknowledged"

sleep 1
wait_for 10 is_state s32 online
ok $? "after the restart the BMS streams again"

out danger set s32 shutdown press --window </dev/null
[ $? -eq 1 ] && grep -q 'not confirmed' "$TMP/danger"
ok $? "a dangerous button through set needs a confirmation"

printf 'y\nwrong-name\n' | timeout 20 "$JKBMSCTL" --socket "$SOCK" \
	set s32 factory_reset press --window >"$TMP/setfr" 2>&1
[ $? -eq 1 ] && grep -q 'not confirmed' "$TMP/setfr" &&
	grep -q 'Type the name of the BMS (s32)' "$TMP/setfr"
ok $? "set factory_reset is asked twice too, like factory-reset"

stop_daemon 5
ok $? "SIGTERM: exit 0"

finish
