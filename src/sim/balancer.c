/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The active balancer, exactly as the manual words it (5.3.3 f and o):
 * with the balance switch on, balancing starts when the largest cell
 * difference exceeds the trigger delta and the cell voltage exceeds the
 * start voltage, and goes on until the difference is below the trigger or
 * the voltage below the start voltage. "The cell voltage" is the highest
 * cell's: that is the one the balancer draws from. Equal to a threshold
 * changes nothing, which gives the hysteresis of one millivolt the two
 * sentences imply.
 *
 * A super-capacitor balancer moves energy at a current that does not
 * depend on the voltage difference (manual 1): the set maximum, at most
 * 5 A, out of the highest cell and into the lowest one. Charge is
 * conserved; the converter's losses are not modelled.
 */
#include "sim/sim-private.h"

void balancer_update(struct sim_balancer *b, const struct sim_pack *pack,
		     const struct sim_params *p, bool powered)
{
	int32_t delta = pack->max_mv - pack->min_mv;
	int32_t ma;

	if (!powered || !p->balance_switch || pack->n < 2) {
		b->active = false;
	} else if (!b->active) {
		b->active = delta > p->trigger_mv && pack->max_mv > p->start_mv;
	} else if (delta < p->trigger_mv || pack->max_mv < p->start_mv) {
		b->active = false;
	}

	ma = p->balance_ma;
	if (ma > SIM_BALANCE_MAX_MA)
		ma = SIM_BALANCE_MAX_MA;
	if (ma < 0)
		ma = 0;
	b->hi = pack->max_idx;
	b->lo = pack->min_idx;
	b->current_ma = b->active && b->hi != b->lo ? ma : 0;
}

void balancer_currents(const struct sim_balancer *b, unsigned n, double *i_bal)
{
	unsigned i;

	for (i = 0; i < n; i++)
		i_bal[i] = 0.0;
	if (!b->active || !b->current_ma || b->hi == b->lo)
		return;
	i_bal[b->hi] = -b->current_ma / 1000.0;
	i_bal[b->lo] = b->current_ma / 1000.0;
}
