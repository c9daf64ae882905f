/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One BMS's live state: values merged from decoded frames, derived values,
 * a changed-mask for the sinks, and energy counters integrated from power.
 * Pure: time comes in as an argument (CLOCK_MONOTONIC microseconds).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "jkbms/bits.h"
#include "jkbms/fields.h"
#include "jkbms/settings.h"
#include "jkbms/variant.h"

struct jk_decoded;

struct bms_state {
	enum jk_variant variant;
	struct field_values v;		/* live + device info */
	struct setting_values settings;
	struct bits changed;		/* fields changed since state_take_changed */
	struct bits settings_changed;
	uint64_t live_usec;		/* last cell-info update, 0: never */
	uint64_t settings_usec;
	uint64_t info_usec;
	/*
	 * energy integration: time of the last power sample (0: none) and
	 * the sub-mWh remainders (charged, discharged) in 0.5 mW*usec
	 */
	uint64_t energy_usec;
	int64_t energy_rem[2];
};

void state_init(struct bms_state *s, enum jk_variant variant);
/*
 * Merges one decoded frame at time now_usec: copies what the frame carries,
 * recomputes derived fields (min/max/delta/avg/indexes, power, alarms) and
 * integrates energy. Marks every field whose value changed, appeared or
 * disappeared: a cell-info frame replaces all live values (a live field it
 * lacks is gone), other frames add to what is known. Derived fields in the
 * frame are ignored. Device info sets "variant" from s->variant (or the
 * frame's when s->variant is AUTO). Settings merge, marking changes in
 * settings_changed.
 */
void state_apply(struct bms_state *s, const struct jk_decoded *d,
		 uint64_t now_usec);
/*
 * Restores persisted energy counters (kWh * 10^6, i.e. mWh). Until this
 * or the first power sample, the counters are absent (never published as
 * 0, which Home Assistant would take for a meter reset).
 */
void state_set_energy(struct bms_state *s, int64_t charged, int64_t discharged);
/*
 * Returns the changed-field mask and clears both masks; read
 * s->settings_changed first, or take it with state_take_settings_changed().
 */
struct bits state_take_changed(struct bms_state *s);
/* Returns and clears the changed-settings mask only. */
struct bits state_take_settings_changed(struct bms_state *s);
/* Forgets live values (link lost): keeps device info, settings, energy. */
void state_clear_live(struct bms_state *s);

/* Derived values from cells etc.; exposed for the bank and for tests. */
void state_derive(struct field_values *v);
