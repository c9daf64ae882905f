# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the integration tests: TAP output, bounded waits, a private
# temp dir (kept with KEEP_TMP=1), and jkbmsd started in the background
# and always stopped.
# Sourced by tests/integration/*.sh; needs top_builddir and top_srcdir.

: "${top_builddir:?}" "${top_srcdir:?}"
JKBMSD="$top_builddir/jkbmsd"
JKBMSCTL="$top_builddir/jkbmsctl"
TMP=$(mktemp -d /tmp/jkbmsd-test.XXXXXX)
SOCK="$TMP/ctl"
# The default history database goes here, not to the system's state dir.
STATE_DIRECTORY="$TMP"
export STATE_DIRECTORY
DAEMON_PID=
tap_n=0
tap_failed=0

cleanup() {
	if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -KILL "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
	fi
	[ -n "$KEEP_TMP" ] || rm -rf "$TMP"
}
trap cleanup EXIT

plan() { echo "1..$1"; }

ok() {	# ok CONDITION-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=1
	fi
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

diag() { sed 's/^/# /' "$@"; }

# wait_for SECONDS COMMAND...: polls every 0.1 s; 0 once it succeeds.
wait_for() {
	local limit=$(($1 * 10)) i=0
	shift
	while [ $i -lt $limit ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# start_daemon ARGS...: jkbmsd in the background, stdout/stderr to files.
start_daemon() {
	"$JKBMSD" --log=stderr --socket "$SOCK" "$@" \
		>"$TMP/daemon.out" 2>"$TMP/daemon.err" &
	DAEMON_PID=$!
}

# stop_daemon SECONDS: SIGTERM, then the exit status (124 if it hung).
stop_daemon() {
	local i=0 limit=$(($1 * 10))
	kill -TERM "$DAEMON_PID" 2>/dev/null
	while kill -0 "$DAEMON_PID" 2>/dev/null && [ $i -lt $limit ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -KILL "$DAEMON_PID"
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
		return 124
	fi
	wait "$DAEMON_PID"
	local rc=$?
	DAEMON_PID=
	return $rc
}

ctl() { timeout 10 "$JKBMSCTL" --socket "$SOCK" "$@"; }

# state_of BMS: its state from "jkbmsctl status BMS" ("online", ...).
state_of() { ctl status "$1" 2>/dev/null | sed -n "s/^BMS $1: \([a-z-]*\).*/\1/p"; }
is_state() { [ "$(state_of "$1")" = "$2" ]; }

# sql DB SQL...: query a database the daemon may be writing or closing
# right now; the busy timeout waits out its locks instead of failing.
sql() { timeout 30 sqlite3 -batch -noheader -cmd '.timeout 10000' "$@"; }

finish() { exit $tap_failed; }
