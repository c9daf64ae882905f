/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Settings validation (DESIGN "The two-password scheme": every value is
 * checked before anything is sent). In order: the variant has the
 * setting, it is writable, the value is in range and on the step and can
 * be encoded on the variant's wire, and it keeps the manual's rules with
 * the other settings the BMS holds now. A rule whose other side is unknown
 * is skipped: we refuse what we know to be wrong, not what we cannot see.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "jkbms/fields.h"
#include "jkbms/settings-rules.h"
#include "jkbms/settings.h"

#include "model-private.h"

/*
 * lo < hi (strict) or lo <= hi, between two settings. 'present': the rule
 * holds only where the other side is nonzero (firmware that does not use
 * a setting reports 0 for it).
 */
static const struct setting_rule {
	enum setting_id lo, hi;
	bool strict;
	bool present;
} setting_rules[] = {
	/* manual 5.3.3 k): "must be lower than single under-voltage" */
	{ SETTING_POWER_OFF_VOLTAGE, SETTING_CELL_UVP, true },
	/* i), j): protection and recovery thresholds, no overlap */
	{ SETTING_CELL_UVP, SETTING_CELL_UVPR, true },
	{ SETTING_CELL_OVPR, SETTING_CELL_OVP, true },
	{ SETTING_CELL_UVPR, SETTING_CELL_OVPR, true },
	/* q), r): a release on the safe side of its protection */
	{ SETTING_CHARGE_OTP_RELEASE, SETTING_CHARGE_OTP, true },
	{ SETTING_DISCHARGE_OTP_RELEASE, SETTING_DISCHARGE_OTP, true },
	{ SETTING_CHARGE_UTP, SETTING_CHARGE_UTP_RELEASE, true },
	{ SETTING_DISCHARGE_UTP, SETTING_DISCHARGE_UTP_RELEASE, true },
	/* o): balancing starts between the protections */
	{ SETTING_CELL_UVP, SETTING_BALANCE_START_VOLTAGE, false },
	{ SETTING_BALANCE_START_VOLTAGE, SETTING_CELL_OVP, false },
	{ SETTING_SOC_0_VOLTAGE, SETTING_SOC_100_VOLTAGE, true },
	/* SOC 100 % is reached between the overvoltage recovery and OVP */
	{ SETTING_CELL_OVPR, SETTING_SOC_100_VOLTAGE, false, true },
	{ SETTING_SOC_100_VOLTAGE, SETTING_CELL_OVP, false, true },
};

/*
 * Limits of one product beyond its protocol variant, by the start of the
 * model string of its device info: the manual's JK-B5A25S-60P takes 8 to
 * 25 cells (manual 1).
 */
static const struct model_limit {
	const char *model;
	enum setting_id id;
	int64_t min, max;
} model_limits[] = {
	{ "JK-B5A25S", SETTING_CELL_COUNT, 8, 25 },
};

/* Manual 5.3.3 p): at most 0.1 C; 5 A is the table's maximum. */
#define BALANCE_C_DIVISOR 10

#define MSG_MAX sizeof(((struct setting_check *)0)->error)
#define SAY(buf, ...) \
	text_join(buf, MSG_MAX, (const char *const[]){ __VA_ARGS__, NULL })

/* "3.450 V", "on", "16" */
static const char *show(enum setting_id id, int64_t value, char *buf,
			size_t size)
{
	const char *unit = settings_table[id].unit;
	char num[TEXT_NUM_MAX + 32];

	setting_format_value(id, value, num, sizeof(num));
	if (unit && settings_table[id].kind == SETTING_KIND_NUMBER)
		text_join(buf, size,
			  (const char *const[]){ num, " ", unit, NULL });
	else
		text_join(buf, size, (const char *const[]){ num, NULL });
	return buf;
}

/* Cell slots of a variant's frames (protocols.md 1.6-1.8). */
static int64_t variant_slots(enum jk_variant v)
{
	switch (v) {
	case JK_VARIANT_JK02_24S:
	case JK_VARIANT_JK04:
		return 24;
	case JK_VARIANT_JK02_32S:
	case JK_VARIANT_PB_MODBUS:
	case JK_VARIANT_SERIAL:
	case JK_VARIANT_CAN:
	case JK_VARIANT_AUTO:
	case JK_VARIANT__MAX:
		break;
	}
	return JK_CELLS_MAX;
}

static bool wire_range(enum wire_type w, int64_t *lo, int64_t *hi)
{
	switch (w) {
	case WIRE_U8:
		*lo = 0, *hi = UINT8_MAX;
		return true;
	case WIRE_S8:
		*lo = INT8_MIN, *hi = INT8_MAX;
		return true;
	case WIRE_U16:
		*lo = 0, *hi = UINT16_MAX;
		return true;
	case WIRE_S16:
		*lo = INT16_MIN, *hi = INT16_MAX;
		return true;
	case WIRE_U32:
		*lo = 0, *hi = UINT32_MAX;
		return true;
	case WIRE_S32:
		*lo = INT32_MIN, *hi = INT32_MAX;
		return true;
	case WIRE_NONE:
	case WIRE_F32:
		break;
	}
	return false;
}

/* Can value * 10^exp be written as the place's integer? */
static int check_wire(enum setting_id id, int64_t value, enum jk_variant v,
		      const struct setting_place *p, struct setting_check *res)
{
	int64_t wire = value, unit = 1, lo, hi;
	char a[48];
	int i;

	if (p->bit != 0xff || !wire_range(p->wire, &lo, &hi))
		return 0;
	for (i = 0; i < (p->exp < 0 ? -p->exp : p->exp); i++)
		unit *= 10;
	if (p->exp < 0) {
		if (value % unit) {
			SAY(res->error, settings_table[id].key,
			    " must be a multiple of ",
			    show(id, unit, a, sizeof(a)), " on ",
			    jk_variant_name(v));
			return -ERANGE;
		}
		wire = value / unit;
	} else if (__builtin_mul_overflow(value, unit, &wire)) {
		wire = INT64_MAX;
	}
	if (wire < lo || wire > hi) {
		SAY(res->error, settings_table[id].key, " ",
		    show(id, value, a, sizeof(a)), " does not fit the ",
		    jk_variant_name(v), " wire format");
		return -ERANGE;
	}
	return 0;
}

static int check_range(enum setting_id id, int64_t value, enum jk_variant v,
		       struct setting_check *res)
{
	const struct setting_desc *d = &settings_table[id];
	int64_t max = d->max;
	char a[48], b[48], c[48];

	if (id == SETTING_CELL_COUNT && variant_slots(v) < max)
		max = variant_slots(v);
	if (value < d->min || value > max) {
		SAY(res->error, d->key, " ", show(id, value, a, sizeof(a)),
		    " is out of range ", show(id, d->min, b, sizeof(b)), " .. ",
		    show(id, max, c, sizeof(c)));
		return -ERANGE;
	}
	if (d->step > 1 && (value - d->min) % d->step) {
		SAY(res->error, d->key, " ", show(id, value, a, sizeof(a)),
		    " is not a multiple of the step ",
		    show(id, d->step, b, sizeof(b)));
		return -ERANGE;
	}
	return 0;
}

static bool current_value(const struct setting_values *cur, enum setting_id id,
			  int64_t *ret)
{
	if (!cur || !bits_test(&cur->set, (unsigned)id))
		return false;
	*ret = cur->val[id];
	return true;
}

static int check_rules(enum setting_id id, int64_t value,
		       const struct setting_values *cur,
		       struct setting_check *res)
{
	const struct setting_rule *r;
	enum setting_id other;
	int64_t lo, hi, o;
	char a[48], b[48];
	size_t i;

	for (i = 0; i < sizeof(setting_rules) / sizeof(setting_rules[0]); i++) {
		r = &setting_rules[i];
		if (r->lo != id && r->hi != id)
			continue;
		other = r->lo == id ? r->hi : r->lo;
		if (!current_value(cur, other, &o) || (r->present && !o))
			continue;
		lo = r->lo == id ? value : o;
		hi = r->lo == id ? o : value;
		if (r->strict ? lo < hi : lo <= hi)
			continue;
		SAY(res->error, settings_table[id].key, " ",
		    show(id, value, a, sizeof(a)), " must be ",
		    r->lo == id ? (r->strict ? "below " : "at most ")
				: (r->strict ? "above " : "at least "),
		    settings_table[other].key, " (",
		    show(other, o, b, sizeof(b)), ")");
		return -EINVAL;
	}
	return 0;
}

/* Manual 5.3.3 p): a warning, not a refusal. */
static void check_balance_c(enum setting_id id, int64_t value,
			    const struct setting_values *cur,
			    struct setting_check *res)
{
	int64_t current, capacity, tenfold;
	char a[48], b[48];

	if (id == SETTING_MAX_BALANCE_CURRENT) {
		current = value;
		if (!current_value(cur, SETTING_CAPACITY, &capacity))
			return;
	} else if (id == SETTING_CAPACITY) {
		capacity = value;
		if (!current_value(cur, SETTING_MAX_BALANCE_CURRENT, &current))
			return;
	} else {
		return;
	}
	/* mA and mAh: 0.1 C of C mAh is C / 10 mA */
	if (!__builtin_mul_overflow(current, BALANCE_C_DIVISOR, &tenfold) &&
	    tenfold <= capacity)
		return;
	SAY(res->warning, "max_balance_current ",
	    show(SETTING_MAX_BALANCE_CURRENT, current, a, sizeof(a)),
	    " is above 0.1 C of capacity ",
	    show(SETTING_CAPACITY, capacity, b, sizeof(b)));
}

int settings_validate_model(enum setting_id id, int64_t value,
			    const char *model, struct setting_check *res)
{
	struct setting_check scratch;
	const struct model_limit *m;
	char a[48], b[48], c[48];
	size_t i;

	if (!res)
		res = &scratch;
	res->error[0] = '\0';
	res->warning[0] = '\0';
	if (!model || id < 0 || id >= SETTING__MAX)
		return 0;
	for (i = 0; i < sizeof(model_limits) / sizeof(model_limits[0]); i++) {
		m = &model_limits[i];
		if (m->id != id ||
		    strncmp(model, m->model, strlen(m->model)) != 0)
			continue;
		if (value >= m->min && value <= m->max)
			continue;
		SAY(res->error, settings_table[id].key, " ",
		    show(id, value, a, sizeof(a)), " is out of range ",
		    show(id, m->min, b, sizeof(b)), " .. ",
		    show(id, m->max, c, sizeof(c)), " on the ", m->model);
		return -ERANGE;
	}
	return 0;
}

int settings_validate(enum setting_id id, int64_t value,
		      enum jk_variant variant,
		      const struct setting_values *current,
		      struct setting_check *res)
{
	struct setting_check scratch;
	const struct setting_place *p;
	const struct setting_desc *d;
	int r;

	if (!res)
		res = &scratch;
	res->error[0] = '\0';
	res->warning[0] = '\0';
	if (id < 0 || id >= SETTING__MAX) {
		SAY(res->error, "unknown setting");
		return -EINVAL;
	}
	d = &settings_table[id];
	p = setting_get_place(id, variant);
	if (!p) {
		SAY(res->error, d->key, " is not available on ",
		    jk_variant_name(variant) ? jk_variant_name(variant)
					     : "an unknown variant");
		return -EOPNOTSUPP;
	}
	if (d->flags & S_READONLY) {
		SAY(res->error, d->key,
		    " is fixed by the BMS and cannot be written");
		return -EPERM;
	}
	if (d->kind == SETTING_KIND_BUTTON) {
		if (d->flags & S_DANGEROUS)
			SAY(res->warning, d->key, " is a dangerous command");
		return 0;
	}
	r = check_range(id, value, variant, res);
	if (r < 0)
		return r;
	r = check_wire(id, value, variant, p, res);
	if (r < 0)
		return r;
	r = check_rules(id, value, current, res);
	if (r < 0)
		return r;
	check_balance_c(id, value, current, res);
	return 0;
}
