# src/transport: bytes and link state only. The BLE (BlueZ over libdbus),
# serial, Modbus worker and CAN transports arrive with their drivers.

# BLE through BlueZ over libdbus on sd-event (the jk-ble driver's link).
noinst_LIBRARIES += libjkble.a
libjkble_a_SOURCES = \
	src/transport/dbus-event.c src/transport/dbus-event.h \
	src/transport/bluez.c src/transport/bluez.h \
	src/transport/bluez-props.c src/transport/bluez-private.h \
	src/transport/ble.c src/transport/ble.h src/transport/ble-gatt.c \
	src/transport/ble-adapter.c src/transport/ble-private.h \
	src/transport/agent.c
libjkble_a_CFLAGS = $(AM_CFLAGS) $(DBUS_CFLAGS) $(LIBSYSTEMD_CFLAGS)

# dbus-event against a private dbus-daemon.
check_PROGRAMS += tests/unit/test-dbus-event
TESTS += tests/unit/test-dbus-event
tests_unit_test_dbus_event_SOURCES = tests/unit/test-dbus-event.c \
	src/transport/dbus-event.c
tests_unit_test_dbus_event_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(DBUS_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_dbus_event_LDADD = libjkutil.a $(DBUS_LIBS) \
	$(LIBSYSTEMD_LIBS) $(CMOCKA_LIBS)

# Property dictionaries into the mirror: types checked, bad input ignored.
check_PROGRAMS += tests/unit/test-bluez-props
TESTS += tests/unit/test-bluez-props
tests_unit_test_bluez_props_SOURCES = tests/unit/test-bluez-props.c \
	src/transport/bluez.c src/transport/bluez-props.c \
	src/transport/dbus-event.c
tests_unit_test_bluez_props_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(DBUS_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_bluez_props_LDADD = libjkutil.a $(DBUS_LIBS) \
	$(LIBSYSTEMD_LIBS) $(CMOCKA_LIBS)

# jkbmsd against the system bus coming and going (fake BlueZ on it).
TESTS += tests/integration/ble-bus.sh
EXTRA_DIST += tests/integration/ble-bus.sh
