/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BMS's coulomb counter (manual 2.1 "coulometer function"): it knows
 * only the measured current and the capacity setting, not the cells'
 * true charge, so its SOC drifts from the truth the way a real one does.
 * It is set to full when a cell reaches overvoltage protection (or the
 * SOC-100 % voltage on JK02_32S) and to empty at undervoltage protection
 * (sim.c does that); a cycle is counted per capacity discharged.
 */
#include <math.h>

#include "sim/sim-private.h"

void gauge_init(struct sim_gauge *g, const struct sim_pack *pack,
		int64_t capacity_mah, struct sim_rng *rng)
{
	double soc = 0.0;
	unsigned i;

	for (i = 0; i < pack->n; i++)
		soc += pack_cell_soc(&pack->cell[i]);
	soc = pack->n ? soc / pack->n : 0.0;
	gauge_set(g, soc, capacity_mah);
	g->cycles = (uint32_t)rng_range(rng, 2.0, 40.0);
	g->discharged_mah = rng_range(rng, 0.0, 0.9) * (double)capacity_mah;
	g->throughput_mah =
		g->cycles * (double)capacity_mah + g->discharged_mah;
}

void gauge_set(struct sim_gauge *g, double fraction, int64_t capacity_mah)
{
	if (fraction < 0.0)
		fraction = 0.0;
	if (fraction > 1.0)
		fraction = 1.0;
	g->remaining_mah = fraction * (double)capacity_mah;
}

void gauge_step(struct sim_gauge *g, int32_t current_ma, double dt_s,
		int64_t capacity_mah)
{
	double mah = current_ma * dt_s / 3600.0;

	g->remaining_mah += mah;
	if (g->remaining_mah < 0.0)
		g->remaining_mah = 0.0;
	if (g->remaining_mah > (double)capacity_mah)
		g->remaining_mah = (double)capacity_mah;
	if (mah < 0.0) {
		g->discharged_mah -= mah;
		g->throughput_mah -= mah;
		if (g->discharged_mah >= (double)capacity_mah) {
			g->discharged_mah -= (double)capacity_mah;
			g->cycles++;
		}
	}
}

unsigned gauge_soc(const struct sim_gauge *g, int64_t capacity_mah)
{
	long soc;

	if (capacity_mah <= 0)
		return 0;
	soc = lround(g->remaining_mah * 100.0 / (double)capacity_mah);
	if (soc < 0)
		soc = 0;
	if (soc > 100)
		soc = 100;
	return (unsigned)soc;
}
