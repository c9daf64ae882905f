#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The broker restarted 20 times under a publishing jkbmsd. The broker keeps
# nothing across restarts (persistence false), so whatever a fresh
# subscriber finds retained afterwards was published again after the
# reconnect: the gateway status, the latest state (retain_state = yes),
# and the discovery. Presence is the pass criterion; the delays are only
# printed.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/mqtt-lib.sh"

ROUNDS=20
plan 6

touch "$TMP/allow-anonymous"
start_broker
ok $? "mosquitto runs on 127.0.0.1:$PORT"

cat >"$TMP/jk.conf" <<EOC
[daemon]
name = gw
control_socket = $SOCK

[mqtt]
enabled = yes
port = $PORT
publish_interval = 500ms
retain_state = yes
keepalive = 5s

[history]
enabled = no

[bms alpha]
transport = sim
cells = 16
time_scale = 10
EOC

retained() {	# retained TOPIC: its retained payload, waiting up to 3 s
	timeout 5 mosquitto_sub -h 127.0.0.1 -p "$PORT" -t "$1" -C 1 -W 3 \
		2>/dev/null
}
state_back() { retained jkbms/alpha/state | jq -e '.soc >= 0' >/dev/null; }

start_daemon -c "$TMP/jk.conf"
wait_for 10 state_back
ok $? "state is published and retained"

lost=0
: >"$TMP/delays"
for i in $(seq $ROUNDS); do
	stop_broker
	# Now and then the broker stays away a little longer.
	[ $((i % 5)) -eq 0 ] && sleep 1.5
	start_broker || {
		lost=$((lost + 1))
		echo "# round $i: the broker did not start"
		continue
	}
	t0=$(date +%s%N)
	if wait_for 10 state_back && [ "$(retained jkbms/status)" = online ] &&
		retained homeassistant/sensor/jkbms_alpha/soc/config |
		jq -e .unique_id >/dev/null; then
		echo $((($(date +%s%N) - t0) / 1000000)) >>"$TMP/delays"
	else
		lost=$((lost + 1))
		echo "# round $i: not back (port $PORT)"
	fi
done
[ $lost -eq 0 ]
ok $? "after each of $ROUNDS broker restarts: status, state and discovery are back"
sort -n "$TMP/delays" | awk '{ d[NR] = $1 } END {
	if (NR) printf "# republished within: median %d ms, max %d ms " \
		"(after the port opened, %d rounds)\n", d[int((NR + 1) / 2)],
		d[NR], NR }'

grep -c 'mqtt: connected to' "$TMP/daemon.err" >"$TMP/nconn"
[ "$(cat "$TMP/nconn")" -ge $((ROUNDS + 1)) ]
ok $? "the daemon reconnected $(cat "$TMP/nconn") times"
grep -q 'mqtt: broker 127.0.0.1:[0-9]*: .*retrying in' "$TMP/daemon.err"
ok $? "lost connections are logged with the retry delay"
kill -0 "$DAEMON_PID" && stop_daemon 5
ok $? "the daemon survived and stops cleanly"
[ -n "${KEEP_TMP-}" ] && cp -r "$TMP" "$KEEP_TMP"
finish
