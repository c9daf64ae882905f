# The two tables (fields, settings) and the variant names: the codec, the
# model and every sink iterate them. Pure (STYLE 3.1).
noinst_LIBRARIES += libjktables.a
libjktables_a_SOURCES = \
	src/codec/tables-private.h \
	src/codec/fields.c \
	src/codec/settings-table.c \
	src/codec/variant.c
libjktables_a_CFLAGS = $(PURE_CFLAGS)

check_PROGRAMS += tests/unit/test-fields tests/unit/test-settings-table
TESTS += tests/unit/test-fields tests/unit/test-settings-table
tests_unit_test_fields_SOURCES = tests/unit/test-fields.c
tests_unit_test_fields_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_fields_LDADD = libjktables.a $(CMOCKA_LIBS)
tests_unit_test_settings_table_SOURCES = tests/unit/test-settings-table.c
tests_unit_test_settings_table_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_settings_table_LDADD = libjktables.a $(CMOCKA_LIBS)
