# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the MQTT tests: a real mosquitto on 127.0.0.1 with a free
# port and a generated config, mosquitto_sub recorders, JSON checks (jq).
# Sourced after lib.sh; every process started here is stopped on exit.

BROKER_PID=
PORT=
SUB_PIDS=
MOSQ_EXTRA=

need() {
	for t in "$@"; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "1..0 # SKIP $t not installed"
			exit 0
		fi
	done
}
need mosquitto mosquitto_sub mosquitto_pub jq

cleanup_mqtt() {
	for p in $SUB_PIDS $BROKER_PID; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $SUB_PIDS $BROKER_PID; do
		wait "$p" 2>/dev/null
	done
}
trap 'cleanup_mqtt; cleanup' EXIT

broker_up() { grep -q ' running$' "$TMP/mosquitto.run"; }
broker_settled() { broker_up || ! kill -0 "$BROKER_PID" 2>/dev/null; }

# start_broker: mosquitto on a free port ($PORT kept across restarts),
# with $MOSQ_EXTRA appended to its generated config. A port found taken
# (the broker exits) is replaced by another one.
start_broker() {
	local tries=0
	while [ $tries -lt 10 ]; do
		tries=$((tries + 1))
		if [ -z "$PORT" ] || [ "${1-}" = new ]; then
			PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
		fi
		{
			echo "listener $PORT 127.0.0.1"
			echo "persistence false"
			# As root it would drop to user mosquitto, which
			# cannot read the private temp dir.
			echo "user $(id -un)"
			printf '%s\n' "$MOSQ_EXTRA"
		} >"$TMP/mosquitto.conf"
		[ -f "$TMP/allow-anonymous" ] &&
			echo "allow_anonymous true" >>"$TMP/mosquitto.conf"
		: >"$TMP/mosquitto.run"
		mosquitto -c "$TMP/mosquitto.conf" >>"$TMP/mosquitto.run" 2>&1 &
		BROKER_PID=$!
		wait_for 10 broker_settled
		cat "$TMP/mosquitto.run" >>"$TMP/mosquitto.log"
		broker_up && return 0
		kill "$BROKER_PID" 2>/dev/null
		wait "$BROKER_PID" 2>/dev/null
		BROKER_PID=
		# Only a port found taken is replaced (the daemon knows it).
		if grep -q 'in use' "$TMP/mosquitto.run"; then
			set -- new
		else
			set --
		fi
	done
	return 1
}

stop_broker() {
	[ -n "$BROKER_PID" ] || return 0
	kill -TERM "$BROKER_PID" 2>/dev/null
	wait "$BROKER_PID" 2>/dev/null
	BROKER_PID=
}

# sub FILE TOPIC [ARGS...]: records "topic retained payload" lines, one per
# message (retained messages too), until the test ends or 120 s pass.
sub() {
	local file=$1 topic=$2
	shift 2
	timeout 120 mosquitto_sub -h 127.0.0.1 -p "$PORT" -F '%t %r %p' \
		-t "$topic" "$@" >>"$file" 2>>"$TMP/sub.err" &
	SUB_PIDS="$SUB_PIDS $!"
}

# pub TOPIC PAYLOAD [ARGS...]
pub() {
	local topic=$1 payload=$2
	shift 2
	timeout 10 mosquitto_pub -h 127.0.0.1 -p "$PORT" -t "$topic" \
		-m "$payload" "$@"
}

# last FILE TOPIC: the payload of the last message on TOPIC in FILE.
last() {
	awk -v t="$2" '$1 == t { p = $0; sub(/^[^ ]* [^ ]* ?/, "", p); v = p }
		END { if (v != "") print v; else exit 1 }' "$1"
}
has_topic() { grep -q "^$2 " "$1"; }
count_topic() { grep -c "^$2 " "$1"; }
