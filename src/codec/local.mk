# src/codec: the pure JK frame codec (reassembly, decoders, encoders).
noinst_LIBRARIES += libjkcodec.a
libjkcodec_a_CFLAGS = $(PURE_CFLAGS)
libjkcodec_a_SOURCES = src/codec/codec-private.h src/codec/ble-frame.c \
	src/codec/frame-check.c src/codec/cell-info.c \
	src/codec/device-info.c src/codec/logbook.c \
	src/codec/variant-detect.c src/codec/frame-decode.c \
	src/codec/command.c src/codec/settings-frame.c

# codec2: command frames and the settings frame.
check_PROGRAMS += tests/unit/test-commands tests/unit/test-settings-frame
TESTS += tests/unit/test-commands tests/unit/test-settings-frame
tests_unit_test_commands_SOURCES = tests/unit/test-commands.c
tests_unit_test_commands_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_commands_LDADD = libjkcodec.a libjktables.a $(CMOCKA_LIBS)
tests_unit_test_settings_frame_SOURCES = tests/unit/test-settings-frame.c
tests_unit_test_settings_frame_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_settings_frame_LDADD = libjkcodec.a libjktables.a \
	$(CMOCKA_LIBS)
check_PROGRAMS += tests/fuzz/fuzz-command tests/fuzz/fuzz-settings-frame
FUZZ_TARGETS += tests/fuzz/fuzz-command tests/fuzz/fuzz-settings-frame
tests_fuzz_fuzz_command_SOURCES = tests/fuzz/fuzz-command.c $(FUZZ_MAIN)
tests_fuzz_fuzz_command_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_command_LDADD = libjkcodec.a libjktables.a
tests_fuzz_fuzz_settings_frame_SOURCES = tests/fuzz/fuzz-settings-frame.c \
	$(FUZZ_MAIN)
tests_fuzz_fuzz_settings_frame_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_settings_frame_LDADD = libjkcodec.a libjktables.a

# codec1: reassembly, cell-info, device-info, logbook, variant detection.
CODEC1_TEST_SOURCES = tests/unit/codec-test.h tests/unit/vectors-ble.h
CODEC1_TEST_LDADD = libjkcodec.a libjktables.a $(CMOCKA_LIBS)
check_PROGRAMS += tests/unit/test-ble-reasm tests/unit/test-cell-info \
	tests/unit/test-device-info tests/unit/test-variant
TESTS += tests/unit/test-ble-reasm tests/unit/test-cell-info \
	tests/unit/test-device-info tests/unit/test-variant
tests_unit_test_ble_reasm_SOURCES = tests/unit/test-ble-reasm.c \
	$(CODEC1_TEST_SOURCES)
tests_unit_test_ble_reasm_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ble_reasm_LDADD = $(CODEC1_TEST_LDADD)
tests_unit_test_cell_info_SOURCES = tests/unit/test-cell-info.c \
	$(CODEC1_TEST_SOURCES)
tests_unit_test_cell_info_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_cell_info_LDADD = $(CODEC1_TEST_LDADD)
tests_unit_test_device_info_SOURCES = tests/unit/test-device-info.c \
	$(CODEC1_TEST_SOURCES)
tests_unit_test_device_info_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_device_info_LDADD = $(CODEC1_TEST_LDADD)
tests_unit_test_variant_SOURCES = tests/unit/test-variant.c \
	$(CODEC1_TEST_SOURCES)
tests_unit_test_variant_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_variant_LDADD = $(CODEC1_TEST_LDADD)
check_PROGRAMS += tests/fuzz/fuzz-ble-reasm tests/fuzz/fuzz-frame-decode
FUZZ_TARGETS += tests/fuzz/fuzz-ble-reasm tests/fuzz/fuzz-frame-decode
tests_fuzz_fuzz_ble_reasm_SOURCES = tests/fuzz/fuzz-ble-reasm.c $(FUZZ_MAIN)
tests_fuzz_fuzz_ble_reasm_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_ble_reasm_LDADD = libjkcodec.a libjktables.a
tests_fuzz_fuzz_frame_decode_SOURCES = tests/fuzz/fuzz-frame-decode.c \
	$(FUZZ_MAIN)
tests_fuzz_fuzz_frame_decode_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_frame_decode_LDADD = libjkcodec.a libjktables.a
# The corpora are whole directories (automake copies them recursively).
EXTRA_DIST += tests/unit/gen-vectors-ble.sh tests/fuzz/ble-reasm.dict \
	tests/fuzz/corpus/ble-reasm tests/fuzz/corpus/frame-decode
EXTRA_DIST += tests/fuzz/corpus/command tests/fuzz/corpus/settings-frame
