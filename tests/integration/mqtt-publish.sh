#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# MQTT end to end (issue 4): jkbmsd with simulated BMSs publishing to a
# real mosquitto on 127.0.0.1. Checks the gateway status and its last
# will, availability (a BMS with a wrong connection password never goes
# online), the state JSON against the field table, info, settings, bank
# state, events, every Home Assistant discovery message (valid JSON,
# keys, classes, units, unique ids), the re-announcement after Home
# Assistant's "online", and answers to malformed commands.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/mqtt-lib.sh"

plan 35

touch "$TMP/allow-anonymous"
start_broker
ok $? "mosquitto runs on 127.0.0.1:$PORT"

cat >"$TMP/jk.conf" <<EOC
[daemon]
name = gw
control_socket = $SOCK

[mqtt]
enabled = yes
host = 127.0.0.1
port = $PORT
publish_interval = 500ms
bank_interval = 500ms
keepalive = 5s

[history]
enabled = no

[bms alpha]
transport = sim
variant = jk02_32s
cells = 16
time_scale = 10

[bms beta]
transport = sim
variant = jk02_24s
cells = 8
seed = 2
time_scale = 10

[bms intruder]
transport = sim
password = s3cr3tPw
cells = 8
seed = 7

[bank ab]
members = alpha, beta
EOC

ALL=$TMP/all.txt
sub "$ALL" '#'
sleep 0.3
start_daemon -c "$TMP/jk.conf"

wait_for 10 has_topic "$ALL" jkbms/alpha/state &&
	wait_for 10 has_topic "$ALL" jkbms/beta/state &&
	wait_for 10 has_topic "$ALL" jkbms/bank/ab/state
ok $? "state of both BMSs and of the bank is published"
sleep 2 # discovery of settings follows the first settings frame

[ "$(last "$ALL" jkbms/status)" = online ]
ok $? "gateway status is online"
timeout 5 mosquitto_sub -h 127.0.0.1 -p "$PORT" -t jkbms/status -C 1 \
	-W 4 -F '%r %p' >"$TMP/status-retained" 2>/dev/null
[ "$(cat "$TMP/status-retained")" = "1 online" ]
ok $? "gateway status is retained"

[ "$(last "$ALL" jkbms/alpha/availability)" = online ] &&
	[ "$(last "$ALL" jkbms/beta/availability)" = online ]
ok $? "availability of the BMSs is online"
[ "$(last "$ALL" jkbms/intruder/availability)" = offline ] &&
	! has_topic "$ALL" jkbms/intruder/state &&
	! grep -q '^homeassistant/[a-z_]*/jkbms_intruder/' "$ALL"
ok $? "a BMS with a wrong password stays offline, no state or entities"

# --- state ---
last "$ALL" jkbms/alpha/state >"$TMP/alpha.json"
jq -e 'has("voltage") and has("current") and has("power") and has("soc")
	and has("cell_voltage") and has("cell_voltage_min")
	and has("cell_voltage_delta") and has("temperature_mos")
	and has("balancing") and has("charge_mosfet") and has("alarms")' \
	"$TMP/alpha.json" >/dev/null
ok $? "state JSON has the live keys of the field table"
jq -e '(.cell_voltage | length) == .cell_count and .cell_count == 16
	and (.cell_resistance | length) == 16' "$TMP/alpha.json" >/dev/null &&
	last "$ALL" jkbms/beta/state |
	jq -e '(.cell_voltage | length) == .cell_count and .cell_count == 8' \
		>/dev/null
ok $? "cell lists have cell_count entries (16 and 8)"
jq -e '.soc >= 0 and .soc <= 100 and
	all(.cell_voltage[]; . > 2.0 and . < 4.5) and
	((.voltage - (.cell_voltage | add)) | fabs) < 0.5 and
	.cell_voltage_min <= .cell_voltage_avg and
	.cell_voltage_avg <= .cell_voltage_max and
	(.balancing | IN("off", "charging", "discharging")) and
	(.alarms | type) == "array"' "$TMP/alpha.json" >/dev/null
ok $? "state values are sane (soc, cells, pack voltage = sum of cells)"

last "$ALL" jkbms/alpha/info | jq -e '.model and .software_version and
	.serial_number and .variant == "jk02_32s"' >/dev/null
ok $? "info holds the device info"
last "$ALL" jkbms/alpha/settings | jq -e '.cell_ovp > .cell_ovpr and
	(.charge_switch | type) == "boolean"' >/dev/null
ok $? "settings are published"
last "$ALL" jkbms/bank/ab/state | jq -e '.member_count == 2 and
	.members_online == 2 and has("voltage") and has("soc")' >/dev/null
ok $? "bank state aggregates both members"
grep '^jkbms/alpha/event ' "$ALL" | cut -d' ' -f3- |
	jq -se 'any(.[]; .event == "link_up" and (.time | test("Z$")))' \
		>/dev/null
ok $? "link_up event with a time stamp"

# --- discovery ---
mkdir "$TMP/disc"
# The last config of each topic (a device is announced again as more of
# it becomes known).
grep '^homeassistant/.*/config 0 {' "$ALL" |
	awk '{ last[$1] = $0 } END { for (t in last) print last[t] }' \
		>"$TMP/disc.txt"
n=$(wc -l <"$TMP/disc.txt")
bad=0
while read -r topic retain payload; do
	printf '%s\n' "$payload" | jq -e . >/dev/null 2>&1 || bad=$((bad + 1))
done <"$TMP/disc.txt"
[ "$n" -gt 100 ] && [ $bad -eq 0 ]
ok $? "all $n discovery payloads are valid JSON"
cut -d' ' -f3- "$TMP/disc.txt" | jq -s '.' >"$TMP/disc.json"

jq -e 'all(.[]; .name and .unique_id and .device.identifiers and
	.origin.name == "jkbmsd" and .availability_mode == "all" and
	(.availability | length) >= 1)' "$TMP/disc.json" >/dev/null
ok $? "every entity has name, unique_id, device, origin, availability"
[ "$(jq -r '.[].unique_id' "$TMP/disc.json" | sort | uniq -d | wc -l)" = 0 ]
ok $? "unique_ids are unique"
jq -e '[.[] | select(.device.identifiers[0] == "jkbms_alpha")] |
	all(.[]; (.availability | map(.topic)) ==
		["jkbms/status", "jkbms/alpha/availability"])' \
	"$TMP/disc.json" >/dev/null
ok $? "BMS entities depend on gateway and BMS availability"
jq -e '[.[] | select(.device.identifiers[0] == "jkbms_alpha")][0].device |
	.manufacturer == "Jikong" and .model and .sw_version and .hw_version
	and .serial_number and .via_device == "jkbmsd_gw"' \
	"$TMP/disc.json" >/dev/null
ok $? "device block: manufacturer, model, versions, serial, via_device"

jq -e 'all(.[] | select(.device_class == "voltage");
		.unit_of_measurement == "V") and
	all(.[] | select(.device_class == "current");
		.unit_of_measurement == "A") and
	all(.[] | select(.device_class == "power" and .unit_of_measurement);
		.unit_of_measurement == "W") and
	all(.[] | select(.device_class == "temperature");
		.unit_of_measurement == "°C") and
	all(.[] | select(.device_class == "battery");
		.unit_of_measurement == "%") and
	all(.[] | select(.device_class == "energy");
		.unit_of_measurement == "kWh" and
		.state_class == "total_increasing")' "$TMP/disc.json" >/dev/null
ok $? "units agree with device classes everywhere"
jq -e '[.[] | select(.unique_id == "jkbms_alpha_energy_charged" or
		.unique_id == "jkbms_alpha_energy_discharged")] |
	length == 2 and all(.[]; .device_class == "energy" and
		.state_class == "total_increasing" and
		.unit_of_measurement == "kWh" and
		.value_template == "{{ value_json.\(.unique_id |
			sub("jkbms_alpha_"; "")) }}")' "$TMP/disc.json" >/dev/null
ok $? "energy counters fit the Energy dashboard"
[ "$(jq '[.[] | select(.unique_id | test("^jkbms_alpha_cell_voltage_[0-9]+$"))] | length' "$TMP/disc.json")" = 16 ] &&
	[ "$(jq '[.[] | select(.unique_id | test("^jkbms_beta_cell_voltage_[0-9]+$"))] | length' "$TMP/disc.json")" = 8 ] &&
	[ "$(jq '[.[] | select(.unique_id | test("^jkbms_alpha_cell_resistance_[0-9]+$"))] | length' "$TMP/disc.json")" = 16 ]
ok $? "one voltage and one resistance sensor per cell"
jq -e '.[] | select(.unique_id == "jkbms_alpha_cell_voltage_16") |
	.value_template == "{{ value_json.cell_voltage[15] }}" and
	.suggested_display_precision == 3 and .state_class == "measurement"' \
	"$TMP/disc.json" >/dev/null
ok $? "per-cell sensor reads its list entry"
jq -e '[.[] | select(.unique_id | test("^jkbms_alpha_alarm_")) |
	select(.unique_id != "jkbms_alpha_alarm_bits")] |
	length > 5 and all(.[]; .device_class == "problem")' \
	"$TMP/disc.json" >/dev/null &&
	jq -e 'any(.[]; .unique_id == "jkbms_alpha_alarms")' \
		"$TMP/disc.json" >/dev/null
ok $? "alarms: problem binary_sensors plus the text sensor"
jq -e '(.[] | select(.unique_id == "jkbms_alpha_charge_mosfet") |
		.device_class == "power") and
	(.[] | select(.unique_id == "jkbms_alpha_balancing") |
		.device_class == "enum" and (.options | length) == 3) and
	(.[] | select(.unique_id == "jkbms_alpha_soh") |
		.entity_category == "diagnostic") and
	(.[] | select(.unique_id == "jkbms_alpha_frame_age") |
		.entity_category == "diagnostic" and
		.state_topic == "jkbms/alpha/link")' "$TMP/disc.json" >/dev/null
ok $? "MOSFETs, balancing enum and diagnostics"
jq -e 'any(.[]; .unique_id == "jkbms_alpha_setting_cell_ovp" and
		.state_topic == "jkbms/alpha/settings" and
		.unit_of_measurement == "V")' "$TMP/disc.json" >/dev/null
ok $? "settings appear as entities"
jq -e 'any(.[]; .device.identifiers[0] == "jkbms_bank_ab" and
		.state_topic == "jkbms/bank/ab/state")' "$TMP/disc.json" \
	>/dev/null
ok $? "the bank is a device of its own"

# --- Home Assistant restarts ---
HA=$TMP/ha.txt
sub "$HA" 'homeassistant/sensor/jkbms_alpha/soc/config'
sub "$HA" 'jkbms/alpha/state'
wait_for 5 has_topic "$HA" homeassistant/sensor/jkbms_alpha/soc/config
: >"$HA"
pub homeassistant/status online
wait_for 8 has_topic "$HA" homeassistant/sensor/jkbms_alpha/soc/config &&
	wait_for 5 has_topic "$HA" jkbms/alpha/state
ok $? "discovery and state are sent again after homeassistant/status online"

# --- commands ---
RES=$TMP/result.txt
sub "$RES" 'jkbms/+/result'
sleep 0.3
pub jkbms/alpha/set/no_such_key 1
pub jkbms/alpha/set/cell_ovp 'not a number'
pub jkbms/nobody/set/cell_ovp 3.6
pub jkbms/alpha/set/a/b 1
printf 'x\001y' | timeout 10 mosquitto_pub -h 127.0.0.1 -p "$PORT" \
	-t jkbms/alpha/set/cell_ovp -s
wait_for 5 sh -c "[ \$(grep -c . '$RES') -ge 5 ]"
cut -d' ' -f3- "$RES" | jq -se '
	any(.[]; .key == "no_such_key" and .outcome == "error" and
		(.message | test("unknown setting"))) and
	any(.[]; .key == "cell_ovp" and .outcome == "error" and
		(.message | test("cannot read"))) and
	any(.[]; (.message | test("no such BMS"))) and
	any(.[]; (.message | test("unknown command topic"))) and
	any(.[]; (.message | test("malformed payload")))' >/dev/null
ok $? "malformed commands and unknown topics are answered on result"
grep -q '^jkbms/nobody/result ' "$RES"
ok $? "an unknown BMS is answered on its own result topic"

ovp_is() { last "$ALL" jkbms/alpha/settings | jq -e ".cell_ovp == $1"; }

# Writes through the write path: refused without the settings password,
# applied (read back) inside an authorisation window.
: >"$RES"
pub jkbms/alpha/set/cell_ovp 3.6
pub jkbms/alpha/auth wrong-password
wait_for 5 sh -c "[ \$(grep -c . '$RES') -ge 2 ]"
cut -d' ' -f3- "$RES" | jq -se '
	any(.[]; .key == "cell_ovp" and .outcome == "denied") and
	any(.[]; .key == "auth" and .outcome == "denied")' >/dev/null &&
	! grep -q wrong-password "$RES" "$TMP/daemon.err"
ok $? "a write without a window and a wrong password are denied"
: >"$RES"
pub jkbms/alpha/auth 123456
wait_for 5 grep -q '"outcome":"open"' "$RES" &&
	pub jkbms/alpha/set/cell_ovp 3.62 &&
	wait_for 10 grep -q '"key":"cell_ovp"' "$RES"
cut -d' ' -f3- "$RES" | jq -se 'any(.[]; .key == "cell_ovp" and
	.outcome == "applied" and .held == "3.620")' >/dev/null &&
	wait_for 5 ovp_is 3.62
rc=$?
[ $rc -eq 0 ] || diag "$RES"
ok $rc "inside an authorisation window a write is applied and read back"
kill -0 "$DAEMON_PID"
ok $? "the daemon is still running"

# --- last will ---
WILL=$TMP/will.txt
sub "$WILL" jkbms/status
wait_for 5 grep -q 'online' "$WILL"
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
wait_for 10 grep -q '^jkbms/status [01] offline' "$WILL"
ok $? "kill -9: the broker publishes the last will (status offline)"

# A clean stop says offline itself. A retained command met on connect
# is not run (it would run again on every reconnect).
: >"$WILL"
: >"$RES"
pub jkbms/alpha/set/cell_ovp 3.55 -r
start_daemon -c "$TMP/jk.conf"
wait_for 10 grep -q '^jkbms/status [01] online' "$WILL"
wait_for 5 grep -q 'retained command ignored' "$RES"
ok $? "a retained command is answered, not run"
timeout 10 mosquitto_pub -h 127.0.0.1 -p "$PORT" -t jkbms/alpha/set/cell_ovp \
	-r -n
stop_daemon 5 && wait_for 5 grep -q '^jkbms/status [01] offline' "$WILL"
ok $? "SIGTERM: exit 0 and status offline"

[ -n "${KEEP_TMP-}" ] && cp -r "$TMP" "$KEEP_TMP"
finish
