#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# jkbmsd's configuration handling: every error listed with file:line and
# exit 78, --check-config, --print-config, and bad options.
. "$top_srcdir/tests/integration/lib.sh"

plan 9

cat >"$TMP/bad.conf" <<EOC
[daemon]
bogus_key = 1

[bms a]
transport = warp

[bms b]
transport = sim
cells = 99

[bank x]
members = a, ghost
EOC

timeout 10 "$JKBMSD" -c "$TMP/bad.conf" --socket "$SOCK" \
	>"$TMP/bad.out" 2>"$TMP/bad.err"
ok $(($? != 78)) "a bad config: exit 78"

grep -q "^$TMP/bad.conf:2: .*bogus_key" "$TMP/bad.err" &&
	grep -q "^$TMP/bad.conf:5: .*warp" "$TMP/bad.err" &&
	grep -q "^$TMP/bad.conf:9: .*cells" "$TMP/bad.err" &&
	grep -q "^$TMP/bad.conf:12: .*ghost" "$TMP/bad.err" &&
	grep -q "4 errors" "$TMP/bad.err"
rc=$?
ok $rc "every error is listed with file:line"
[ $rc -eq 0 ] || diag "$TMP/bad.err"

[ ! -e "$SOCK" ]
ok $? "nothing is started on a bad config"

timeout 10 "$JKBMSD" --check-config -c "$TMP/bad.conf" >/dev/null 2>&1
ok $(($? != 78)) "--check-config on a bad config: exit 78"

if [ -f "$top_srcdir/conf/jkbmsd.conf" ]; then
	timeout 10 "$JKBMSD" --check-config -c "$top_srcdir/conf/jkbmsd.conf" \
		>"$TMP/check.out" 2>&1
	rc=$?
	ok $rc "--check-config conf/jkbmsd.conf: exit 0"
	[ $rc -eq 0 ] || diag "$TMP/check.out"
else
	skip "--check-config conf/jkbmsd.conf: exit 0" "no conf/jkbmsd.conf yet"
fi

timeout 10 "$JKBMSD" --demo --check-config >"$TMP/demo-check.out" 2>&1 &&
	grep -q 'configuration OK (3 BMS, 2 banks)' "$TMP/demo-check.out"
ok $? "--demo --check-config: exit 0"

timeout 10 "$JKBMSD" --demo --print-config >"$TMP/demo.conf" 2>&1 &&
	grep -q '^\[bms house-1\]' "$TMP/demo.conf" &&
	timeout 10 "$JKBMSD" --check-config -c "$TMP/demo.conf" >/dev/null 2>&1
ok $? "--print-config prints a config that checks"

timeout 10 "$JKBMSD" --demo -d nosuchcat >/dev/null 2>"$TMP/opt.err"
[ $? -eq 1 ] && grep -q 'unknown debug category' "$TMP/opt.err"
ok $? "an unknown debug category is refused"

timeout 10 "$JKBMSD" --demo --duration 5x >/dev/null 2>"$TMP/opt.err"
[ $? -eq 1 ] && grep -q 'bad duration' "$TMP/opt.err"
ok $? "a bad --duration is refused"

finish
