/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Default settings: the manual's appendix 1 ("Default Parameters for
 * Lithium-Ion, Lithium Iron Phosphate, Lithium Titanate") and what the
 * simulated BMS starts with.
 *
 * The appendix has its two columns swapped: the column headed LI-ION holds
 * lithium iron phosphate values (UVP 2.5 V, OVP 3.65 V) and the one headed
 * LIFEPO4 holds Li-ion ones (UVP 2.8 V, OVP 4.2 V). We apply them by value,
 * so SIM_LFP gets 2.5/3.65 and SIM_LIION 2.8/4.2. The appendix has no LTO
 * column although the BMS has an LTO button (5.3.3 c); ours is a usual
 * LTO window (1.8 V .. 2.8 V) with the same currents and times. Balance
 * start voltage, short-circuit delay and the JK02_32S extras are not in
 * the appendix either: ours are typical values.
 *
 * LFP's power-off voltage equals its UVP in the appendix (2.5 V), while
 * 5.3.3 k) wants it lower; the BMS only powers off after the lowest cell
 * stayed there for a few seconds (protect.c), by when UVP has opened the
 * discharge MOSFET and the cell has recovered, so the value is kept.
 */
#include <stddef.h>

#include "sim/sim-private.h"

/* A value per chemistry, with the decimals it is written in. */
struct preset_row {
	enum setting_id id;
	unsigned decimals; /* 3: mV, mA; 1: 0.1 degC; 0 */
	int64_t lfp, liion, lto;
};

/* clang-format off */
static const struct preset_row one_click[] = {
	/* appendix rows 1-6 */
	{ SETTING_CELL_UVP,               3,   2500,   2800,   1800 },
	{ SETTING_CELL_UVPR,              3,   2650,   3200,   2000 },
	{ SETTING_CELL_OVP,               3,   3650,   4200,   2800 },
	{ SETTING_CELL_OVPR,              3,   3600,   4100,   2700 },
	{ SETTING_BALANCE_TRIGGER_DELTA,  3,     10,     10,     10 },
	{ SETTING_POWER_OFF_VOLTAGE,      3,   2500,   2799,   1700 },
	/* rows 7-14 */
	{ SETTING_MAX_CHARGE_CURRENT,     3, 100000, 100000, 100000 },
	{ SETTING_CHARGE_OCP_DELAY,       0,     30,     30,     30 },
	{ SETTING_CHARGE_OCP_RELEASE,     0,     60,     60,     60 },
	{ SETTING_MAX_DISCHARGE_CURRENT,  3, 400000, 400000, 400000 },
	{ SETTING_DISCHARGE_OCP_DELAY,    0,     30,     30,     30 },
	{ SETTING_DISCHARGE_OCP_RELEASE,  0,     60,     60,     60 },
	{ SETTING_SCP_RELEASE,            0,     60,     60,     60 },
	{ SETTING_MAX_BALANCE_CURRENT,    3,   5000,   5000,   5000 },
	/* rows 15-22 */
	{ SETTING_CHARGE_OTP,             1,    700,    700,    700 },
	{ SETTING_CHARGE_OTP_RELEASE,     1,    600,    600,    600 },
	{ SETTING_DISCHARGE_OTP,          1,    700,    700,    700 },
	{ SETTING_DISCHARGE_OTP_RELEASE,  1,    600,    600,    600 },
	{ SETTING_CHARGE_UTP,             1,   -200,   -200,   -300 },
	{ SETTING_CHARGE_UTP_RELEASE,     1,   -100,   -100,   -200 },
	{ SETTING_MOS_OTP,                1,   1000,   1000,   1000 },
	{ SETTING_MOS_OTP_RELEASE,        1,    800,    800,    800 },
	/* not in the appendix */
	{ SETTING_BALANCE_START_VOLTAGE,  3,   3300,   3800,   2350 },
	{ SETTING_SCP_DELAY,              0,   1500,   1500,   1500 },
	{ SETTING_SMART_SLEEP_VOLTAGE,    3,   3000,   3500,   2100 },
	/* between OVPR and OVP (settings_validate) */
	{ SETTING_SOC_100_VOLTAGE,        3,   3620,   4150,   2750 },
	{ SETTING_SOC_0_VOLTAGE,          3,   2850,   3200,   1900 },
	{ SETTING_CHARGE_VOLTAGE_REQUEST, 3,   3450,   4100,   2650 },
	{ SETTING_FLOAT_VOLTAGE_REQUEST,  3,   3400,   4050,   2600 },
	{ SETTING_DISCHARGE_UTP,          1,   -200,   -200,   -300 },
	{ SETTING_DISCHARGE_UTP_RELEASE,  1,   -100,   -100,   -200 },
};

/* Factory state beyond the one-click values: appendix rows 23-27. */
static const struct preset_row factory[] = {
	{ SETTING_CELL_COUNT,             0,     25,     25,     25 },
	{ SETTING_CHARGE_SWITCH,          0,      0,      0,      0 },
	{ SETTING_DISCHARGE_SWITCH,       0,      0,      0,      0 },
	{ SETTING_BALANCE_SWITCH,         0,      0,      0,      0 },
	{ SETTING_CAPACITY,               3, 400000, 400000, 400000 },
	{ SETTING_PRECHARGE_TIME,         0,      5,      5,      5 },
	{ SETTING_HEATING_START_TEMPERATURE, 1,   0,      0,      0 },
	{ SETTING_HEATING_STOP_TEMPERATURE,  1,  50,     50,     50 },
	{ SETTING_SMART_SLEEP_TIME,       0,     24,     24,     24 },
};
/* clang-format on */

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Settings the BMS holds on a variant: those it reports back. */
static bool held(enum setting_id id, enum jk_variant variant)
{
	const struct setting_place *p = setting_get_place(id, variant);

	return p && p->source != SOURCE_NONE;
}

static void apply_rows(struct setting_values *s, enum jk_variant variant,
		       enum sim_chemistry chem, const struct preset_row *rows,
		       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct preset_row *r = &rows[i];
		int64_t v = chem == SIM_LIION ? r->liion
			    : chem == SIM_LTO ? r->lto
					      : r->lfp;

		if (held(r->id, variant))
			params_put(s, r->id, v, r->decimals);
	}
}

/* Slots for cells in a variant's cell-info frame (protocols.md 1.6/1.7). */
static unsigned variant_slots(enum jk_variant variant)
{
	return variant == JK_VARIANT_JK02_24S ? 24 : 32;
}

void presets_load(struct setting_values *s, enum jk_variant variant,
		  enum sim_chemistry chem, enum sim_preset_kind kind)
{
	unsigned id;

	if (kind == SIM_PRESET_FACTORY) {
		bits_zero(&s->set);
		/* every other held setting: zero, i.e. off or protocol 0 */
		for (id = 0; id < SETTING__MAX; id++) {
			s->val[id] = 0;
			if (held((enum setting_id)id, variant))
				bits_set(&s->set, id);
		}
		apply_rows(s, variant, chem, factory, N(factory));
		if (s->val[SETTING_CELL_COUNT] > variant_slots(variant))
			s->val[SETTING_CELL_COUNT] = variant_slots(variant);
	}
	apply_rows(s, variant, chem, one_click, N(one_click));
}

/*
 * A BMS its owner has set up: the preset for the chemistry, the pack's
 * cell count and capacity (manual appendix note 2: set those, then one
 * click), and charging, discharging and balancing switched on.
 */
void presets_initial(struct setting_values *s, enum jk_variant variant,
		     const struct conf_sim *cfg)
{
	presets_load(s, variant, cfg->chemistry, SIM_PRESET_FACTORY);
	params_put(s, SETTING_CELL_COUNT, cfg->cells, 0);
	params_put(s, SETTING_CAPACITY, cfg->capacity_mah, 3);
	params_put(s, SETTING_CHARGE_SWITCH, 1, 0);
	params_put(s, SETTING_DISCHARGE_SWITCH, 1, 0);
	params_put(s, SETTING_BALANCE_SWITCH, 1, 0);
}
