# JSON of field values and settings (libjkjson, json-c), and the
# "jkbmsctl decode" command (libjkctldecode: src/ctl/decode.c), with their
# tests: the unit test of the number formatting and the golden decode of
# every vector in tests/vectors.
#
# A program using libjkctldecode.a links, in this order:
#   libjkctldecode.a libjkjson.a libjkmodel.a libjkcodec.a libjktables.a
#   $(JSONC_LIBS) -lm
noinst_LIBRARIES += libjkjson.a libjkctldecode.a
libjkjson_a_SOURCES = src/util/values-json.c src/util/values-json.h
libjkjson_a_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
libjkctldecode_a_SOURCES = src/ctl/decode.c src/ctl/decode.h
libjkctldecode_a_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)

check_PROGRAMS += tests/unit/test-values-json
TESTS += tests/unit/test-values-json
tests_unit_test_values_json_SOURCES = tests/unit/test-values-json.c
tests_unit_test_values_json_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(JSONC_CFLAGS)
tests_unit_test_values_json_LDADD = libjkjson.a libjkmodel.a libjktables.a \
	$(JSONC_LIBS) $(CMOCKA_LIBS)

# Golden decode: tests/vectors/<ID>.hex (from extract-vectors.sh) and the
# expected output <ID>.json; 'make update-golden' rewrites the .json files.
GOLDEN_VECTORS = \
	BLE-24S-01 BLE-24S-03 BLE-24S-04 BLE-24S-06 BLE-24S-07 \
	BLE-32S-01 BLE-32S-02 BLE-32S-03 BLE-32S-05 BLE-32S-06 BLE-32S-07 \
	BLE-32S-09 BLE-32S-11 BLE-32S-12 BLE-32S-13 BLE-32S-14 \
	BLE-04-01 BLE-04-02 BLE-LOG-01 \
	CMD-01 CMD-02 CMD-03 CMD-04 CMD-05
TESTS += tests/vectors/run-golden.sh tests/vectors/decode-cli.sh
EXTRA_DIST += tests/vectors/run-golden.sh tests/vectors/decode-cli.sh \
	tests/vectors/extract-vectors.sh \
	$(GOLDEN_VECTORS:%=tests/vectors/%.hex) \
	$(GOLDEN_VECTORS:%=tests/vectors/%.json)

update-golden: jkbmsctl$(EXEEXT)
	UPDATE_GOLDEN=1 top_srcdir='$(abs_top_srcdir)' \
		top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(top_srcdir)/tests/vectors/run-golden.sh
.PHONY: update-golden
