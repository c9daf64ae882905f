/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The series cells: each has its capacity, stored charge and internal
 * resistance, a little different from its neighbours (drawn from the
 * seed, plus the configured extra imbalance of the initial SOC), so that
 * cells drift apart and the balancer has work. The same
 * pack current flows through every cell; the balancer adds its own small
 * current to two of them. Terminal voltage = OCV(SOC) + I * R, and the
 * pack voltage is the sum of the cells, as the BMS measures it.
 */
#include <math.h>

#include "sim/sim-private.h"

/* 0.6 mOhm for a 100 Ah cell, scaling inversely with capacity. */
#define R_OHM_AH  0.06
#define LEAD_MOHM 60.0 /* balance lead + connector, typical reading */

void pack_init(struct sim_pack *p, const struct conf_sim *cfg,
	       struct sim_rng *rng)
{
	double cap_ah = (double)cfg->capacity_mah / 1000.0;
	double base_soc = rng_range(rng, 0.40, 0.75);

	double extra =
		cfg->imbalance_pct > 50 ? 0.5 : cfg->imbalance_pct / 100.0;
	unsigned i;

	if (cap_ah < 1.0)
		cap_ah = 1.0;
	p->chem = cfg->chemistry;
	p->n = cfg->cells;
	p->current_a = 0.0;
	for (i = 0; i < p->n; i++) {
		struct sim_cell *c = &p->cell[i];
		double soc = base_soc + rng_range(rng, -0.015, 0.015);

		c->capacity_ah = cap_ah * rng_range(rng, 0.98, 1.02);
		c->r_ohm = R_OHM_AH / cap_ah * rng_range(rng, 0.90, 1.10);
		c->lead_mohm = (int32_t)lround(LEAD_MOHM +
					       rng_range(rng, -12.0, 12.0));
		/* conf "imbalance": work for the balancer */
		if (extra > 0.0)
			soc += rng_range(rng, -extra / 2.0, extra / 2.0);
		if (soc < 0.03)
			soc = 0.03;
		if (soc > 0.97)
			soc = 0.97;
		c->charge_ah = c->capacity_ah * soc;
	}
	pack_measure(p);
}

double pack_cell_soc(const struct sim_cell *c)
{
	return c->charge_ah / c->capacity_ah;
}

double pack_resistance(const struct sim_pack *p)
{
	double r = 0.0;
	unsigned i;

	for (i = 0; i < p->n; i++)
		r += p->cell[i].r_ohm;
	return r;
}

void pack_step(struct sim_pack *p, double i_pack, const double *i_bal,
	       double dt_s)
{
	unsigned i;

	p->current_a = i_pack;
	for (i = 0; i < p->n; i++) {
		struct sim_cell *c = &p->cell[i];
		double lo = OCV_SOC_MIN * c->capacity_ah;
		double hi = OCV_SOC_MAX * c->capacity_ah;

		c->charge_ah += (i_pack + i_bal[i]) * dt_s / 3600.0;
		/* beyond these a real cell is destroyed; we just stop */
		if (c->charge_ah < lo)
			c->charge_ah = lo;
		if (c->charge_ah > hi)
			c->charge_ah = hi;
	}
}

/* The BMS reads cells between 1 V and 5 V (manual 1), to the mV. */
static int32_t read_mv(double volts)
{
	long mv = lround(volts * 1000.0);

	if (mv < 1000)
		mv = 1000;
	if (mv > 5000)
		mv = 5000;
	return (int32_t)mv;
}

void pack_measure(struct sim_pack *p)
{
	unsigned i;

	p->min_idx = p->max_idx = 0;
	for (i = 0; i < p->n; i++) {
		struct sim_cell *c = &p->cell[i];

		c->volts = ocv_volts(p->chem, pack_cell_soc(c)) +
			   p->current_a * c->r_ohm;
		p->mv[i] = read_mv(c->volts);
		if (p->mv[i] < p->mv[p->min_idx])
			p->min_idx = i;
		if (p->mv[i] > p->mv[p->max_idx])
			p->max_idx = i;
	}
	p->min_mv = p->mv[p->min_idx];
	p->max_mv = p->mv[p->max_idx];
}
