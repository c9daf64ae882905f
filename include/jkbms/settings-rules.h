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
 * partial). Returns 0 if it may be written, -ERANGE (out of range, off
 * step, or not encodable on the variant's wire, e.g. 50.5 A on serial),
 * -EINVAL (breaks a rule between settings; a rule whose other setting is
 * unknown is skipped), -EOPNOTSUPP (not on the variant), -EPERM
 * (read-only); checked as variant, read-only, range, rules. res (may be
 * NULL) says why, and carries a warning on success (above 0.1 C, a
 * dangerous button). Buttons are not range-checked: the value is ignored.
 */
int settings_validate(enum setting_id id, int64_t value, enum jk_variant variant,
		      const struct setting_values *current,
		      struct setting_check *res);
/*
 * Parses text into a scaled value for 'id': exact decimals ("3.45",
 * "-20.5"; no exponents, no rounding), "on"/"off"/"true"/"false"/"1"/"0"
 * for switches, an option name or index for selects, "" or "press" for
 * buttons. Surrounding white space is ignored. -EINVAL for anything else
 * or more decimals than the setting has, -ERANGE on overflow or a value
 * off the setting's step. Range and rules are settings_validate()'s job.
 */
int setting_parse_value(enum setting_id id, const char *text, int64_t *ret);
/*
 * Formats a scaled value for 'id' into buf (always NUL-terminated,
 * truncated to size): "3.450", "on", "protocol_3", "press"; returns buf.
 * setting_parse_value() reads it back to the same value.
 */
char *setting_format_value(enum setting_id id, int64_t value, char *buf,
			   size_t size);
