/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON of field values and settings (json-c), keyed by the field and
 * settings tables (DESIGN "Names that leave the process"). Numbers are
 * printed from the scaled integers with exactly the table's decimals, so
 * 3281 mV prints as 3.281 and never as 3.2810000000000001. Used by the MQTT
 * state documents, jkbmsctl status and jkbmsctl decode.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jkbms/fields.h"
#include "jkbms/settings.h"

struct json_object;

/*
 * Writes raw / 10^decimals with exactly 'decimals' digits after the point
 * ("-0.005", "3.280"; no point when decimals is 0) and a NUL. Returns the
 * length, -ENOBUFS if buf is too small, -EINVAL if decimals > 30.
 */
int json_number_format(int64_t raw, unsigned decimals, char *buf,
		       size_t size);
/* A JSON number printed as json_number_format() writes it. */
struct json_object *json_number_new(int64_t raw, unsigned decimals);

/*
 * One key per field whose flags intersect flags_any and which is set in v:
 * NUM numbers, BOOL true/false, ENUM names, TEXT strings, CELLS lists,
 * ALARMS a list of alarm names (variant from the "variant" field when set,
 * else jk02_32s). A new object; the caller puts it.
 */
struct json_object *values_to_json(const struct field_values *v,
				   unsigned flags_any);
/*
 * One key per setting set in s: numbers with their decimals, switches
 * true/false, selects as option names (a number if out of the list).
 */
struct json_object *settings_to_json(const struct setting_values *s);
