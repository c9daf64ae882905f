/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Battery banks: members aggregated into one set of values. Pure.
 * parallel: summed current, power, capacities and energy; capacity-weighted
 *   SOC; mean voltage; worst cell, temperatures and alarms across members.
 * series: summed voltage and cell statistics across all cells; current is
 *   the members' mean; SOC is the lowest member's.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jkbms/fields.h"

enum bank_topology {
	BANK_PARALLEL,
	BANK_SERIES,
};

struct bank_member {
	const struct field_values *v;
	bool online;
};

/*
 * Aggregates the online members into out (fields with F_BANK/F_BANK_ONLY;
 * out is reset first). Offline members (or v == NULL) count in
 * member_count only, except for the energy counters, which sum over every
 * member that has them so a bank total never drops when a link does.
 * Means and the weighted SOC round to nearest, halves away from zero.
 */
void bank_aggregate(enum bank_topology topology,
		    const struct bank_member *members, size_t n,
		    struct field_values *out);
