/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The protections of manual 5.3.3 i) to s), each with the alarm bit it
 * raises in the JK02 alarm word (protocols.md table 6.1) and the MOSFETs
 * it opens. One table says which is which; the rules differ by kind:
 *
 *  - cell voltages and temperatures trip past their limit and release past
 *    their recovery value (UVP: "only after all the individual voltage
 *    values exceed the recovery value"; OVP: "all ... lower than");
 *  - over-currents trip after the current stayed above the maximum for the
 *    delay, and release a fixed time after they tripped (5.3.3 l, m);
 *  - a short circuit trips within microseconds and releases after its
 *    release time (5.3.3 n).
 *
 * Limits compare with what the BMS measures (mV, mA, 0.1 degC), strictly:
 * "exceeds" is >, "lower than" is <, so a value equal to a threshold
 * changes nothing.
 */
#include "sim/sim-private.h"

struct prot_desc {
	const char *name;
	uint8_t alarm_bit; /* protocols.md table 6.1 */
	bool charge;       /* opens the charge MOSFET */
	bool discharge;    /* opens the discharge MOSFET */
};

static const struct prot_desc prot_table[PROT__MAX] = {
	[PROT_CELL_UVP] = { "cell_uvp", 11, false, true },
	[PROT_CELL_OVP] = { "cell_ovp", 4, true, false },
	[PROT_CHARGE_OCP] = { "charge_ocp", 6, true, false },
	[PROT_DISCHARGE_OCP] = { "discharge_ocp", 13, false, true },
	[PROT_CHARGE_SCP] = { "charge_scp", 7, true, false },
	[PROT_DISCHARGE_SCP] = { "discharge_scp", 14, false, true },
	[PROT_CHARGE_OTP] = { "charge_otp", 8, true, false },
	[PROT_CHARGE_UTP] = { "charge_utp", 9, true, false },
	[PROT_DISCHARGE_OTP] = { "discharge_otp", 15, false, true },
	/* JK02_32S bit 27 "discharge undertemperature" (table 6.1, 24-28) */
	[PROT_DISCHARGE_UTP] = { "discharge_utp", 27, false, true },
	[PROT_MOS_OTP] = { "mos_otp", 1, true, true },
};

const char *protect_name(enum sim_prot id)
{
	return (unsigned)id < PROT__MAX ? prot_table[id].name : NULL;
}

unsigned protect_alarm_bit(enum sim_prot id)
{
	return (unsigned)id < PROT__MAX ? prot_table[id].alarm_bit : 0;
}

void protect_reset(struct sim_protect *pr)
{
	unsigned i;

	for (i = 0; i < PROT__MAX; i++) {
		pr->active[i] = false;
		pr->since_usec[i] = 0;
		pr->over_usec[i] = 0;
	}
	pr->low_usec = 0;
}

bool protect_blocks_charge(const struct sim_protect *pr)
{
	unsigned i;

	for (i = 0; i < PROT__MAX; i++)
		if (pr->active[i] && prot_table[i].charge)
			return true;
	return false;
}

bool protect_blocks_discharge(const struct sim_protect *pr)
{
	unsigned i;

	for (i = 0; i < PROT__MAX; i++)
		if (pr->active[i] && prot_table[i].discharge)
			return true;
	return false;
}

uint32_t protect_alarms(const struct sim_protect *pr)
{
	uint32_t bits = 0;
	unsigned i;

	for (i = 0; i < PROT__MAX; i++)
		if (pr->active[i])
			bits |= UINT32_C(1) << prot_table[i].alarm_bit;
	return bits;
}

static void trip(struct sim_protect *pr, enum sim_prot id, uint64_t now)
{
	pr->active[id] = true;
	pr->since_usec[id] = now;
	pr->over_usec[id] = 0;
}

static int32_t scp_threshold_ma(int32_t max_ma)
{
	return max_ma > SIM_SCP_MIN_MA / 2 ? 2 * max_ma : SIM_SCP_MIN_MA;
}

/* One direction of the short-circuit detector; true if it tripped. */
static bool short_circuit(struct sim_protect *pr, enum sim_prot id, double amps,
			  int32_t max_ma, const struct sim_params *p,
			  uint64_t now, uint64_t dt)
{
	if (amps * 1000.0 < (double)scp_threshold_ma(max_ma)) {
		pr->over_usec[id] = 0;
		return false;
	}
	pr->over_usec[id] += dt;
	if (pr->over_usec[id] < p->scp_delay_usec)
		return false;
	trip(pr, id, now);
	return true;
}

double protect_gate(struct sim_protect *pr, const struct sim_params *p,
		    double i_req, bool charge_on, bool discharge_on,
		    uint64_t now_usec, uint64_t dt_usec)
{
	double i = i_req;

	if ((i > 0.0 && !charge_on) || (i < 0.0 && !discharge_on))
		return 0.0;
	if (i > 0.0 && short_circuit(pr, PROT_CHARGE_SCP, i, p->charge_ocp_ma,
				     p, now_usec, dt_usec))
		return 0.0;
	if (i < 0.0 && short_circuit(pr, PROT_DISCHARGE_SCP, -i,
				     p->discharge_ocp_ma, p, now_usec, dt_usec))
		return 0.0;
	return i;
}

/* Trip past 'limit', release past 'recover' ("hi": limit is a maximum). */
static void level(struct sim_protect *pr, enum sim_prot id, bool hi,
		  int32_t value, int32_t limit, int32_t recover, uint64_t now)
{
	if (!pr->active[id]) {
		if (hi ? value > limit : value < limit)
			trip(pr, id, now);
	} else if (hi ? value < recover : value > recover) {
		pr->active[id] = false;
	}
}

/* Over-current: trips after 'delay' above 'max', releases after 'release'. */
static void timed(struct sim_protect *pr, enum sim_prot id, int32_t ma,
		  int32_t max_ma, uint64_t delay, uint64_t release,
		  uint64_t now, uint64_t dt)
{
	if (pr->active[id]) {
		if (now - pr->since_usec[id] >= release) {
			pr->active[id] = false;
			pr->over_usec[id] = 0;
		}
		return;
	}
	if (ma <= max_ma) {
		pr->over_usec[id] = 0;
		return;
	}
	pr->over_usec[id] += dt;
	if (pr->over_usec[id] >= delay)
		trip(pr, id, now);
}

static void released_after(struct sim_protect *pr, enum sim_prot id,
			   uint64_t release, uint64_t now)
{
	if (pr->active[id] && now - pr->since_usec[id] >= release)
		pr->active[id] = false;
}

void protect_update(struct sim_protect *pr, const struct sim_params *p,
		    const struct sim_measure *m, uint64_t now_usec,
		    uint64_t dt_usec)
{
	int32_t t_hi = m->t1_dc > m->t2_dc ? m->t1_dc : m->t2_dc;
	int32_t t_lo = m->t1_dc < m->t2_dc ? m->t1_dc : m->t2_dc;

	level(pr, PROT_CELL_UVP, false, m->min_mv, p->uvp_mv, p->uvpr_mv,
	      now_usec);
	level(pr, PROT_CELL_OVP, true, m->max_mv, p->ovp_mv, p->ovpr_mv,
	      now_usec);
	timed(pr, PROT_CHARGE_OCP, m->current_ma, p->charge_ocp_ma,
	      p->charge_ocp_delay_usec, p->charge_ocp_release_usec, now_usec,
	      dt_usec);
	timed(pr, PROT_DISCHARGE_OCP, -m->current_ma, p->discharge_ocp_ma,
	      p->discharge_ocp_delay_usec, p->discharge_ocp_release_usec,
	      now_usec, dt_usec);
	released_after(pr, PROT_CHARGE_SCP, p->scp_release_usec, now_usec);
	released_after(pr, PROT_DISCHARGE_SCP, p->scp_release_usec, now_usec);
	level(pr, PROT_CHARGE_OTP, true, t_hi, p->charge_otp_dc,
	      p->charge_otp_release_dc, now_usec);
	level(pr, PROT_CHARGE_UTP, false, t_lo, p->charge_utp_dc,
	      p->charge_utp_release_dc, now_usec);
	level(pr, PROT_DISCHARGE_OTP, true, t_hi, p->discharge_otp_dc,
	      p->discharge_otp_release_dc, now_usec);
	if (p->has_discharge_utp)
		level(pr, PROT_DISCHARGE_UTP, false, t_lo, p->discharge_utp_dc,
		      p->discharge_utp_release_dc, now_usec);
	else
		pr->active[PROT_DISCHARGE_UTP] = false;
	level(pr, PROT_MOS_OTP, true, m->tmos_dc, p->mos_otp_dc,
	      p->mos_otp_release_dc, now_usec);
}

bool protect_power_off(struct sim_protect *pr, const struct sim_params *p,
		       const struct sim_measure *m, uint64_t dt_usec)
{
	if (m->min_mv > p->power_off_mv) {
		pr->low_usec = 0;
		return false;
	}
	pr->low_usec += dt_usec;
	return pr->low_usec >= SIM_POWER_OFF_USEC;
}
