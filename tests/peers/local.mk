# tests/peers: programs that play the other end of a link for the
# integration tests. fake-bluez plays bluetoothd on a private dbus-daemon
# (tests/peers/dbus-test.conf) with simulated BMSs behind it.
check_PROGRAMS += tests/peers/fake-bluez
tests_peers_fake_bluez_SOURCES = \
	tests/peers/fake-bluez.h \
	tests/peers/fake-bluez.c \
	tests/peers/fake-loop.c \
	tests/peers/fake-objects.c \
	tests/peers/fake-props.c \
	tests/peers/fake-methods.c \
	tests/peers/fake-adapter.c \
	tests/peers/fake-spec.c \
	tests/peers/fake-control.c
tests_peers_fake_bluez_CFLAGS = $(AM_CFLAGS) $(DBUS_CFLAGS)
tests_peers_fake_bluez_LDADD = libjksim.a libjkmodel.a libjkcodec.a \
	libjktables.a $(DBUS_LIBS) -lm

# The fake alone, checked by a small BlueZ client of its own.
check_PROGRAMS += tests/peers/fake-probe
tests_peers_fake_probe_SOURCES = tests/peers/fake-probe.c \
	tests/peers/fake-probe.h tests/peers/fake-probe-cases.c
tests_peers_fake_probe_CFLAGS = $(AM_CFLAGS) $(DBUS_CFLAGS)
tests_peers_fake_probe_LDADD = libjkcodec.a libjktables.a $(DBUS_LIBS) -lm

# A system bus that never answers (ble-bus.sh).
check_PROGRAMS += tests/peers/mute-bus
tests_peers_mute_bus_SOURCES = tests/peers/mute-bus.c

# jkbmsd's BLE transport end to end against the fake.
BLE_TESTS = \
	tests/integration/ble-fake.sh \
	tests/integration/ble-stream.sh \
	tests/integration/ble-write.sh \
	tests/integration/ble-connect.sh \
	tests/integration/ble-link.sh \
	tests/integration/ble-restart.sh \
	tests/integration/ble-pair.sh \
	tests/integration/ble-power.sh \
	tests/integration/ble-ctl.sh
TESTS += $(BLE_TESTS)
EXTRA_DIST += $(BLE_TESTS) \
	tests/peers/dbus-test.conf \
	tests/peers/BLUEZ-CONTRACT.md \
	tests/integration/ble-lib.sh
