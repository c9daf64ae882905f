/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Variant detection (src/codec/variant-detect.c, protocols.md 1.5): the
 * software-version rule on every version string of the vectors and on
 * malformed ones; the frame-content rule on every vector frame, which
 * must never contradict the vector's known variant, and on frames built
 * by the encoders.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/fields.h"
#include "jkbms/frame.h"
#include "codec-test.h"

#define V24	JK_VARIANT_JK02_24S
#define V32	JK_VARIANT_JK02_32S
#define V04	JK_VARIANT_JK04
#define AUTO	JK_VARIANT_AUTO

static void test_from_software(void **state)
{
	static const struct {
		const char *sw;
		enum jk_variant v;
	} cases[] = {
		{ "10.07", V24 }, { "10.08", V24 }, { "10.02", V24 },
		{ "11.48", V32 }, { "11.50", V32 }, { "11.21h", V32 },
		{ "14.20", V32 }, { "15.38", V32 }, { "15.41", V32 },
		{ "15.10", V32 }, { "19.05", V32 }, { "19.27", V32 },
		{ "3.3.0", V24 }, { "3.2.3", V24 }, { "8.0.3M", V24 },
		{ "8.1.2H", V24 }, { "8.20G", V24 }, { "11", V32 },
		{ "9", V24 }, { " 12.1", V32 }, { "V11.0", V32 },
		{ "0.1", V24 }, { "100.1", V32 },
		/* unparseable */
		{ "", AUTO }, { "abc", AUTO }, { ".11", AUTO },
		{ "11A", AUTO }, { "1234.5", AUTO }, { "-11.0", AUTO },
		{ "H6.X__S6.1.3S__", AUTO }, { "V", AUTO },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (jk_variant_from_software(cases[i].sw) != cases[i].v)
			fail_msg("\"%s\": %d, want %d", cases[i].sw,
				 jk_variant_from_software(cases[i].sw),
				 cases[i].v);
	assert_int_equal(jk_variant_from_software(NULL), AUTO);
}

/* The device-info frame of each vector gives its JK02 variant. */
static void test_software_of_vectors(void **state)
{
	static struct jk_decoded dec;
	uint8_t frame[JK_FRAME_LEN];
	size_t i, n = 0;

	for (i = 0; i < N_VECTORS; i++) {
		const struct ble_vector *v = &ble_vectors[i];
		enum jk_variant got;

		if (!vec_is_frame(v) || strcmp(v->what, "DEVICE_INFO"))
			continue;
		vec_frame(v->hex, frame);
		assert_int_equal(jk_frame_decode(frame, JK_FRAME_LEN, AUTO,
						 &dec),
				 0);
		got = jk_variant_from_software(
			dec.fields.text[FIELD_SOFTWARE_VERSION]);
		/* JK04 runs SW < 11 too: the frames tell it apart */
		if (got != (v->variant == V04 ? V24 : v->variant))
			fail_msg("%s: \"%s\" gives %d", v->id,
				 dec.fields.text[FIELD_SOFTWARE_VERSION], got);
		n++;
	}
	assert_int_equal(n, 15);
}

/*
 * Every frame of A-D: cell-info frames are recognised exactly, JK04
 * settings frames too, everything else says AUTO, nothing contradicts.
 */
static void test_from_vector_frames(void **state)
{
	uint8_t frame[JK_FRAME_LEN];
	size_t i, cells = 0;

	for (i = 0; i < N_VECTORS; i++) {
		const struct ble_vector *v = &ble_vectors[i];
		enum jk_variant got, want = AUTO;

		if (!vec_is_frame(v))
			continue;
		vec_frame(v->hex, frame);
		got = jk_variant_from_frame(frame, JK_FRAME_LEN);
		if (frame[4] == JK_FRAME_CELL_INFO) {
			want = v->variant;
			cells++;
		} else if (frame[4] == JK_FRAME_SETTINGS && v->variant == V04) {
			want = V04;
		}
		if (got != want)
			fail_msg("%s %s: %d, want %d", v->id, v->what, got,
				 want);
	}
	assert_int_equal(cells, 16);
}

static void test_from_frame_bad_input(void **state)
{
	uint8_t frame[JK_FRAME_LEN];

	vec_frame(VEC_BLE_24S_01_CELL_INFO, frame);
	assert_int_equal(jk_variant_from_frame(frame, 299), AUTO);
	assert_int_equal(jk_variant_from_frame(NULL, 300), AUTO);
	frame[100] ^= 1;	/* checksum now wrong */
	assert_int_equal(jk_variant_from_frame(frame, 300), AUTO);
	/* an all-zero cell frame shows nothing */
	memset(frame, 0, sizeof(frame));
	memcpy(frame, "\x55\xAA\xEB\x90\x02", 5);
	frame[299] = (uint8_t)(0x55 + 0xAA + 0xEB + 0x90 + 0x02);
	assert_int_equal(jk_variant_from_frame(frame, 300), AUTO);
}

/* Frames from the encoders, for 1 to 32 cells. */
static void test_from_encoded(void **state)
{
	static struct field_values v;
	uint8_t out[JK_FRAME_LEN];
	unsigned n, i;

	for (n = 1; n <= 32; n++) {
		field_values_reset(&v);
		v.ncells = (uint8_t)n;
		for (i = 0; i < n; i++) {
			v.cell_voltage[i] = (int32_t)(1800 + 80 * i);
			v.cell_resistance[i] = 63;
		}
		bits_set(&v.set, FIELD_CELL_VOLTAGE);
		bits_set(&v.set, FIELD_CELL_RESISTANCE);
		if (n <= 24) {
			assert_int_equal(jk_frame_encode_cell_info(&v, V24, 0,
								   out),
					 0);
			assert_int_equal(jk_variant_from_frame(out, 300), V24);
			assert_int_equal(jk_frame_encode_cell_info(&v, V04, 0,
								   out),
					 0);
			assert_int_equal(jk_variant_from_frame(out, 300), V04);
		}
		assert_int_equal(jk_frame_encode_cell_info(&v, V32, 0, out),
				 0);
		assert_int_equal(jk_variant_from_frame(out, 300), V32);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_software),
		cmocka_unit_test(test_software_of_vectors),
		cmocka_unit_test(test_from_vector_frames),
		cmocka_unit_test(test_from_frame_bad_input),
		cmocka_unit_test(test_from_encoded),
	};

	return cmocka_run_group_tests_name("variant", tests, NULL, NULL);
}
