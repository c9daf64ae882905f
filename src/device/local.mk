# src/device: the per-BMS state machine, the drivers and their registry.
noinst_LIBRARIES += libjkdevice.a
libjkdevice_a_SOURCES = \
	src/device/device.c \
	src/device/device-frames.c \
	src/device/device-private.h \
	src/device/backoff.c \
	src/device/registry.c \
	src/device/drivers.h \
	src/device/driver-sim.c \
	src/device/driver-jk-ble.c src/device/jk-ble.h \
	src/device/alarm-log.c \
	src/device/write-private.h \
	src/device/write.c \
	src/device/write-guard.c \
	src/device/audit.c
libjkdevice_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)

check_PROGRAMS += tests/unit/test-backoff
TESTS += tests/unit/test-backoff
tests_unit_test_backoff_SOURCES = tests/unit/test-backoff.c \
	src/device/backoff.c
tests_unit_test_backoff_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_backoff_LDADD = $(CMOCKA_LIBS)

# The state machine against a scripted driver (no simulator): device.c
# with the test's own registry.
check_PROGRAMS += tests/unit/test-device
TESTS += tests/unit/test-device
tests_unit_test_device_SOURCES = tests/unit/test-device.c \
	src/device/device.c src/device/device-frames.c src/device/backoff.c \
	src/device/alarm-log.c \
	src/device/write.c src/device/write-guard.c src/device/audit.c
tests_unit_test_device_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(LIBSYSTEMD_CFLAGS)
tests_unit_test_device_LDADD = libjkconf.a libjkmodel.a libjkcodec.a \
	libjktables.a libjkutil.a $(INIH_LIBS) $(LIBSYSTEMD_LIBS) \
	$(CMOCKA_LIBS) -lm

# The settings write path (write*.c, audit.c): end-to-end through the
# simulator, the daemon and jkbmsctl. write-plan picks the values.
check_PROGRAMS += tests/integration/write-plan
tests_integration_write_plan_SOURCES = tests/integration/write-plan.c
tests_integration_write_plan_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
tests_integration_write_plan_LDADD = libjkmodel.a libjkcodec.a \
	libjktables.a $(JSONC_LIBS) -lm
WRITE_TESTS = \
	tests/integration/write-guard.sh \
	tests/integration/write-settings.sh \
	tests/integration/write-rules.sh \
	tests/integration/write-faults.sh
TESTS += $(WRITE_TESTS)
EXTRA_DIST += $(WRITE_TESTS)

check_PROGRAMS += tests/unit/test-write
TESTS += tests/unit/test-write
tests_unit_test_write_SOURCES = tests/unit/test-write.c
tests_unit_test_write_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(LIBSYSTEMD_CFLAGS)
tests_unit_test_write_LDADD = libjkdevice.a libjkble.a libjksim.a \
	libjkconf.a libjkmodel.a libjkcodec.a libjktables.a libjkutil.a \
	$(INIH_LIBS) $(DBUS_LIBS) $(LIBSYSTEMD_LIBS) $(CMOCKA_LIBS) -lm

# The validation the write path added to src/model (pure).
check_PROGRAMS += tests/unit/test-write-rules
TESTS += tests/unit/test-write-rules
tests_unit_test_write_rules_SOURCES = tests/unit/test-write-rules.c
tests_unit_test_write_rules_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_write_rules_LDADD = libjkmodel.a libjktables.a $(CMOCKA_LIBS)

# The alarm observer alone (its own device struct and device_watch_add).
check_PROGRAMS += tests/unit/test-alarm-log
TESTS += tests/unit/test-alarm-log
tests_unit_test_alarm_log_SOURCES = tests/unit/test-alarm-log.c \
	src/device/alarm-log.c
tests_unit_test_alarm_log_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(LIBSYSTEMD_CFLAGS)
tests_unit_test_alarm_log_LDADD = libjkmodel.a libjkutil.a \
	$(LIBSYSTEMD_LIBS) $(CMOCKA_LIBS)
