/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internals of the state model shared by its files. */
#pragma once

#include <stdint.h>

#include "jkbms/fields.h"
#include "jkbms/state.h"

/*
 * Integrates power into the energy counters at time now_usec; 'old' holds
 * the values before the current merge (the previous power sample).
 * state-energy.c.
 */
void state_energy_sample(struct bms_state *s, const struct field_values *old,
			 uint64_t now_usec);
