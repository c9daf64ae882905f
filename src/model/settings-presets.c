/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one-click presets of manual 5.3.3 a) - c) as values, for a BMS
 * whose protocol has no preset command of its own (JK02_32S has one,
 * registers 0x68 - 0x6A): the write path sends them one by one.
 *
 * Manual appendix 1 has its two columns swapped: the one headed LI-ION
 * holds lithium iron phosphate values (UVP 2.5 V, OVP 3.65 V) and the
 * one headed LIFEPO4 Li-ion ones (2.8 V, 4.2 V); we take them by value.
 * Its LFP power-off voltage equals the UVP (2.5 V), which 5.3.3 k)
 * forbids; like the Li-ion column (2.799 V under 2.8 V) we use 1 mV less.
 * There is no LTO column although the BMS has an LTO button: ours is a
 * usual LTO window (1.8 V .. 2.8 V) with the same currents and times. The
 * balance start voltage is not in the appendix either, but a preset that
 * left it above the new OVP would break a rule: typical values. The MOS
 * limits (rows 21, 22) are fixed and never written.
 */
#include <errno.h>

#include "jkbms/settings-rules.h"
#include "jkbms/settings.h"

/* Scaled like the table: mV, mA, s, 0.1 degC. */
struct preset_row {
	enum setting_id id;
	int64_t lfp, liion, lto;
};

/* clang-format off */
static const struct preset_row preset_rows[] = {
	{ SETTING_CELL_UVP,               2500,   2800,   1800 },
	{ SETTING_CELL_UVPR,              2650,   3200,   2000 },
	{ SETTING_CELL_OVP,               3650,   4200,   2800 },
	{ SETTING_CELL_OVPR,              3600,   4100,   2700 },
	{ SETTING_BALANCE_TRIGGER_DELTA,    10,     10,     10 },
	{ SETTING_POWER_OFF_VOLTAGE,      2499,   2799,   1700 },
	{ SETTING_MAX_CHARGE_CURRENT,   100000, 100000, 100000 },
	{ SETTING_CHARGE_OCP_DELAY,         30,     30,     30 },
	{ SETTING_CHARGE_OCP_RELEASE,       60,     60,     60 },
	{ SETTING_MAX_DISCHARGE_CURRENT, 400000, 400000, 400000 },
	{ SETTING_DISCHARGE_OCP_DELAY,      30,     30,     30 },
	{ SETTING_DISCHARGE_OCP_RELEASE,    60,     60,     60 },
	{ SETTING_SCP_RELEASE,              60,     60,     60 },
	{ SETTING_MAX_BALANCE_CURRENT,    5000,   5000,   5000 },
	{ SETTING_CHARGE_OTP,              700,    700,    700 },
	{ SETTING_CHARGE_OTP_RELEASE,      600,    600,    600 },
	{ SETTING_DISCHARGE_OTP,           700,    700,    700 },
	{ SETTING_DISCHARGE_OTP_RELEASE,   600,    600,    600 },
	{ SETTING_CHARGE_UTP,             -200,   -200,   -300 },
	{ SETTING_CHARGE_UTP_RELEASE,     -100,   -100,   -200 },
	{ SETTING_BALANCE_START_VOLTAGE,  3300,   3800,   2350 },
};
/* clang-format on */

int settings_preset_values(enum setting_id preset, enum jk_variant variant,
			   struct setting_values *out)
{
	const struct setting_place *p;
	const struct preset_row *r;
	int n = 0;
	size_t i;

	if (preset != SETTING_PRESET_LFP && preset != SETTING_PRESET_LIION &&
	    preset != SETTING_PRESET_LTO)
		return -EINVAL;
	bits_zero(&out->set);
	for (i = 0; i < sizeof(preset_rows) / sizeof(preset_rows[0]); i++) {
		r = &preset_rows[i];
		p = setting_get_place(r->id, variant);
		if (!p || p->source == SOURCE_NONE ||
		    (settings_table[r->id].flags & S_READONLY))
			continue;
		out->val[r->id] = preset == SETTING_PRESET_LFP     ? r->lfp
				  : preset == SETTING_PRESET_LIION ? r->liion
								   : r->lto;
		bits_set(&out->set, (unsigned)r->id);
		n++;
	}
	return n;
}
