# src/device: the per-BMS state machine, the drivers and their registry.
noinst_LIBRARIES += libjkdevice.a
libjkdevice_a_SOURCES = \
	src/device/device.c \
	src/device/device-frames.c \
	src/device/device-private.h \
	src/device/backoff.c \
	src/device/registry.c \
	src/device/drivers.h \
	src/device/driver-sim.c
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
	src/device/device.c src/device/device-frames.c src/device/backoff.c
tests_unit_test_device_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(LIBSYSTEMD_CFLAGS)
tests_unit_test_device_LDADD = libjkconf.a libjkmodel.a libjkcodec.a \
	libjktables.a libjkutil.a $(INIH_LIBS) $(LIBSYSTEMD_LIBS) \
	$(CMOCKA_LIBS) -lm
