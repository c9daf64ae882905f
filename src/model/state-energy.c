/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kWh counters for the Energy dashboard, integrated from power. Trapezoids
 * between consecutive cell-info samples, the positive part into "charged"
 * and the negative part into "discharged". The counters are kWh * 10^6
 * (mWh); what does not make a whole mWh stays in energy_rem, so nothing is
 * lost to rounding however often we sample. An interval longer than
 * ENERGY_GAP_MAX_USEC (link lost, suspend) or a clock going backwards is
 * skipped rather than guessed: a spike in a total_increasing counter
 * cannot be taken back.
 */
#include <stdbool.h>
#include <stdint.h>

#include "jkbms/fields.h"
#include "jkbms/state.h"

#include "state-private.h"

#define ENERGY_GAP_MAX_USEC (60 * UINT64_C(1000000))
/* One mWh in the units of energy_rem: 0.5 mW * usec (trapezoid halves). */
#define ENERGY_REM_PER_MWH  (INT64_C(2) * 3600 * 1000000)

static int64_t pos(int64_t x)
{
	return x > 0 ? x : 0;
}

static int64_t neg(int64_t x)
{
	return x < 0 ? (x == INT64_MIN ? INT64_MAX : -x) : 0;
}

/* Adds twice the trapezoid area 'area2' to one counter and its remainder. */
static void accumulate(struct field_values *v, enum field_id id, int64_t *rem,
		       int64_t area2)
{
	int64_t whole, total;

	if (__builtin_add_overflow(*rem, area2, rem)) {
		*rem = 0;
		return;
	}
	whole = *rem / ENERGY_REM_PER_MWH;
	*rem -= whole * ENERGY_REM_PER_MWH;
	if (__builtin_add_overflow(v->num[id], whole, &total))
		total = INT64_MAX;
	v->num[id] = total;
}

void state_energy_sample(struct bms_state *s, const struct field_values *old,
			 uint64_t now_usec)
{
	int64_t p0, p1, c2, d2;
	uint64_t last = s->energy_usec;
	int64_t dt;

	if (!field_has(&s->v, FIELD_POWER)) {
		s->energy_usec = 0;
		return;
	}
	/* first power ever: the counters start (at 0 unless restored) */
	if (!field_has(&s->v, FIELD_ENERGY_CHARGED))
		field_set_num(&s->v, FIELD_ENERGY_CHARGED, 0);
	if (!field_has(&s->v, FIELD_ENERGY_DISCHARGED))
		field_set_num(&s->v, FIELD_ENERGY_DISCHARGED, 0);

	s->energy_usec = now_usec;
	if (last == 0 || !field_has(old, FIELD_POWER) || now_usec <= last ||
	    now_usec - last > ENERGY_GAP_MAX_USEC)
		return;

	dt = (int64_t)(now_usec - last);
	p0 = old->num[FIELD_POWER];
	p1 = s->v.num[FIELD_POWER];
	if (__builtin_add_overflow(pos(p0), pos(p1), &c2) ||
	    __builtin_mul_overflow(c2, dt, &c2) ||
	    __builtin_add_overflow(neg(p0), neg(p1), &d2) ||
	    __builtin_mul_overflow(d2, dt, &d2))
		return;
	accumulate(&s->v, FIELD_ENERGY_CHARGED, &s->energy_rem[0], c2);
	accumulate(&s->v, FIELD_ENERGY_DISCHARGED, &s->energy_rem[1], d2);
}
