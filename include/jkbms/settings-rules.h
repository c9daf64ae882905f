/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Settings validation (DESIGN "The two-password scheme"): range and step
 * from the table, then the manual's cross-field rules. Pure.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jkbms/settings.h"
#include "jkbms/variant.h"

struct setting_check {
	char error[160];	/* why it is refused; empty when accepted */
	char warning[160];	/* accepted, but worth a word */
};

/*
 * Checks 'value' for setting 'id' on 'variant' against the table and
 * against the BMS's current settings 'current' (those it holds, may be
 * partial). Returns 0 if it may be written, -ERANGE (out of range or off
 * step), -EINVAL (breaks a rule between settings), -EOPNOTSUPP (not on the
 * variant), -EPERM (read-only); res says why.
 */
int settings_validate(enum setting_id id, int64_t value, enum jk_variant variant,
		      const struct setting_values *current,
		      struct setting_check *res);
/* Parses "3.45" into a scaled value for 'id' ("on"/"off" for switches). */
int setting_parse_value(enum setting_id id, const char *text, int64_t *ret);
/* Formats a scaled value for 'id' into buf; returns buf. */
char *setting_format_value(enum setting_id id, int64_t value, char *buf,
			   size_t size);
