/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the simulated BMS reports, as field values: the live values of its
 * cell-info frame, the device information of its device-info frame, and
 * the values the BMS computes itself (average, delta, min/max cell). The
 * frames are encoded from exactly this, so a decoded frame must give it
 * back.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim-private.h"

#define MODEL        "JK-B5A25S-60P"
#define HARDWARE     "10.XW"
#define SOFTWARE_24S "10.10"
#define SOFTWARE_32S "11.48"

static void text(struct field_values *v, enum field_id id, const char *s)
{
	snprintf(v->text[id], sizeof(v->text[id]), "%s", s);
	bits_set(&v->set, (unsigned)id);
}

static void cells(const struct sim_bms *s, struct field_values *v)
{
	const struct sim_pack *p = &s->pack;
	int64_t sum = 0;
	unsigned i;

	v->ncells = (uint8_t)p->n;
	for (i = 0; i < p->n; i++) {
		v->cell_voltage[i] = p->mv[i];
		v->cell_resistance[i] = p->cell[i].lead_mohm;
		sum += p->mv[i];
	}
	bits_set(&v->set, FIELD_CELL_VOLTAGE);
	bits_set(&v->set, FIELD_CELL_RESISTANCE);
	field_set_num(v, FIELD_CELL_COUNT, p->n);
	field_set_num(v, FIELD_CELL_VOLTAGE_MIN, p->min_mv);
	field_set_num(v, FIELD_CELL_VOLTAGE_MAX, p->max_mv);
	field_set_num(v, FIELD_CELL_VOLTAGE_DELTA, p->max_mv - p->min_mv);
	field_set_num(v, FIELD_CELL_VOLTAGE_AVG, p->n ? sum / p->n : 0);
	field_set_num(v, FIELD_CELL_MIN_INDEX, p->min_idx + 1);
	field_set_num(v, FIELD_CELL_MAX_INDEX, p->max_idx + 1);
	/* the pack voltage is the sum of the cells the BMS measured */
	field_set_num(v, FIELD_VOLTAGE, sum);
	field_set_num(v, FIELD_POWER, sum * s->meas.current_ma / 1000);
}

/* Ageing: one percent of health per 50 cycles, down to 60 %. */
static int64_t soh(const struct sim_gauge *g)
{
	int64_t lost = g->cycles / 50;

	return lost > 40 ? 60 : 100 - lost;
}

static void live(const struct sim_bms *s, struct field_values *v)
{
	const struct sim_params *p = &s->params;
	int32_t bal = s->bal.active ? s->bal.current_ma : 0;
	enum balancing_state state = BALANCING_OFF;

	field_set_num(v, FIELD_CURRENT, s->meas.current_ma);
	field_set_num(v, FIELD_SOC, gauge_soc(&s->gauge, p->capacity_mah));
	field_set_num(v, FIELD_SOH, soh(&s->gauge));
	field_set_num(v, FIELD_REMAINING_CAPACITY,
		      llround(s->gauge.remaining_mah));
	field_set_num(v, FIELD_FULL_CHARGE_CAPACITY, p->capacity_mah);
	field_set_num(v, FIELD_CYCLE_COUNT, s->gauge.cycles);
	field_set_num(v, FIELD_CYCLE_CAPACITY,
		      llround(s->gauge.throughput_mah));
	field_set_num(v, FIELD_TEMPERATURE_MOS, s->meas.tmos_dc);
	field_set_num(v, FIELD_TEMPERATURE_1, s->meas.t1_dc);
	field_set_num(v, FIELD_TEMPERATURE_2, s->meas.t2_dc);
	/* charging or discharging balancer by the pack current's sign */
	if (bal)
		state = s->meas.current_ma < 0 ? BALANCING_DISCHARGING
					       : BALANCING_CHARGING;
	field_set_num(v, FIELD_BALANCING, state);
	field_set_num(v, FIELD_BALANCE_CURRENT,
		      state == BALANCING_DISCHARGING ? -bal : bal);
	field_set_num(v, FIELD_CHARGE_MOSFET, sim_charge_on(s));
	field_set_num(v, FIELD_DISCHARGE_MOSFET, sim_discharge_on(s));
	field_set_num(v, FIELD_HEATING, s->thermal.heating);
	field_set_num(v, FIELD_ALARM_BITS, sim_alarms(s));
	field_set_num(v, FIELD_RUNTIME,
		      (int64_t)(s->runtime_base_s + s->tick_usec / 1000000));
}

static void info(const struct sim_bms *s, struct field_values *v)
{
	bool s32 = s->variant == JK_VARIANT_JK02_32S;

	text(v, FIELD_MODEL, MODEL);
	text(v, FIELD_HARDWARE_VERSION, HARDWARE);
	text(v, FIELD_SOFTWARE_VERSION, s32 ? SOFTWARE_32S : SOFTWARE_24S);
	text(v, FIELD_SERIAL_NUMBER, s->serial);
	text(v, FIELD_NAME, s->name);
	text(v, FIELD_MANUFACTURING_DATE, s->mfg_date);
	field_set_num(v, FIELD_UPTIME,
		      (int64_t)((s->tick_usec - s->power_on_usec) / 1000000));
	field_set_num(v, FIELD_POWER_ON_COUNT, s->power_on_count);
	field_set_num(v, FIELD_VARIANT, s->variant);
}

void report_values(const struct sim_bms *s, struct field_values *out)
{
	memset(out, 0, sizeof(*out));
	cells(s, out);
	live(s, out);
	info(s, out);
}
