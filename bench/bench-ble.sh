#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# jkbmsd's cost over BLE, through the fake BlueZ on a private bus: CPU
# (utime + stime from /proc/PID/stat) and RSS (VmRSS) of jkbmsd with 8 and
# 32 BMSs streaming 2 cell frames a second each (time scale 1, 20-byte
# notifications, spread over two adapters) for SECONDS; then the
# reconnect time after a link loss (drop -> cell frames flowing again),
# median and max over DROPS drops. Prints figures, never pass/fail.
#
# Usage: bench/bench-ble.sh [SECONDS [DROPS]]   (make bench-ble: 60 20)
# Needs top_builddir (default .) and top_srcdir (default the script's ..).
set -u
DUR=${1:-60}
DROPS=${2:-20}
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-$(dirname "$0")/..}
JKBMSD=$top_builddir/jkbmsd
JKBMSCTL=$top_builddir/jkbmsctl
FAKE=$top_builddir/tests/peers/fake-bluez
TMP=$(mktemp -d /tmp/jkbmsd-bench.XXXXXX)
BUS_PID= FAKE_PID= D_PID=
HZ=$(getconf CLK_TCK)

stop() {
	for p in $D_PID $FAKE_PID $BUS_PID; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $D_PID $FAKE_PID $BUS_PID; do
		timeout 5 sh -c "while kill -0 $p 2>/dev/null; do sleep 0.1; done" ||
			kill -KILL "$p" 2>/dev/null
	done
	D_PID= FAKE_PID= BUS_PID=
}
trap 'stop; rm -rf "$TMP"' EXIT

for f in "$JKBMSD" "$JKBMSCTL" "$FAKE"; do
	[ -x "$f" ] || { echo "bench-ble: $f missing (make check builds it)"; exit 1; }
done

ctl() { timeout 10 "$JKBMSCTL" --socket "$TMP/ctl" "$@"; }
fake() {
	timeout 10 dbus-send --bus="unix:path=$TMP/bus" --print-reply=literal \
		--dest=org.jkbms.FakeControl /org/jkbms/FakeControl \
		org.jkbms.FakeControl.Command string:"$*" >/dev/null 2>&1
}
ms() { echo $(($(date +%s%N) / 1000000)); }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
online_count() {
	ctl status --json 2>/dev/null | tr -d ' \n' |
		grep -o '"state":"online"' | wc -l
}
frames_total() {
	ctl status --json 2>/dev/null | tr -d ' \n' |
		grep -o '"frames_good":[0-9]*' | cut -d: -f2 |
		awk '{ s += $1 } END { print s + 0 }'
}

# setup N: the bus, the fake with N BMSs and jkbmsd, all online.
setup() {
	n=$1
	rm -f "$TMP/bus" "$TMP/ready"
	dbus-daemon --config-file="$top_srcdir/tests/peers/dbus-test.conf" \
		--address="unix:path=$TMP/bus" --nofork --nopidfile \
		>"$TMP/bus.log" 2>&1 &
	BUS_PID=$!
	i=0
	while [ ! -S "$TMP/bus" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	printf '[daemon]\ncontrol_socket = %s\n\n[history]\nenabled = no\n\n' \
		"$TMP/ctl" >"$TMP/jkbmsd.conf"
	: >"$TMP/bms.list"
	i=1
	while [ $i -le "$n" ]; do
		mac=$(printf 'C8:47:8C:00:%02X:%02X' $((i / 256)) $((i % 256)))
		ad=hci$((i % 2))
		echo "address=$mac adapter=$ad seed=$i mtu=20" >>"$TMP/bms.list"
		printf '[bms b%d]\ntransport = ble\naddress = %s\nadapter = %s\n\n' \
			"$i" "$mac" "$ad" >>"$TMP/jkbmsd.conf"
		i=$((i + 1))
	done
	"$FAKE" --address "unix:path=$TMP/bus" --bms-file "$TMP/bms.list" \
		--ready "$TMP/ready" --quiet 2>"$TMP/fake.log" &
	FAKE_PID=$!
	i=0
	while [ ! -s "$TMP/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	DBUS_SYSTEM_BUS_ADDRESS="unix:path=$TMP/bus" "$JKBMSD" --log=stderr \
		--socket "$TMP/ctl" -c "$TMP/jkbmsd.conf" 2>"$TMP/daemon.err" &
	D_PID=$!
	t0=$(ms)
	i=0
	while [ "$(online_count)" -lt "$n" ] && [ $i -lt 600 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	UP_MS=$(($(ms) - t0))
	[ "$(online_count)" -eq "$n" ]
}

stream() {
	n=$1
	if ! setup "$n"; then
		echo "bench-ble: only $(online_count) of $n BMSs came online"
		stop
		return
	fi
	sleep 2
	c0=$(cpu_ticks "$D_PID") f0=$(frames_total)
	b0=$(cpu_ticks "$BUS_PID") k0=$(cpu_ticks "$FAKE_PID")
	t0=$(ms)
	sleep "$DUR"
	c1=$(cpu_ticks "$D_PID") f1=$(frames_total)
	b1=$(cpu_ticks "$BUS_PID") k1=$(cpu_ticks "$FAKE_PID")
	t1=$(ms)
	awk -v n="$n" -v c=$((c1 - c0)) -v b=$((b1 - b0)) -v k=$((k1 - k0)) \
		-v f=$((f1 - f0)) -v t=$((t1 - t0)) -v hz="$HZ" \
		-v rss="$(rss_kb "$D_PID")" -v up="$UP_MS" 'BEGIN {
		s = t / 1000
		printf "%2d BMSs: all online in %.1f s; over %.0f s: %.0f frames/s; jkbmsd CPU %.2f %% (%.2f ms per frame), RSS %d KiB; dbus-daemon %.2f %%, fake %.2f %%\n",
			n, up / 1000, s, f / s, 100 * c / hz / s,
			f ? 1000 * c / hz / f : 0, rss,
			100 * b / hz / s, 100 * k / hz / s }'
	stop
}

reconnect() {
	if ! setup 8; then
		echo "bench-ble: the reconnect setup failed"
		stop
		return
	fi
	sleep 2
	: >"$TMP/times"
	d=1
	while [ $d -le "$DROPS" ]; do
		t0=$(ms)
		fake drop C8:47:8C:00:00:01
		# back when a cell frame of the new link arrived
		i=0
		while [ $i -lt 1200 ]; do
			j=$(ctl status b1 --json 2>/dev/null | tr -d ' \n')
			case $j in *'"state":"online"'*)
				f=$(printf '%s' "$j" |
					sed -n 's/.*"reconnects":\([0-9]*\).*/\1/p')
				[ "${f:-0}" -ge "$d" ] && break ;;
			esac
			sleep 0.05
			i=$((i + 1))
		done
		echo $(($(ms) - t0)) >>"$TMP/times"
		sleep 1
		d=$((d + 1))
	done
	sort -n "$TMP/times" | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "reconnect after a link loss (%d drops, 8 BMSs up): median %.2f s, max %.2f s, min %.2f s\n",
			NR, m / 1000, v[NR] / 1000, v[1] / 1000 }'
	stop
}

echo "jkbmsd over BLE (fake BlueZ, 2 cell frames/s per BMS, 20-byte notifications)"
stream 8
stream 32
reconnect
