# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the BLE tests, on top of lib.sh: a private dbus-daemon
# (tests/peers/dbus-test.conf) whose address jkbmsd gets as
# DBUS_SYSTEM_BUS_ADDRESS, the fake BlueZ on it, and its control
# interface (tests/peers/BLUEZ-CONTRACT.md). Everything is stopped on exit.
. "$top_srcdir/tests/integration/lib.sh"

FAKE="$top_builddir/tests/peers/fake-bluez"
BUS_PID=
FAKE_PID=

ble_cleanup() {
	for p in $FAKE_PID $BUS_PID; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $FAKE_PID $BUS_PID; do
		timeout 5 sh -c "while kill -0 $p 2>/dev/null; do sleep 0.1; done" ||
			kill -KILL "$p" 2>/dev/null
	done
	cleanup
}
trap ble_cleanup EXIT

# ble_require: skips the whole test without dbus-daemon or the fake.
ble_require() {
	if ! command -v dbus-daemon >/dev/null ||
		! command -v dbus-send >/dev/null || [ ! -x "$FAKE" ]; then
		echo "1..0 # SKIP dbus-daemon, dbus-send or fake-bluez missing"
		exit 0
	fi
}

start_bus() {
	dbus-daemon --config-file="$top_srcdir/tests/peers/dbus-test.conf" \
		--address="unix:path=$TMP/bus" --nofork --nopidfile \
		>"$TMP/bus.log" 2>&1 &
	BUS_PID=$!
	DBUS_SYSTEM_BUS_ADDRESS="unix:path=$TMP/bus"
	export DBUS_SYSTEM_BUS_ADDRESS
	wait_for 10 test -S "$TMP/bus"
}

# start_fake ARGS...: the fake BlueZ, waited for until it owns its names.
start_fake() {
	rm -f "$TMP/fake.ready"
	"$FAKE" --address "$DBUS_SYSTEM_BUS_ADDRESS" --ready "$TMP/fake.ready" \
		"$@" >>"$TMP/fake.log" 2>&1 &
	FAKE_PID=$!
	wait_for 10 test -s "$TMP/fake.ready"
}

stop_fake() {
	[ -n "$FAKE_PID" ] || return 0
	kill -TERM "$FAKE_PID" 2>/dev/null
	timeout 5 sh -c "while kill -0 $FAKE_PID 2>/dev/null; do sleep 0.1; done" ||
		kill -KILL "$FAKE_PID" 2>/dev/null
	wait "$FAKE_PID" 2>/dev/null
	FAKE_PID=
}

# fake COMMAND...: one control command; 0 when the fake answered "ok".
fake() {
	local out
	out=$(timeout 10 dbus-send --bus="$DBUS_SYSTEM_BUS_ADDRESS" \
		--print-reply=literal --dest=org.jkbms.FakeControl \
		/org/jkbms/FakeControl org.jkbms.FakeControl.Command \
		string:"$*" 2>&1) || return 1
	out=$(printf '%s\n' "$out" | sed 's/^ *//')
	FAKE_REPLY=$out
	case "$out" in ok*) return 0 ;; *) return 1 ;; esac
}

# fake_stat MAC KEY: a counter or flag of the fake's "status" line.
fake_stat() {
	fake status "$1" >/dev/null 2>&1 || return 1
	printf '%s\n' "$FAKE_REPLY" | grep "^$1 " |
		tr ' ' '\n' | sed -n "s/^$2=//p"
}

# status_json BMS: jkbmsctl status BMS --json on one line without spaces.
status_json() { ctl status "$1" --json 2>/dev/null | tr -d ' \n'; }

# json_num BMS KEY: the first number after "KEY": in its status.
json_num() {
	status_json "$1" | sed -n "s/.*\"$2\":\(-\{0,1\}[0-9.]*\).*/\1/p" |
		head -n 1
}

# ble_conf: a fresh $TMP/jkbmsd.conf (control socket, no history); then
# ble_bms NAME MAC [key=value...] adds one [bms NAME] with transport ble.
ble_conf() {
	printf '[daemon]\ncontrol_socket = %s\n\n[history]\nenabled = no\n\n' \
		"$SOCK" >"$TMP/jkbmsd.conf"
}

ble_bms() {
	local name=$1 mac=$2 kv
	shift 2
	{
		printf '[bms %s]\ntransport = ble\naddress = %s\n' "$name" "$mac"
		for kv in "$@"; do
			printf '%s\n' "$kv" | sed 's/=/ = /'
		done
		echo
	} >>"$TMP/jkbmsd.conf"
}

# frames_of BMS: its good frame count (empty if unknown).
frames_of() { json_num "$1" frames_good; }

# frames_grow BMS SECS: good frames keep arriving within SECS.
frames_grow() {
	local before
	before=$(frames_of "$1")
	[ -n "$before" ] || return 1
	wait_for "$2" eval "[ \"\$(frames_of $1)\" -gt $before ]"
}

# all_online BMS...: every one of them is online.
all_online() {
	local b
	for b in "$@"; do
		is_state "$b" online || return 1
	done
}

# stat_ge MAC KEY N: the fake's counter is at least N.
stat_ge() {
	local v
	v=$(fake_stat "$1" "$2")
	[ -n "$v" ] && [ "$v" -ge "$3" ]
}
