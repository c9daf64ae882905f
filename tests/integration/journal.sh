#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What jkbmsd logs about BMS events, in both forms: plain stderr lines
# (always tested), and journal entries with MESSAGE_ID and JKBMS_* fields.
# The journal form is checked through a stand-in for journald's socket
# (dgram-capture, in a private mount namespace: needs root and
# unshare), else skipped.
. "$top_srcdir/tests/integration/lib.sh"

ID_LINK_UP=fc52222410bd4339a78a8c8581e6b953
ID_LINK_DOWN=30a9de2678d84000b6a07d47a1bab903
ID_ALARM_RAISED=f573389a0a4f4bf3ba3803284c112fb3
ID_CONFIG_RELOAD=3e9a7c5b1d2f4e6a8c0b9d7e5f3a1c2b

# One simulated BMS that trips protections quickly, in a bank.
cat >"$TMP/jkbmsd.conf" <<CONF
[bms ab]
transport = sim
profile = abuse
time_scale = 600
seed = 3

[bank house]
members = ab

[history]
enabled = no
CONF

plan 9

# --- stderr ---
start_daemon -c "$TMP/jkbmsd.conf"
wait_for 10 grep -q '^jkbmsd: ab: handshake -> online: ' "$TMP/daemon.err"
ok $? "stderr: the link going up is one line naming the BMS"
wait_for 30 grep -q '^jkbmsd: ab: alarm raised: [a-z_0-9]*$' "$TMP/daemon.err"
rc=$?
ok $rc "stderr: an alarm raised is logged by name"
[ $rc -eq 0 ] || diag "$TMP/daemon.err"
stop_daemon 5
grep -q '^jkbmsd: ab: online -> disabled: ' "$TMP/daemon.err"
ok $? "stderr: stopping logs the link going down"

# --- journal ---
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null ||
	! unshare --mount true 2>/dev/null; then
	for d in "link up entry" "alarm entry" "link down entry" \
		"reload entry" "plain fields" "every entry is jkbmsd's"; do
		skip "journal: $d" "needs root and unshare for a private journal socket"
	done
	finish
fi

# In a private mount namespace: /run/systemd is a fresh tmpfs holding our
# stand-in socket, and jkbmsd logs there with --log=journal.
cat >"$TMP/ns.sh" <<NS
mount -t tmpfs jkbmsd-test /run/systemd || exit 1
mkdir -p /run/systemd/journal
"$top_builddir/tests/integration/dgram-capture" /run/systemd/journal/socket \
	"$TMP/journal.txt" 40 &
cap=\$!
i=0
while [ ! -S /run/systemd/journal/socket ] && [ \$i -lt 50 ]; do
	sleep 0.1; i=\$((i + 1))
done
"$JKBMSD" --log=journal -c "$TMP/jkbmsd.conf" --socket "$SOCK" \
	>"$TMP/daemon2.out" 2>"$TMP/daemon2.err" &
d=\$!
i=0
while ! grep -q 'MESSAGE=alarm raised' "$TMP/journal.txt" 2>/dev/null &&
	[ \$i -lt 300 ]; do
	sleep 0.1; i=\$((i + 1))
done
kill -HUP \$d
sleep 1
kill -TERM \$d
wait \$d
kill -TERM \$cap
wait \$cap
NS
timeout 60 unshare --mount --propagation private sh "$TMP/ns.sh"

# entry_with FIELD=REGEX...: one datagram has a line matching each.
entry_with() {
	awk -v want="$(printf '%s\t' "$@")" '
		BEGIN { n = split(want, w, "\t") - 1 }
		/^--$/ { if (hit == n) found = 1; hit = 0; delete seen; next }
		{ for (i = 1; i <= n; i++) if (!seen[i] && $0 ~ ("^" w[i] "$")) { seen[i] = 1; hit++ } }
		END { exit found ? 0 : 1 }' "$TMP/journal.txt"
}

entry_with MESSAGE_ID=$ID_LINK_UP JKBMS_BMS=ab JKBMS_BANK=house \
	JKBMS_TRANSPORT=sim PRIORITY=5
ok $? "journal: link up with MESSAGE_ID, JKBMS_BMS, JKBMS_BANK, JKBMS_TRANSPORT"

entry_with MESSAGE_ID=$ID_ALARM_RAISED JKBMS_BMS=ab PRIORITY=4 \
	'JKBMS_ALARM=[a-z_0-9]+' 'MESSAGE=alarm raised: [a-z_0-9]+'
ok $? "journal: alarm raised with MESSAGE_ID, JKBMS_ALARM, warning"

entry_with MESSAGE_ID=$ID_LINK_DOWN JKBMS_BMS=ab
ok $? "journal: link down with its MESSAGE_ID"

entry_with MESSAGE_ID=$ID_CONFIG_RELOAD SYSLOG_IDENTIFIER=jkbmsd
ok $? "journal: SIGHUP reload with its MESSAGE_ID"

grep -q '^MESSAGE=jkbmsd 0\.[0-9.]* started with ' "$TMP/journal.txt" &&
	grep -q '^CODE_FILE=' "$TMP/journal.txt"
ok $? "journal: plain messages with MESSAGE and CODE_FILE"

! grep -q '^jkbmsd: ' "$TMP/daemon2.err"
rc=$?
ok $rc "journal: nothing on stderr when logging to the journal"
[ $rc -eq 0 ] || diag "$TMP/daemon2.err"
finish
