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
ID_SETTINGS_AUDIT=c7d2e4f6a8b0c1d3e5f7a9b2c4d6e8f0
ID_AUTH_FAILED=e1f3a5b7c9d2e4f6a8b0c2d4e6f8a1b3

# The simulator's settings password, and a wrong one.
printf '123456\n' >"$TMP/pw.secret"
printf 'wr0ngPw9\n' >"$TMP/bad.secret"
chmod 600 "$TMP/pw.secret" "$TMP/bad.secret"

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

plan 13

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
		"reload entry" "auth failure entry" "audit entry, applied" \
		"audit entry, denied" "no password" "plain fields" "every entry is jkbmsd's"; do
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
# A write with the wrong settings password, then one with the right one.
set_switch() {
	timeout 20 setsid -w "$JKBMSCTL" --socket "$SOCK" set ab \
		discharge_switch off --password-file "\$1" </dev/null
}
set_switch "$TMP/bad.secret" >"$TMP/set-bad.out" 2>&1
set_switch "$TMP/pw.secret" >"$TMP/set-good.out" 2>&1
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

entry_with MESSAGE_ID=$ID_AUTH_FAILED JKBMS_BMS=ab JKBMS_BANK=house PRIORITY=4
ok $? "journal: a wrong settings password with its MESSAGE_ID, warning"

entry_with MESSAGE_ID=$ID_SETTINGS_AUDIT JKBMS_BMS=ab \
	JKBMS_SETTING=discharge_switch JKBMS_OLD_VALUE=on JKBMS_NEW_VALUE=off \
	JKBMS_OUTCOME=applied 'JKBMS_SOURCE=.+' 'JKBMS_ORIGIN=.+'
rc=$?
ok $rc "journal: the write's audit entry, applied, old and new value"
[ $rc -eq 0 ] || diag "$TMP/set-good.out"

entry_with MESSAGE_ID=$ID_SETTINGS_AUDIT JKBMS_BMS=ab \
	JKBMS_SETTING=discharge_switch JKBMS_OUTCOME=denied
rc=$?
ok $rc "journal: the refused write's audit entry, denied"
[ $rc -eq 0 ] || diag "$TMP/set-bad.out"

! grep -q -e 123456 -e wr0ngPw9 "$TMP/journal.txt"
ok $? "journal: no password in any entry"

grep -q '^MESSAGE=jkbmsd 0\.[0-9.]* started with ' "$TMP/journal.txt" &&
	grep -q '^CODE_FILE=' "$TMP/journal.txt"
ok $? "journal: plain messages with MESSAGE and CODE_FILE"

! grep -q '^jkbmsd: ' "$TMP/daemon2.err"
rc=$?
ok $rc "journal: nothing on stderr when logging to the journal"
[ $rc -eq 0 ] || diag "$TMP/daemon2.err"
finish
