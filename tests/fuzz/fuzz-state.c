/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the state model and bank aggregation fed arbitrary values
 * and clocks. The input is a list of 12-byte operations (set a field, set
 * cells, apply a frame at a time that may jump back or far ahead, clear,
 * restore energy, aggregate). The model must keep its invariants: at most
 * JK_CELLS_MAX cells, min <= avg <= max, 1-based indexes within the cells,
 * and energy counters that only grow between restores.
 * Seeds: tests/fuzz/corpus/state/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/bank.h"
#include "jkbms/fields.h"
#include "jkbms/frame.h"
#include "jkbms/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct jk_decoded dec;
static struct bms_state st;
static struct field_values bank, other;

static int64_t get_s64(const uint8_t *b)
{
	uint64_t u = 0;
	int i;

	for (i = 7; i >= 0; i--)
		u = u << 8 | b[i];
	return (int64_t)u;
}

static void check(const struct field_values *v)
{
	int64_t lo, hi, avg;

	if (v->ncells > JK_CELLS_MAX)
		abort();
	if (!field_has(v, FIELD_CELL_VOLTAGE_MIN))
		return;
	lo = v->num[FIELD_CELL_VOLTAGE_MIN];
	hi = v->num[FIELD_CELL_VOLTAGE_MAX];
	avg = v->num[FIELD_CELL_VOLTAGE_AVG];
	if (lo > hi || avg < lo || avg > hi)
		abort();
	if (field_has(v, FIELD_CELL_MIN_INDEX) &&
	    (v->num[FIELD_CELL_MIN_INDEX] < 1 ||
	     v->num[FIELD_CELL_MIN_INDEX] > v->ncells))
		abort();
}

static void aggregate(uint8_t how)
{
	struct bank_member m[3] = {
		{ &st.v, how & 1 },
		{ &st.v, how & 2 },
		{ &other, how & 4 },
	};

	/* a member is a state: its derived values agree with its cells */
	other = dec.fields;
	if (other.ncells > JK_CELLS_MAX)
		other.ncells = JK_CELLS_MAX;
	state_derive(&other);
	bank_aggregate(how & 8 ? BANK_SERIES : BANK_PARALLEL, m, 3, &bank);
	if (bank.num[FIELD_MEMBER_COUNT] != 3)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t charged = 0, discharged = 0, value;
	uint64_t now = 1000000;
	const uint8_t *op;
	unsigned id, i;

	memset(&dec, 0, sizeof(dec));
	state_init(&st,
		   size ? (enum jk_variant)(data[0] % 7) - 1 : JK_VARIANT_AUTO);
	for (op = data + 1; op + 12 <= data + size; op += 12) {
		id = op[1] % FIELD__MAX;
		value = get_s64(op + 2);
		/* +-32 s around the last time, or a jump of minutes */
		now += (uint64_t)(int64_t)(int16_t)(op[10] | op[11] << 8) *
		       (op[0] & 0x80 ? 10000 : 1000);
		switch (op[0] % 9) {
		case 0:
			field_set_num(&dec.fields, (enum field_id)id, value);
			break;
		case 1:
			dec.fields.ncells = op[1]; /* may exceed 32 */
			for (i = 0; i < JK_CELLS_MAX; i++)
				dec.fields.cell_voltage[i] =
					(int32_t)(uint32_t)((uint64_t)(value >>
								       (i %
									32)) +
							    i);
			bits_set(&dec.fields.set, FIELD_CELL_VOLTAGE);
			break;
		case 2:
			bits_clear(&dec.fields.set, id);
			break;
		case 3:
		case 4:
		case 5:
			dec.type = op[0] % 9 == 3   ? JK_FRAME_CELL_INFO
				   : op[0] % 9 == 4 ? JK_FRAME_DEVICE_INFO
						    : JK_FRAME_SETTINGS;
			dec.variant = (enum jk_variant)(op[1] % 7) - 1;
			dec.settings.val[id % SETTING__MAX] = value;
			bits_set(&dec.settings.set, id % SETTING__MAX);
			state_apply(&st, &dec, now);
			break;
		case 6:
			state_clear_live(&st);
			break;
		case 7:
			state_set_energy(&st, value, value / 3);
			break;
		case 8:
			aggregate(op[1]);
			check(&bank);
			break;
		}
		check(&st.v);
		/* counters only grow, except when restored */
		if (op[0] % 9 == 7) {
			charged = st.v.num[FIELD_ENERGY_CHARGED];
			discharged = st.v.num[FIELD_ENERGY_DISCHARGED];
		} else if (field_has(&st.v, FIELD_ENERGY_CHARGED) &&
			   (st.v.num[FIELD_ENERGY_CHARGED] < charged ||
			    st.v.num[FIELD_ENERGY_DISCHARGED] < discharged)) {
			abort();
		}
		state_take_changed(&st);
	}
	return 0;
}
