/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BMS keeps its settings as the settings table scales them (what the
 * settings frame carries); the physics wants fixed units (mV, mA, 0.1 degC,
 * microseconds). This file converts between the two, using each setting's
 * decimals from the table, so a change of scale there cannot go unnoticed.
 */
#include <stdint.h>

#include "sim/sim-private.h"

static int64_t pow10i(unsigned e)
{
	int64_t p = 1;

	while (e--)
		p *= 10;
	return p;
}

/* value * 10^(to - from), rounded half away from zero. */
static int64_t rescale(int64_t value, unsigned from, unsigned to)
{
	int64_t p, q;

	if (to >= from)
		return value * pow10i(to - from);
	p = pow10i(from - to);
	q = value / p;
	if (2 * (value % p) >= p)
		q++;
	else if (2 * (value % p) <= -p)
		q--;
	return q;
}

int64_t params_get(const struct setting_values *s, enum setting_id id,
		   unsigned decimals)
{
	return rescale(s->val[id], settings_table[id].decimals, decimals);
}

void params_put(struct setting_values *s, enum setting_id id, int64_t value,
		unsigned decimals)
{
	s->val[id] = rescale(value, decimals, settings_table[id].decimals);
	bits_set(&s->set, (unsigned)id);
}

static int32_t mv(const struct setting_values *s, enum setting_id id)
{
	return (int32_t)params_get(s, id, 3); /* V -> mV */
}

static int32_t ma(const struct setting_values *s, enum setting_id id)
{
	return (int32_t)params_get(s, id, 3); /* A -> mA */
}

static int32_t dc(const struct setting_values *s, enum setting_id id)
{
	return (int32_t)params_get(s, id, 1); /* degC -> 0.1 */
}

static uint64_t usec(const struct setting_values *s, enum setting_id id)
{
	int64_t v = params_get(s, id, 6); /* s -> us */

	return v > 0 ? (uint64_t)v : 0;
}

void params_from_settings(struct sim_params *p, const struct setting_values *s)
{
	int64_t v;

	p->uvp_mv = mv(s, SETTING_CELL_UVP);
	p->uvpr_mv = mv(s, SETTING_CELL_UVPR);
	p->ovp_mv = mv(s, SETTING_CELL_OVP);
	p->ovpr_mv = mv(s, SETTING_CELL_OVPR);
	p->power_off_mv = mv(s, SETTING_POWER_OFF_VOLTAGE);
	p->trigger_mv = mv(s, SETTING_BALANCE_TRIGGER_DELTA);
	p->start_mv = mv(s, SETTING_BALANCE_START_VOLTAGE);
	p->balance_ma = ma(s, SETTING_MAX_BALANCE_CURRENT);
	p->charge_ocp_ma = ma(s, SETTING_MAX_CHARGE_CURRENT);
	p->discharge_ocp_ma = ma(s, SETTING_MAX_DISCHARGE_CURRENT);
	p->charge_ocp_delay_usec = usec(s, SETTING_CHARGE_OCP_DELAY);
	p->charge_ocp_release_usec = usec(s, SETTING_CHARGE_OCP_RELEASE);
	p->discharge_ocp_delay_usec = usec(s, SETTING_DISCHARGE_OCP_DELAY);
	p->discharge_ocp_release_usec = usec(s, SETTING_DISCHARGE_OCP_RELEASE);
	p->scp_release_usec = usec(s, SETTING_SCP_RELEASE);
	/* the table holds the short-circuit delay in microseconds */
	v = params_get(s, SETTING_SCP_DELAY, 0);
	p->scp_delay_usec = v > 0 ? (uint64_t)v : 0;
	p->charge_otp_dc = dc(s, SETTING_CHARGE_OTP);
	p->charge_otp_release_dc = dc(s, SETTING_CHARGE_OTP_RELEASE);
	p->discharge_otp_dc = dc(s, SETTING_DISCHARGE_OTP);
	p->discharge_otp_release_dc = dc(s, SETTING_DISCHARGE_OTP_RELEASE);
	p->charge_utp_dc = dc(s, SETTING_CHARGE_UTP);
	p->charge_utp_release_dc = dc(s, SETTING_CHARGE_UTP_RELEASE);
	p->mos_otp_dc = dc(s, SETTING_MOS_OTP);
	p->mos_otp_release_dc = dc(s, SETTING_MOS_OTP_RELEASE);
	p->has_discharge_utp =
		bits_test(&s->set, SETTING_DISCHARGE_UTP) &&
		bits_test(&s->set, SETTING_DISCHARGE_UTP_RELEASE);
	p->discharge_utp_dc = dc(s, SETTING_DISCHARGE_UTP);
	p->discharge_utp_release_dc = dc(s, SETTING_DISCHARGE_UTP_RELEASE);
	p->has_soc100 = bits_test(&s->set, SETTING_SOC_100_VOLTAGE) &&
			s->val[SETTING_SOC_100_VOLTAGE] > 0;
	p->soc100_mv = mv(s, SETTING_SOC_100_VOLTAGE);
	p->has_heating = bits_test(&s->set, SETTING_HEATING_SWITCH);
	p->heating_switch = s->val[SETTING_HEATING_SWITCH] != 0;
	p->heating_start_dc = dc(s, SETTING_HEATING_START_TEMPERATURE);
	p->heating_stop_dc = dc(s, SETTING_HEATING_STOP_TEMPERATURE);
	v = s->val[SETTING_CELL_COUNT];
	p->cell_count = v > 0 && v <= JK_CELLS_MAX ? (unsigned)v : 0;
	p->charge_switch = s->val[SETTING_CHARGE_SWITCH] != 0;
	p->discharge_switch = s->val[SETTING_DISCHARGE_SWITCH] != 0;
	p->balance_switch = s->val[SETTING_BALANCE_SWITCH] != 0;
	p->capacity_mah = params_get(s, SETTING_CAPACITY, 3);
	if (p->capacity_mah < 1000)
		p->capacity_mah = 1000;
}
