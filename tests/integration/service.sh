#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# jkbmsd as a systemd service: the unit passes systemd-analyze verify and
# scores 2.5 or better in systemd-analyze security; the sysusers.d and
# tmpfiles.d files do what they say in a scratch root; sd_notify READY=1,
# STATUS=, RELOADING=1, STOPPING=1 and watchdog pings reach a stand-in
# notify socket; make install into a DESTDIR puts every file in place
# and keeps an existing configuration.
. "$top_srcdir/tests/integration/lib.sh"

plan 16
UNIT_IN="$top_srcdir/systemd/jkbmsd.service.in"

# --- the unit ---
if command -v systemd-analyze >/dev/null; then
	# The unit as installed, but starting this build's daemon.
	sed -e "s|@sbindir@|$top_builddir|" -e "s|@sysconfdir@|/etc|" \
		"$UNIT_IN" >"$TMP/jkbmsd.service"
	(cd "$TMP" && systemd-analyze verify --man=no ./jkbmsd.service) \
		>"$TMP/verify.txt" 2>&1
	rc=$?
	[ $rc -eq 0 ] && [ ! -s "$TMP/verify.txt" ]
	ok $? "systemd-analyze verify: no complaint"
	[ $rc -eq 0 ] || diag "$TMP/verify.txt"

	(cd "$TMP" && systemd-analyze security --offline=yes ./jkbmsd.service) \
		>"$TMP/security.txt" 2>&1
	score=$(sed -n 's/.*Overall exposure level for jkbmsd.service: \([0-9.]*\).*/\1/p' \
		"$TMP/security.txt")
	echo "# systemd-analyze security: overall exposure $score"
	[ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }'
	ok $? "systemd-analyze security: exposure $score, 2.5 or better"
else
	skip "systemd-analyze verify" "no systemd-analyze"
	skip "systemd-analyze security" "no systemd-analyze"
fi

grep -q '^Type=notify$' "$UNIT_IN" && grep -q '^WatchdogSec=' "$UNIT_IN" &&
	grep -q '^Restart=on-failure$' "$UNIT_IN" &&
	grep -q '^CapabilityBoundingSet=CAP_NET_ADMIN$' "$UNIT_IN" &&
	grep -q '^RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_CAN$' "$UNIT_IN" &&
	grep -q '^RuntimeDirectory=jkbmsd$' "$UNIT_IN"
ok $? "the unit: notify, watchdog, restart, one capability, address families"

# --- sysusers.d and tmpfiles.d in a scratch root ---
ROOT="$TMP/root"
mkdir -p "$ROOT/etc"
if command -v systemd-sysusers >/dev/null; then
	systemd-sysusers --root="$ROOT" \
		"$top_srcdir/systemd/sysusers.d/jkbmsd.conf" >"$TMP/sysusers.txt" 2>&1
	grep -q '^jkbmsd:x:[0-9]*:[0-9]*:JK BMS gateway daemon:/var/lib/jkbmsd:' "$ROOT/etc/passwd" &&
		grep -q '^dialout:x:[0-9]*:jkbmsd$' "$ROOT/etc/group" &&
		grep -q '^bluetooth:x:[0-9]*:jkbmsd$' "$ROOT/etc/group"
	ok $? "sysusers.d: user jkbmsd, member of dialout and bluetooth"
	[ $? -eq 0 ] || diag "$TMP/sysusers.txt"
else
	skip "sysusers.d" "no systemd-sysusers"
fi
if command -v systemd-tmpfiles >/dev/null && [ -s "$ROOT/etc/passwd" ]; then
	systemd-tmpfiles --root="$ROOT" --create \
		"$top_srcdir/systemd/tmpfiles.d/jkbmsd.conf" >"$TMP/tmpfiles.txt" 2>&1
	[ "$(stat -c %a "$ROOT/var/lib/jkbmsd" 2>/dev/null)" = 750 ]
	ok $? "tmpfiles.d: /var/lib/jkbmsd 0750"
else
	skip "tmpfiles.d" "no systemd-tmpfiles or no scratch user"
fi

# --- sd_notify ---
NOTIFY="$TMP/notify"
"$top_builddir/tests/integration/dgram-capture" "$NOTIFY" "$TMP/notify.txt" 60 &
cap=$!
wait_for 5 test -S "$NOTIFY"
printf '[bms a]\ntransport = sim\n\n[bms b]\ntransport = sim\n\n[history]\nenabled = no\n' \
	>"$TMP/jkbmsd.conf"
# exec keeps the pid, so WATCHDOG_PID names the daemon.
NOTIFY_SOCKET="$NOTIFY" WATCHDOG_USEC=1000000 sh -c \
	'export WATCHDOG_PID=$$; exec "$0" "$@"' \
	"$JKBMSD" --log=stderr --socket "$SOCK" -c "$TMP/jkbmsd.conf" \
	>"$TMP/daemon.out" 2>"$TMP/daemon.err" &
DAEMON_PID=$!
wait_for 10 grep -q '^READY=1$' "$TMP/notify.txt"
ok $? "notify: READY=1"
wait_for 10 grep -q '^STATUS=2/2 BMS online$' "$TMP/notify.txt"
ok $? "notify: STATUS= follows the BMSs to '2/2 BMS online'"
grep -Eq '^STATUS=0/2 BMS online \(2 (connecting|handshake)\)$' "$TMP/notify.txt"
ok $? "notify: STATUS= says what the BMSs do before they are up"
wait_for 5 grep -q '^WATCHDOG=1$' "$TMP/notify.txt"
ok $? "notify: the watchdog is pinged (WATCHDOG_USEC=1s)"
kill -HUP "$DAEMON_PID"
wait_for 5 grep -q '^RELOADING=1$' "$TMP/notify.txt"
ok $? "notify: RELOADING=1 on SIGHUP, then READY=1 again"
stop_daemon 5
rc=$?
grep -q '^STOPPING=1$' "$TMP/notify.txt" && [ $rc -eq 0 ]
ok $? "notify: STOPPING=1 on SIGTERM, exit 0"
kill -TERM $cap 2>/dev/null
wait $cap

# --- make install ---
DEST="$TMP/dest"
if make -s -C "$top_builddir" install DESTDIR="$DEST" >"$TMP/install.txt" 2>&1; then
	files=$(cd "$DEST" && find . -type f | sort)
	echo "$files" | sed 's/^/# installed: /'
	echo "$files" | grep -q '/sbin/jkbmsd$' &&
		echo "$files" | grep -q '/bin/jkbmsctl$' &&
		echo "$files" | grep -q '/man/man8/jkbmsd\.8$' &&
		echo "$files" | grep -q '/man/man5/jkbmsd\.conf\.5$' &&
		echo "$files" | grep -q '/man/man1/jkbmsctl\.1$' &&
		echo "$files" | grep -q '/doc/jkbmsd/examples/jkbmsd\.conf$' &&
		echo "$files" | grep -q '/sysusers\.d/jkbmsd\.conf$' &&
		echo "$files" | grep -q '/tmpfiles\.d/jkbmsd\.conf$'
	ok $? "make install: daemon, client, man pages, example, sysusers, tmpfiles"
	unit=$(cd "$DEST" && find . -name jkbmsd.service)
	sbin=$(echo "$files" | sed -n 's|^\.\(.*\)/jkbmsd$|\1|p')
	[ -n "$unit" ] && grep -q "^ExecStart=$sbin/jkbmsd --config=" "$DEST/$unit" &&
		! grep -q '@[a-z]*@' "$DEST/$unit"
	ok $? "make install: the unit, ExecStart naming the installed daemon"
	conf=$(cd "$DEST" && find . -path '*/etc/jkbmsd/jkbmsd.conf')
	[ -n "$conf" ] && cmp -s "$top_srcdir/conf/jkbmsd.conf" "$DEST/$conf"
	ok $? "make install: the example as the configuration where none was"
	echo "# changed" >>"$DEST/$conf"
	make -s -C "$top_builddir" install DESTDIR="$DEST" >"$TMP/install2.txt" 2>&1 &&
		[ "$(tail -1 "$DEST/$conf")" = "# changed" ]
	ok $? "make install again: an existing configuration is kept"
	make -s -C "$top_builddir" uninstall DESTDIR="$DEST" >"$TMP/uninstall.txt" 2>&1 &&
		[ "$(cd "$DEST" && find . -type f)" = "$conf" ]
	ok $? "make uninstall: everything but the changed configuration goes"
else
	diag "$TMP/install.txt"
	for d in files unit configuration "configuration kept" uninstall; do
		ok 1 "make install: $d"
	done
fi
finish
