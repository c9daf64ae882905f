# src/daemon: jkbmsd, built at the top of the build tree so tests find
# $top_builddir/jkbmsd.
sbin_PROGRAMS += jkbmsd
jkbmsd_SOURCES = \
	src/daemon/main.c \
	src/daemon/manager.c src/daemon/manager.h \
	src/daemon/control.c src/daemon/control.h \
	src/daemon/control-request.c src/daemon/control-request.h \
	src/daemon/status-json.c src/daemon/status-json.h \
	src/daemon/demo.c src/daemon/demo.h \
	src/ctl/status-print.c src/ctl/ctl.h
jkbmsd_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS) $(JSONC_CFLAGS)
jkbmsd_LDADD = libjkdevice.a libjksim.a libjkconf.a libjkjson.a \
	libjkmodel.a libjkcodec.a libjktables.a libjkutil.a \
	$(INIH_LIBS) $(JSONC_LIBS) $(LIBSYSTEMD_LIBS) -lm

check_PROGRAMS += tests/unit/test-control-request
TESTS += tests/unit/test-control-request
tests_unit_test_control_request_SOURCES = tests/unit/test-control-request.c \
	src/daemon/control-request.c
tests_unit_test_control_request_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(JSONC_CFLAGS)
tests_unit_test_control_request_LDADD = $(JSONC_LIBS) $(CMOCKA_LIBS)

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
