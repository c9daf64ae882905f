/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Cell-info frames (src/codec/cell-info.c) and the frame checks and
 * dispatcher (frame-check.c, frame-decode.c): every cell-info frame of
 * vectors/README.md sections A-C decodes to every value the peers expect
 * and to the exact secondary values; derived fields are never set; the
 * encoder round-trips the vectors and synthetic values of each layout.
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

struct fv {
	int id;			/* enum field_id, -1 ends the list */
	int64_t v;		/* stored unit (fields.def decimals) */
};

#define END { -1, 0 }

struct cell_case {
	const char *name;
	const char *hex;
	enum jk_variant variant;
	unsigned ncells;
	int32_t cells[JK_CELLS_MAX];	/* mV; JK04: 0.1 mV, +-0.5 mV */
	unsigned nres;			/* resistances to check */
	int32_t res[JK_CELLS_MAX];	/* mOhm */
	struct fv fields[24];
	int absent[8];			/* -1 ends the list */
};

static const struct cell_case cases[] = {
	{
		"BLE-24S-01", VEC_BLE_24S_01_CELL_INFO, V24, 24,
		{ 3284, 3280, 3279, 3280, 3280, 3279, 3279, 3281, 3280, 3279,
		  3280, 3279, 3282, 3284, 3279, 3279, 3280, 3279, 3281, 3282,
		  3282, 3282, 3285, 3281 },
		24,
		{ 100, 108, 104, 99, 95, 93, 91, 94, 127, 121, 107, 111, 111,
		  104, 100, 96, 91, 88, 88, 91, 96, 101, 104, 97 },
		{ { FIELD_VOLTAGE, 78735 }, { FIELD_CURRENT, 0 },
		  { FIELD_TEMPERATURE_1, 207 }, { FIELD_TEMPERATURE_2, 207 },
		  { FIELD_TEMPERATURE_MOS, 234 }, { FIELD_ALARM_BITS, 0 },
		  { FIELD_BALANCING, BALANCING_OFF }, { FIELD_SOC, 85 },
		  { FIELD_SOH, 100 }, { FIELD_REMAINING_CAPACITY, 42804 },
		  { FIELD_FULL_CHARGE_CAPACITY, 50000 },
		  { FIELD_CYCLE_COUNT, 0 }, { FIELD_RUNTIME, 269340 },
		  { FIELD_CHARGE_MOSFET, 1 }, { FIELD_DISCHARGE_MOSFET, 0 },
		  { FIELD_HEATING, 0 }, { FIELD_CYCLE_CAPACITY, 13561 },
		  { FIELD_CELL_COUNT, 24 }, END },
		{ FIELD_TEMPERATURE_3, FIELD_TEMPERATURE_4,
		  FIELD_TEMPERATURE_5, -1 },
	},
	{
		"BLE-24S-03", VEC_BLE_24S_03_CELL_INFO, V24, 16,
		{ 3310, 3314, 3313, 3312, 3312, 3308, 3312, 3309, 3309, 3309,
		  3309, 3312, 3313, 3309, 3310, 3309 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 52971 }, { FIELD_CURRENT, 2329 },
		  { FIELD_BALANCE_CURRENT, 2 }, { FIELD_SOC, 56 },
		  { FIELD_SOH, 100 }, { FIELD_REMAINING_CAPACITY, 113245 },
		  { FIELD_FULL_CHARGE_CAPACITY, 202000 },
		  { FIELD_CYCLE_COUNT, 60 }, { FIELD_TEMPERATURE_1, 181 },
		  { FIELD_TEMPERATURE_2, 186 }, { FIELD_TEMPERATURE_MOS, 228 },
		  { FIELD_ALARM_BITS, 0 }, { FIELD_BALANCING, BALANCING_OFF },
		  { FIELD_CHARGE_MOSFET, 1 }, { FIELD_DISCHARGE_MOSFET, 1 },
		  { FIELD_CYCLE_CAPACITY, 12150180 },
		  { FIELD_RUNTIME, 57469067 }, { FIELD_CELL_COUNT, 16 }, END },
		{ -1 },
	},
	{
		/* batmon negates the current: raw +12.219 A is charging */
		"BLE-24S-04", VEC_BLE_24S_04_CELL_INFO, V24, 8,
		{ 3362, 3364, 3365, 3370, 3364, 3362, 3365, 3362 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 26911 }, { FIELD_CURRENT, 12219 },
		  { FIELD_REMAINING_CAPACITY, 181036 },
		  { FIELD_CYCLE_CAPACITY, 22173 }, { FIELD_CYCLE_COUNT, 0 },
		  { FIELD_TEMPERATURE_1, 268 }, { FIELD_TEMPERATURE_2, 248 },
		  { FIELD_TEMPERATURE_MOS, 283 }, { FIELD_BALANCE_CURRENT, 0 },
		  { FIELD_SOC, 65 }, { FIELD_RUNTIME, 3144960 }, END },
		{ -1 },
	},
	{
		"BLE-24S-06", VEC_BLE_24S_06_CELL_INFO, V24, 16,
		{ 3374, 3368, 3322, 3374, 3375, 3362, 3362, 3347, 3353, 3357,
		  3357, 3351, 3359, 3350, 3323, 3359 },
		16,
		{ 155, 198, 160, 179, 188, 204, 190, 177, 180, 301, 317, 176,
		  161, 171, 178, 173 },
		{ { FIELD_VOLTAGE, 53692 }, { FIELD_TEMPERATURE_1, 286 },
		  { FIELD_TEMPERATURE_2, 278 }, { FIELD_TEMPERATURE_MOS, 316 },
		  { FIELD_SOC, 99 }, { FIELD_REMAINING_CAPACITY, 199787 },
		  { FIELD_FULL_CHARGE_CAPACITY, 200000 },
		  { FIELD_CYCLE_COUNT, 0 }, { FIELD_CYCLE_CAPACITY, 85468 },
		  { FIELD_RUNTIME, 1449592 }, { FIELD_CURRENT, 0 },
		  { FIELD_HEATING, 1 }, END },
		{ -1 },
	},
	{
		"BLE-32S-01", VEC_BLE_32S_01_CELL_INFO, V32, 16,
		{ 3246, 3230, 3226, 3231, 3233, 3231, 3232, 3232, 3225, 3232,
		  3216, 3225, 3237, 3231, 3225, 3242 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 51689 }, { FIELD_CURRENT, 0 },
		  { FIELD_TEMPERATURE_1, 177 }, { FIELD_TEMPERATURE_2, 177 },
		  { FIELD_TEMPERATURE_MOS, 173 }, { FIELD_SOC, 52 },
		  { FIELD_RUNTIME, 107416 }, { FIELD_CHARGE_MOSFET, 1 },
		  { FIELD_DISCHARGE_MOSFET, 1 }, { FIELD_HEATING, 0 },
		  { FIELD_SOH, 100 }, { FIELD_REMAINING_CAPACITY, 1043 },
		  { FIELD_FULL_CHARGE_CAPACITY, 2000 },
		  { FIELD_CYCLE_COUNT, 0 }, { FIELD_TEMPERATURE_3, 173 },
		  { FIELD_TEMPERATURE_4, 179 }, { FIELD_TEMPERATURE_5, 180 },
		  { FIELD_CELL_COUNT, 16 }, END },
		{ -1 },
	},
	{
		"BLE-32S-02", VEC_BLE_32S_02_CELL_INFO, V32, 16,
		{ 3175, 3125, 3075, 3131, 3157, 3117, 3138, 3133, 2994, 3134,
		  2851, 3006, 3165, 3117, 3036, 3174 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 49526 }, { FIELD_TEMPERATURE_1, 168 },
		  { FIELD_TEMPERATURE_2, 170 }, { FIELD_TEMPERATURE_MOS, 182 },
		  { FIELD_SOC, 50 }, { FIELD_RUNTIME, 124641 },
		  { FIELD_CHARGE_MOSFET, 1 }, { FIELD_DISCHARGE_MOSFET, 1 },
		  { FIELD_CURRENT, 0 }, { FIELD_SOH, 100 },
		  { FIELD_REMAINING_CAPACITY, 1007 },
		  { FIELD_FULL_CHARGE_CAPACITY, 2000 },
		  { FIELD_CYCLE_COUNT, 0 }, { FIELD_HEATING, 0 }, END },
		{ -1 },
	},
	{
		"BLE-32S-03", VEC_BLE_32S_03_CELL_INFO, V32, 16,
		{ 3333, 3326, 3326, 3329, 3329, 3325, 3323, 3329, 3324, 3323,
		  3326, 3323, 3320, 3323, 3323, 3337 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 53224 }, { FIELD_CURRENT, 31881 },
		  { FIELD_TEMPERATURE_1, 134 }, { FIELD_TEMPERATURE_2, 128 },
		  { FIELD_TEMPERATURE_MOS, 129 }, { FIELD_SOC, 25 },
		  { FIELD_REMAINING_CAPACITY, 49286 },
		  { FIELD_FULL_CHARGE_CAPACITY, 200000 },
		  { FIELD_CYCLE_COUNT, 9 }, { FIELD_RUNTIME, 24530060 },
		  { FIELD_CHARGE_MOSFET, 1 }, { FIELD_DISCHARGE_MOSFET, 1 },
		  { FIELD_HEATING, 0 }, { FIELD_CYCLE_CAPACITY, 1859505 },
		  { FIELD_TEMPERATURE_3, 129 }, { FIELD_TEMPERATURE_4, 131 },
		  { FIELD_TEMPERATURE_5, 135 }, END },
		{ -1 },
	},
	{
		/* SW 11.48: no sensors at 256/258 although 214 says 0xFF */
		"BLE-32S-05", VEC_BLE_32S_05_CELL_INFO, V32, 8,
		{ 3315, 3315, 3315, 3312, 3313, 3312, 3313, 3313 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 26509 }, { FIELD_CURRENT, -7063 },
		  { FIELD_SOC, 68 }, { FIELD_SOH, 100 },
		  { FIELD_REMAINING_CAPACITY, 142464 },
		  { FIELD_FULL_CHARGE_CAPACITY, 210000 },
		  { FIELD_CYCLE_COUNT, 21 }, { FIELD_BALANCE_CURRENT, 0 },
		  { FIELD_ALARM_BITS, 0 }, { FIELD_TEMPERATURE_MOS, 310 },
		  { FIELD_TEMPERATURE_1, 284 }, { FIELD_TEMPERATURE_2, 292 },
		  { FIELD_TEMPERATURE_3, 310 }, { FIELD_CHARGE_MOSFET, 1 },
		  { FIELD_DISCHARGE_MOSFET, 1 },
		  { FIELD_BALANCING, BALANCING_OFF },
		  { FIELD_RUNTIME, 6877982 },
		  { FIELD_CYCLE_CAPACITY, 4481724 }, END },
		{ FIELD_TEMPERATURE_4, FIELD_TEMPERATURE_5, -1 },
	},
	{
		"BLE-32S-06", VEC_BLE_32S_06_CELL_INFO, V32, 16,
		{ 3333, 3326, 3326, 3329, 3329, 3325, 3323, 3329, 3324, 3323,
		  3326, 3323, 3320, 3323, 3323, 3337 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 53224 }, { FIELD_CURRENT, 31881 },
		  { FIELD_SOC, 25 }, { FIELD_SOH, 100 },
		  { FIELD_REMAINING_CAPACITY, 49286 },
		  { FIELD_FULL_CHARGE_CAPACITY, 200000 },
		  { FIELD_CYCLE_COUNT, 9 }, { FIELD_BALANCE_CURRENT, 0 },
		  { FIELD_ALARM_BITS, 0 }, { FIELD_TEMPERATURE_MOS, 129 },
		  { FIELD_TEMPERATURE_1, 134 }, { FIELD_TEMPERATURE_2, 128 },
		  { FIELD_TEMPERATURE_3, 205 }, { FIELD_TEMPERATURE_4, 195 },
		  { FIELD_TEMPERATURE_5, 191 }, { FIELD_CHARGE_MOSFET, 1 },
		  { FIELD_DISCHARGE_MOSFET, 1 },
		  { FIELD_BALANCING, BALANCING_OFF }, END },
		{ -1 },
	},
	{
		/* batmon negates the current: raw +33.292 A is charging */
		"BLE-32S-09", VEC_BLE_32S_09_CELL_INFO, V32, 4,
		{ 3357, 3341, 3354, 3352 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 13405 }, { FIELD_CURRENT, 33292 },
		  { FIELD_REMAINING_CAPACITY, 165500 },
		  { FIELD_FULL_CHARGE_CAPACITY, 251235 }, { FIELD_SOH, 79 },
		  { FIELD_CYCLE_CAPACITY, 107478918 },
		  { FIELD_CYCLE_COUNT, 427 }, { FIELD_SOC, 66 },
		  { FIELD_ALARM_BITS, 0x00080000 },
		  { FIELD_BALANCE_CURRENT, 1990 },
		  { FIELD_BALANCING, BALANCING_CHARGING },
		  { FIELD_TEMPERATURE_MOS, 374 }, { FIELD_TEMPERATURE_1, 300 },
		  { FIELD_TEMPERATURE_2, 304 }, END },
		{ FIELD_TEMPERATURE_4, FIELD_TEMPERATURE_5, -1 },
	},
	{
		"BLE-32S-11", VEC_BLE_32S_11_CELL_INFO, V32, 16,
		{ 3347, 3346, 3346, 3343, 3346, 3348, 3347, 3346, 3346, 3346,
		  3349, 3347, 3349, 3348, 3347, 3347 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 53541 }, { FIELD_CURRENT, 4380 },
		  { FIELD_SOC, 68 }, { FIELD_REMAINING_CAPACITY, 207016 },
		  { FIELD_FULL_CHARGE_CAPACITY, 304000 },
		  { FIELD_CYCLE_COUNT, 58 }, { FIELD_TEMPERATURE_MOS, 176 },
		  { FIELD_TEMPERATURE_1, 170 }, { FIELD_TEMPERATURE_2, 170 },
		  END },
		{ FIELD_TEMPERATURE_4, FIELD_TEMPERATURE_5, -1 },
	},
	{
		"BLE-32S-12", VEC_BLE_32S_12_CELL_INFO, V32, 16,
		{ 3293, 3293, 3293, 3293, 3293, 3293, 3294, 3293, 3294, 3294,
		  3294, 3294, 3294, 3293, 3294, 3293 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 52695 }, { FIELD_CURRENT, 0 },
		  { FIELD_SOC, 55 }, { FIELD_REMAINING_CAPACITY, 155219 },
		  { FIELD_FULL_CHARGE_CAPACITY, 280000 },
		  { FIELD_CYCLE_COUNT, 62 }, { FIELD_TEMPERATURE_MOS, 203 },
		  { FIELD_TEMPERATURE_1, 195 }, { FIELD_TEMPERATURE_2, 198 },
		  { FIELD_TEMPERATURE_3, 203 }, { FIELD_TEMPERATURE_4, 194 },
		  { FIELD_TEMPERATURE_5, 199 }, END },
		{ -1 },
	},
	{
		"BLE-32S-13", VEC_BLE_32S_13_CELL_INFO, V32, 8,
		{ 3357, 3357, 3357, 3356, 3356, 3357, 3356, 3356 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 26852 }, { FIELD_CURRENT, 17841 },
		  { FIELD_SOC, 88 }, { FIELD_REMAINING_CAPACITY, 193465 },
		  { FIELD_FULL_CHARGE_CAPACITY, 220000 },
		  { FIELD_CYCLE_COUNT, 101 }, { FIELD_TEMPERATURE_MOS, 300 },
		  { FIELD_TEMPERATURE_1, 296 }, { FIELD_TEMPERATURE_2, 294 },
		  { FIELD_TEMPERATURE_4, 286 }, { FIELD_TEMPERATURE_5, 286 },
		  END },
		{ -1 },
	},
	{
		"BLE-32S-14", VEC_BLE_32S_14_CELL_INFO, V32, 16,
		{ 3378, 3339, 3338, 3345, 3338, 3340, 3345, 3338, 3349, 3338,
		  3366, 3344, 3340, 3338, 3340, 3326 },
		0, { 0 },
		{ { FIELD_VOLTAGE, 53501 }, { FIELD_CURRENT, 0 },
		  { FIELD_SOC, 100 }, { FIELD_REMAINING_CAPACITY, 1999 },
		  { FIELD_FULL_CHARGE_CAPACITY, 2000 },
		  { FIELD_TEMPERATURE_MOS, 175 }, { FIELD_TEMPERATURE_1, 182 },
		  { FIELD_TEMPERATURE_2, 181 }, END },
		{ -1 },
	},
	{
		/* balance current 1.1719 A, 220 = 1 (charging balancer) */
		"BLE-04-01", VEC_BLE_04_01_CELL_INFO, V04, 16,
		{ 33527, 33586, 33556, 33571, 33571, 33556, 33556, 33571,
		  33556, 33556, 33556, 33541, 33556, 33556, 33541, 33556 },
		0, { 0 },
		{ { FIELD_RUNTIME, 1873811 },
		  { FIELD_BALANCING, BALANCING_CHARGING },
		  { FIELD_BALANCE_CURRENT, 1172 }, { FIELD_CELL_COUNT, 16 },
		  END },
		{ FIELD_VOLTAGE, FIELD_CURRENT, FIELD_SOC,
		  FIELD_TEMPERATURE_MOS, FIELD_TEMPERATURE_1, FIELD_ALARM_BITS,
		  -1 },
	},
	{
		/* the peer: -2.6 A +-0.05; the float says -2.5994 A */
		"BLE-04-02", VEC_BLE_04_02_CELL_INFO, V04, 16,
		{ 33167, 33279, 33204, 33279, 33191, 33254, 33179, 33303,
		  33204, 33241, 33216, 33241, 33204, 33291, 33216, 33191 },
		0, { 0 },
		{ { FIELD_RUNTIME, 591338 },
		  { FIELD_BALANCING, BALANCING_DISCHARGING },
		  { FIELD_BALANCE_CURRENT, -2599 }, END },
		{ FIELD_VOLTAGE, FIELD_CURRENT, FIELD_SOC, -1 },
	},
};

static struct jk_decoded dec, dec2;

static void decode_ok(const uint8_t *frame, enum jk_variant v,
		      struct jk_decoded *out)
{
	assert_int_equal(jk_frame_decode(frame, JK_FRAME_LEN, v, out), 0);
	assert_int_equal(out->type, JK_FRAME_CELL_INFO);
	assert_int_equal(out->variant, v);
	assert_int_equal(out->counter, frame[5]);
}

static void check_case(const struct cell_case *c)
{
	uint8_t frame[JK_FRAME_LEN];
	const struct field_values *f = &dec.fields;
	unsigned i;

	vec_frame(c->hex, frame);
	decode_ok(frame, c->variant, &dec);
	assert_int_equal(f->ncells, c->ncells);
	assert_true(field_has(f, FIELD_CELL_VOLTAGE));
	assert_true(field_has(f, FIELD_CELL_RESISTANCE));
	assert_true(field_has(f, FIELD_CELL_COUNT));
	assert_int_equal(f->num[FIELD_CELL_COUNT], c->ncells);
	for (i = 0; i < c->ncells; i++) {
		if (c->variant == V04) {
			int32_t d = 10 * f->cell_voltage[i] - c->cells[i];

			if (d < -5 || d > 5)
				fail_msg("%s cell %u: %d mV, want %d.%d",
					 c->name, i + 1, f->cell_voltage[i],
					 c->cells[i] / 10, c->cells[i] % 10);
		} else if (f->cell_voltage[i] != c->cells[i]) {
			fail_msg("%s cell %u: %d mV, want %d", c->name, i + 1,
				 f->cell_voltage[i], c->cells[i]);
		}
	}
	for (i = 0; i < c->nres; i++)
		assert_int_equal(f->cell_resistance[i], c->res[i]);
	for (i = 0; c->fields[i].id >= 0; i++) {
		int id = c->fields[i].id;

		if (!field_has(f, (enum field_id)id))
			fail_msg("%s: %s not set", c->name,
				 field_table[id].key);
		if (f->num[id] != c->fields[i].v)
			fail_msg("%s: %s = %lld, want %lld", c->name,
				 field_table[id].key, (long long)f->num[id],
				 (long long)c->fields[i].v);
	}
	for (i = 0; c->absent[i] >= 0; i++)
		if (field_has(f, (enum field_id)c->absent[i]))
			fail_msg("%s: %s set", c->name,
				 field_table[c->absent[i]].key);
	/* derived values are the model's, texts are device info's */
	for (i = 0; i < FIELD__MAX; i++)
		if ((field_table[i].flags & F_DERIVED) ||
		    field_table[i].type == FIELD_TYPE_TEXT)
			if (field_has(f, (enum field_id)i))
				fail_msg("%s: %s set", c->name,
					 field_table[i].key);
}

static void test_vectors(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
}

/* Every cell-info frame of A-C is covered by a case above. */
static void test_all_vectors_covered(void **state)
{
	size_t i, j, n = 0;

	for (i = 0; i < N_VECTORS; i++) {
		if (!vec_is_frame(&ble_vectors[i]) ||
		    strcmp(ble_vectors[i].what, "CELL_INFO"))
			continue;
		n++;
		for (j = 0; j < sizeof(cases) / sizeof(cases[0]); j++)
			if (cases[j].hex == ble_vectors[i].hex)
				break;
		if (j == sizeof(cases) / sizeof(cases[0]))
			fail_msg("%s has no case", ble_vectors[i].id);
		assert_int_equal(cases[j].variant, ble_vectors[i].variant);
	}
	assert_int_equal(n, sizeof(cases) / sizeof(cases[0]));
}

/* The two decodings hold the same set fields with the same values. */
static void assert_same_values(const struct field_values *a,
			       const struct field_values *b)
{
	unsigned i;

	assert_memory_equal(&a->set, &b->set, sizeof(a->set));
	assert_int_equal(a->ncells, b->ncells);
	for (i = 0; i < a->ncells; i++) {
		assert_int_equal(a->cell_voltage[i], b->cell_voltage[i]);
		assert_int_equal(a->cell_resistance[i], b->cell_resistance[i]);
	}
	for (i = 0; i < FIELD__MAX; i++) {
		if (!field_has(a, (enum field_id)i))
			continue;
		if (field_table[i].type == FIELD_TYPE_TEXT)
			assert_string_equal(a->text[i], b->text[i]);
		else if (field_table[i].type != FIELD_TYPE_CELLS &&
			 a->num[i] != b->num[i])
			fail_msg("%s: %lld != %lld", field_table[i].key,
				 (long long)a->num[i], (long long)b->num[i]);
	}
}

/* decode(encode(decode(vector))) == decode(vector), for every vector. */
static void test_vector_round_trip(void **state)
{
	uint8_t frame[JK_FRAME_LEN], out[JK_FRAME_LEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct cell_case *c = &cases[i];

		vec_frame(c->hex, frame);
		decode_ok(frame, c->variant, &dec);
		assert_int_equal(jk_frame_encode_cell_info(&dec.fields,
							   c->variant,
							   frame[5], out),
				 0);
		assert_int_equal(jk_frame_check(out, JK_FRAME_LEN), 0);
		decode_ok(out, c->variant, &dec2);
		assert_same_values(&dec.fields, &dec2.fields);
		/* the cells sit where the original had them */
		assert_memory_equal(out + 6, frame + 6,
				    c->variant == V04 ? 0 : 2 * c->ncells);
		assert_int_equal(jk_variant_from_frame(out, JK_FRAME_LEN),
				 c->variant);
	}
}

static void fill_common(struct field_values *v, unsigned ncells)
{
	unsigned i;

	field_values_reset(v);
	v->ncells = (uint8_t)ncells;
	for (i = 0; i < ncells; i++) {
		v->cell_voltage[i] = (int32_t)(2000 + 97 * i);
		v->cell_resistance[i] = (int32_t)(40 + i);
	}
	bits_set(&v->set, FIELD_CELL_VOLTAGE);
	bits_set(&v->set, FIELD_CELL_RESISTANCE);
	field_set_num(v, FIELD_CELL_COUNT, ncells);
	field_set_num(v, FIELD_BALANCING, BALANCING_DISCHARGING);
	field_set_num(v, FIELD_BALANCE_CURRENT, -1234);
	field_set_num(v, FIELD_RUNTIME, 4000000000);
}

static void fill_jk02(struct field_values *v, unsigned ncells)
{
	fill_common(v, ncells);
	field_set_num(v, FIELD_VOLTAGE, 3300000);
	field_set_num(v, FIELD_CURRENT, -250000);
	field_set_num(v, FIELD_TEMPERATURE_MOS, 450);
	field_set_num(v, FIELD_TEMPERATURE_1, -205);
	field_set_num(v, FIELD_TEMPERATURE_2, 0);
	field_set_num(v, FIELD_ALARM_BITS, 0x1234);
	field_set_num(v, FIELD_SOC, 100);
	field_set_num(v, FIELD_SOH, 0);
	field_set_num(v, FIELD_REMAINING_CAPACITY, 280000);
	field_set_num(v, FIELD_FULL_CHARGE_CAPACITY, 4294967295);
	field_set_num(v, FIELD_CYCLE_COUNT, 7);
	field_set_num(v, FIELD_CYCLE_CAPACITY, 123456789);
	field_set_num(v, FIELD_CHARGE_MOSFET, 1);
	field_set_num(v, FIELD_DISCHARGE_MOSFET, 0);
	field_set_num(v, FIELD_HEATING, 1);
}

static void round_trip(const struct field_values *v, enum jk_variant variant)
{
	uint8_t out[JK_FRAME_LEN];

	assert_int_equal(jk_frame_encode_cell_info(v, variant, 0x42, out), 0);
	decode_ok(out, variant, &dec);
	assert_int_equal(dec.counter, 0x42);
	assert_same_values(v, &dec.fields);
	assert_int_equal(jk_variant_from_frame(out, JK_FRAME_LEN), variant);
}

/* Synthetic values covering every slot of each layout. */
static void test_synthetic_round_trip(void **state)
{
	static struct field_values v;
	unsigned n;

	for (n = 1; n <= 24; n += 23) {
		fill_jk02(&v, n);
		round_trip(&v, V24);
		fill_jk02(&v, n);
		field_set_num(&v, FIELD_ALARM_BITS, 0xFFFFFFFF);
		field_set_num(&v, FIELD_REMAINING_CAPACITY, -5000);
		field_set_num(&v, FIELD_TEMPERATURE_3, -400);
		field_set_num(&v, FIELD_TEMPERATURE_4, 1);
		field_set_num(&v, FIELD_TEMPERATURE_5, 32767);
		round_trip(&v, V32);
		fill_common(&v, n);
		round_trip(&v, V04);
	}
	fill_jk02(&v, 32);
	round_trip(&v, V32);
	/* absent sensors stay absent: -200.0 degC and a clear bit */
	fill_jk02(&v, 16);
	bits_clear(&v.set, FIELD_TEMPERATURE_2);
	round_trip(&v, V24);
	bits_clear(&v.set, FIELD_TEMPERATURE_MOS);
	round_trip(&v, V32);
}

static void test_encode_errors(void **state)
{
	static struct field_values v;
	uint8_t out[JK_FRAME_LEN];

	fill_jk02(&v, 25);
	assert_int_equal(jk_frame_encode_cell_info(&v, V24, 0, out), -EINVAL);
	assert_int_equal(jk_frame_encode_cell_info(&v, V32, 0, out), 0);
	fill_jk02(&v, 4);
	assert_int_equal(jk_frame_encode_cell_info(&v, JK_VARIANT_AUTO, 0,
						   out),
			 -EINVAL);
	assert_int_equal(jk_frame_encode_cell_info(&v, JK_VARIANT_SERIAL, 0,
						   out),
			 -EOPNOTSUPP);
	field_set_num(&v, FIELD_SOC, 101);
	assert_int_equal(jk_frame_encode_cell_info(&v, V24, 0, out), -EINVAL);
	fill_jk02(&v, 4);
	field_set_num(&v, FIELD_TEMPERATURE_1, -2000);	/* the sentinel */
	assert_int_equal(jk_frame_encode_cell_info(&v, V32, 0, out), -EINVAL);
	fill_jk02(&v, 4);
	field_set_num(&v, FIELD_VOLTAGE, -1);
	assert_int_equal(jk_frame_encode_cell_info(&v, V24, 0, out), -EINVAL);
	fill_jk02(&v, 4);
	v.cell_voltage[2] = 70000;
	assert_int_equal(jk_frame_encode_cell_info(&v, V24, 0, out), -EINVAL);
	fill_common(&v, 4);
	v.cell_voltage[1] = 0;	/* would end the JK04 cells */
	assert_int_equal(jk_frame_encode_cell_info(&v, V04, 0, out), -EINVAL);
	fill_common(&v, 4);
	field_set_num(&v, FIELD_BALANCING, 3);
	assert_int_equal(jk_frame_encode_cell_info(&v, V04, 0, out), -EINVAL);
}

/* Out-of-range values on the wire: -ERANGE, the field left unset. */
static void test_decode_range(void **state)
{
	uint8_t frame[JK_FRAME_LEN];
	float nan;
	uint32_t bits = 0x7FC00000;

	vec_frame(VEC_BLE_24S_01_CELL_INFO, frame);
	frame[141] = 101;	/* SOC */
	frame[140] = 3;		/* balancing */
	frame[JK_FRAME_LEN - 1] += 101 - 85 + 3;
	assert_int_equal(jk_frame_decode(frame, JK_FRAME_LEN, V24, &dec),
			 -ERANGE);
	assert_false(field_has(&dec.fields, FIELD_SOC));
	assert_false(field_has(&dec.fields, FIELD_BALANCING));
	assert_true(field_has(&dec.fields, FIELD_SOH));
	assert_int_equal(dec.fields.ncells, 24);

	vec_frame(VEC_BLE_04_01_CELL_INFO, frame);
	memcpy(&nan, &bits, sizeof(nan));
	for (size_t i = 0; i < 4; i++)
		frame[JK_FRAME_LEN - 1] -= frame[6 + 4 * 3 + i];
	memcpy(frame + 6 + 4 * 3, &nan, sizeof(nan));
	for (size_t i = 0; i < 4; i++)
		frame[JK_FRAME_LEN - 1] += frame[6 + 4 * 3 + i];
	assert_int_equal(jk_frame_decode(frame, JK_FRAME_LEN, V04, &dec),
			 -ERANGE);
	assert_false(field_has(&dec.fields, FIELD_CELL_VOLTAGE));
	assert_true(field_has(&dec.fields, FIELD_RUNTIME));
}

/* 24S: the cell count is the run of mask bits from bit 0, at most 24. */
static void test_cell_mask(void **state)
{
	static struct field_values v;
	uint8_t out[JK_FRAME_LEN];

	fill_jk02(&v, 24);
	assert_int_equal(jk_frame_encode_cell_info(&v, V24, 0, out), 0);
	out[57] = 0xFF;		/* mask 0xFFFFFFFF */
	out[JK_FRAME_LEN - 1] += 0xFF;
	decode_ok(out, V24, &dec);
	assert_int_equal(dec.fields.ncells, 24);
	out[55] = 0xF7;		/* bit 11 clear */
	out[JK_FRAME_LEN - 1] -= 8;
	decode_ok(out, V24, &dec);
	assert_int_equal(dec.fields.ncells, 11);
	fill_jk02(&v, 0);
	bits_clear(&v.set, FIELD_CELL_VOLTAGE);
	assert_int_equal(jk_frame_encode_cell_info(&v, V32, 0, out), 0);
	decode_ok(out, V32, &dec);
	assert_int_equal(dec.fields.ncells, 0);
	assert_false(field_has(&dec.fields, FIELD_CELL_VOLTAGE));
	assert_int_equal(dec.fields.num[FIELD_CELL_COUNT], 0);
}

/* protocols.md 1.4 checks; the dbus-serialbattery PB test cases. */
static void test_frame_check(void **state)
{
	uint8_t frame[JK_FRAME_LEN + 1];
	size_t i;

	for (i = 0; i < N_VECTORS; i++) {
		if (!vec_is_frame(&ble_vectors[i]))
			continue;
		vec_frame(ble_vectors[i].hex, frame);
		assert_int_equal(jk_frame_check(frame, JK_FRAME_LEN), 0);
	}
	vec_frame(VEC_BLE_32S_12_CELL_INFO, frame);
	assert_int_equal(jk_frame_check(frame, 299), -EAGAIN);
	assert_int_equal(jk_frame_check(frame, 301), -EBADMSG);
	assert_int_equal(jk_frame_check(NULL, 300), -EINVAL);
	frame[299] ^= 1;
	assert_int_equal(jk_frame_check(frame, 300), -EBADMSG);
	frame[299] ^= 1;
	frame[50] ^= 1;
	assert_int_equal(jk_frame_check(frame, 300), -EBADMSG);
	frame[50] ^= 1;
	frame[0] = 0x56;
	frame[299]++;
	assert_int_equal(jk_frame_check(frame, 300), -EBADMSG);
	frame[0] = 0x55;
	frame[4] = 0x04;	/* unknown type */
	frame[299] += 0x04 - 0x02 - 1;
	assert_int_equal(jk_frame_check(frame, 300), -EPROTO);
	assert_int_equal(jk_frame_decode(frame, 300, V32, &dec), -EPROTO);
}

static void test_type_names(void **state)
{
	assert_string_equal(jk_frame_type_name(JK_FRAME_SETTINGS), "settings");
	assert_string_equal(jk_frame_type_name(JK_FRAME_CELL_INFO),
			    "cell_info");
	assert_string_equal(jk_frame_type_name(JK_FRAME_DEVICE_INFO),
			    "device_info");
	assert_string_equal(jk_frame_type_name(JK_FRAME_LOGBOOK), "logbook");
	assert_null(jk_frame_type_name((enum jk_frame_type)4));
	assert_null(jk_frame_type_name((enum jk_frame_type)0));
}

/* The dispatcher: variants, resets, and every vector frame decodes. */
static void test_dispatch(void **state)
{
	uint8_t frame[JK_FRAME_LEN];
	size_t i;

	vec_frame(VEC_BLE_24S_01_CELL_INFO, frame);
	assert_int_equal(jk_frame_decode(frame, 300, JK_VARIANT_AUTO, &dec),
			 -EINVAL);
	assert_int_equal(jk_frame_decode(frame, 300, JK_VARIANT_SERIAL, &dec),
			 -EOPNOTSUPP);
	assert_int_equal(jk_frame_decode(frame, 300, (enum jk_variant)42,
					 &dec),
			 -EINVAL);
	assert_int_equal(jk_frame_decode(frame, 300, V24, NULL), -EINVAL);
	decode_ok(frame, V24, &dec);
	/* a device-info frame next: the cell fields are gone */
	vec_frame(VEC_BLE_24S_01_DEVICE_INFO, frame);
	assert_int_equal(jk_frame_decode(frame, 300, JK_VARIANT_AUTO, &dec),
			 0);
	assert_int_equal(dec.type, JK_FRAME_DEVICE_INFO);
	assert_int_equal(dec.fields.ncells, 0);
	assert_false(field_has(&dec.fields, FIELD_CELL_VOLTAGE));
	assert_false(field_has(&dec.fields, FIELD_VOLTAGE));
	assert_true(field_has(&dec.fields, FIELD_MODEL));
	assert_false(bits_any(&dec.settings.set));
	/* every frame decodes with its vector's variant */
	for (i = 0; i < N_VECTORS; i++) {
		const struct ble_vector *v = &ble_vectors[i];
		int r;

		if (!vec_is_frame(v))
			continue;
		vec_frame(v->hex, frame);
		r = jk_frame_decode(frame, 300, v->variant, &dec);
		if (r)
			fail_msg("%s %s: %d", v->id, v->what, r);
		assert_int_equal(dec.type, frame[4]);
		assert_int_equal(dec.counter, frame[5]);
		if (dec.type == JK_FRAME_SETTINGS)
			assert_true(bits_any(&dec.settings.set));
		if (dec.type != JK_FRAME_SETTINGS)
			assert_true(bits_any(&dec.fields.set) ||
				    dec.type == JK_FRAME_LOGBOOK);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_all_vectors_covered),
		cmocka_unit_test(test_vector_round_trip),
		cmocka_unit_test(test_synthetic_round_trip),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_decode_range),
		cmocka_unit_test(test_cell_mask),
		cmocka_unit_test(test_frame_check),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_dispatch),
	};

	return cmocka_run_group_tests_name("cell-info", tests, NULL, NULL);
}
