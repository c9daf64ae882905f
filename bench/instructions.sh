#!/bin/sh
# Instructions per decoded frame, counted by callgrind: the difference
# between N and 0 iterations, divided by N, for each frame kind.
set -eu
bin=${1:-./bench/bench-decode}
n=${2:-1000}
ir() {
	out=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" \
		--kind "$1" --iterations "$2" 2>"$out" >/dev/null
	sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$out"
	rm -f "$out"
}
printf '%-16s %14s\n' frame instructions
for k in cell_info_24s cell_info_32s cell_info_jk04 device_info settings_32s; do
	base=$(ir "$k" 0)
	full=$(ir "$k" "$n")
	printf '%-16s %14d\n' "$k" $(( (full - base) / n ))
done
base=$(ir reassembly 0)
full=$(ir reassembly "$n")
printf '%-16s %14d per byte\n' reassembly $(( (full - base) / (n * 300) ))
