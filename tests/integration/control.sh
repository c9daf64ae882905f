#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The control socket under many and hostile clients (control-clients.c),
# then a clean shutdown.
. "$top_srcdir/tests/integration/lib.sh"

start_daemon --demo --duration 120s
if ! wait_for 10 test -S "$SOCK"; then
	plan 1
	ok 1 "demo creates its control socket"
	finish
fi
wait_for 10 is_state house-1 online

# The helper prints cases 1..12; the 13th is ours.
plan 13
timeout 60 "$top_builddir/tests/integration/control-clients" "$SOCK"
[ $? -eq 0 ] || tap_failed=1
tap_n=12
stop_daemon 2
ok $? "after all that, SIGTERM: exit 0 within 2 s"
finish
