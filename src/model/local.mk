# src/model: PURE (STYLE 3.1). The state of one BMS, banks, alarm names,
# settings validation. Links against libjktables.a (src/codec/tables.mk).
noinst_LIBRARIES += libjkmodel.a
libjkmodel_a_SOURCES = \
	src/model/model-private.h \
	src/model/state-private.h \
	src/model/state.c \
	src/model/state-derive.c \
	src/model/state-energy.c \
	src/model/alarms.c \
	src/model/bank.c \
	src/model/settings-rules.c \
	src/model/settings-presets.c \
	src/model/settings-value.c \
	src/model/text.c
libjkmodel_a_CFLAGS = $(PURE_CFLAGS)

MODEL_TESTS = tests/unit/test-state tests/unit/test-alarms \
	tests/unit/test-bank tests/unit/test-settings-rules
check_PROGRAMS += $(MODEL_TESTS)
TESTS += $(MODEL_TESTS)
tests_unit_test_state_SOURCES = tests/unit/test-state.c
tests_unit_test_state_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_state_LDADD = libjkmodel.a libjktables.a $(CMOCKA_LIBS)
tests_unit_test_alarms_SOURCES = tests/unit/test-alarms.c
tests_unit_test_alarms_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_alarms_LDADD = libjkmodel.a $(CMOCKA_LIBS)
tests_unit_test_bank_SOURCES = tests/unit/test-bank.c
tests_unit_test_bank_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_bank_LDADD = libjkmodel.a libjktables.a $(CMOCKA_LIBS)
tests_unit_test_settings_rules_SOURCES = tests/unit/test-settings-rules.c
tests_unit_test_settings_rules_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_settings_rules_LDADD = libjkmodel.a libjktables.a $(CMOCKA_LIBS)

check_PROGRAMS += tests/fuzz/fuzz-settings-value
FUZZ_TARGETS += tests/fuzz/fuzz-settings-value
tests_fuzz_fuzz_settings_value_SOURCES = tests/fuzz/fuzz-settings-value.c \
	$(FUZZ_MAIN)
tests_fuzz_fuzz_settings_value_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_settings_value_LDADD = libjkmodel.a libjktables.a
EXTRA_DIST += tests/fuzz/corpus/settings-value
check_PROGRAMS += tests/fuzz/fuzz-state
FUZZ_TARGETS += tests/fuzz/fuzz-state
tests_fuzz_fuzz_state_SOURCES = tests/fuzz/fuzz-state.c $(FUZZ_MAIN)
tests_fuzz_fuzz_state_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_state_LDADD = libjkmodel.a libjktables.a
EXTRA_DIST += tests/fuzz/corpus/state
