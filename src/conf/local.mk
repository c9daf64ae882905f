# src/conf: the configuration (DESIGN "Config", STYLE 3.7). Not a pure
# layer (it reads password files) but no daemon code: it returns errors
# and never logs.
noinst_LIBRARIES += libjkconf.a
libjkconf_a_SOURCES = \
	src/conf/conf-build.c \
	src/conf/conf-cross.c \
	src/conf/conf-demo.c \
	src/conf/conf-doc.c \
	src/conf/conf-equal.c \
	src/conf/conf-error.c \
	src/conf/conf-keys.c \
	src/conf/conf-keys.h \
	src/conf/conf-load.c \
	src/conf/conf-print.c \
	src/conf/conf-private.h \
	src/conf/conf-read.c \
	src/conf/conf-secret.c \
	src/conf/conf-set.c \
	src/conf/conf-value.c \
	src/conf/conf-value.h
libjkconf_a_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS)
# What a program linking libjkconf.a adds after it.
CONF_LIBS = libjkconf.a libjkutil.a libjktables.a $(INIH_LIBS)

# Golden files: tests/config/NAME.conf -> NAME.ok (conf_print) or NAME.err
check_PROGRAMS += tests/config/conf-check
tests_config_conf_check_SOURCES = tests/config/conf-check.c
tests_config_conf_check_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS)
tests_config_conf_check_LDADD = $(CONF_LIBS)
TESTS += tests/config/run.sh

check_PROGRAMS += tests/unit/test-conf
TESTS += tests/unit/test-conf
tests_unit_test_conf_SOURCES = tests/unit/test-conf.c
tests_unit_test_conf_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS) $(CMOCKA_CFLAGS) \
	$(LIBSYSTEMD_CFLAGS)
# libjkutil's log.c too: "debug =" must take what jkbmsd -d takes
tests_unit_test_conf_LDADD = $(CONF_LIBS) $(LIBSYSTEMD_LIBS) $(CMOCKA_LIBS)

# Section equality for reload (conf-equal.c).
check_PROGRAMS += tests/unit/test-conf-equal
TESTS += tests/unit/test-conf-equal
tests_unit_test_conf_equal_SOURCES = tests/unit/test-conf-equal.c
tests_unit_test_conf_equal_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_conf_equal_LDADD = $(CONF_LIBS) $(LIBSYSTEMD_LIBS) \
	$(CMOCKA_LIBS)

check_PROGRAMS += tests/fuzz/fuzz-conf
FUZZ_TARGETS += tests/fuzz/fuzz-conf
tests_fuzz_fuzz_conf_SOURCES = tests/fuzz/fuzz-conf.c $(FUZZ_MAIN)
tests_fuzz_fuzz_conf_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS)
tests_fuzz_fuzz_conf_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_conf_LDADD = $(CONF_LIBS)

dist_man_MANS += man/jkbmsd.conf.5
confexampledir = $(docdir)/examples
dist_confexample_DATA = conf/jkbmsd.conf

# Regenerates the .ok/.err golden files and the KEYS part of
# man/jkbmsd.conf.5 from the key table; review the diff before committing.
update-golden-config: tests/config/conf-check$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(top_srcdir)/tests/config/run.sh --update
.PHONY: update-golden-config

EXTRA_DIST += \
	tests/fuzz/conf.dict \
	tests/fuzz/corpus/conf/banks.conf \
	tests/fuzz/corpus/conf/demo.conf \
	tests/fuzz/corpus/conf/durations.conf \
	tests/fuzz/corpus/conf/edges-max.conf \
	tests/fuzz/corpus/conf/example.conf \
	tests/fuzz/corpus/conf/full.conf \
	tests/fuzz/corpus/conf/layout.conf \
	tests/fuzz/corpus/conf/long-line.conf \
	tests/fuzz/corpus/conf/long-values.conf \
	tests/fuzz/corpus/conf/many.conf \
	tests/fuzz/corpus/conf/nul.conf \
	tests/fuzz/corpus/conf/passwords-bad.conf \
	tests/fuzz/corpus/conf/places.conf \
	tests/fuzz/corpus/conf/syntax.conf \
	tests/fuzz/corpus/conf/types.conf \
	tests/config/run.sh \
	tests/config/banks.conf \
	tests/config/banks.err \
	tests/config/bms-open.secret \
	tests/config/bms.secret \
	tests/config/crlf.secret \
	tests/config/default.secret \
	tests/config/duplicates.conf \
	tests/config/duplicates.err \
	tests/config/durations-bad.conf \
	tests/config/durations-bad.err \
	tests/config/durations.conf \
	tests/config/durations.ok \
	tests/config/edges-max.conf \
	tests/config/edges-max.ok \
	tests/config/edges-min.conf \
	tests/config/edges-min.ok \
	tests/config/empty.conf \
	tests/config/empty.ok \
	tests/config/empty.secret \
	tests/config/full.conf \
	tests/config/full.ok \
	tests/config/layout-bad.conf \
	tests/config/layout-bad.err \
	tests/config/layout.conf \
	tests/config/layout.ok \
	tests/config/long-line.conf \
	tests/config/long-line.err \
	tests/config/long.secret \
	tests/config/mac.conf \
	tests/config/mac.err \
	tests/config/many.conf \
	tests/config/many.err \
	tests/config/missing.conf \
	tests/config/missing.err \
	tests/config/mqtt-rules.conf \
	tests/config/mqtt-rules.err \
	tests/config/mqtt-tls.conf \
	tests/config/mqtt-tls.ok \
	tests/config/mqtt.secret \
	tests/config/names.conf \
	tests/config/names.err \
	tests/config/passwords-bad.conf \
	tests/config/passwords-bad.err \
	tests/config/passwords.conf \
	tests/config/passwords.ok \
	tests/config/places.conf \
	tests/config/places.err \
	tests/config/ranges.conf \
	tests/config/ranges.err \
	tests/config/settings.secret \
	tests/config/syntax.conf \
	tests/config/syntax.err \
	tests/config/transport-keys.conf \
	tests/config/transport-keys.err \
	tests/config/types.conf \
	tests/config/types.err \
	tests/config/unknown.conf \
	tests/config/unknown.err \
	tests/config/writes.conf \
	tests/config/writes.err
