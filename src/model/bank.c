/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Battery banks: the online members' values folded into one set, field by
 * field, by the rule of bank_rules[] for the bank's topology. A field no
 * online member has stays absent. Means and the weighted SOC round to the
 * nearest integer of the field's scale, halves away from zero
 * (div_round()); sums and extremes are exact.
 *
 * Energy counters are the exception to "online members only": they are
 * totals that survive a lost link (state_clear_live() keeps them), and a
 * bank counter that dropped whenever a member went offline would read as a
 * meter reset to Home Assistant. So they sum over every member that has
 * one.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jkbms/bank.h"
#include "jkbms/fields.h"

#include "model-private.h"

enum agg {
	AGG_NONE, /* computed after the others */
	AGG_SUM,
	AGG_MEAN,
	AGG_MIN,
	AGG_MAX,
	AGG_OR,
	AGG_SOC,      /* mean weighted by full_charge_capacity */
	AGG_CELL_AVG, /* mean over all cells of all members */
	AGG_TOTAL,    /* sum over all members, offline ones too */
};

static const struct bank_rule {
	enum field_id id;
	enum agg parallel, series;
} bank_rules[] = {
	{ FIELD_CELL_VOLTAGE_MIN, AGG_MIN, AGG_MIN },
	{ FIELD_CELL_VOLTAGE_MAX, AGG_MAX, AGG_MAX },
	{ FIELD_CELL_VOLTAGE_DELTA, AGG_NONE, AGG_NONE },
	{ FIELD_CELL_VOLTAGE_AVG, AGG_CELL_AVG, AGG_CELL_AVG },
	{ FIELD_VOLTAGE, AGG_MEAN, AGG_SUM },
	{ FIELD_CURRENT, AGG_SUM, AGG_MEAN },
	{ FIELD_POWER, AGG_SUM, AGG_SUM },
	{ FIELD_SOC, AGG_SOC, AGG_MIN },
	{ FIELD_REMAINING_CAPACITY, AGG_SUM, AGG_MIN },
	{ FIELD_FULL_CHARGE_CAPACITY, AGG_SUM, AGG_MIN },
	{ FIELD_TEMPERATURE_MOS, AGG_MAX, AGG_MAX },
	{ FIELD_TEMPERATURE_1, AGG_MAX, AGG_MAX },
	{ FIELD_TEMPERATURE_2, AGG_MAX, AGG_MAX },
	{ FIELD_TEMPERATURE_3, AGG_MAX, AGG_MAX },
	{ FIELD_TEMPERATURE_4, AGG_MAX, AGG_MAX },
	{ FIELD_TEMPERATURE_5, AGG_MAX, AGG_MAX },
	{ FIELD_ALARM_BITS, AGG_OR, AGG_OR },
	{ FIELD_ALARMS, AGG_NONE, AGG_NONE },
	{ FIELD_ENERGY_CHARGED, AGG_TOTAL, AGG_TOTAL },
	{ FIELD_ENERGY_DISCHARGED, AGG_TOTAL, AGG_TOTAL },
	{ FIELD_MEMBERS_ONLINE, AGG_NONE, AGG_NONE },
	{ FIELD_MEMBER_COUNT, AGG_NONE, AGG_NONE },
};

static bool counts(const struct bank_member *m, enum agg agg)
{
	return m->v && (m->online || agg == AGG_TOTAL);
}

static int64_t sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* Mean of SOC weighted by capacity; the plain mean if one is unknown. */
static bool soc_weighted(const struct bank_member *members, size_t n,
			 int64_t *ret)
{
	int64_t num = 0, den = 0, term;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct field_values *v = members[i].v;

		if (!counts(&members[i], AGG_SOC) || !field_has(v, FIELD_SOC))
			continue;
		if (!field_has(v, FIELD_FULL_CHARGE_CAPACITY) ||
		    v->num[FIELD_FULL_CHARGE_CAPACITY] <= 0 ||
		    __builtin_mul_overflow(v->num[FIELD_SOC],
					   v->num[FIELD_FULL_CHARGE_CAPACITY],
					   &term) ||
		    __builtin_add_overflow(num, term, &num) ||
		    __builtin_add_overflow(
			    den, v->num[FIELD_FULL_CHARGE_CAPACITY], &den))
			return false;
	}
	if (den == 0)
		return false;
	*ret = div_round(num, den);
	return true;
}

static void fold(const struct bank_member *members, size_t n, enum field_id id,
		 enum agg agg, struct field_values *out)
{
	int64_t acc = 0, weight = 0, x, w;
	size_t i, k = 0;

	if (agg == AGG_NONE)
		return;
	if (agg == AGG_SOC && soc_weighted(members, n, &acc)) {
		field_set_num(out, id, acc);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct field_values *v = members[i].v;

		if (!counts(&members[i], agg) || !field_has(v, id))
			continue;
		x = v->num[id];
		switch (agg) {
		case AGG_SUM:
		case AGG_TOTAL:
			acc = sat_add(acc, x);
			break;
		case AGG_MEAN:
		case AGG_SOC: /* capacities unknown: plain mean */
			acc = sat_add(acc, x);
			weight++;
			break;
		case AGG_CELL_AVG:
			w = v->ncells ? v->ncells : 1;
			if (__builtin_mul_overflow(x, w, &x))
				x = 0; /* nonsense in, no wraparound out */
			acc = sat_add(acc, x);
			weight += w;
			break;
		case AGG_MIN:
			acc = k == 0 || x < acc ? x : acc;
			break;
		case AGG_MAX:
			acc = k == 0 || x > acc ? x : acc;
			break;
		case AGG_OR:
			acc = (int64_t)((uint64_t)acc | (uint64_t)x);
			break;
		case AGG_NONE:
			break;
		}
		k++;
	}
	if (k == 0)
		return;
	if (weight)
		acc = div_round(acc, weight);
	field_set_num(out, id, acc);
}

void bank_aggregate(enum bank_topology topology,
		    const struct bank_member *members, size_t n,
		    struct field_values *out)
{
	size_t i, online = 0;

	field_values_reset(out);
	for (i = 0; i < sizeof(bank_rules) / sizeof(bank_rules[0]); i++)
		fold(members, n, bank_rules[i].id,
		     topology == BANK_SERIES ? bank_rules[i].series
					     : bank_rules[i].parallel,
		     out);

	if (field_has(out, FIELD_CELL_VOLTAGE_MIN) &&
	    field_has(out, FIELD_CELL_VOLTAGE_MAX))
		field_set_num(out, FIELD_CELL_VOLTAGE_DELTA,
			      out->num[FIELD_CELL_VOLTAGE_MAX] -
				      out->num[FIELD_CELL_VOLTAGE_MIN]);
	if (field_has(out, FIELD_ALARM_BITS))
		field_set_num(out, FIELD_ALARMS, out->num[FIELD_ALARM_BITS]);

	for (i = 0; i < n; i++)
		if (members[i].v && members[i].online)
			online++;
	field_set_num(out, FIELD_MEMBERS_ONLINE, (int64_t)online);
	field_set_num(out, FIELD_MEMBER_COUNT, (int64_t)n);
}
