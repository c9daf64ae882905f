#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A full disk: the history database on a tiny tmpfs (mounted in a private
# mount namespace, so nothing outside sees it). jkbmsd must keep running
# and answering, say in the log that it cannot write, keep the samples in
# memory, and write them all once the file system has room again: no hole
# in the samples, integrity_check ok.
if [ "${HISTORY_FULL_NS-}" != 1 ] && [ "$(id -u)" = 0 ] &&
	unshare -m true 2>/dev/null; then
	HISTORY_FULL_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
. "$top_srcdir/tests/integration/lib.sh"

if [ "${HISTORY_FULL_NS-}" != 1 ]; then
	plan 1
	skip "history on a full file system" \
		"needs root to mount a tmpfs in a private mount namespace"
	finish
fi

plan 8
SMALL=$TMP/small
mkdir "$SMALL" && mount -t tmpfs -o size=160k,mode=0700 jkbms-full "$SMALL" || {
	echo "Bail out! cannot mount a tmpfs"
	exit 1
}
trap 'umount "$SMALL" 2>/dev/null; cleanup' EXIT
DB=$SMALL/history.db

{
	printf '[daemon]\ncontrol_socket = %s\n[mqtt]\nenabled = no\n' "$SOCK"
	printf '[history]\npath = %s\nsample_interval = 1s\nflush_interval = 1s\n' "$DB"
	for i in 1 2 3 4; do
		printf '[bms b%s]\ntransport = sim\ncells = 16\nseed = %s\ntime_scale = 60\n' "$i" "$i"
	done
} >"$TMP/f.conf"

full() { grep -q 'history: cannot write' "$TMP/daemon.err"; }
again() { grep -q 'is writable again' "$TMP/daemon.err"; }

start_daemon -c "$TMP/f.conf" -d history
wait_for 90 full
ok $? "the file system fills up and the log says the history cannot be written"
grep 'history: cannot write' "$TMP/daemon.err" | head -1 | diag

sleep 3
kill -0 "$DAEMON_PID" 2>/dev/null
ok $? "jkbmsd keeps running with a full disk"
ctl status b1 >"$TMP/status.out" 2>&1 && grep -q 'online' "$TMP/status.out"
ok $? "and keeps answering: b1 is online"

mount -o remount,size=16m "$SMALL"
wait_for 30 again
ok $? "with room again the log says the history is writable again"
grep 'is writable again' "$TMP/daemon.err" | head -1 | diag

stop_daemon 10
ok $? "jkbmsd stops cleanly"
q() { sql "$DB" "$@"; }
ok $([ "$(q 'PRAGMA integrity_check')" = ok ]; echo $?) "integrity_check: ok"
n=$(q "SELECT count(*) FROM samples s JOIN bms b ON b.id = s.bms_id WHERE b.name = 'b1'")
gap=$(q "SELECT max(d) FROM (SELECT t - lag(t) OVER (ORDER BY t) AS d FROM samples s JOIN bms b ON b.id = s.bms_id WHERE b.name = 'b1')")
ok $([ "$n" -ge 10 ] && [ "$gap" -le 3000 ]; echo $?) \
	"the samples kept while the disk was full were written: $n samples, largest gap ${gap} ms"
grep -q 'dropped' "$TMP/daemon.err"
ok $([ $? -ne 0 ]; echo $?) "nothing was dropped"
umount "$SMALL"
finish
