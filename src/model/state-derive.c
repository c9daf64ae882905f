/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Values the model computes instead of trusting the BMS: cell statistics
 * (the BMS's own average and delta differ from the cells it reports, see
 * vectors BLE-24S-01), power from voltage and current, and the alarm list.
 */
#include <stdint.h>

#include "jkbms/fields.h"
#include "jkbms/state.h"

#include "model-private.h"

static void clear_cell_stats(struct field_values *v)
{
	bits_clear(&v->set, FIELD_CELL_VOLTAGE_MIN);
	bits_clear(&v->set, FIELD_CELL_VOLTAGE_MAX);
	bits_clear(&v->set, FIELD_CELL_VOLTAGE_DELTA);
	bits_clear(&v->set, FIELD_CELL_VOLTAGE_AVG);
	bits_clear(&v->set, FIELD_CELL_MIN_INDEX);
	bits_clear(&v->set, FIELD_CELL_MAX_INDEX);
}

/* Min, max, delta, mean in mV; indexes 1-based, first cell on ties. */
static void derive_cells(struct field_values *v)
{
	unsigned n = v->ncells, i, imin = 0, imax = 0;
	int64_t sum = 0;

	if (!field_has(v, FIELD_CELL_VOLTAGE) || n == 0) {
		clear_cell_stats(v);
		return;
	}
	if (n > JK_CELLS_MAX)
		n = JK_CELLS_MAX;
	for (i = 0; i < n; i++) {
		sum += v->cell_voltage[i];
		if (v->cell_voltage[i] < v->cell_voltage[imin])
			imin = i;
		if (v->cell_voltage[i] > v->cell_voltage[imax])
			imax = i;
	}
	field_set_num(v, FIELD_CELL_VOLTAGE_MIN, v->cell_voltage[imin]);
	field_set_num(v, FIELD_CELL_VOLTAGE_MAX, v->cell_voltage[imax]);
	field_set_num(v, FIELD_CELL_VOLTAGE_DELTA,
		      (int64_t)v->cell_voltage[imax] - v->cell_voltage[imin]);
	field_set_num(v, FIELD_CELL_VOLTAGE_AVG, div_round(sum, (int64_t)n));
	field_set_num(v, FIELD_CELL_MIN_INDEX, (int64_t)imin + 1);
	field_set_num(v, FIELD_CELL_MAX_INDEX, (int64_t)imax + 1);
}

/* mV * mA = uW; / 1000 = mW, i.e. W with 3 decimals. */
static void derive_power(struct field_values *v)
{
	int64_t uw;

	if (!field_has(v, FIELD_VOLTAGE) || !field_has(v, FIELD_CURRENT) ||
	    __builtin_mul_overflow(v->num[FIELD_VOLTAGE], v->num[FIELD_CURRENT],
				   &uw)) {
		bits_clear(&v->set, FIELD_POWER);
		return;
	}
	field_set_num(v, FIELD_POWER, div_round(uw, 1000));
}

/* "alarms" carries the bits too, so a change of the list is a change. */
static void derive_alarms(struct field_values *v)
{
	if (!field_has(v, FIELD_ALARM_BITS)) {
		bits_clear(&v->set, FIELD_ALARMS);
		return;
	}
	field_set_num(v, FIELD_ALARMS, v->num[FIELD_ALARM_BITS]);
}

void state_derive(struct field_values *v)
{
	derive_cells(v);
	derive_power(v);
	derive_alarms(v);
}
