/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state model: merging frames, derived values (vectors BLE-24S-01,
 * BLE-24S-03, BLE-32S-05, BLE-32S-06 give cells, V and I with the values
 * peers compute from them), the changed-mask, energy integration and
 * clearing live values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/fields.h"
#include "jkbms/frame.h"
#include "jkbms/state.h"

#define SEC UINT64_C(1000000)

static struct jk_decoded dec;
static struct bms_state st;

static struct jk_decoded *frame(enum jk_frame_type type)
{
	memset(&dec, 0, sizeof(dec));
	dec.type = type;
	dec.variant = JK_VARIANT_JK02_24S;
	return &dec;
}

static void set_cells(struct field_values *v, const int32_t *mv, unsigned n)
{
	memcpy(v->cell_voltage, mv, n * sizeof(mv[0]));
	v->ncells = (uint8_t)n;
	bits_set(&v->set, FIELD_CELL_VOLTAGE);
}

/* A cell-info frame with V and I (mV, mA). */
static struct jk_decoded *cell_frame(int64_t mv, int64_t ma)
{
	struct jk_decoded *d = frame(JK_FRAME_CELL_INFO);

	field_set_num(&d->fields, FIELD_VOLTAGE, mv);
	field_set_num(&d->fields, FIELD_CURRENT, ma);
	return d;
}

static bool changed(const struct bits *b, enum field_id id)
{
	return bits_test(b, (unsigned)id);
}

static void test_init(void **state)
{
	int i;

	memset(&st, 0xa5, sizeof(st));
	state_init(&st, JK_VARIANT_JK02_32S);
	assert_int_equal(st.variant, JK_VARIANT_JK02_32S);
	assert_false(bits_any(&st.v.set));
	assert_false(bits_any(&st.changed));
	assert_false(bits_any(&st.settings.set));
	assert_int_equal(st.live_usec, 0);
	assert_int_equal(st.energy_usec, 0);
	for (i = 0; i < FIELD__MAX; i++)
		assert_false(field_has(&st.v, (enum field_id)i));
}

/* BLE-24S-01: esphome's min/max/delta/avg computed from the cells. */
static void test_derive_cells_24s_01(void **state)
{
	static const int32_t mv[24] = {
		3284, 3280, 3279, 3280, 3280, 3279, 3279, 3281,
		3280, 3279, 3280, 3279, 3282, 3284, 3279, 3279,
		3280, 3279, 3281, 3282, 3282, 3282, 3285, 3281,
	};
	struct field_values v;

	memset(&v, 0, sizeof(v));
	set_cells(&v, mv, 24);
	state_derive(&v);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_MIN], 3279);
	assert_int_equal(v.num[FIELD_CELL_MIN_INDEX], 3); /* first min */
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_MAX], 3285);
	assert_int_equal(v.num[FIELD_CELL_MAX_INDEX], 23);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_DELTA], 6);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_AVG], 3281);
}

/* BLE-32S-02: large delta; SER-01: min cell 9, max cell 12. */
static void test_derive_cells_more(void **state)
{
	static const int32_t v14[16] = {
		3175, 3125, 3075, 3131, 3157, 3117, 3138, 3133,
		2994, 3134, 2851, 3006, 3165, 3117, 3036, 3174,
	};
	static const int32_t ser[14] = {
		3821, 3834, 3831, 3820, 3832, 3834, 3825,
		3832, 3811, 3834, 3825, 3835, 3835, 3826,
	};
	struct field_values v;

	memset(&v, 0, sizeof(v));
	set_cells(&v, v14, 16);
	state_derive(&v);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_MAX], 3175);
	assert_int_equal(v.num[FIELD_CELL_MAX_INDEX], 1);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_MIN], 2851);
	assert_int_equal(v.num[FIELD_CELL_MIN_INDEX], 11);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_DELTA], 324);
	/* 49528 / 16 = 3095.5: halves away from zero */
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_AVG], 3096);

	memset(&v, 0, sizeof(v));
	set_cells(&v, ser, 14);
	state_derive(&v);
	assert_int_equal(v.num[FIELD_CELL_MIN_INDEX], 9);
	assert_int_equal(v.num[FIELD_CELL_MAX_INDEX], 12); /* first max */
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_DELTA], 24);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_AVG], 3828);
}

static void test_derive_ties_and_rounding(void **state)
{
	static const int32_t ties[5] = { 3300, 3310, 3310, 3290, 3290 };
	static const int32_t one[1] = { 3333 };
	static const int32_t up[3] = { 3000, 3001, 3001 };   /* 3000.67 */
	static const int32_t down[3] = { 3000, 3000, 3001 }; /* 3000.33 */
	static const int32_t flat[4] = { 3200, 3200, 3200, 3200 };
	struct field_values v;

	memset(&v, 0, sizeof(v));
	set_cells(&v, ties, 5);
	state_derive(&v);
	assert_int_equal(v.num[FIELD_CELL_MAX_INDEX], 2);
	assert_int_equal(v.num[FIELD_CELL_MIN_INDEX], 4);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_AVG], 3300);

	set_cells(&v, one, 1);
	state_derive(&v);
	assert_int_equal(v.num[FIELD_CELL_MIN_INDEX], 1);
	assert_int_equal(v.num[FIELD_CELL_MAX_INDEX], 1);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_DELTA], 0);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_AVG], 3333);

	set_cells(&v, up, 3);
	state_derive(&v);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_AVG], 3001);
	set_cells(&v, down, 3);
	state_derive(&v);
	assert_int_equal(v.num[FIELD_CELL_VOLTAGE_AVG], 3000);

	set_cells(&v, flat, 4);
	state_derive(&v);
	assert_int_equal(v.num[FIELD_CELL_MIN_INDEX], 1);
	assert_int_equal(v.num[FIELD_CELL_MAX_INDEX], 1);

	/* no cells: no statistics */
	v.ncells = 0;
	state_derive(&v);
	assert_false(field_has(&v, FIELD_CELL_VOLTAGE_MIN));
	assert_false(field_has(&v, FIELD_CELL_VOLTAGE_AVG));
	assert_false(field_has(&v, FIELD_CELL_MAX_INDEX));
	set_cells(&v, flat, 4);
	bits_clear(&v.set, FIELD_CELL_VOLTAGE);
	state_derive(&v);
	assert_false(field_has(&v, FIELD_CELL_VOLTAGE_DELTA));
}

/* Power as aiobmsble derives it (V x I): BLE-24S-03, -32S-05, -32S-06. */
static void test_derive_power(void **state)
{
	static const struct {
		int64_t mv, ma, mw;
	} cases[] = {
		{ 52971, 2329, 123369 },   /* 123.369 W */
		{ 26509, -7063, -187233 }, /* -187.233 W */
		{ 53224, 31881, 1696834 }, /* 1696.834 W */
		{ 78735, 0, 0 },
		{ 1000, 1, 1 },
		{ 1500, 1, 2 },   /* 1.5 mW rounds up */
		{ 1500, -1, -2 }, /* and away from zero */
		{ 1499, 1, 1 },
	};
	struct field_values v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&v, 0, sizeof(v));
		field_set_num(&v, FIELD_VOLTAGE, cases[i].mv);
		field_set_num(&v, FIELD_CURRENT, cases[i].ma);
		state_derive(&v);
		assert_true(field_has(&v, FIELD_POWER));
		assert_int_equal(v.num[FIELD_POWER], cases[i].mw);
	}
	memset(&v, 0, sizeof(v));
	field_set_num(&v, FIELD_VOLTAGE, 52000);
	state_derive(&v);
	assert_false(field_has(&v, FIELD_POWER));
	/* nonsense that would overflow: no power rather than garbage */
	field_set_num(&v, FIELD_CURRENT, INT64_MAX / 2);
	state_derive(&v);
	assert_false(field_has(&v, FIELD_POWER));
}

static void test_derive_alarms(void **state)
{
	struct field_values v;

	memset(&v, 0, sizeof(v));
	state_derive(&v);
	assert_false(field_has(&v, FIELD_ALARMS));
	field_set_num(&v, FIELD_ALARM_BITS, 0x80000);
	state_derive(&v);
	assert_true(field_has(&v, FIELD_ALARMS));
	assert_int_equal(v.num[FIELD_ALARMS], 0x80000);
	field_set_num(&v, FIELD_ALARM_BITS, 0);
	state_derive(&v);
	assert_true(field_has(&v, FIELD_ALARMS)); /* empty list */
	assert_int_equal(v.num[FIELD_ALARMS], 0);
	bits_clear(&v.set, FIELD_ALARM_BITS);
	state_derive(&v);
	assert_false(field_has(&v, FIELD_ALARMS));
}

static void test_apply_and_changed(void **state)
{
	static const int32_t mv[4] = { 3357, 3341, 3354, 3352 };
	struct jk_decoded *d;
	struct bits c;
	unsigned i;

	state_init(&st, JK_VARIANT_JK02_32S);
	d = cell_frame(13405, 33292);
	set_cells(&d->fields, mv, 4);
	field_set_num(&d->fields, FIELD_SOC, 66);
	field_set_num(&d->fields, FIELD_TEMPERATURE_1, 300);
	field_set_num(&d->fields, FIELD_ALARM_BITS, 0x80000);
	state_apply(&st, d, 10 * SEC);
	assert_int_equal(st.live_usec, 10 * SEC);

	c = state_take_changed(&st);
	assert_true(changed(&c, FIELD_VOLTAGE));
	assert_true(changed(&c, FIELD_CELL_VOLTAGE));
	assert_true(changed(&c, FIELD_CELL_VOLTAGE_MIN));
	assert_true(changed(&c, FIELD_CELL_MIN_INDEX));
	assert_true(changed(&c, FIELD_POWER));
	assert_true(changed(&c, FIELD_ALARMS));
	assert_true(changed(&c, FIELD_ENERGY_CHARGED)); /* appears at 0 */
	assert_false(changed(&c, FIELD_TEMPERATURE_2));
	assert_false(changed(&c, FIELD_MODEL));
	assert_int_equal(st.v.num[FIELD_CELL_VOLTAGE_MIN], 3341);
	assert_int_equal(st.v.num[FIELD_CELL_MIN_INDEX], 2);
	assert_int_equal(st.v.num[FIELD_POWER], 446279); /* 446.279 W */
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 0);
	/* exactly the set fields changed */
	for (i = 0; i < FIELD__MAX; i++)
		assert_int_equal(changed(&c, (enum field_id)i),
				 field_has(&st.v, (enum field_id)i));

	/* the same frame again: nothing changed but the energy */
	state_apply(&st, d, 11 * SEC);
	c = state_take_changed(&st);
	for (i = 0; i < FIELD__MAX; i++)
		if (i != FIELD_ENERGY_CHARGED)
			assert_false(changed(&c, (enum field_id)i));

	/* one cell moves: the list and what derives from it */
	d->fields.cell_voltage[1] = 3340;
	state_apply(&st, d, 11 * SEC);
	c = state_take_changed(&st);
	assert_true(changed(&c, FIELD_CELL_VOLTAGE));
	assert_true(changed(&c, FIELD_CELL_VOLTAGE_MIN));
	assert_true(changed(&c, FIELD_CELL_VOLTAGE_DELTA));
	assert_false(changed(&c, FIELD_CELL_VOLTAGE_MAX));
	assert_false(changed(&c, FIELD_CELL_MIN_INDEX));
	assert_false(changed(&c, FIELD_VOLTAGE));
	assert_false(changed(&c, FIELD_SOC));

	/* a cell fewer: changed though the values of the rest agree */
	d->fields.ncells = 3;
	state_apply(&st, d, 11 * SEC);
	c = state_take_changed(&st);
	assert_true(changed(&c, FIELD_CELL_VOLTAGE));
	assert_int_equal(st.v.ncells, 3);

	/* a sensor disappears from the next cell-info frame */
	bits_clear(&d->fields.set, FIELD_TEMPERATURE_1);
	state_apply(&st, d, 11 * SEC);
	c = state_take_changed(&st);
	assert_true(changed(&c, FIELD_TEMPERATURE_1));
	assert_false(field_has(&st.v, FIELD_TEMPERATURE_1));
	assert_false(changed(&c, FIELD_SOC));

	/* and comes back */
	field_set_num(&d->fields, FIELD_TEMPERATURE_1, 300);
	state_apply(&st, d, 11 * SEC);
	c = state_take_changed(&st);
	assert_true(changed(&c, FIELD_TEMPERATURE_1));

	/* alarms follow their bits */
	field_set_num(&d->fields, FIELD_ALARM_BITS, 0);
	state_apply(&st, d, 11 * SEC);
	c = state_take_changed(&st);
	assert_true(changed(&c, FIELD_ALARM_BITS));
	assert_true(changed(&c, FIELD_ALARMS));
	assert_true(field_has(&st.v, FIELD_ALARMS));

	/* take_changed cleared the mask */
	c = state_take_changed(&st);
	assert_false(bits_any(&c));
}

/* Device info and settings add to the state; they remove nothing. */
static void test_apply_info_and_settings(void **state)
{
	struct jk_decoded *d;
	struct bits c;

	state_init(&st, JK_VARIANT_JK02_24S);
	state_apply(&st, cell_frame(52000, 1000), 1 * SEC);
	state_take_changed(&st);

	d = frame(JK_FRAME_DEVICE_INFO);
	strcpy(d->fields.text[FIELD_MODEL], "JK-B2A24S20P");
	bits_set(&d->fields.set, FIELD_MODEL);
	strcpy(d->fields.text[FIELD_SOFTWARE_VERSION], "10.07");
	bits_set(&d->fields.set, FIELD_SOFTWARE_VERSION);
	field_set_num(&d->fields, FIELD_UPTIME, 269100);
	state_apply(&st, d, 2 * SEC);
	assert_int_equal(st.info_usec, 2 * SEC);
	c = state_take_changed(&st);
	assert_true(changed(&c, FIELD_MODEL));
	assert_true(changed(&c, FIELD_UPTIME));
	assert_true(changed(&c, FIELD_VARIANT));
	assert_int_equal(st.v.num[FIELD_VARIANT], JK_VARIANT_JK02_24S);
	assert_string_equal(st.v.text[FIELD_MODEL], "JK-B2A24S20P");
	assert_false(changed(&c, FIELD_VOLTAGE));
	assert_true(field_has(&st.v, FIELD_VOLTAGE));
	assert_int_equal(st.live_usec, 1 * SEC);

	/* same info: nothing; another name: just that */
	state_apply(&st, d, 3 * SEC);
	c = state_take_changed(&st);
	assert_false(bits_any(&c));
	strcpy(d->fields.text[FIELD_SOFTWARE_VERSION], "10.08");
	state_apply(&st, d, 3 * SEC);
	c = state_take_changed(&st);
	assert_true(changed(&c, FIELD_SOFTWARE_VERSION));
	assert_false(changed(&c, FIELD_MODEL));

	/* settings merge into their own mask */
	d = frame(JK_FRAME_SETTINGS);
	d->settings.val[SETTING_CELL_OVP] = 3650;
	bits_set(&d->settings.set, SETTING_CELL_OVP);
	d->settings.val[SETTING_CELL_UVP] = 2800;
	bits_set(&d->settings.set, SETTING_CELL_UVP);
	state_apply(&st, d, 4 * SEC);
	assert_int_equal(st.settings_usec, 4 * SEC);
	assert_true(bits_test(&st.settings_changed, SETTING_CELL_OVP));
	assert_true(bits_test(&st.settings.set, SETTING_CELL_UVP));
	c = state_take_settings_changed(&st);
	assert_true(bits_test(&c, SETTING_CELL_OVP));
	assert_false(bits_any(&st.settings_changed));
	c = state_take_changed(&st);
	assert_false(bits_any(&c));
	assert_true(field_has(&st.v, FIELD_VOLTAGE));

	/* a settings frame with only one of them keeps the other */
	bits_clear(&d->settings.set, SETTING_CELL_UVP);
	d->settings.val[SETTING_CELL_OVP] = 3600;
	state_apply(&st, d, 5 * SEC);
	assert_true(bits_test(&st.settings_changed, SETTING_CELL_OVP));
	assert_false(bits_test(&st.settings_changed, SETTING_CELL_UVP));
	assert_int_equal(st.settings.val[SETTING_CELL_UVP], 2800);
	assert_int_equal(st.settings.val[SETTING_CELL_OVP], 3600);
	/* state_take_changed clears both masks */
	state_take_changed(&st);
	assert_false(bits_any(&st.settings_changed));
	state_apply(&st, d, 6 * SEC);
	assert_false(bits_any(&st.settings_changed));
}

static void test_apply_variant(void **state)
{
	struct jk_decoded *d;

	state_init(&st, JK_VARIANT_AUTO);
	d = frame(JK_FRAME_DEVICE_INFO);
	d->variant = JK_VARIANT_JK02_32S;
	state_apply(&st, d, SEC);
	assert_int_equal(st.v.num[FIELD_VARIANT], JK_VARIANT_JK02_32S);

	state_init(&st, JK_VARIANT_AUTO);
	d->variant = JK_VARIANT_AUTO;
	state_apply(&st, d, SEC);
	assert_false(field_has(&st.v, FIELD_VARIANT));

	state_init(&st, JK_VARIANT_JK04);
	d->variant = JK_VARIANT_JK02_24S;
	state_apply(&st, d, SEC);
	assert_int_equal(st.v.num[FIELD_VARIANT], JK_VARIANT_JK04);
}

/* Derived and bank-only values in a frame are the model's, not the BMS's. */
static void test_apply_ignores_derived(void **state)
{
	struct jk_decoded *d = frame(JK_FRAME_CELL_INFO);

	state_init(&st, JK_VARIANT_JK02_24S);
	field_set_num(&d->fields, FIELD_POWER, 999);
	field_set_num(&d->fields, FIELD_CELL_VOLTAGE_AVG, 3281);
	field_set_num(&d->fields, FIELD_ENERGY_CHARGED, 5);
	field_set_num(&d->fields, FIELD_MEMBER_COUNT, 3);
	field_set_num(&d->fields, FIELD_SOC, 50);
	state_apply(&st, d, SEC);
	assert_false(field_has(&st.v, FIELD_POWER));
	assert_false(field_has(&st.v, FIELD_CELL_VOLTAGE_AVG));
	assert_false(field_has(&st.v, FIELD_ENERGY_CHARGED));
	assert_false(field_has(&st.v, FIELD_MEMBER_COUNT));
	assert_true(field_has(&st.v, FIELD_SOC));
}

/* Feeds constant V and I every 'step' seconds for 'n' intervals. */
static uint64_t feed(uint64_t t, int64_t mv, int64_t ma, uint64_t step,
		     unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		t += step;
		state_apply(&st, cell_frame(mv, ma), t);
	}
	return t;
}

static void test_energy_exact(void **state)
{
	uint64_t t = SEC;

	/* 1000 W for one hour in 1 s steps: exactly 1 kWh */
	state_init(&st, JK_VARIANT_JK02_32S);
	assert_false(field_has(&st.v, FIELD_ENERGY_CHARGED));
	state_apply(&st, cell_frame(50000, 20000), t);
	assert_true(field_has(&st.v, FIELD_ENERGY_CHARGED));
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 0);
	t = feed(t, 50000, 20000, SEC, 3600);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 1000000);
	assert_int_equal(st.v.num[FIELD_ENERGY_DISCHARGED], 0);

	/* discharging 500 W for 30 min in 0.5 s steps: 0.25 kWh */
	state_apply(&st, cell_frame(50000, -10000), t);
	t = feed(t, 50000, -10000, SEC / 2, 3600);
	/* the switch happened at one instant: no mixed interval */
	assert_int_equal(st.v.num[FIELD_ENERGY_DISCHARGED], 250000);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 1000000);
}

/* 1 mW sampled each second: nothing is lost below a whole mWh. */
static void test_energy_remainder(void **state)
{
	uint64_t t = SEC;

	state_init(&st, JK_VARIANT_JK02_32S);
	state_apply(&st, cell_frame(1000, 1), t);
	t = feed(t, 1000, 1, SEC, 3599);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 0);
	t = feed(t, 1000, 1, SEC, 1);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 1);
	t = feed(t, 1000, 1, SEC / 100, 3600 * 100);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 2);
	/* and discharging alike, kept apart */
	state_init(&st, JK_VARIANT_JK02_32S);
	state_apply(&st, cell_frame(1000, -1), t);
	feed(t, 1000, -1, 3 * SEC, 1200);
	assert_int_equal(st.v.num[FIELD_ENERGY_DISCHARGED], 1);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 0);
}

/* +3.6 W and -3.6 W alternating each second: 0.5 mWh per interval each. */
static void test_energy_sign_change(void **state)
{
	uint64_t t = SEC;
	unsigned i;

	state_init(&st, JK_VARIANT_JK02_32S);
	for (i = 0; i <= 100; i++, t += SEC)
		state_apply(&st, cell_frame(3600, i % 2 ? -1000 : 1000), t);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 50);
	assert_int_equal(st.v.num[FIELD_ENERGY_DISCHARGED], 50);
}

static void test_energy_gaps(void **state)
{
	uint64_t t = 100 * SEC;
	struct bits c;

	/* 3.6 W = 1 mWh per second */
	state_init(&st, JK_VARIANT_JK02_32S);
	state_apply(&st, cell_frame(3600, 1000), t);
	t = feed(t, 3600, 1000, SEC, 10);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 10);

	/* a gap over 60 s is skipped, the next interval counts */
	t += 61 * SEC;
	state_apply(&st, cell_frame(3600, 1000), t);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 10);
	t = feed(t, 3600, 1000, SEC, 1);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 11);
	/* exactly 60 s still counts */
	t = feed(t, 3600, 1000, 60 * SEC, 1);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 71);

	/* time going backwards: no spike, restart from there */
	t -= 50 * SEC;
	state_apply(&st, cell_frame(3600, 1000), t);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 71);
	t = feed(t, 3600, 1000, SEC, 1);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 72);

	/* the same instant twice: nothing */
	state_apply(&st, cell_frame(3600, 1000), t);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 72);

	/* a frame without current: no power, no interval across it */
	state_apply(&st, frame(JK_FRAME_CELL_INFO), t + SEC);
	assert_false(field_has(&st.v, FIELD_POWER));
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 72);
	state_apply(&st, cell_frame(3600, 1000), t + 2 * SEC);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 72);
	state_apply(&st, cell_frame(3600, 1000), t + 3 * SEC);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 73);

	/* other frames do not integrate */
	state_take_changed(&st);
	state_apply(&st, frame(JK_FRAME_SETTINGS), t + 4 * SEC);
	c = state_take_changed(&st);
	assert_false(bits_any(&c));
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 73);

	/* absurd power (TW) would overflow: the interval is skipped */
	state_apply(&st, cell_frame(INT32_MAX, INT32_MAX), t + 5 * SEC);
	state_apply(&st, cell_frame(INT32_MAX, INT32_MAX), t + 65 * SEC);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 73);
	assert_int_equal(st.v.num[FIELD_ENERGY_DISCHARGED], 0);
}

static void test_energy_restore(void **state)
{
	uint64_t t = SEC;
	struct bits c;

	state_init(&st, JK_VARIANT_JK02_32S);
	state_set_energy(&st, 1234567, 7654321);
	c = state_take_changed(&st);
	assert_true(changed(&c, FIELD_ENERGY_CHARGED));
	assert_true(changed(&c, FIELD_ENERGY_DISCHARGED));
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 1234567);

	/* the first sample keeps the restored values */
	state_apply(&st, cell_frame(3600, -1000), t);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 1234567);
	assert_int_equal(st.v.num[FIELD_ENERGY_DISCHARGED], 7654321);
	c = state_take_changed(&st);
	assert_false(changed(&c, FIELD_ENERGY_DISCHARGED));
	feed(t, 3600, -1000, SEC, 5);
	assert_int_equal(st.v.num[FIELD_ENERGY_DISCHARGED], 7654326);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 1234567);

	/* restoring the same values again is not a change */
	state_take_changed(&st);
	state_set_energy(&st, 1234567, 7654326);
	c = state_take_changed(&st);
	assert_false(bits_any(&c));
}

static void test_clear_live(void **state)
{
	static const int32_t mv[2] = { 3300, 3310 };
	struct jk_decoded *d;
	uint64_t t = SEC;
	struct bits c;

	state_init(&st, JK_VARIANT_JK02_24S);
	d = frame(JK_FRAME_DEVICE_INFO);
	strcpy(d->fields.text[FIELD_MODEL], "JK-B2A24S20P");
	bits_set(&d->fields.set, FIELD_MODEL);
	state_apply(&st, d, t);
	d = frame(JK_FRAME_SETTINGS);
	d->settings.val[SETTING_CELL_OVP] = 3650;
	bits_set(&d->settings.set, SETTING_CELL_OVP);
	state_apply(&st, d, t);
	d = cell_frame(3600, 1000);
	set_cells(&d->fields, mv, 2);
	state_apply(&st, d, t);
	t = feed(t, 3600, 1000, SEC, 2);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 2);
	state_take_changed(&st);

	state_clear_live(&st);
	c = state_take_changed(&st);
	assert_true(changed(&c, FIELD_VOLTAGE));
	assert_true(changed(&c, FIELD_POWER));
	assert_false(changed(&c, FIELD_CELL_VOLTAGE)); /* feed() had none */
	assert_false(field_has(&st.v, FIELD_VOLTAGE));
	assert_false(field_has(&st.v, FIELD_POWER));
	assert_int_equal(st.v.ncells, 0);
	assert_int_equal(st.live_usec, 0);
	/* kept: device info, settings, energy */
	assert_false(changed(&c, FIELD_MODEL));
	assert_false(changed(&c, FIELD_ENERGY_CHARGED));
	assert_true(field_has(&st.v, FIELD_MODEL));
	assert_true(field_has(&st.v, FIELD_VARIANT));
	assert_true(bits_test(&st.settings.set, SETTING_CELL_OVP));
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 2);

	/* clearing twice changes nothing more */
	state_clear_live(&st);
	c = state_take_changed(&st);
	assert_false(bits_any(&c));

	/* back after 10 s: that interval is not counted, the next are */
	t += 10 * SEC;
	state_apply(&st, cell_frame(3600, 1000), t);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 2);
	feed(t, 3600, 1000, SEC, 3);
	assert_int_equal(st.v.num[FIELD_ENERGY_CHARGED], 5);

	/* cells cleared and back */
	d = cell_frame(3600, 1000);
	set_cells(&d->fields, mv, 2);
	state_apply(&st, d, t + 10 * SEC);
	assert_int_equal(st.v.ncells, 2);
	state_clear_live(&st);
	c = state_take_changed(&st);
	assert_true(changed(&c, FIELD_CELL_VOLTAGE));
	assert_true(changed(&c, FIELD_CELL_VOLTAGE_MIN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_derive_cells_24s_01),
		cmocka_unit_test(test_derive_cells_more),
		cmocka_unit_test(test_derive_ties_and_rounding),
		cmocka_unit_test(test_derive_power),
		cmocka_unit_test(test_derive_alarms),
		cmocka_unit_test(test_apply_and_changed),
		cmocka_unit_test(test_apply_info_and_settings),
		cmocka_unit_test(test_apply_variant),
		cmocka_unit_test(test_apply_ignores_derived),
		cmocka_unit_test(test_energy_exact),
		cmocka_unit_test(test_energy_remainder),
		cmocka_unit_test(test_energy_sign_change),
		cmocka_unit_test(test_energy_gaps),
		cmocka_unit_test(test_energy_restore),
		cmocka_unit_test(test_clear_live),
	};

	return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
