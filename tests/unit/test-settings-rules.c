/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Settings validation: every edge of every range of every writable setting
 * on every variant that has it, every rule between settings from both
 * sides, the 0.1 C warning, and the text form of values.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/settings-rules.h"
#include "jkbms/settings.h"
#include "jkbms/variant.h"

#define N_PLACES (JK_VARIANT_SERIAL + 1)

static struct setting_check res;
static unsigned edge_checks;

static int64_t pow10i(unsigned n)
{
	int64_t p = 1;

	while (n--)
		p *= 10;
	return p;
}

static void wire_limits(enum wire_type w, int64_t *lo, int64_t *hi)
{
	switch (w) {
	case WIRE_U8:
		*lo = 0, *hi = 255;
		return;
	case WIRE_S8:
		*lo = -128, *hi = 127;
		return;
	case WIRE_U16:
		*lo = 0, *hi = 65535;
		return;
	case WIRE_S16:
		*lo = -32768, *hi = 32767;
		return;
	case WIRE_U32:
		*lo = 0, *hi = 4294967295LL;
		return;
	case WIRE_S32:
		*lo = -2147483648LL, *hi = 2147483647LL;
		return;
	case WIRE_NONE:
	case WIRE_F32:
		break;
	}
	*lo = INT64_MIN, *hi = INT64_MAX;
}

/*
 * What validation must say of 'value' with nothing else known: in range,
 * on the step, and writable as the variant's wire integer.
 */
static int expected(enum setting_id id, enum jk_variant v, int64_t value)
{
	const struct setting_desc *d = &settings_table[id];
	const struct setting_place *p = &d->place[v];
	int64_t max = d->max, lo, hi, wire;

	if (id == SETTING_CELL_COUNT &&
	    (v == JK_VARIANT_JK02_24S || v == JK_VARIANT_JK04))
		max = 24;
	if (value < d->min || value > max || (value - d->min) % d->step)
		return -ERANGE;
	if (p->bit != 0xff || p->wire == WIRE_F32)
		return 0;
	if (p->exp < 0) {
		if (value % pow10i((unsigned)-p->exp))
			return -ERANGE;
		wire = value / pow10i((unsigned)-p->exp);
	} else {
		wire = value * pow10i((unsigned)p->exp);
	}
	wire_limits(p->wire, &lo, &hi);
	return wire < lo || wire > hi ? -ERANGE : 0;
}

static void check_edge(enum setting_id id, enum jk_variant v, int64_t value)
{
	int want = expected(id, v, value);
	int r = settings_validate(id, value, v, NULL, &res);

	if (r != want)
		fail_msg("%s = %lld on %s: %d, want %d (%s)",
			 settings_table[id].key, (long long)value,
			 jk_variant_name(v), r, want, res.error);
	if (r == 0)
		assert_string_equal(res.error, "");
	else
		assert_true(strlen(res.error) > 0);
	edge_checks++;
}

static bool writable(enum setting_id id)
{
	return !(settings_table[id].flags & S_READONLY) &&
	       settings_table[id].kind != SETTING_KIND_BUTTON;
}

/* Table-driven: min, max, one step beyond each, off-step, the middle. */
static void test_every_edge(void **state)
{
	const struct setting_desc *d;
	int64_t mid, s;
	int i, v, accepted_min, accepted_max;

	for (i = 0; i < SETTING__MAX; i++) {
		if (!writable(i))
			continue;
		d = &settings_table[i];
		s = d->step;
		mid = d->min + (d->max - d->min) / s / 2 * s;
		accepted_min = accepted_max = 0;
		for (v = 0; v < JK_VARIANT__MAX; v++) {
			if (!setting_on_variant(i, v))
				continue;
			check_edge(i, v, d->min - s);
			check_edge(i, v, d->min);
			check_edge(i, v, d->min + s);
			check_edge(i, v, mid);
			check_edge(i, v, d->max - s);
			check_edge(i, v, d->max);
			check_edge(i, v, d->max + s);
			if (s > 1) {
				check_edge(i, v, d->min + s / 2);
				check_edge(i, v, d->max - s / 2);
				check_edge(i, v, mid + 1);
			}
			check_edge(i, v, INT64_MIN);
			check_edge(i, v, INT64_MAX);
			accepted_min |=
				!settings_validate(i, d->min, v, NULL, NULL);
			accepted_max |=
				!settings_validate(i, d->max, v, NULL, NULL);
		}
		/* every edge of the table is writable somewhere */
		if (!accepted_min || !accepted_max)
			fail_msg("%s: min or max writable nowhere", d->key);
	}
	assert_true(edge_checks > 1000);
}

/* The same edges, stated without the helper for the ones users meet. */
static void test_named_edges(void **state)
{
	static const struct {
		enum setting_id id;
		enum jk_variant v;
		int64_t value;
		int r;
	} cases[] = {
		{ SETTING_CELL_OVP, JK_VARIANT_JK02_24S, 1000, 0 },
		{ SETTING_CELL_OVP, JK_VARIANT_JK02_24S, 999, -ERANGE },
		{ SETTING_CELL_OVP, JK_VARIANT_JK02_24S, 5000, 0 },
		{ SETTING_CELL_OVP, JK_VARIANT_JK02_24S, 5001, -ERANGE },
		{ SETTING_MAX_BALANCE_CURRENT, JK_VARIANT_JK02_32S, 5000, 0 },
		{ SETTING_MAX_BALANCE_CURRENT, JK_VARIANT_JK02_32S, 5100,
		  -ERANGE },
		{ SETTING_MAX_BALANCE_CURRENT, JK_VARIANT_JK02_32S, 100, 0 },
		{ SETTING_MAX_BALANCE_CURRENT, JK_VARIANT_JK02_32S, 0,
		  -ERANGE },
		{ SETTING_MAX_BALANCE_CURRENT, JK_VARIANT_JK02_32S, 2050,
		  -ERANGE },
		{ SETTING_MAX_BALANCE_CURRENT, JK_VARIANT_JK04, 4500, 0 },
		{ SETTING_CELL_COUNT, JK_VARIANT_JK02_24S, 24, 0 },
		{ SETTING_CELL_COUNT, JK_VARIANT_JK02_24S, 25, -ERANGE },
		{ SETTING_CELL_COUNT, JK_VARIANT_JK04, 25, -ERANGE },
		{ SETTING_CELL_COUNT, JK_VARIANT_JK02_32S, 32, 0 },
		{ SETTING_CELL_COUNT, JK_VARIANT_JK02_32S, 33, -ERANGE },
		{ SETTING_CELL_COUNT, JK_VARIANT_PB_MODBUS, 32, 0 },
		{ SETTING_CELL_COUNT, JK_VARIANT_SERIAL, 1, 0 },
		{ SETTING_CELL_COUNT, JK_VARIANT_SERIAL, 0, -ERANGE },
		{ SETTING_CHARGE_UTP, JK_VARIANT_JK02_32S, -400, 0 },
		{ SETTING_CHARGE_UTP, JK_VARIANT_JK02_32S, -401, -ERANGE },
		{ SETTING_CHARGE_UTP, JK_VARIANT_SERIAL, -205, -ERANGE },
		{ SETTING_CHARGE_UTP, JK_VARIANT_SERIAL, -200, 0 },
		{ SETTING_DISCHARGE_UTP, JK_VARIANT_JK02_32S, -205, -ERANGE },
		{ SETTING_HEATING_START_TEMPERATURE, JK_VARIANT_JK02_32S, 30,
		  0 },
		{ SETTING_MAX_CHARGE_CURRENT, JK_VARIANT_SERIAL, 50000, 0 },
		{ SETTING_MAX_CHARGE_CURRENT, JK_VARIANT_SERIAL, 50500,
		  -ERANGE },
		{ SETTING_MAX_CHARGE_CURRENT, JK_VARIANT_JK02_24S, 50500, 0 },
		{ SETTING_MAX_CHARGE_CURRENT, JK_VARIANT_JK02_24S, 50550,
		  -ERANGE },
		{ SETTING_CURRENT_CALIBRATION, JK_VARIANT_SERIAL, 65535, 0 },
		{ SETTING_CURRENT_CALIBRATION, JK_VARIANT_SERIAL, 65536,
		  -ERANGE },
		{ SETTING_CURRENT_CALIBRATION, JK_VARIANT_JK02_32S, 65536, 0 },
		{ SETTING_CAPACITY, JK_VARIANT_SERIAL, 14000, 0 },
		{ SETTING_CAPACITY, JK_VARIANT_JK02_24S, 14500, -ERANGE },
		{ SETTING_VOLTAGE_CALIBRATION, JK_VARIANT_JK02_32S, 53570000,
		  0 },
		{ SETTING_VOLTAGE_CALIBRATION, JK_VARIANT_JK02_32S, 53570001,
		  -ERANGE },
		{ SETTING_VOLTAGE_CALIBRATION, JK_VARIANT_JK04, 3031334, 0 },
		{ SETTING_SET_CLOCK, JK_VARIANT_JK02_32S, 4294967295LL, 0 },
		{ SETTING_SET_CLOCK, JK_VARIANT_JK02_32S, 4294967296LL,
		  -ERANGE },
		{ SETTING_UART1_PROTOCOL, JK_VARIANT_JK02_32S, 20, 0 },
		{ SETTING_UART1_PROTOCOL, JK_VARIANT_JK02_32S, 21, -ERANGE },
		{ SETTING_CAN_PROTOCOL, JK_VARIANT_JK02_32S, 14, -ERANGE },
		{ SETTING_CHARGE_SWITCH, JK_VARIANT_SERIAL, 1, 0 },
		{ SETTING_CHARGE_SWITCH, JK_VARIANT_SERIAL, 2, -ERANGE },
		{ SETTING_CHARGE_SWITCH, JK_VARIANT_SERIAL, -1, -ERANGE },
		/* not on the variant, read-only, buttons */
		{ SETTING_SOC_100_VOLTAGE, JK_VARIANT_JK02_24S, 3400,
		  -EOPNOTSUPP },
		{ SETTING_CELL_OVP, JK_VARIANT_JK04, 3650, -EOPNOTSUPP },
		{ SETTING_CELL_OVP, JK_VARIANT_CAN, 3650, -EOPNOTSUPP },
		{ SETTING_CELL_OVP, JK_VARIANT_AUTO, 3650, -EOPNOTSUPP },
		{ SETTING_CELL_OVP, JK_VARIANT__MAX, 3650, -EOPNOTSUPP },
		{ SETTING_CELL_OVP, JK_VARIANT_PB_MODBUS, 3650, 0 },
		{ SETTING_MOS_OTP, JK_VARIANT_JK02_24S, 750, -EPERM },
		{ SETTING_MOS_OTP_RELEASE, JK_VARIANT_JK02_32S, 650, -EPERM },
		{ SETTING_MOS_OTP, JK_VARIANT_SERIAL, 750, -EPERM },
		{ SETTING_MOS_OTP, JK_VARIANT_JK04, 750, -EOPNOTSUPP },
		{ SETTING_FACTORY_RESET, JK_VARIANT_JK02_32S, 12345, 0 },
		{ SETTING_FACTORY_RESET, JK_VARIANT_JK02_24S, 0, -EOPNOTSUPP },
		{ SETTING_RESTART, JK_VARIANT_JK02_32S, 0, 0 },
		{ SETTING__MAX, JK_VARIANT_JK02_32S, 0, -EINVAL },
		{ (enum setting_id) - 1, JK_VARIANT_JK02_32S, 0, -EINVAL },
	};
	size_t i;
	int r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = settings_validate(cases[i].id, cases[i].value, cases[i].v,
				      NULL, &res);
		if (r != cases[i].r)
			fail_msg("case %zu: %d, want %d (%s)", i, r, cases[i].r,
				 res.error);
		assert_int_equal(!!res.error[0], r != 0);
		/* res is optional */
		assert_int_equal(settings_validate(cases[i].id, cases[i].value,
						   cases[i].v, NULL, NULL),
				 r);
	}
	settings_validate(SETTING_FACTORY_RESET, 0, JK_VARIANT_JK02_32S, NULL,
			  &res);
	assert_non_null(strstr(res.warning, "factory_reset"));
	settings_validate(SETTING_RESTART, 0, JK_VARIANT_JK02_32S, NULL, &res);
	assert_string_equal(res.warning, "");
	settings_validate(SETTING_MOS_OTP, 750, JK_VARIANT_JK02_32S, NULL,
			  &res);
	assert_non_null(strstr(res.error, "mos_otp"));
	settings_validate(SETTING_CELL_OVP, 5001, JK_VARIANT_JK02_32S, NULL,
			  &res);
	assert_string_equal(
		res.error,
		"cell_ovp 5.001 V is out of range 1.000 V .. 5.000 V");
}

/* The manual's rules, as lo < hi (strict) or lo <= hi. */
static const struct {
	enum setting_id lo, hi;
	bool strict;
} rules[] = {
	{ SETTING_POWER_OFF_VOLTAGE, SETTING_CELL_UVP, true },
	{ SETTING_CELL_UVP, SETTING_CELL_UVPR, true },
	{ SETTING_CELL_OVPR, SETTING_CELL_OVP, true },
	{ SETTING_CELL_UVPR, SETTING_CELL_OVPR, true },
	{ SETTING_CHARGE_OTP_RELEASE, SETTING_CHARGE_OTP, true },
	{ SETTING_DISCHARGE_OTP_RELEASE, SETTING_DISCHARGE_OTP, true },
	{ SETTING_CHARGE_UTP, SETTING_CHARGE_UTP_RELEASE, true },
	{ SETTING_DISCHARGE_UTP, SETTING_DISCHARGE_UTP_RELEASE, true },
	{ SETTING_CELL_UVP, SETTING_BALANCE_START_VOLTAGE, false },
	{ SETTING_BALANCE_START_VOLTAGE, SETTING_CELL_OVP, false },
	{ SETTING_SOC_0_VOLTAGE, SETTING_SOC_100_VOLTAGE, true },
};

static void set(struct setting_values *cur, enum setting_id id, int64_t v)
{
	cur->val[id] = v;
	bits_set(&cur->set, (unsigned)id);
}

static void expect(enum setting_id id, int64_t value,
		   const struct setting_values *cur, int r,
		   enum setting_id other)
{
	int got = settings_validate(id, value, JK_VARIANT_JK02_32S, cur, &res);

	if (got != r)
		fail_msg("%s = %lld: %d, want %d (%s)", settings_table[id].key,
			 (long long)value, got, r, res.error);
	if (r == -EINVAL) {
		assert_non_null(strstr(res.error, settings_table[id].key));
		assert_non_null(strstr(res.error, settings_table[other].key));
	}
}

/* Each rule from both sides, at the boundary and one step either way. */
static void test_rules_both_ways(void **state)
{
	const struct setting_desc *dl, *dh;
	struct setting_values cur;
	int64_t lo, hi, step, x, s_lo, s_hi;
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		dl = &settings_table[rules[i].lo];
		dh = &settings_table[rules[i].hi];
		s_lo = dl->step;
		s_hi = dh->step;
		step = s_lo > s_hi ? s_lo : s_hi; /* 1 and 10 */
		/* a point inside both ranges, on both steps */
		lo = dl->min > dh->min ? dl->min : dh->min;
		hi = dl->max < dh->max ? dl->max : dh->max;
		x = (lo + hi) / 2 / step * step;

		/* lo written, hi known */
		memset(&cur, 0, sizeof(cur));
		set(&cur, rules[i].hi, x);
		expect(rules[i].lo, x - s_lo, &cur, 0, rules[i].hi);
		expect(rules[i].lo, x, &cur, rules[i].strict ? -EINVAL : 0,
		       rules[i].hi);
		expect(rules[i].lo, x + s_lo, &cur, -EINVAL, rules[i].hi);

		/* hi written, lo known */
		memset(&cur, 0, sizeof(cur));
		set(&cur, rules[i].lo, x);
		expect(rules[i].hi, x + s_hi, &cur, 0, rules[i].lo);
		expect(rules[i].hi, x, &cur, rules[i].strict ? -EINVAL : 0,
		       rules[i].lo);
		expect(rules[i].hi, x - s_hi, &cur, -EINVAL, rules[i].lo);

		/* the other side unknown: no opinion */
		memset(&cur, 0, sizeof(cur));
		expect(rules[i].lo, x + s_lo, &cur, 0, rules[i].hi);
		expect(rules[i].hi, x - s_hi, &cur, 0, rules[i].lo);
		expect(rules[i].lo, x + s_lo, NULL, 0, rules[i].hi);

		/* range errors come before rule errors */
		set(&cur, rules[i].hi, x);
		expect(rules[i].lo, dl->max + s_lo, &cur, -ERANGE, rules[i].hi);
	}
}

/* A BMS holding BLE-24S-04's settings. */
static void test_rules_scenario(void **state)
{
	struct setting_values cur;

	memset(&cur, 0, sizeof(cur));
	set(&cur, SETTING_CELL_UVP, 2600);
	set(&cur, SETTING_CELL_UVPR, 2650);
	set(&cur, SETTING_CELL_OVP, 3500);
	set(&cur, SETTING_CELL_OVPR, 3350);
	set(&cur, SETTING_POWER_OFF_VOLTAGE, 2500);
	set(&cur, SETTING_BALANCE_START_VOLTAGE, 3000);
	set(&cur, SETTING_CHARGE_OTP, 420);
	set(&cur, SETTING_CHARGE_OTP_RELEASE, 400);

	expect(SETTING_POWER_OFF_VOLTAGE, 2599, &cur, 0, SETTING_CELL_UVP);
	expect(SETTING_POWER_OFF_VOLTAGE, 2600, &cur, -EINVAL,
	       SETTING_CELL_UVP);
	expect(SETTING_CELL_UVP, 2500, &cur, -EINVAL,
	       SETTING_POWER_OFF_VOLTAGE);
	expect(SETTING_CELL_UVP, 2550, &cur, 0, SETTING_POWER_OFF_VOLTAGE);
	expect(SETTING_CELL_UVP, 2650, &cur, -EINVAL, SETTING_CELL_UVPR);
	expect(SETTING_CELL_UVPR, 3350, &cur, -EINVAL, SETTING_CELL_OVPR);
	expect(SETTING_CELL_OVPR, 3500, &cur, -EINVAL, SETTING_CELL_OVP);
	expect(SETTING_CELL_OVPR, 2650, &cur, -EINVAL, SETTING_CELL_UVPR);
	expect(SETTING_CELL_OVP, 3300, &cur, -EINVAL, SETTING_CELL_OVPR);
	expect(SETTING_CELL_OVP, 3650, &cur, 0, SETTING_CELL_OVPR);
	expect(SETTING_BALANCE_START_VOLTAGE, 3600, &cur, -EINVAL,
	       SETTING_CELL_OVP);
	expect(SETTING_BALANCE_START_VOLTAGE, 3500, &cur, 0, SETTING_CELL_OVP);
	expect(SETTING_BALANCE_START_VOLTAGE, 2599, &cur, -EINVAL,
	       SETTING_CELL_UVP);
	expect(SETTING_CHARGE_OTP, 400, &cur, -EINVAL,
	       SETTING_CHARGE_OTP_RELEASE);
	expect(SETTING_CHARGE_OTP_RELEASE, 419, &cur, 0, SETTING_CHARGE_OTP);
	assert_int_equal(settings_validate(SETTING_CELL_UVP, 2500,
					   JK_VARIANT_JK02_24S, &cur, &res),
			 -EINVAL);
	assert_string_equal(res.error, "cell_uvp 2.500 V must be above "
				       "power_off_voltage (2.500 V)");
}

/* Manual 5.3.3 p): more than 0.1 C is allowed, with a warning. */
static void test_balance_warning(void **state)
{
	struct setting_values cur;

	memset(&cur, 0, sizeof(cur));
	assert_int_equal(settings_validate(SETTING_MAX_BALANCE_CURRENT, 5000,
					   JK_VARIANT_JK02_24S, &cur, &res),
			 0);
	assert_string_equal(res.warning, "");

	set(&cur, SETTING_CAPACITY, 20000); /* 20 Ah: 0.1 C = 2 A */
	assert_int_equal(settings_validate(SETTING_MAX_BALANCE_CURRENT, 2000,
					   JK_VARIANT_JK02_24S, &cur, &res),
			 0);
	assert_string_equal(res.warning, "");
	assert_int_equal(settings_validate(SETTING_MAX_BALANCE_CURRENT, 2100,
					   JK_VARIANT_JK02_24S, &cur, &res),
			 0);
	assert_string_equal(res.error, "");
	assert_string_equal(res.warning, "max_balance_current 2.100 A is "
					 "above 0.1 C of capacity 20.000 Ah");

	/* and when the capacity shrinks under the balance current */
	memset(&cur, 0, sizeof(cur));
	set(&cur, SETTING_MAX_BALANCE_CURRENT, 2000);
	assert_int_equal(settings_validate(SETTING_CAPACITY, 19000,
					   JK_VARIANT_JK02_32S, &cur, &res),
			 0);
	assert_true(strlen(res.warning) > 0);
	assert_int_equal(settings_validate(SETTING_CAPACITY, 20000,
					   JK_VARIANT_JK02_32S, &cur, &res),
			 0);
	assert_string_equal(res.warning, "");
	/* a refused value carries no warning from an earlier call */
	assert_int_equal(settings_validate(SETTING_CAPACITY, 0,
					   JK_VARIANT_JK02_32S, &cur, &res),
			 -ERANGE);
	assert_string_equal(res.warning, "");
}

static void test_parse(void **state)
{
	static const struct {
		enum setting_id id;
		const char *text;
		int r;
		int64_t value;
	} cases[] = {
		{ SETTING_CELL_OVP, "3.45", 0, 3450 },
		{ SETTING_CELL_OVP, "3.450", 0, 3450 },
		{ SETTING_CELL_OVP, "3.4500", 0, 3450 },
		{ SETTING_CELL_OVP, "+3.45", 0, 3450 },
		{ SETTING_CELL_OVP, " 3.45\n", 0, 3450 },
		{ SETTING_CELL_OVP, "3", 0, 3000 },
		{ SETTING_CELL_OVP, "03.650", 0, 3650 },
		{ SETTING_CELL_OVP, "0", 0, 0 },
		{ SETTING_CELL_OVP, "3.4505", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "3.45a", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "abc", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "   ", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "-", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "+", -EINVAL, 0 },
		{ SETTING_CELL_OVP, ".", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "1.", -EINVAL, 0 },
		{ SETTING_CELL_OVP, ".5", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "1..5", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "1.2.3", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "--1", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "1e3", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "0x10", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "nan", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "inf", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "3,45", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "3 .45", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "on", -EINVAL, 0 },
		{ SETTING_CELL_OVP, "9223372036854775.807", 0, INT64_MAX },
		{ SETTING_CELL_OVP, "9223372036854775.808", -ERANGE, 0 },
		{ SETTING_CELL_OVP, "-9223372036854775.808", 0, INT64_MIN },
		{ SETTING_CELL_OVP, "-9223372036854775.809", -ERANGE, 0 },
		{ SETTING_CELL_OVP, "99999999999999999999", -ERANGE, 0 },
		{ SETTING_CELL_OVP, "9223372036854776", -ERANGE, 0 },
		{ SETTING_CHARGE_UTP, "-20.5", 0, -205 },
		{ SETTING_CHARGE_UTP, "-20", 0, -200 },
		{ SETTING_CHARGE_UTP, "-0.5", 0, -5 },
		{ SETTING_CHARGE_UTP, "-20.55", -EINVAL, 0 },
		{ SETTING_DISCHARGE_UTP, "-20", 0, -200 },
		{ SETTING_DISCHARGE_UTP, "-20.5", -ERANGE, 0 }, /* 1 degC */
		{ SETTING_MAX_CHARGE_CURRENT, "52.1", 0, 52100 },
		{ SETTING_MAX_CHARGE_CURRENT, "52.05", -ERANGE, 0 },
		{ SETTING_MAX_CHARGE_CURRENT, "52.10", 0, 52100 },
		{ SETTING_CAPACITY, "280", 0, 280000 },
		{ SETTING_CAPACITY, "280.5", -ERANGE, 0 },
		{ SETTING_CELL_COUNT, "16", 0, 16 },
		{ SETTING_CELL_COUNT, "16.0", 0, 16 },
		{ SETTING_CELL_COUNT, "16.5", -EINVAL, 0 },
		{ SETTING_SCP_DELAY, "1500", 0, 1500 },
		{ SETTING_VOLTAGE_CALIBRATION, "53.57", 0, 53570000 },
		{ SETTING_VOLTAGE_CALIBRATION, "3.031334", 0, 3031334 },
		{ SETTING_CHARGE_SWITCH, "on", 0, 1 },
		{ SETTING_CHARGE_SWITCH, "ON", 0, 1 },
		{ SETTING_CHARGE_SWITCH, "true", 0, 1 },
		{ SETTING_CHARGE_SWITCH, "1", 0, 1 },
		{ SETTING_CHARGE_SWITCH, "off", 0, 0 },
		{ SETTING_CHARGE_SWITCH, "OFF", 0, 0 },
		{ SETTING_CHARGE_SWITCH, "False", 0, 0 },
		{ SETTING_CHARGE_SWITCH, "0", 0, 0 },
		{ SETTING_CHARGE_SWITCH, "yes", -EINVAL, 0 },
		{ SETTING_CHARGE_SWITCH, "2", -EINVAL, 0 },
		{ SETTING_CHARGE_SWITCH, "onn", -EINVAL, 0 },
		{ SETTING_CHARGE_SWITCH, "", -EINVAL, 0 },
		{ SETTING_HEATING_SWITCH, "on", 0, 1 },
		{ SETTING_UART1_PROTOCOL, "protocol_3", 0, 3 },
		{ SETTING_UART1_PROTOCOL, "PROTOCOL_20", 0, 20 },
		{ SETTING_UART1_PROTOCOL, "3", 0, 3 },
		{ SETTING_UART1_PROTOCOL, "20", 0, 20 },
		{ SETTING_UART1_PROTOCOL, "21", -EINVAL, 0 },
		{ SETTING_UART1_PROTOCOL, "-1", -EINVAL, 0 },
		{ SETTING_UART1_PROTOCOL, "protocol_21", -EINVAL, 0 },
		{ SETTING_UART1_PROTOCOL, "protocol_", -EINVAL, 0 },
		{ SETTING_CAN_PROTOCOL, "protocol_13", 0, 13 },
		{ SETTING_CAN_PROTOCOL, "protocol_14", -EINVAL, 0 },
		{ SETTING_FACTORY_RESET, "PRESS", 0, 0 },
		{ SETTING_FACTORY_RESET, "", 0, 0 },
		{ SETTING_FACTORY_RESET, "now", -EINVAL, 0 },
		{ SETTING__MAX, "1", -EINVAL, 0 },
	};
	int64_t value;
	size_t i;
	int r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		value = 0x5a5a;
		r = setting_parse_value(cases[i].id, cases[i].text, &value);
		if (r != cases[i].r)
			fail_msg("case %zu \"%s\": %d, want %d", i,
				 cases[i].text, r, cases[i].r);
		if (r == 0)
			assert_int_equal(value, cases[i].value);
		else
			assert_int_equal(value, 0x5a5a); /* untouched */
	}
	assert_int_equal(setting_parse_value(SETTING_CELL_OVP, NULL, &value),
			 -EINVAL);
}

static void test_format(void **state)
{
	static const struct {
		enum setting_id id;
		int64_t value;
		const char *text;
	} cases[] = {
		{ SETTING_CELL_OVP, 3450, "3.450" },
		{ SETTING_CELL_OVP, 0, "0.000" },
		{ SETTING_CELL_OVP, 5, "0.005" },
		{ SETTING_CELL_OVP, -5, "-0.005" },
		{ SETTING_CELL_OVP, INT64_MAX, "9223372036854775.807" },
		{ SETTING_CELL_OVP, INT64_MIN, "-9223372036854775.808" },
		{ SETTING_CHARGE_UTP, -205, "-20.5" },
		{ SETTING_CHARGE_UTP, -5, "-0.5" },
		{ SETTING_CHARGE_OTP, 700, "70.0" },
		{ SETTING_CAPACITY, 280000, "280.000" },
		{ SETTING_CELL_COUNT, 16, "16" },
		{ SETTING_SCP_DELAY, 1500, "1500" },
		{ SETTING_SET_CLOCK, 4294967295LL, "4294967295" },
		{ SETTING_VOLTAGE_CALIBRATION, 3031334, "3.031334" },
		{ SETTING_CHARGE_SWITCH, 1, "on" },
		{ SETTING_CHARGE_SWITCH, 0, "off" },
		{ SETTING_UART2_PROTOCOL, 11, "protocol_11" },
		{ SETTING_UART2_PROTOCOL, 99, "99" },
		{ SETTING_UART2_PROTOCOL, -1, "-1" },
		{ SETTING_RESTART, 0, "press" },
		{ SETTING__MAX, -42, "-42" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		assert_ptr_equal(setting_format_value(cases[i].id,
						      cases[i].value, buf,
						      sizeof(buf)),
				 buf);
		assert_string_equal(buf, cases[i].text);
	}
	/* truncated, always terminated */
	memset(buf, 'x', sizeof(buf));
	setting_format_value(SETTING_CELL_OVP, 3450, buf, 4);
	assert_string_equal(buf, "3.4");
	setting_format_value(SETTING_CHARGE_SWITCH, 0, buf, 1);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	setting_format_value(SETTING_CHARGE_SWITCH, 0, buf, 0);
	assert_int_equal(buf[0], 'x');
}

/* parse(format(v)) == v for the edges and middle of every setting. */
static void test_round_trip(void **state)
{
	const struct setting_desc *d;
	int64_t values[5], got;
	char buf[64];
	size_t k;
	int i;

	for (i = 0; i < SETTING__MAX; i++) {
		d = &settings_table[i];
		if (d->kind == SETTING_KIND_BUTTON)
			continue;
		values[0] = d->min;
		values[1] = d->max;
		values[2] = d->min + (d->max - d->min) / d->step / 2 * d->step;
		values[3] = d->min + d->step;
		values[4] = d->max - d->step;
		for (k = 0; k < 5; k++) {
			setting_format_value(i, values[k], buf, sizeof(buf));
			if (setting_parse_value(i, buf, &got) < 0 ||
			    got != values[k])
				fail_msg("%s: %lld -> \"%s\"", d->key,
					 (long long)values[k], buf);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_edge),
		cmocka_unit_test(test_named_edges),
		cmocka_unit_test(test_rules_both_ways),
		cmocka_unit_test(test_rules_scenario),
		cmocka_unit_test(test_balance_warning),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests_name("settings-rules", tests, NULL, NULL);
}
