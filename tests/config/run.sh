#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Config golden tests (STYLE 3.7; bgpd's config regress): every
# tests/config/NAME.conf gives exactly NAME.ok (conf_print output) or
# NAME.err (the errors and their count). Then: each .ok case survives
# print -> parse -> print, the shipped example and the demo parse, the
# man page holds the key table's text, and the example names every key.
#
# Password files must be private, and git keeps no modes: the cases read
# private copies of tests/config/*.secret from a temporary directory that
# they call @DIR@ (*-open.secret files get mode 0644 on purpose).
#
#   run.sh            TAP output, for make check
#   run.sh --update   rewrites the golden files and the man page's keys
set -u

: "${top_srcdir:?}" "${top_builddir:?}"
src=$top_srcdir/tests/config
check=$top_builddir/tests/config/conf-check
man=$top_srcdir/man/jkbmsd.conf.5
example=$top_srcdir/conf/jkbmsd.conf
localmk=$top_srcdir/src/conf/local.mk
update=no
[ "${1-}" = --update ] && update=yes

LC_ALL=C
export LC_ALL
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jkbms-conf.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

for f in "$src"/*.secret; do
	cp "$f" "$tmp/" || exit 99
	case $f in
	*-open.secret) chmod 0644 "$tmp/${f##*/}" ;;
	*) chmod 0600 "$tmp/${f##*/}" ;;
	esac
done
localstatedir=$("$check" --localstatedir) || exit 99

# Makes the temporary directory and the configured localstatedir neutral.
neutral() {
	sed -e "s|$tmp|@DIR@|g" -e "s|$localstatedir/|@LOCALSTATEDIR@/|g"
}

# Runs one case in $tmp as "NAME.conf", its output in $tmp/NAME.out.
run_case() {
	sed "s|@DIR@|$tmp|g" "$src/$1.conf" >"$tmp/$1.conf"
	(cd "$tmp" && "$check" "$1.conf") >"$tmp/$1.raw" 2>&1
	rc=$?
	neutral <"$tmp/$1.raw" >"$tmp/$1.out"
	return $rc
}

man_block() {
	sed -n '/^\.\\" BEGIN KEYS/,/^\.\\" END KEYS/p' "$man" | sed '1d;$d'
}

cases=$(cd "$src" && ls *.conf | sed 's/\.conf$//')

if [ $update = yes ]; then
	for c in $cases; do
		if run_case "$c"; then
			cp "$tmp/$c.out" "$src/$c.ok"
			rm -f "$src/$c.err"
		else
			cp "$tmp/$c.out" "$src/$c.err"
			rm -f "$src/$c.ok"
		fi
	done
	"$check" --man >"$tmp/man-keys" || exit 1
	awk -v keys="$tmp/man-keys" '
		/^\.\\" END KEYS/ { skip = 0 }
		!skip { print }
		/^\.\\" BEGIN KEYS/ {
			while ((getline line < keys) > 0)
				print line
			skip = 1
		}' "$man" >"$tmp/man" && cp "$tmp/man" "$man"
	echo "updated: $(echo $cases | wc -w) cases, $man"
	exit 0
fi

n_cases=$(echo $cases | wc -w)
n_ok=$(cd "$src" && ls *.ok 2>/dev/null | wc -l)
echo "1..$((n_cases + 2 * n_ok + 8))"
n=0
failed=0
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
	fi
}

for c in $cases; do
	run_case "$c"
	rc=$?
	if [ -f "$src/$c.ok" ]; then
		want=$src/$c.ok
		[ $rc = 0 ]
		good=$?
	elif [ -f "$src/$c.err" ]; then
		want=$src/$c.err
		[ $rc = 78 ]
		good=$?
	else
		result 1 "$c: no $c.ok or $c.err (make update-golden-config)"
		continue
	fi
	if [ $good = 0 ] && cmp -s "$want" "$tmp/$c.out"; then
		result 0 "$c (exit $rc)"
	else
		diff -u "$want" "$tmp/$c.out" | sed 's/^/# /'
		result 1 "$c (exit $rc)"
	fi
done

# print -> parse -> print: with secrets shown the text is a fixed point;
# without, reading the printed text back gives the same golden output.
for ok in $(cd "$src" && ls *.ok 2>/dev/null); do
	c=${ok%.ok}
	sed "s|@DIR@|$tmp|g" "$src/$c.conf" >"$tmp/$c.conf"
	(cd "$tmp" && "$check" --secrets "$c.conf") >"$tmp/$c.p1" 2>&1
	cp "$tmp/$c.p1" "$tmp/$c-again.conf"
	(cd "$tmp" && "$check" --secrets "$c-again.conf") >"$tmp/$c.p2" 2>&1
	cmp -s "$tmp/$c.p1" "$tmp/$c.p2"
	r=$?
	[ $r = 0 ] || diff -u "$tmp/$c.p1" "$tmp/$c.p2" | sed 's/^/# /'
	result $r "$c: print --secrets, parse, print again: same text"
	(cd "$tmp" && "$check" "$c-again.conf") 2>&1 | neutral >"$tmp/$c.p3"
	cmp -s "$src/$c.ok" "$tmp/$c.p3"
	r=$?
	[ $r = 0 ] || diff -u "$src/$c.ok" "$tmp/$c.p3" | sed 's/^/# /'
	result $r "$c: the reparsed config prints as $c.ok"
done

"$check" "$example" >"$tmp/example.out" 2>&1
r=$?
[ $r = 0 ] || sed 's/^/# /' "$tmp/example.out"
result $r "conf/jkbmsd.conf parses"

"$check" --demo-text >"$tmp/demo.conf"
"$check" --secrets "$tmp/demo.conf" >"$tmp/demo.p1" 2>&1
r=$?
[ $r = 0 ] || sed 's/^/# /' "$tmp/demo.p1"
result $r "the demo configuration parses"
"$check" --secrets "$tmp/demo.p1" >"$tmp/demo.p2" 2>&1
cmp -s "$tmp/demo.p1" "$tmp/demo.p2"
result $? "the demo configuration prints, parses and prints the same"
grep -q '^control_socket' "$tmp/demo.conf"
[ $? = 1 ]
result $? "the demo leaves control_socket to the daemon"

"$check" --man >"$tmp/man-keys"
man_block >"$tmp/man-block"
cmp -s "$tmp/man-keys" "$tmp/man-block"
r=$?
[ $r = 0 ] || diff -u "$tmp/man-block" "$tmp/man-keys" | sed 's/^/# /'
result $r "man/jkbmsd.conf.5 holds the key table (make update-golden-config)"

# Every key of the table, in its section, in the man page and the example
# (commented out or not). Sections are found from [kind ...] lines, which
# may be commented out as well.
"$check" --keys >"$tmp/keys"
missing=
while read -r section key; do
	grep -q "^\\\\fB$key\\\\fR = " "$tmp/man-block" ||
		missing="$missing $section.$key"
done <"$tmp/keys"
[ -z "$missing" ] || echo "# not in the man page:$missing"
result "$([ -z "$missing" ]; echo $?)" "the man page documents every key"

awk '
	match($0, /^[#; ]*\[[a-z0-9]+/) {
		s = substr($0, RSTART, RLENGTH)
		sub(/^[#; ]*\[/, "", s)
		next
	}
	match($0, /^[#; ]*[a-z_]+ *=/) {
		k = substr($0, RSTART, RLENGTH)
		sub(/^[#; ]*/, "", k)
		sub(/ *=$/, "", k)
		print s, k
	}' "$example" | sort -u >"$tmp/example-keys"
missing=$(sort -u "$tmp/keys" | comm -23 - "$tmp/example-keys" | tr ' ' . |
	tr '\n' ' ')
[ -z "$missing" ] || echo "# not in conf/jkbmsd.conf: $missing"
result "$([ -z "$missing" ]; echo $?)" "conf/jkbmsd.conf shows every key"

# Every file of tests/config and of the fuzz corpus goes into the tarball.
missing=
for f in "$src"/* "$top_srcdir"/tests/fuzz/corpus/conf/*; do
	f=${f#"$top_srcdir"/}
	case $f in */conf-check | *.c | *.o | *.log | *.trs) continue ;; esac
	grep -qxF "	$f \\" "$localmk" || grep -qxF "	$f" "$localmk" ||
		missing="$missing $f"
done
[ -z "$missing" ] || echo "# not in EXTRA_DIST of src/conf/local.mk:$missing"
result "$([ -z "$missing" ]; echo $?)" "every config test file is distributed"

exit $failed
