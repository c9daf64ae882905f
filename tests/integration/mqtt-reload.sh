#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# MQTT across a reload (SIGHUP): a BMS that left the config has its
# discovery and retained topics emptied, a BMS whose section changed is
# restarted (link_down event, availability offline, then online again),
# the remaining ones stay announced. A BMS and a bank removed while jkbmsd
# was stopped are emptied on the next start (another gateway's devices
# are left alone). Then jkbmsd --demo publishes, to the
# broker of --mqtt or of the [mqtt] of -c FILE.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/mqtt-lib.sh"

plan 18

touch "$TMP/allow-anonymous"
start_broker
ok $? "mosquitto runs on 127.0.0.1:$PORT"

write_conf() {	# write_conf SEED-OF-ALPHA WITH-BETA
	cat >"$TMP/jk.conf" <<EOC
[daemon]
name = gw
control_socket = $SOCK

[mqtt]
enabled = yes
host = 127.0.0.1
port = $PORT
publish_interval = 500ms

[history]
enabled = no

[bms alpha]
transport = sim
cells = 16
seed = $1
time_scale = 10
EOC
	[ "$2" = yes ] && cat >>"$TMP/jk.conf" <<EOC

[bms beta]
transport = sim
cells = 8
seed = 2
time_scale = 10

[bank ab]
members = alpha, beta
EOC
}

retained() {	# retained TOPIC-PATTERN: what a new subscriber gets now
	timeout 5 mosquitto_sub -h 127.0.0.1 -p "$PORT" -t "$1" -W 2 \
		-F '%t %p' 2>/dev/null
	return 0
}

write_conf 1 yes
ALL=$TMP/all.txt
sub "$ALL" '#'
sleep 0.3
start_daemon -c "$TMP/jk.conf"
wait_for 10 has_topic "$ALL" homeassistant/sensor/jkbms_beta/soc/config &&
	wait_for 10 has_topic "$ALL" homeassistant/sensor/jkbms_alpha/soc/config
ok $? "both BMSs are announced"
sleep 2
retained 'homeassistant/#' >"$TMP/before.txt"
nbeta=$(grep -c '^homeassistant/[a-z_]*/jkbms_beta/' "$TMP/before.txt")
[ "$nbeta" -gt 50 ] && grep -q '^homeassistant/sensor/jkbms_bank_ab/' \
	"$TMP/before.txt"
ok $? "the broker retains beta's $nbeta entities and the bank's"

: >"$ALL"
write_conf 5 no
kill -HUP "$DAEMON_PID"
wait_for 10 grep -q '^jkbms/alpha/event .*"link_up"' "$ALL"
ok $? "the changed BMS is restarted and comes back (link_up)"
grep -q '^jkbms/alpha/event .*"link_down"' "$ALL" &&
	awk '$1 == "jkbms/alpha/availability" { print $3 }' "$ALL" |
	tr '\n' ' ' | grep -q 'offline online'
ok $? "meanwhile: link_down event, availability offline then online"

sleep 1
retained 'homeassistant/#' >"$TMP/after.txt"
! grep -q 'jkbms_beta/' "$TMP/after.txt" &&
	! grep -q 'jkbms_bank_ab/' "$TMP/after.txt"
ok $? "beta's and the bank's discovery topics are emptied"
[ -z "$(retained 'jkbms/beta/#')" ]
ok $? "beta's retained availability, info and settings are emptied"
grep -q '^homeassistant/sensor/jkbms_alpha/soc/config {' "$TMP/after.txt"
ok $? "alpha stays announced"

# Removed while stopped: beta and the bank come back, jkbmsd stops, the
# config loses them, jkbmsd starts again.
write_conf 5 yes
kill -HUP "$DAEMON_PID"
beta_retained() {
	retained 'homeassistant/sensor/jkbms_bank_ab/voltage/config' | grep -q . &&
		retained 'homeassistant/sensor/jkbms_beta/voltage/config' | grep -q .
}
wait_for 20 beta_retained
stop_daemon 5
# A device of another gateway on the same broker, named like ours.
pub homeassistant/sensor/jkbms_elsewhere/voltage/config \
	'{"name":"Voltage","availability":[{"topic":"site-x/status"}]}' -r
write_conf 5 no
start_daemon -c "$TMP/jk.conf"
stale_gone() {
	retained 'homeassistant/#' >"$TMP/restart.txt"
	! grep -q -e 'jkbms_beta/' -e 'jkbms_bank_ab/' "$TMP/restart.txt" &&
		[ -z "$(retained 'jkbms/beta/#')" ]
}
wait_for 20 stale_gone
ok $? "BMS and bank removed while stopped: their retained topics are emptied"
grep -q 'mqtt: BMS beta is not in the configuration: removing what an earlier run announced' \
	"$TMP/daemon.err" &&
	grep -q 'mqtt: bank ab is not in the configuration' "$TMP/daemon.err"
ok $? "the journal says which devices an earlier run left"
grep -q '^homeassistant/sensor/jkbms_elsewhere/voltage/config {' "$TMP/restart.txt" &&
	grep -q '^homeassistant/sensor/jkbms_alpha/soc/config {' "$TMP/restart.txt"
ok $? "alpha and another gateway's device stay announced"
pub homeassistant/sensor/jkbms_elsewhere/voltage/config '' -r

# A reload that changes [mqtt] reconnects with the new settings; the old
# base topic is left saying offline.
: >"$ALL"
sed -i 's/^publish_interval = 500ms$/&\nbase_topic = site-b/' "$TMP/jk.conf"
kill -HUP "$DAEMON_PID"
wait_for 10 has_topic "$ALL" site-b/alpha/state &&
	[ "$(last "$ALL" jkbms/status)" = offline ] &&
	[ "$(last "$ALL" site-b/status)" = online ]
ok $? "a changed [mqtt] reconnects: new base topic, old one offline"

stop_daemon 5
: >"$ALL"
start_daemon --demo --mqtt "127.0.0.1:$PORT"
wait_for 10 has_topic "$ALL" jkbms/house-1/state &&
	wait_for 10 has_topic "$ALL" jkbms/bank/house/state &&
	stop_daemon 5
ok $? "jkbmsd --demo --mqtt HOST:PORT publishes the demo"

# The demo with -c takes [mqtt] from the file (base_topic is site-b now).
: >"$ALL"
start_daemon --demo -c "$TMP/jk.conf"
wait_for 10 has_topic "$ALL" site-b/house-1/state &&
	wait_for 10 has_topic "$ALL" homeassistant/sensor/jkbms_house-1/soc/config
rc=$?
stop_daemon 5 || rc=1
ok $rc "jkbmsd --demo -c FILE publishes the demo with FILE's [mqtt]"
[ $rc -eq 0 ] || diag "$TMP/daemon.err"

# MQTT 5.
write_conf 1 no
sed -i 's/^publish_interval = 500ms$/&\nprotocol = 5/' "$TMP/jk.conf"
: >"$ALL"
start_daemon -c "$TMP/jk.conf"
wait_for 10 has_topic "$ALL" jkbms/alpha/state &&
	grep -q 'as gw (p5,' "$TMP/mosquitto.run"
rc=$?
stop_daemon 5
[ $rc -eq 0 ]
ok $? "protocol = 5 speaks MQTT 5"

# A broker name that does not resolve (or whose DNS does not answer):
# the loop keeps serving while the lookup runs off it.
write_conf 1 no
sed -i 's/^host = 127.0.0.1$/host = no-such-broker.invalid/' "$TMP/jk.conf"
start_daemon -c "$TMP/jk.conf"
wait_for 10 is_state alpha online && ctl status alpha >/dev/null
ok $? "the daemon works on while the broker name is looked up"
wait_for 20 grep -q 'mqtt: broker no-such-broker.invalid:[0-9]*: cannot resolve the name: .*retrying in' "$TMP/daemon.err"
ok $? "an unknown broker name is a clear error, retried"
stop_daemon 5
ok $? "and the daemon stops cleanly"
[ -n "${KEEP_TMP-}" ] && cp -r "$TMP" "$KEEP_TMP"

finish
