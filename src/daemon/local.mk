# src/daemon: jkbmsd, built at the top of the build tree so tests find
# $top_builddir/jkbmsd.
sbin_PROGRAMS += jkbmsd
jkbmsd_SOURCES = \
	src/daemon/main.c \
	src/daemon/manager.c src/daemon/manager.h \
	src/daemon/control.c src/daemon/control.h \
	src/daemon/control-request.c src/daemon/control-request.h \
	src/daemon/control-call.h \
	src/daemon/control-commands.c src/daemon/control-commands.h \
	src/daemon/control-device.c \
	src/daemon/cmd-status.c src/daemon/cmd-ping.c \
	src/daemon/cmd-bms.c src/daemon/cmd-reload.c src/daemon/cmd-debug.c \
	src/daemon/cmd-write.c \
	src/daemon/status-json.c src/daemon/status-json.h \
	src/daemon/demo.c src/daemon/demo.h \
	src/ctl/status-print.c src/ctl/ctl.h
jkbmsd_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(JSONC_CFLAGS)
jkbmsd_LDADD = libjkdevice.a libjksim.a libjkconf.a libjkjson.a \
	libjkmodel.a libjkcodec.a libjktables.a libjkutil.a \
	$(INIH_LIBS) $(JSONC_LIBS) $(LIBSYSTEMD_LIBS) -lm
# BLE through BlueZ (src/transport): the jk-ble driver's link and the
# scan/release control commands.
jkbmsd_SOURCES += src/transport/ble-control.c
jkbmsd_CFLAGS += $(DBUS_CFLAGS)
jkbmsd_LDADD += libjkble.a libjkutil.a $(DBUS_LIBS) $(LIBSYSTEMD_LIBS)
# MQTT and Home Assistant discovery (src/sink/local.mk).
jkbmsd_CFLAGS += $(MOSQUITTO_CFLAGS)
jkbmsd_LDADD += libjksink-mqtt.a libjkdevice.a libjkjson.a libjkmodel.a \
	libjkcodec.a libjktables.a libjkutil.a $(MQTT_SINK_LIBS)
# History in SQLite (src/sink/history.mk); its glue needs the devices.
jkbmsd_LDADD += libjkhistory.a libjkdevice.a libjkmodel.a libjkcodec.a \
	libjktables.a libjkutil.a $(SQLITE_LIBS) $(LIBSYSTEMD_LIBS)

check_PROGRAMS += tests/unit/test-control-request
TESTS += tests/unit/test-control-request
tests_unit_test_control_request_SOURCES = tests/unit/test-control-request.c \
	src/daemon/control-request.c
tests_unit_test_control_request_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(JSONC_CFLAGS)
tests_unit_test_control_request_LDADD = $(JSONC_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test-control-call
TESTS += tests/unit/test-control-call
tests_unit_test_control_call_SOURCES = tests/unit/test-control-call.c \
	src/daemon/control.c src/daemon/control-request.c
tests_unit_test_control_call_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(JSONC_CFLAGS) $(LIBSYSTEMD_CFLAGS)
tests_unit_test_control_call_LDADD = libjkutil.a $(JSONC_LIBS) \
	$(LIBSYSTEMD_LIBS) $(CMOCKA_LIBS)

# End-to-end tests of jkbmsd and jkbmsctl (TAP shell scripts).
TESTS += \
	tests/integration/demo.sh \
	tests/integration/auth.sh \
	tests/integration/config.sh \
	tests/integration/reload.sh
EXTRA_DIST += \
	tests/integration/lib.sh \
	tests/integration/demo.sh \
	tests/integration/auth.sh \
	tests/integration/config.sh \
	tests/integration/reload.sh

dist_man_MANS += man/jkbmsd.8

check_PROGRAMS += tests/integration/control-clients
tests_integration_control_clients_SOURCES = \
	tests/integration/control-clients.c
TESTS += tests/integration/control.sh
EXTRA_DIST += tests/integration/control.sh

# Service: journal fields (a stand-in for journald's socket), control
# commands and permissions, install.
check_PROGRAMS += tests/integration/dgram-capture
tests_integration_dgram_capture_SOURCES = \
	tests/integration/dgram-capture.c
TESTS += tests/integration/journal.sh tests/integration/commands.sh \
	tests/integration/service.sh tests/integration/manpages.sh
EXTRA_DIST += tests/integration/journal.sh tests/integration/commands.sh \
	tests/integration/service.sh tests/integration/manpages.sh
