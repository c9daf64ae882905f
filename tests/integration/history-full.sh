#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A full disk, twice: a size-limited file (the daemon's own RLIMIT_FSIZE,
# as LimitFSIZE= would set it; any user) and a tiny tmpfs (mounted in a
# private mount namespace, so nothing outside sees it; root only). jkbmsd
# must keep running and answering, say in the log that it cannot write,
# keep the samples in memory, and write them all once there is room
# again: no hole in the samples, nothing dropped, integrity_check ok.
if [ "${HISTORY_FULL_NS-}" != 1 ] && [ "$(id -u)" = 0 ] &&
	unshare -m true 2>/dev/null; then
	HISTORY_FULL_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
. "$top_srcdir/tests/integration/lib.sh"

plan 16

nfail() { grep -c 'history: cannot write' "$TMP/daemon.err"; }
nagain() { grep -c 'is writable again' "$TMP/daemon.err"; }
full() { [ "$(nfail)" -ge 1 ]; }
b1_rows() {
	sql "$DB" "SELECT count(*) FROM samples s JOIN bms b ON b.id = s.bms_id WHERE b.name = 'b1'"
}
# Every failure has been followed by its recovery, and b1 has samples
# written after the room came back.
caught_up() {
	[ "$(nfail)" = "$(nagain)" ] && [ "$(b1_rows)" -ge $((ROWS_AT_ROOM + 8)) ]
}

# fill_and_recover WHAT: the daemon on $DB; make_full/make_room are the
# round's own ways to take the room away and give it back.
fill_and_recover() {
	local what=$1 n gap

	{
		printf '[daemon]\ncontrol_socket = %s\n[mqtt]\nenabled = no\n' "$SOCK"
		printf '[history]\npath = %s\nsample_interval = 1s\nflush_interval = 1s\n' "$DB"
		for i in 1 2 3 4; do
			printf '[bms b%s]\ntransport = sim\ncells = 16\nseed = %s\ntime_scale = 60\n' "$i" "$i"
		done
	} >"$TMP/f.conf"

	start_daemon -c "$TMP/f.conf"
	make_full
	wait_for 90 full
	ok $? "$what: the log says the history cannot be written"
	grep 'history: cannot write' "$TMP/daemon.err" | head -1 | diag

	sleep 3
	ctl status b1 >"$TMP/status.out" 2>&1 && grep -q 'online' "$TMP/status.out"
	ok $? "$what: jkbmsd keeps running and answering, b1 online"

	ROWS_AT_ROOM=$(b1_rows)
	make_room
	wait_for 30 caught_up
	ok $? "$what: with room again every failure is followed by 'writable again'"
	grep 'is writable again' "$TMP/daemon.err" | tail -1 | diag

	stop_daemon 10
	ok $? "$what: jkbmsd stops cleanly"
	[ "$(sql "$DB" 'PRAGMA integrity_check')" = ok ]
	ok $? "$what: integrity_check: ok"
	n=$(b1_rows)
	gap=$(sql "$DB" "SELECT max(d) FROM (SELECT t - lag(t) OVER (ORDER BY t) AS d FROM samples s JOIN bms b ON b.id = s.bms_id WHERE b.name = 'b1')")
	[ "$n" -ge 10 ] && [ "$gap" -le 3000 ]
	ok $? "$what: the samples kept while full were written: $n samples, largest gap ${gap} ms"
	! grep -q 'dropped' "$TMP/daemon.err"
	ok $? "$what: nothing was dropped"
	[ "$(nfail)" -ge 1 ] && [ "$(nfail)" = "$(nagain)" ]
	ok $? "$what: $(nfail) failures, $(nagain) recoveries"
	mv "$TMP/daemon.err" "$TMP/daemon-$what.err"
}

# Round 1: the file size limit of the daemon alone, set once a few
# samples are in, below the first WAL frame's end so that no write fits
# until it is lifted (its stderr file stays far below it).
DB=$TMP/limited.db
has_rows() { [ "$(b1_rows)" -ge 3 ]; }
make_full() {
	wait_for 20 has_rows
	prlimit --pid "$DAEMON_PID" --fsize=16384:
}
make_room() { prlimit --pid "$DAEMON_PID" --fsize=unlimited:; }
fill_and_recover fsize

# Round 2: a file system that is full for everyone.
if [ "${HISTORY_FULL_NS-}" != 1 ]; then
	for t in "the log says" "keeps running" "writable again" "stops" \
		"integrity" "samples written" "nothing dropped" "counts"; do
		skip "tmpfs: $t" "needs root to mount a tmpfs in a private mount namespace"
	done
	finish
fi
SMALL=$TMP/small
mkdir "$SMALL" && mount -t tmpfs -o size=160k,mode=0700 jkbms-full "$SMALL" || {
	echo "Bail out! cannot mount a tmpfs"
	exit 1
}
trap 'umount "$SMALL" 2>/dev/null; cleanup' EXIT
DB=$SMALL/history.db
make_full() { :; }
make_room() { mount -o remount,size=16m "$SMALL"; }
fill_and_recover tmpfs
umount "$SMALL"
finish
