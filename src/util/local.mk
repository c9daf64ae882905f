# src/util: the daemon's helpers (log, allocation, time, paths).
noinst_LIBRARIES += libjkutil.a
libjkutil_a_SOURCES = \
	src/util/log.c \
	src/util/xalloc.c \
	src/util/time.c \
	src/util/paths.c \
	src/util/watchlist.c
libjkutil_a_CFLAGS = $(AM_CFLAGS) $(LIBSYSTEMD_CFLAGS)

check_PROGRAMS += tests/unit/test-util
TESTS += tests/unit/test-util
tests_unit_test_util_SOURCES = tests/unit/test-util.c
tests_unit_test_util_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_util_LDADD = libjkutil.a $(LIBSYSTEMD_LIBS) $(CMOCKA_LIBS)
