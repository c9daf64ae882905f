#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs bench-mqtt against a private mosquitto on 127.0.0.1 (a free port,
# a generated config, stopped afterwards). Figures, not pass/fail.
#   bench-mqtt.sh [PATH-TO-bench-mqtt] [ARGS...]
set -u
bin=${1:-./bench/bench-mqtt}
[ $# -gt 0 ] && shift
command -v mosquitto >/dev/null || { echo "bench-mqtt: no mosquitto"; exit 0; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-mqtt.XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
i=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
	printf 'listener %s 127.0.0.1\npersistence false\nallow_anonymous true\nset_tcp_nodelay true\nuser %s\n' \
		"$port" "$(id -un)" >"$dir/m.conf"
	mosquitto -c "$dir/m.conf" >"$dir/log" 2>&1 &
	pid=$!
	n=0
	while [ $n -lt 30 ]; do
		grep -q running "$dir/log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
		n=$((n + 1))
	done
	grep -q running "$dir/log" && break
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
done
[ -n "$pid" ] || { echo "bench-mqtt: cannot start mosquitto"; exit 1; }
"$bin" --port "$port" "$@"
