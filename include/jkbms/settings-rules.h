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
 * The limits of one product beyond its variant, by the model string its
 * device info reports (NULL: none known): cell_count 8 .. 25 on the
 * JK-B5A25S. 0, or -ERANGE with res->error naming the model.
 */
int settings_validate_model(enum setting_id id, int64_t value,
			    const char *model, struct setting_check *res);
/*
 * The one-click preset 'preset' (SETTING_PRESET_LIION, _LFP or _LTO) as
 * the values of manual appendix 1, for a variant without the BMS's own
 * preset command: the appendix rows the variant holds and that may be
 * written (not the fixed MOS limits), plus the balance start voltage
 * (typical values: the appendix has none, nor an LTO column). Sets
 * out->set and out->val for those settings only (out is cleared first);
 * returns how many, or -EINVAL if 'preset' is not a preset button.
 */
int settings_preset_values(enum setting_id preset, enum jk_variant variant,
			   struct setting_values *out);
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
