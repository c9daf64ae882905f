/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What is connected to the battery: a load and a charger that ask for a
 * current each tick (the MOSFETs decide whether it flows), and the ambient
 * temperature.
 *
 *  SOLAR  a compressed day (SIM_SOLAR_DAY_USEC): panels behind passing
 *         clouds charge by day, a house load with appliance spikes draws
 *         day and night, and the inverter stops the load at low SOC.
 *  CYCLE  full charge at 0.5 C with a constant-voltage taper near full,
 *         then full discharge at 0.5 C, again and again.
 *  IDLE   nothing connected.
 *  ABUSE  cycling at 0.3 C, with now and then a charge or discharge
 *         over-current longer than its delay, a short circuit, a heat wave
 *         or a cold snap, so that every protection trips in turn.
 *
 * Chargers regulate on the highest cell (a BMS-aware charger): the current
 * stays below what would lift any cell above the charge target.
 */
#include <math.h>

#include "sim/sim-private.h"

#define PI           3.14159265358979323846
#define WEATHER_USEC (UINT64_C(60) * 1000000)
#define SEC          UINT64_C(1000000)

/* A random duration between lo and hi seconds, in whole seconds. */
static uint64_t usecs(struct sim_rng *rng, double lo, double hi)
{
	return (uint64_t)rng_range(rng, lo, hi) * SEC;
}

void profile_init(struct sim_load *l, enum sim_profile kind,
		  struct sim_rng *rng)
{
	l->kind = kind;
	l->charging = rng_unit(rng) < 0.5;
	l->inverter_cutoff = false;
	l->cloud = rng_range(rng, 0.6, 1.0);
	l->spike_a = 0.0;
	l->next_weather_usec = 0;
	l->spike_end_usec = 0;
	l->current_event = EVENT_NONE;
	l->current_event_end = 0;
	l->ambient_event = EVENT_NONE;
	l->ambient_event_end = 0;
	l->next_event_usec = usecs(rng, 60.0, 180.0);
	l->event_amps = 0.0;
}

/* One C: the current that moves the nominal capacity in an hour. */
static double c_rate(const struct sim_bms *s)
{
	return (double)s->cfg.capacity_mah / 1000.0;
}

/* Per-cell voltage a charger aims at, below the overvoltage recovery. */
static double charge_target(const struct sim_bms *s)
{
	double v;

	switch (s->pack.chem) {
	case SIM_LIION:
		v = 4.10;
		break;
	case SIM_LTO:
		v = 2.65;
		break;
	case SIM_LFP:
	default:
		v = 3.50;
		break;
	}
	if (v > (s->params.ovpr_mv - 20) / 1000.0)
		v = (s->params.ovpr_mv - 20) / 1000.0;
	return v;
}

/* The most a CV charger lets flow: no cell's OCV + I*R above target. */
static double cv_limit(const struct sim_bms *s, double amps)
{
	double target = charge_target(s);
	unsigned i;

	for (i = 0; i < s->pack.n; i++) {
		const struct sim_cell *c = &s->pack.cell[i];
		double room =
			target - ocv_volts(s->pack.chem, pack_cell_soc(c));
		double lim = room > 0.0 ? room / c->r_ohm : 0.0;

		if (lim < amps)
			amps = lim;
	}
	return amps;
}

static double cap(double amps, int32_t max_ma)
{
	double max = 0.9 * max_ma / 1000.0;

	return amps > max ? max : amps;
}

/* Charge to full with a taper, discharge to the low end, repeat. */
static double cycle_current(struct sim_bms *s, double rate)
{
	struct sim_load *l = &s->load;
	double c = c_rate(s);
	int32_t low_mv = s->params.uvp_mv + 300;

	/* a dead BMS shows no voltage: the cycler plugs its charger in */
	if (!s->powered) {
		l->charging = true;
		return cap(rate * c, s->params.charge_ocp_ma);
	}
	if (l->charging && !sim_charge_on(s))
		l->charging = false;
	else if (!l->charging && !sim_discharge_on(s))
		l->charging = true;

	if (l->charging) {
		double i = cv_limit(s, cap(rate * c, s->params.charge_ocp_ma));

		if (i >= 0.05 * c)
			return i;
		l->charging = false;
	}
	if (s->pack.min_mv <= low_mv) {
		l->charging = true;
		return cv_limit(s, cap(rate * c, s->params.charge_ocp_ma));
	}
	return -cap(rate * c, s->params.discharge_ocp_ma);
}

static double solar_current(struct sim_bms *s)
{
	struct sim_load *l = &s->load;
	uint64_t now = s->tick_usec;
	double phase =
		(double)(now % SIM_SOLAR_DAY_USEC) / (double)SIM_SOLAR_DAY_USEC;
	double c = c_rate(s);
	double pv = 0.0, load, net;
	unsigned soc = gauge_soc(&s->gauge, s->params.capacity_mah);

	if (now >= l->next_weather_usec) {
		l->cloud += rng_range(&s->rng, -0.25, 0.25);
		if (l->cloud < 0.2)
			l->cloud = 0.2;
		if (l->cloud > 1.0)
			l->cloud = 1.0;
		l->next_weather_usec = now + WEATHER_USEC;
	}
	if (now >= l->spike_end_usec) {
		l->spike_a = 0.0;
		/* an appliance every ten minutes or so */
		if (rng_unit(&s->rng) < SIM_TICK_S / 600.0) {
			l->spike_a = rng_range(&s->rng, 0.1, 0.3) * c;
			l->spike_end_usec = now + usecs(&s->rng, 30.0, 180.0);
		}
	}
	/* a little more sun than load: it fills up over sunny days */
	if (phase < 0.5)
		pv = 0.8 * c * sin(PI * phase / 0.5) * l->cloud;
	load = (phase < 0.5 ? 0.05 : 0.2) * c + l->spike_a;

	if (soc <= 10 || s->pack.min_mv <= s->params.uvp_mv + 200)
		l->inverter_cutoff = true;
	else if (soc >= 25)
		l->inverter_cutoff = false;
	if (l->inverter_cutoff)
		load = 0.0;

	net = pv - load;
	if (net > 0.0)
		net = cv_limit(s, cap(net, s->params.charge_ocp_ma));
	return net;
}

static void start_event(struct sim_bms *s)
{
	struct sim_load *l = &s->load;
	uint64_t now = s->tick_usec;
	const struct sim_params *p = &s->params;
	unsigned pick = (unsigned)(rng_unit(&s->rng) * 5.0);

	if (pick >= 3 && l->ambient_event != EVENT_NONE)
		pick = (unsigned)(rng_unit(&s->rng) * 3.0);
	switch (pick) {
	case 0:
		l->current_event = EVENT_CHARGE_OVERCURRENT;
		l->event_amps = 1.25 * p->charge_ocp_ma / 1000.0;
		l->current_event_end = now + p->charge_ocp_delay_usec +
				       usecs(&s->rng, 5.0, 20.0);
		break;
	case 1:
		l->current_event = EVENT_DISCHARGE_OVERCURRENT;
		l->event_amps = -1.2 * p->discharge_ocp_ma / 1000.0;
		l->current_event_end = now + p->discharge_ocp_delay_usec +
				       usecs(&s->rng, 5.0, 15.0);
		break;
	case 2:
		l->current_event = EVENT_SHORT_CIRCUIT;
		l->event_amps = -3.0 * SIM_SCP_MIN_MA / 1000.0;
		if (-l->event_amps < 3.0 * p->discharge_ocp_ma / 1000.0)
			l->event_amps = -3.0 * p->discharge_ocp_ma / 1000.0;
		l->current_event_end = now + SIM_TICK_USEC;
		break;
	case 3:
		l->ambient_event = EVENT_HEAT;
		l->ambient_event_end = now + usecs(&s->rng, 1200.0, 2400.0);
		break;
	default:
		l->ambient_event = EVENT_COLD;
		l->ambient_event_end = now + usecs(&s->rng, 1200.0, 2400.0);
		break;
	}
	l->next_event_usec = now + usecs(&s->rng, 90.0, 300.0);
	if (l->current_event != EVENT_NONE &&
	    l->next_event_usec < l->current_event_end)
		l->next_event_usec = l->current_event_end + 60 * SEC;
}

static double abuse_current(struct sim_bms *s)
{
	struct sim_load *l = &s->load;
	uint64_t now = s->tick_usec;

	if (l->current_event != EVENT_NONE && now >= l->current_event_end)
		l->current_event = EVENT_NONE;
	if (l->ambient_event != EVENT_NONE && now >= l->ambient_event_end)
		l->ambient_event = EVENT_NONE;
	if (now >= l->next_event_usec)
		start_event(s);
	if (l->current_event != EVENT_NONE)
		return l->event_amps;
	return cycle_current(s, 0.3);
}

double profile_current(struct sim_bms *s)
{
	switch (s->load.kind) {
	case SIM_PROFILE_SOLAR:
		return solar_current(s);
	case SIM_PROFILE_CYCLE:
		return cycle_current(s, 0.5);
	case SIM_PROFILE_ABUSE:
		return abuse_current(s);
	case SIM_PROFILE_IDLE:
		break;
	}
	return 0.0;
}

double profile_ambient(struct sim_bms *s)
{
	const struct sim_load *l = &s->load;
	double phase;

	switch (l->ambient_event) {
	case EVENT_HEAT:
		return 85.0;
	case EVENT_COLD:
		return -30.0;
	case EVENT_NONE:
	case EVENT_CHARGE_OVERCURRENT:
	case EVENT_DISCHARGE_OVERCURRENT:
	case EVENT_SHORT_CIRCUIT:
		break;
	}
	if (l->kind != SIM_PROFILE_SOLAR)
		return SIM_AMBIENT_C;
	/* warmest in the afternoon of the compressed day */
	phase = (double)(s->tick_usec % SIM_SOLAR_DAY_USEC) /
		(double)SIM_SOLAR_DAY_USEC;
	return SIM_AMBIENT_C - 3.0 + 6.0 * sin(2.0 * PI * (phase - 0.125));
}
