#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The settings write path through the simulator: wall time from starting
# "jkbmsctl set" to its answer (guard, validation, send, the pause before
# the re-read, the settings frame, the compare, the audit), for N switch
# writes on a JK02_32S BMS, and for one preset written as the appendix
# values on a JK02_24S BMS. Figures, never pass/fail.
#   bench-write.sh [N]
set -u
: "${top_builddir:?}"
n=${1:-20}
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-write.XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
sock=$dir/ctl
ctl() { timeout 20 "$top_builddir/jkbmsctl" --socket "$sock" "$@"; }
ms() { echo $(($(date +%s%N) / 1000000)); }

printf '123456\n' >"$dir/pw"
chmod 600 "$dir/pw"
cat >"$dir/b.conf" <<EOF
[history]
enabled = no
[bms s32]
transport = sim
variant = jk02_32s
profile = idle
[bms s24]
transport = sim
variant = jk02_24s
profile = idle
seed = 2
EOF
"$top_builddir/jkbmsd" --log=stderr --socket "$sock" -c "$dir/b.conf" \
	>"$dir/out" 2>"$dir/err" &
pid=$!
i=0
while [ $i -lt 150 ]; do
	ctl status s24 2>/dev/null | grep -q 'online' &&
		ctl status s32 2>/dev/null | grep -q 'online' && break
	sleep 0.1
	i=$((i + 1))
done
ctl auth s32 --password-file "$dir/pw" >/dev/null &&
	ctl auth s24 --password-file "$dir/pw" >/dev/null || exit 1

total=0 min=999999 max=0 k=0 state=off
while [ $k -lt "$n" ]; do
	t0=$(ms)
	ctl switch s32 balance $state --window >/dev/null || echo "write $k failed"
	dt=$(($(ms) - t0))
	total=$((total + dt))
	[ $dt -lt $min ] && min=$dt
	[ $dt -gt $max ] && max=$dt
	[ $state = off ] && state=on || state=off
	k=$((k + 1))
done
echo "bench-write: $n switch writes read back (jk02_32s): mean $((total / n)) ms, min $min ms, max $max ms"

t0=$(ms)
ctl preset s24 li-ion --window --yes >/dev/null || echo "preset failed"
echo "bench-write: a preset as 21 appendix values (jk02_24s): $(($(ms) - t0)) ms"
t0=$(ms)
ctl set s32 cell_ovp 9 --window >/dev/null 2>&1
echo "bench-write: a refused write (validation, nothing sent): $(($(ms) - t0)) ms"
