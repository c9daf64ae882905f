/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Field values and settings to JSON, driven by field_table[] and
 * settings_table[]: one loop over each table, one rule per type. Numbers
 * are formatted from the scaled integer and handed to json-c as text
 * (json_object_new_double_s), so what is printed is exactly the value the
 * BMS sent, with the table's decimals, never a binary-float neighbour.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/alarms.h"
#include "jkbms/fields.h"
#include "jkbms/settings.h"
#include "jkbms/variant.h"

#include "util/values-json.h"

#define DECIMALS_MAX	30
#define ALARMS_MAX	64

int json_number_format(int64_t raw, unsigned decimals, char *buf,
		       size_t size)
{
	char digits[24];
	uint64_t mag;
	size_t n, ilen, zeros, len, pos = 0;
	bool neg = raw < 0;

	if (decimals > DECIMALS_MAX)
		return -EINVAL;
	/* the magnitude of INT64_MIN only fits unsigned */
	mag = neg ? UINT64_C(0) - (uint64_t)raw : (uint64_t)raw;
	n = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, mag);

	/* integer part: the leading digits, or "0" */
	ilen = n > decimals ? n - decimals : 0;
	zeros = n < decimals ? decimals - n : 0;
	len = (neg ? 1 : 0) + (ilen ? ilen : 1) + (decimals ? 1 + decimals : 0);
	if (!buf || len + 1 > size)
		return -ENOBUFS;

	if (neg)
		buf[pos++] = '-';
	if (ilen) {
		memcpy(buf + pos, digits, ilen);
		pos += ilen;
	} else {
		buf[pos++] = '0';
	}
	if (decimals) {
		buf[pos++] = '.';
		memset(buf + pos, '0', zeros);
		pos += zeros;
		memcpy(buf + pos, digits + ilen, n - ilen);
		pos += n - ilen;
	}
	buf[pos] = '\0';
	return (int)pos;
}

struct json_object *json_number_new(int64_t raw, unsigned decimals)
{
	char buf[64];

	if (!decimals || json_number_format(raw, decimals, buf,
					    sizeof(buf)) < 0)
		return json_object_new_int64(raw);
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

static struct json_object *enum_new(const char *const *names, int64_t value)
{
	int64_t i;

	if (names && value >= 0) {
		for (i = 0; names[i]; i++)
			if (i == value)
				return json_object_new_string(names[i]);
	}
	return json_object_new_int64(value);
}

static struct json_object *cells_new(const int32_t *cells, uint8_t n,
				     unsigned decimals)
{
	struct json_object *a = json_object_new_array();
	uint8_t i;

	if (n > JK_CELLS_MAX)
		n = JK_CELLS_MAX;
	for (i = 0; i < n; i++)
		json_object_array_add(a, json_number_new(cells[i], decimals));
	return a;
}

static struct json_object *alarms_new(const struct field_values *v)
{
	enum jk_variant variant = JK_VARIANT_JK02_32S;
	const char *names[ALARMS_MAX];
	struct json_object *a = json_object_new_array();
	uint64_t bits;
	size_t n, i;

	if (field_has(v, FIELD_VARIANT) && v->num[FIELD_VARIANT] >= 0 &&
	    v->num[FIELD_VARIANT] < JK_VARIANT__MAX)
		variant = (enum jk_variant)v->num[FIELD_VARIANT];
	/* the names come from the alarm word; ALARMS itself is derived */
	if (field_has(v, FIELD_ALARM_BITS))
		bits = (uint64_t)v->num[FIELD_ALARM_BITS];
	else
		bits = (uint64_t)v->num[FIELD_ALARMS];
	n = alarm_names(variant, bits, names, ALARMS_MAX);
	for (i = 0; i < n && i < ALARMS_MAX; i++)
		if (names[i])
			json_object_array_add(a,
					      json_object_new_string(names[i]));
	return a;
}

static struct json_object *field_new(const struct field_values *v,
				     enum field_id id)
{
	const struct field_desc *d = &field_table[id];

	switch (d->type) {
	case FIELD_TYPE_NUM:
		return json_number_new(v->num[id], d->decimals);
	case FIELD_TYPE_BOOL:
		return json_object_new_boolean(v->num[id] != 0);
	case FIELD_TYPE_ENUM:
		return enum_new(d->enum_names, v->num[id]);
	case FIELD_TYPE_TEXT:
		return json_object_new_string_len(v->text[id],
			(int)strnlen(v->text[id], FIELD_TEXT_MAX));
	case FIELD_TYPE_CELLS:
		if (id == FIELD_CELL_RESISTANCE)
			return cells_new(v->cell_resistance, v->ncells,
					 d->decimals);
		return cells_new(v->cell_voltage, v->ncells, d->decimals);
	case FIELD_TYPE_ALARMS:
		return alarms_new(v);
	}
	return NULL;
}

struct json_object *values_to_json(const struct field_values *v,
				   unsigned flags_any)
{
	struct json_object *o = json_object_new_object();
	unsigned i;

	for (i = 0; i < FIELD__MAX; i++) {
		struct json_object *val;

		if (!(field_table[i].flags & flags_any) ||
		    !field_has(v, (enum field_id)i))
			continue;
		val = field_new(v, (enum field_id)i);
		if (val)
			json_object_object_add(o, field_table[i].key, val);
	}
	return o;
}

struct json_object *settings_to_json(const struct setting_values *s)
{
	struct json_object *o = json_object_new_object();
	unsigned i;

	for (i = 0; i < SETTING__MAX; i++) {
		const struct setting_desc *d = &settings_table[i];
		struct json_object *val = NULL;

		if (!bits_test(&s->set, i) || !d->key)
			continue;
		switch (d->kind) {
		case SETTING_KIND_NUMBER:
			val = json_number_new(s->val[i], d->decimals);
			break;
		case SETTING_KIND_SWITCH:
			val = json_object_new_boolean(s->val[i] != 0);
			break;
		case SETTING_KIND_SELECT:
			val = enum_new(d->options, s->val[i]);
			break;
		case SETTING_KIND_BUTTON:
			break;
		}
		if (val)
			json_object_object_add(o, d->key, val);
	}
	return o;
}
