# src/sink/history*: the history database (issue 5). libjkhistory.a holds
# the writer core (schema, migrations, batching, retention, energy), the
# reader jkbmsctl uses, and the daemon's glue (history-sink.c), which only
# jkbmsd pulls in.
noinst_LIBRARIES += libjkhistory.a
libjkhistory_a_SOURCES = \
	src/sink/history.h \
	src/sink/history-private.h \
	src/sink/history-schema.c \
	src/sink/history-migrate.c \
	src/sink/history-batch.c \
	src/sink/history-writer.c \
	src/sink/history-retention.c \
	src/sink/history-sqlfunc.c \
	src/sink/history-read.c \
	src/sink/history-sink.c src/sink/history-sink.h
libjkhistory_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(LIBSYSTEMD_CFLAGS) \
	$(INIH_CFLAGS)

check_PROGRAMS += tests/unit/test-history
TESTS += tests/unit/test-history
tests_unit_test_history_SOURCES = tests/unit/test-history.c
tests_unit_test_history_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(SQLITE_CFLAGS)
tests_unit_test_history_LDADD = libjkhistory.a libjksim.a libjkmodel.a \
	libjkcodec.a libjktables.a libjkutil.a $(SQLITE_LIBS) \
	$(LIBSYSTEMD_LIBS) $(CMOCKA_LIBS) -lm

# End to end with real SQLite files (TAP shell scripts).
HISTORY_INTEGRATION = \
	tests/integration/history-basic.sh \
	tests/integration/history-kill.sh \
	tests/integration/history-full.sh
TESTS += $(HISTORY_INTEGRATION)
EXTRA_DIST += $(HISTORY_INTEGRATION)

# bench/bench-history: bytes written and grown per BMS per day, flush time
# (figures only; part of make bench).
noinst_PROGRAMS += bench/bench-history
bench_bench_history_SOURCES = bench/bench-history.c
bench_bench_history_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_bench_history_LDADD = libjkhistory.a libjksim.a libjkmodel.a \
	libjkcodec.a libjktables.a libjkutil.a $(SQLITE_LIBS) \
	$(LIBSYSTEMD_LIBS) -lm
bench: bench-history-run
bench-history-run: bench/bench-history
	./bench/bench-history
.PHONY: bench-history-run
