/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Alarm bits to names, per protocol (protocols.md section 6). Pure. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jkbms/variant.h"

/* snake_case name of alarm bit 'bit' on 'variant', NULL if unused. */
const char *alarm_name(enum jk_variant variant, unsigned bit);
/*
 * Fills names[] with the names of the bits set in 'bits' (at most max);
 * returns the count. Unknown bits are named "bit_N" from a static table.
 */
size_t alarm_names(enum jk_variant variant, uint64_t bits,
		   const char **names, size_t max);
