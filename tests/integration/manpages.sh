#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages against the code: every jkbmsctl command (from its help,
# i.e. its command table) has an entry in jkbmsctl(1), every option of
# jkbmsd --help and jkbmsctl --help is in the page, every control
# protocol command (control-commands.c) is in jkbmsd(8), and the pages
# format without warnings.
. "$top_srcdir/tests/integration/lib.sh"

MAN1="$top_srcdir/man/jkbmsctl.1"
MAN8="$top_srcdir/man/jkbmsd.8"
plan 6

# The headings of jkbmsctl(1)'s entries (the line after each .TP), as
# plain words: "factory-reset BMS, restart BMS".
sed -n '/^\.TP/{n;p}' "$MAN1" |
	sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/^\.[A-Z]* //' \
		-e 's/[,|"]/ /g' >"$TMP/headings"
missing=
for c in $("$JKBMSCTL" help | sed -n '/^Commands:/,$ s/^  \([a-z-]*\) .*/\1/p'); do
	grep -Eq "(^| )$c( |$)" "$TMP/headings" || missing="$missing $c"
done
[ -z "$missing" ]
ok $? "jkbmsctl(1) has an entry for every command${missing:+ (missing:$missing)}"

missing=
for o in $("$JKBMSCTL" --help | grep -o -- '--[a-z-]*' | sort -u); do
	grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$MAN1" || missing="$missing $o"
done
[ -z "$missing" ]
ok $? "jkbmsctl(1) names every option of jkbmsctl --help${missing:+ (missing:$missing)}"

missing=
for o in $("$JKBMSD" --help | grep -o -- '--[a-z-]*' | sort -u); do
	grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$MAN8" || missing="$missing $o"
done
[ -z "$missing" ]
ok $? "jkbmsd(8) names every option of jkbmsd --help${missing:+ (missing:$missing)}"

missing=
for c in $(sed -n 's/^[	 ]*{ "\([a-z_-]*\)",.*/\1/p' "$top_srcdir/src/daemon/control-commands.c"); do
	grep -q "{\"cmd\":\"$c\"" "$MAN8" || missing="$missing $c"
done
[ -z "$missing" ]
ok $? "jkbmsd(8) shows every control command${missing:+ (missing:$missing)}"

if command -v man >/dev/null && man --help 2>&1 | grep -q -- '--warnings'; then
	for m in "$MAN1" "$MAN8"; do
		out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)
		[ -z "$out" ]
		ok $? "$(basename "$m") formats without warnings${out:+: $out}"
	done
else
	skip "jkbmsctl.1 formats without warnings" "no man"
	skip "jkbmsd.8 formats without warnings" "no man"
fi
finish
