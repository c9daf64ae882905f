#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The fake BlueZ alone, before any jkbmsd: a small client (fake-probe)
# checks discovery, connection, both GATT layouts, the JK handshake with
# frames decoded by the codec, pairing through an Agent1, and each fault
# of the control interface. The bus and the fake are private to the test.
. "$top_srcdir/tests/integration/ble-lib.sh"
ble_require

start_bus || { echo "1..0 # SKIP dbus-daemon would not start"; exit 0; }
start_fake \
	--bms "address=C8:47:8C:00:00:0A variant=jk02_32s cells=16 layout=split mtu=20" \
	--bms "address=20:21:11:00:00:0B variant=jk02_24s cells=8 layout=single mtu=128 pair=required pin=654321" \
	--bms "address=20:21:11:00:00:0C adapter=hci1 pin=111111 mtu=244" ||
	{ echo "1..1"; echo "not ok 1 - fake-bluez starts"; diag "$TMP/fake.log"; exit 1; }

timeout 120 "$top_builddir/tests/peers/fake-probe"
rc=$?
stop_fake
# Under ASan/UBSan the fake's own reports land in its log.
if grep -q 'Sanitizer\|runtime error' "$TMP/fake.log"; then
	echo "Bail out! fake-bluez: sanitizer report"
	rc=1
fi
[ $rc -eq 0 ] || diag "$TMP/fake.log"
exit $rc
