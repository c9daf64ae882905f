/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Temperatures of the three probes the manual supports (2.1: "support 3
 * temperature probes"): T1 and T2 on the battery, and the MOSFET sensor.
 * Each body relaxes towards ambient plus its own heating with a first-
 * order lag: the battery by I^2 times the cells' resistance, slowly (a big
 * mass); the MOSFETs by I^2 times their on-resistance, fast. The two
 * battery probes sit in different places, hence a small offset each.
 * A JK02_32S BMS with its heating switch on warms the battery between the
 * heating start and stop temperatures.
 */
#include <math.h>

#include "sim/sim-private.h"

#define BAT_TAU_S   600.0 /* battery thermal time constant */
#define BAT_K_PER_W 0.1   /* battery rise per watt dissipated */
#define MOS_TAU_S   60.0
#define MOS_K_PER_W 0.5
#define MOS_R_OHM   0.0005 /* both MOSFET banks in series */
#define MOS_IDLE_K  2.0    /* the board's own consumption */
#define HEATER_K    30.0   /* what the heating pad adds at most */

void thermal_init(struct sim_thermal *t, double ambient, struct sim_rng *rng)
{
	t->t_bat = ambient;
	t->t_mos = ambient + MOS_IDLE_K;
	t->off1 = rng_range(rng, -0.5, 0.5);
	t->off2 = rng_range(rng, -0.5, 0.5);
	t->heating = false;
}

static double relax(double t, double target, double tau, double dt)
{
	double a = dt / tau;

	if (a > 1.0)
		a = 1.0;
	return t + (target - t) * a;
}

static int32_t read_dc(double celsius)
{
	return (int32_t)lround(celsius * 10.0);
}

void thermal_step(struct sim_thermal *t, const struct sim_params *p,
		  double ambient, double i_pack, double r_pack, double dt_s)
{
	double i2 = i_pack * i_pack;
	double bat = ambient + BAT_K_PER_W * i2 * r_pack;
	int32_t lo = thermal_t1_dc(t) < thermal_t2_dc(t) ? thermal_t1_dc(t)
							 : thermal_t2_dc(t);

	if (!p->has_heating || !p->heating_switch)
		t->heating = false;
	else if (!t->heating && lo < p->heating_start_dc)
		t->heating = true;
	else if (t->heating && lo > p->heating_stop_dc)
		t->heating = false;
	if (t->heating)
		bat += HEATER_K;

	t->t_bat = relax(t->t_bat, bat, BAT_TAU_S, dt_s);
	t->t_mos = relax(t->t_mos,
			 ambient + MOS_IDLE_K + MOS_K_PER_W * i2 * MOS_R_OHM,
			 MOS_TAU_S, dt_s);
}

int32_t thermal_t1_dc(const struct sim_thermal *t)
{
	return read_dc(t->t_bat + t->off1);
}

int32_t thermal_t2_dc(const struct sim_thermal *t)
{
	return read_dc(t->t_bat + t->off2);
}

int32_t thermal_mos_dc(const struct sim_thermal *t)
{
	return read_dc(t->t_mos);
}
