#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kill -9 of jkbmsd during history flushes, 50 times on one database (8
# simulated BMSs, a sample and a flush every second, so a flush is often in
# progress): afterwards PRAGMA integrity_check says ok every time, and
# every flush the daemon logged as committed is in the file, so at most
# the samples since the last flush (one flush interval) are lost.
. "$top_srcdir/tests/integration/lib.sh"

RUNS=${HISTORY_KILL_RUNS:-50}
plan 3
DB=$TMP/history.db

{
	printf '[daemon]\ncontrol_socket = %s\n[mqtt]\nenabled = no\n' "$SOCK"
	printf '[history]\npath = %s\nsample_interval = 1s\nflush_interval = 1s\n' "$DB"
	for i in 1 2 3 4 5 6 7 8; do
		printf '[bms b%s]\ntransport = sim\ncells = 16\nseed = %s\ntime_scale = 60\n' "$i" "$i"
	done
} >"$TMP/k.conf"

committed() { grep -c 'flush committed.*last sample [1-9][0-9]*, ' "$TMP/daemon.err" 2>/dev/null; }
flushed() { [ "$(committed)" -ge 1 ]; }

bad_integrity=0
lost=0
runs=0
checked=0
unchecked=0
i=0
while [ $i -lt "$RUNS" ]; do
	i=$((i + 1))
	start_daemon -c "$TMP/k.conf" -d history
	if ! wait_for 15 flushed; then
		diag "$TMP/daemon.err"
		break
	fi
	# Somewhere in the next flush interval (0 ... 1.2 s).
	sleep "0.$(( (i * 37) % 12 ))"
	kill -KILL "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=
	runs=$((runs + 1))
	r=$(timeout 30 sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
	if [ "$r" != ok ]; then
		bad_integrity=$((bad_integrity + 1))
		echo "# run $i: integrity_check: $r"
	fi
	# Every committed flush's newest sample is in the database.
	before=$checked
	for t in $(sed -n 's/.*flush committed.*last sample \([1-9][0-9]*\),.*/\1/p' \
		"$TMP/daemon.err" | sort -u); do
		checked=$((checked + 1))
		n=$(timeout 30 sqlite3 "$DB" "SELECT count(*) FROM samples WHERE t = $t")
		if [ "$n" = 0 ]; then
			lost=$((lost + 1))
			echo "# run $i: committed sample time $t missing"
		fi
	done
	if [ "$checked" -eq "$before" ]; then
		echo "# run $i: no committed flush in the log"
		unchecked=$((unchecked + 1))
	fi
done

ok $([ "$runs" -eq "$RUNS" ]; echo $?) "jkbmsd killed with SIGKILL $runs times during flushes"
ok $([ "$bad_integrity" -eq 0 ]; echo $?) "integrity_check ok after every kill ($bad_integrity failures)"
ok $([ "$lost" -eq 0 ] && [ "$unchecked" -eq 0 ]; echo $?) \
	"no committed flush lost ($checked checked, $lost missing): at most one flush interval lost"
finish
