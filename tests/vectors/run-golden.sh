#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Golden decode (gpsd's .chk habit): every tests/vectors/*.hex goes through
# "jkbmsctl decode" and the output must equal the .json beside it, byte for
# byte. One TAP case per vector. A vector may pin decode options with a
# header line "# decode-args: --variant jk02_32s" (auto-detection is the
# default and what most vectors test).
#
# UPDATE_GOLDEN=1 rewrites the .json files instead (make update-golden);
# check every changed value against vectors/README.md before committing.
set -u

: "${top_srcdir:?}" "${top_builddir:?}"
dir="$top_srcdir/tests/vectors"
ctl="$top_builddir/jkbmsctl"
update=${UPDATE_GOLDEN:-0}

vectors=$(cd "$dir" && ls *.hex 2>/dev/null | sort)
n=$(echo $vectors | wc -w)
echo "1..$n"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/golden.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

i=0
for hex in $vectors; do
	i=$((i + 1))
	id=${hex%.hex}
	args=$(sed -n 's/^# decode-args: *//p' "$dir/$hex" | head -1)
	# shellcheck disable=SC2086
	if ! "$ctl" decode $args <"$dir/$hex" >"$tmp/out" 2>"$tmp/err"; then
		echo "not ok $i - $id: jkbmsctl decode failed"
		sed 's/^/# /' "$tmp/err"
		continue
	fi
	if [ "$update" = 1 ]; then
		cp "$tmp/out" "$dir/$id.json"
		echo "ok $i - $id # updated $(wc -l <"$tmp/out") frame(s)"
	elif [ ! -f "$dir/$id.json" ]; then
		echo "not ok $i - $id: no $id.json (make update-golden)"
	elif diff -u "$dir/$id.json" "$tmp/out" >"$tmp/diff"; then
		echo "ok $i - $id"
	else
		echo "not ok $i - $id: decode differs from $id.json"
		sed 's/^/# /' "$tmp/diff"
	fi
done
exit 0
