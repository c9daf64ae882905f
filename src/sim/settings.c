/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A setting write, decoded by the codec from a command frame, applied the
 * way the BMS would: numbers and switches are stored (the next settings
 * frame shows them), the buttons load a preset, reset to factory values,
 * restart or shut down. Like a real JK BMS it checks no password
 * (protocols.md 0). It does refuse what it cannot hold: a setting the
 * variant lacks or a value outside the table's range is ignored like a
 * corrupt command, without an ack.
 */
#include <errno.h>

#include "sim/sim-private.h"

/* The one-click buttons of manual 5.3.3 a) - c) (JK02_32S registers). */
static const struct {
	enum setting_id id;
	enum sim_chemistry chem;
} preset_buttons[] = {
	{ SETTING_PRESET_LIION, SIM_LIION },
	{ SETTING_PRESET_LFP, SIM_LFP },
	{ SETTING_PRESET_LTO, SIM_LTO },
};

static int button(struct sim_bms *s, enum setting_id id,
		  enum sim_action *ret_action)
{
	unsigned i;

	if (id == SETTING_SHUTDOWN) {
		*ret_action = SIM_ACTION_SHUTDOWN;
		return 0;
	}
	if (id == SETTING_RESTART) {
		*ret_action = SIM_ACTION_RESTART;
		return 0;
	}
	if (id == SETTING_FACTORY_RESET) {
		presets_load(&s->settings, s->variant, s->cfg.chemistry,
			     SIM_PRESET_FACTORY);
		sim_settings_changed(s);
		return 0;
	}
	for (i = 0; i < sizeof(preset_buttons) / sizeof(preset_buttons[0]);
	     i++) {
		if (preset_buttons[i].id != id)
			continue;
		presets_load(&s->settings, s->variant, preset_buttons[i].chem,
			     SIM_PRESET_ONE_CLICK);
		sim_settings_changed(s);
		return 0;
	}
	return -EOPNOTSUPP;
}

int settings_apply(struct sim_bms *s, enum setting_id id, int64_t value,
		   enum sim_action *ret_action)
{
	const struct setting_desc *d;
	const struct setting_place *p;

	*ret_action = SIM_ACTION_NONE;
	if ((unsigned)id >= SETTING__MAX)
		return -EINVAL;
	d = &settings_table[id];
	p = setting_get_place(id, s->variant);
	if (!p)
		return -EOPNOTSUPP;
	if (value < d->min || value > d->max)
		return -ERANGE;
	if (d->kind == SETTING_KIND_BUTTON)
		return button(s, id, ret_action);
	/*
	 * Calibrations and the clock: accepted. Our measurements are exact,
	 * so calibrating them to the true value changes nothing.
	 */
	if (p->source == SOURCE_NONE)
		return 0;
	/* manual 5.3.3 s): MOS limits "cannot be modified"; acked, kept */
	if (d->flags & S_READONLY)
		return 0;
	s->settings.val[id] = value;
	bits_set(&s->settings.set, (unsigned)id);
	sim_settings_changed(s);
	return 0;
}
