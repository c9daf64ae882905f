#!/bin/sh
# Replays every fuzz target's corpus (tests/fuzz/corpus/NAME) through the
# target: under fuzz-main.c, or libFuzzer when built with --enable-fuzzing
# (which treats file arguments as inputs to run once). One TAP case each.
set -u
targets=${FUZZ_TARGETS:-}
n=$(echo $targets | wc -w)
echo "1..$n"
i=0
for t in $targets; do
	i=$((i + 1))
	name=$(basename "$t" | sed 's/^fuzz-//')
	corpus="$top_srcdir/tests/fuzz/corpus/$name"
	files=""
	[ -d "$corpus" ] && files=$(find "$corpus" -type f | sort)
	if out=$("$top_builddir/$t" $files 2>&1); then
		echo "ok $i - $name ($(echo $files | wc -w) inputs)"
	else
		echo "not ok $i - $name"
		echo "$out" | tail -20 | sed 's/^/# /'
	fi
done
