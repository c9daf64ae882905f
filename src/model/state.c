/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One BMS's state: decoded frames merged into one set of values, the
 * values derived from them, and a changed-mask so the sinks publish only
 * what moved. The old values are kept in a copy during a merge and
 * compared field by field afterwards, so "changed" has one definition:
 * the value differs, or the field appeared or disappeared.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "jkbms/fields.h"
#include "jkbms/frame.h"
#include "jkbms/state.h"

#include "model-private.h"
#include "state-private.h"

void state_init(struct bms_state *s, enum jk_variant variant)
{
	memset(s, 0, sizeof(*s));
	s->variant = variant;
}

static bool field_equal(const struct field_values *a,
			const struct field_values *b, unsigned i)
{
	bool ha = bits_test(&a->set, i), hb = bits_test(&b->set, i);

	if (ha != hb)
		return false;
	if (!ha)
		return true;
	switch (field_table[i].type) {
	case FIELD_TYPE_NUM:
	case FIELD_TYPE_BOOL:
	case FIELD_TYPE_ENUM:
	case FIELD_TYPE_ALARMS:
		return a->num[i] == b->num[i];
	case FIELD_TYPE_TEXT:
		return !strncmp(a->text[i], b->text[i], FIELD_TEXT_MAX);
	case FIELD_TYPE_CELLS:
		if (a->ncells != b->ncells)
			return false;
		if (i == FIELD_CELL_VOLTAGE)
			return !memcmp(a->cell_voltage, b->cell_voltage,
				       a->ncells * sizeof(a->cell_voltage[0]));
		return !memcmp(a->cell_resistance, b->cell_resistance,
			       a->ncells * sizeof(a->cell_resistance[0]));
	}
	return false;
}

static void mark_changed(struct bms_state *s, const struct field_values *old)
{
	unsigned i;

	for (i = 0; i < FIELD__MAX; i++)
		if (!field_equal(old, &s->v, i))
			bits_set(&s->changed, i);
}

static void copy_field(struct field_values *dst, const struct field_values *src,
		       unsigned i)
{
	switch (field_table[i].type) {
	case FIELD_TYPE_NUM:
	case FIELD_TYPE_BOOL:
	case FIELD_TYPE_ENUM:
	case FIELD_TYPE_ALARMS:
		dst->num[i] = src->num[i];
		break;
	case FIELD_TYPE_TEXT:
		memcpy(dst->text[i], src->text[i], FIELD_TEXT_MAX);
		dst->text[i][FIELD_TEXT_MAX - 1] = '\0';
		break;
	case FIELD_TYPE_CELLS:
		dst->ncells =
			src->ncells > JK_CELLS_MAX ? JK_CELLS_MAX : src->ncells;
		if (i == FIELD_CELL_VOLTAGE)
			memcpy(dst->cell_voltage, src->cell_voltage,
			       dst->ncells * sizeof(dst->cell_voltage[0]));
		else
			memcpy(dst->cell_resistance, src->cell_resistance,
			       dst->ncells * sizeof(dst->cell_resistance[0]));
		break;
	}
	bits_set(&dst->set, i);
}

/* Decoded fields the model owns: derived ones and the bank's. */
static bool field_is_input(unsigned i)
{
	return !(field_table[i].flags & (F_DERIVED | F_BANK_ONLY));
}

static void merge_fields(struct bms_state *s, const struct jk_decoded *d)
{
	const struct field_values *in = &d->fields;
	unsigned i;

	for (i = 0; i < FIELD__MAX; i++) {
		if (!field_is_input(i))
			continue;
		if (bits_test(&in->set, i))
			copy_field(&s->v, in, i);
		else if (d->type == JK_FRAME_CELL_INFO &&
			 (field_table[i].flags & F_LIVE))
			/* a cell-info frame carries every live value it has */
			bits_clear(&s->v.set, i);
	}
	if (!field_has(&s->v, FIELD_CELL_VOLTAGE) &&
	    !field_has(&s->v, FIELD_CELL_RESISTANCE))
		s->v.ncells = 0;
}

static void merge_settings(struct bms_state *s, const struct setting_values *in)
{
	unsigned i;

	for (i = 0; i < SETTING__MAX; i++) {
		if (!bits_test(&in->set, i))
			continue;
		if (!bits_test(&s->settings.set, i) ||
		    s->settings.val[i] != in->val[i])
			bits_set(&s->settings_changed, i);
		s->settings.val[i] = in->val[i];
		bits_set(&s->settings.set, i);
	}
}

void state_apply(struct bms_state *s, const struct jk_decoded *d,
		 uint64_t now_usec)
{
	struct field_values old = s->v;
	enum jk_variant variant;

	merge_fields(s, d);
	merge_settings(s, &d->settings);

	switch (d->type) {
	case JK_FRAME_CELL_INFO:
		s->live_usec = now_usec;
		break;
	case JK_FRAME_SETTINGS:
		s->settings_usec = now_usec;
		break;
	case JK_FRAME_DEVICE_INFO:
		s->info_usec = now_usec;
		variant =
			s->variant != JK_VARIANT_AUTO ? s->variant : d->variant;
		if (variant >= 0 && variant < JK_VARIANT__MAX)
			field_set_num(&s->v, FIELD_VARIANT, variant);
		break;
	case JK_FRAME_LOGBOOK:
		break;
	}

	state_derive(&s->v);
	if (d->type == JK_FRAME_CELL_INFO)
		state_energy_sample(s, &old, now_usec);
	mark_changed(s, &old);
}

void state_set_energy(struct bms_state *s, int64_t charged, int64_t discharged)
{
	struct field_values old = s->v;

	field_set_num(&s->v, FIELD_ENERGY_CHARGED, charged);
	field_set_num(&s->v, FIELD_ENERGY_DISCHARGED, discharged);
	mark_changed(s, &old);
}

struct bits state_take_changed(struct bms_state *s)
{
	struct bits changed = s->changed;

	bits_zero(&s->changed);
	bits_zero(&s->settings_changed);
	return changed;
}

struct bits state_take_settings_changed(struct bms_state *s)
{
	struct bits changed = s->settings_changed;

	bits_zero(&s->settings_changed);
	return changed;
}

void state_clear_live(struct bms_state *s)
{
	struct field_values old = s->v;
	unsigned i;

	for (i = 0; i < FIELD__MAX; i++)
		if ((field_table[i].flags & F_LIVE) &&
		    !(field_table[i].flags & F_PERSIST))
			bits_clear(&s->v.set, i);
	s->v.ncells = 0;
	s->live_usec = 0;
	/* the next sample starts a new interval: no integration across */
	s->energy_usec = 0;
	mark_changed(s, &old);
}
