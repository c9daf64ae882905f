#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# "jkbmsctl decode" as a command: hex arguments and stdin agree, any split
# of the notifications decodes the same, a frame with a bad checksum is
# skipped and counted, and bad input exits 2 with a message. TAP.
set -u

: "${top_srcdir:?}" "${top_builddir:?}"
dir="$top_srcdir/tests/vectors"
ctl="$top_builddir/jkbmsctl"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/decode-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

i=0
ok() {
	i=$((i + 1))
	if [ "$1" = 0 ]; then
		echo "ok $i - $2"
	else
		echo "not ok $i - $2"
	fi
}

# The hex lines of a vector, without the header.
frames() {
	grep -v '^#' "$dir/$1.hex"
}

echo "1..10"

frames BLE-24S-04 >"$tmp/in"
# shellcheck disable=SC2046
"$ctl" decode $(cat "$tmp/in") >"$tmp/args.out" 2>"$tmp/err"
cmp -s "$tmp/args.out" "$dir/BLE-24S-04.json"
ok $? "hex arguments decode like stdin"

# 20-byte notifications (MTU 23), then 1-byte ones: the same frames
tr -d '\n' <"$tmp/in" | fold -w 40 >"$tmp/split20"
"$ctl" decode <"$tmp/split20" >"$tmp/split20.out" 2>"$tmp/err"
cmp -s "$tmp/split20.out" "$dir/BLE-24S-04.json"
ok $? "20-byte notifications"
tr -d '\n' <"$tmp/in" | fold -w 2 >"$tmp/split1"
"$ctl" decode <"$tmp/split1" >"$tmp/split1.out" 2>"$tmp/err"
cmp -s "$tmp/split1.out" "$dir/BLE-24S-04.json"
ok $? "1-byte notifications"

# blank lines, CRLF, lower case and separators are accepted
{
	echo
	echo "  # a comment"
	frames BLE-24S-04 | tr 'A-F' 'a-f' | sed 's/^\(..\)\(..\)/\1 \2:/;s/$/\r/'
	echo
} >"$tmp/loose"
"$ctl" decode <"$tmp/loose" >"$tmp/loose.out" 2>"$tmp/err"
cmp -s "$tmp/loose.out" "$dir/BLE-24S-04.json"
ok $? "comments, blank lines, CRLF, lower case, separators"

# the settings frame (second line) with its checksum broken: skipped
awk 'NR == 2 { $0 = substr($0, 1, 597) (substr($0, 598, 1) == "0" ? "1" : "0") substr($0, 599) } { print }' \
	"$tmp/in" >"$tmp/bad"
"$ctl" decode --stats <"$tmp/bad" >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
sed -n '1p;3p' "$dir/BLE-24S-04.json" >"$tmp/bad.want"
[ $rc = 0 ] && cmp -s "$tmp/bad.out" "$tmp/bad.want" &&
	grep -q '^frames bad (checksum or type): 1$' "$tmp/bad.err" &&
	grep -q '^frames decoded: 2$' "$tmp/bad.err"
ok $? "a bad checksum is skipped and counted"

# a forced variant
"$ctl" decode --variant=jk02_32s <"$dir/BLE-32S-09.hex" >"$tmp/v.out" 2>&1
cmp -s "$tmp/v.out" "$dir/BLE-32S-09.json"
ok $? "--variant=jk02_32s"

echo "55AAEB90GG" | "$ctl" decode >"$tmp/o" 2>"$tmp/e"
[ $? = 2 ] && [ ! -s "$tmp/o" ] && grep -q 'line 1: not a hex digit' "$tmp/e"
ok $? "bad hex: exit 2 and a message"

"$ctl" decode 55AAE >"$tmp/o" 2>"$tmp/e"
[ $? = 2 ] && grep -q 'argument 1: odd number of hex digits' "$tmp/e"
ok $? "odd length: exit 2 and a message"

"$ctl" decode --variant nonsense </dev/null >"$tmp/o" 2>"$tmp/e"
[ $? = 2 ] && grep -q "unknown variant 'nonsense'" "$tmp/e"
ok $? "unknown variant: exit 2"

"$ctl" decode --frobnicate </dev/null >"$tmp/o" 2>"$tmp/e"
[ $? = 2 ] && grep -q 'unknown option --frobnicate' "$tmp/e"
ok $? "unknown option: exit 2"
exit 0
