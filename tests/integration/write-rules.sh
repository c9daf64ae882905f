#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Validation through the daemon (settings_validate, manual 5.3.3): every
# rule between two settings at its edge (applied) and one step beyond
# (refused, naming the other setting), every range one step out on both
# sides (refused) and at both ends where the rules allow (applied), the
# cell count of the JK-B5A25S, the fixed MOS limits, the 0.1 C warning,
# and values jkbmsctl cannot parse. A refused write sends nothing: the BMS
# keeps its value.
. "$top_srcdir/tests/integration/lib.sh"

PLAN="$top_builddir/tests/integration/write-plan"

# lo hi strict|loose variants
RULES="power_off_voltage cell_uvp strict 24,32
cell_uvp cell_uvpr strict 24,32
soc_100_voltage cell_ovp loose 32
cell_ovpr cell_ovp strict 24,32
cell_uvpr cell_ovpr strict 24,32
charge_otp_release charge_otp strict 24,32
discharge_otp_release discharge_otp strict 24,32
charge_utp charge_utp_release strict 24,32
discharge_utp discharge_utp_release strict 32
cell_uvp balance_start_voltage loose 24,32
balance_start_voltage cell_ovp loose 24,32
cell_ovpr soc_100_voltage loose 32
soc_0_voltage soc_100_voltage strict 32"
n_rules=$(echo "$RULES" | grep -c ',32\| 32')
n_rules=$((n_rules + $(echo "$RULES" | grep -c '24')))
n32=$("$PLAN" numbers jk02_32s | wc -l)
n24=$("$PLAN" numbers jk02_24s | wc -l)
plan $((1 + 2 * n_rules + 2 * (n32 + n24) + 14))

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
wait_for 15 is_state s32 online && wait_for 15 is_state s24 online &&
	ctl auth s32 --for 10m --password-file "$TMP/pw.secret" >/dev/null &&
	ctl auth s24 --for 10m --password-file "$TMP/pw.secret" >/dev/null
ok $? "two simulated BMSs online, authorisation windows open"

out() {
	local name=$1
	shift
	timeout 20 setsid -w "$JKBMSCTL" --socket "$SOCK" "$@" \
		</dev/null >"$TMP/$name" 2>&1
}

held() {	# held BMS KEY: the value the daemon last read
	ctl settings "$1" --json | tr -d ' \n' |
		sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p"
}

# the rules, on each variant that has both settings
for v in 24 32; do
	bms=s$v
	while read -r lo hi kind vs; do
		case ",$vs," in *",$v,"*) ;; *) continue ;; esac
		ctl settings "$bms" --json >"$TMP/held.json"
		set -- $("$PLAN" edge "jk02_${v}s" "$lo" "$hi" "$kind" \
			<"$TMP/held.json")
		if [ $# -ne 4 ]; then
			ok 1 "$bms: $lo < $hi: no edge found"
			ok 1 "$bms: $lo < $hi: no edge found"
			continue
		fi
		before=$(held "$bms" "$1")
		out beyond set "$bms" "$1" "$3" --window
		[ $? -eq 1 ] && grep -q ": refused ($1 .* $4 (" "$TMP/beyond" &&
			[ "$(held "$bms" "$1")" = "$before" ]
		ok $? "$bms: $1 = $3 breaks '$lo $kind below $hi': refused naming $4, nothing sent"
		grep -q ": refused ($1 .* $4 (" "$TMP/beyond" || diag "$TMP/beyond"
		out at set "$bms" "$1" "$2" --window
		grep -q ": applied (the BMS holds" "$TMP/at"
		ok $? "$bms: $1 = $2 at the edge of '$lo $kind below $hi': applied (was $before)"
	done <<EOR
$RULES
EOR
done

# every range, one step out on both sides, and its ends where allowed
for v in 24 32; do
	bms=s$v
	for key in $("$PLAN" numbers "jk02_${v}s"); do
		ctl settings "$bms" --json >"$TMP/held.json"
		set -- $("$PLAN" range "jk02_${v}s" "$key" <"$TMP/held.json")
		out lo set "$bms" "$key" "$1" --window
		r1=$?
		out hi set "$bms" "$key" "$4" --window
		r2=$?
		[ $r1 -eq 1 ] && [ $r2 -eq 1 ] &&
			grep -q "refused ($key .* is out of range" "$TMP/lo" &&
			grep -q "refused ($key .* is out of range" "$TMP/hi"
		ok $? "$bms: $key $1 and $4 are out of range: refused"
		r=0
		for end in "$2" "$3"; do
			[ "$end" = - ] && continue
			out end set "$bms" "$key" "$end" --window || r=1
		done
		ok $r "$bms: $key at the ends of its range ($2 .. $3; - breaks a rule now): applied"
	done
done

# the model: JK-B5A25S-60P takes 8 to 25 cells
out c26 set s32 cell_count 26 --window
[ $? -eq 1 ] && grep -q 'refused (cell_count 26 is out of range 8 .. 25 on the JK-B5A25S)' "$TMP/c26"
ok $? "JK-B5A25S: 26 cells refused, naming the model"
out c7 set s32 cell_count 7 --window
[ $? -eq 1 ] && grep -q 'refused (cell_count 7 is out of range 8 .. 25 on the JK-B5A25S)' "$TMP/c7"
ok $? "JK-B5A25S: 7 cells refused"
out c25 set s32 cell_count 25 --window && out c8 set s32 cell_count 8 --window &&
	out c16 set s32 cell_count 16 --window
ok $? "JK-B5A25S: 25 and 8 cells applied"
out c25b set s24 cell_count 25 --window
[ $? -eq 1 ] && grep -q 'cell_count 25 is out of range 1 .. 24' "$TMP/c25b"
ok $? "JK02_24S: 25 cells do not fit its frames: refused"

# manual 5.3.3 s): the MOS limits cannot be modified
out mos set s32 mos_otp 80 --window
[ $? -eq 1 ] && grep -q 'refused (mos_otp is fixed by the BMS and cannot be written)' "$TMP/mos"
ok $? "mos_otp is fixed: refused"
out mosr set s24 mos_otp_release 70 --window
[ $? -eq 1 ] && grep -q 'refused (mos_otp_release is fixed' "$TMP/mosr"
ok $? "mos_otp_release is fixed: refused"

# manual 5.3.3 p): 5 A at most, and a warning above 0.1 C
out b51 set s32 max_balance_current 5.1 --window
[ $? -eq 1 ] && grep -q 'out of range 0.100 A .. 5.000 A' "$TMP/b51"
ok $? "a balance current above 5 A: refused"
out cap set s32 capacity 20 --window && out b3 set s32 max_balance_current 3 --window &&
	grep -q '^s32: warning: max_balance_current 3.000 A is above 0.1 C of capacity 20.000 Ah' "$TMP/b3"
ok $? "above 0.1 C of the capacity: applied with a warning"
out cap2 set s32 capacity 280 --window
ok $? "capacity back to 280 Ah"

# what jkbmsctl or the daemon cannot parse never reaches the BMS
before=$(held s32 cell_ovp)
out bad1 set s32 cell_ovp 3.6505 --window
[ $? -eq 1 ] && grep -q "'3.6505' is not a value for cell_ovp in V" "$TMP/bad1"
ok $? "more decimals than the setting has: refused"
out bad2 set s32 cell_ovp abc --window
[ $? -eq 1 ] && grep -q "'abc' is not a value for cell_ovp" "$TMP/bad2"
ok $? "not a number: refused"
out bad3 set s32 no_such_key 1 --window
[ $? -eq 2 ] && grep -q "unknown setting 'no_such_key'" "$TMP/bad3"
ok $? "an unknown setting: refused by jkbmsctl"
[ "$(held s32 cell_ovp)" = "$before" ]
ok $? "the BMS kept its value through the refusals"

stop_daemon 5
ok $? "SIGTERM: exit 0"

finish
