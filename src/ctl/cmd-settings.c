/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl settings BMS [--json]: the settings the daemon last read from
 * one BMS, by the keys "jkbmsctl set" takes, with their units and the
 * ranges of the settings table (what "jkbmsctl set" accepts; the rules
 * between settings are checked by the daemon).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/settings-rules.h"
#include "jkbms/settings.h"

#include "ctl/ctl.h"

/* "1.000 .. 5.000 V", "on|off", "fixed" */
static const char *range_of(enum setting_id id, char *buf, size_t size)
{
	const struct setting_desc *d = &settings_table[id];
	const char *unit = d->unit && d->kind == SETTING_KIND_NUMBER ? d->unit
								  : NULL;
	char lo[48], hi[48], st[48];

	if (d->flags & S_READONLY) {
		snprintf(buf, size, "fixed");
		return buf;
	}
	switch (d->kind) {
	case SETTING_KIND_SWITCH:
		snprintf(buf, size, "on|off");
		return buf;
	case SETTING_KIND_BUTTON:
		snprintf(buf, size, "press");
		return buf;
	case SETTING_KIND_SELECT:
	case SETTING_KIND_NUMBER:
		break;
	}
	setting_format_value(id, d->min, lo, sizeof(lo));
	setting_format_value(id, d->max, hi, sizeof(hi));
	st[0] = '\0';
	if (d->step > 1) {
		memcpy(st, ", step ", 8);
		setting_format_value(id, d->step, st + 7, sizeof(st) - 7);
	}
	snprintf(buf, size, "%s .. %s%s%s%s", lo, hi, unit ? " " : "",
		 unit ? unit : "", st);
	return buf;
}

/* Columns of printf's %-*s count bytes; "°C" takes one column for two. */
static int width(const char *s, int columns)
{
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) == 0x80)
			columns++;
	return columns;
}

static void print_settings(struct json_object *reply, FILE *out)
{
	struct json_object *values = json_object_object_get(reply, "settings");
	char value[64], range[128], num[64];

	fprintf(out, "BMS %s: %s\n",
		json_object_get_string(json_object_object_get(reply, "bms")),
		json_object_get_string(json_object_object_get(reply, "state")));
	if (!values || json_object_object_length(values) == 0) {
		fprintf(out, "  (no values yet)\n");
		return;
	}
	fprintf(out, "  %-26s %-14s %-30s %s\n", "KEY", "VALUE", "RANGE",
		"LABEL");
	json_object_object_foreach(values, key, val)
	{
		const struct setting_desc *d;
		int id = setting_from_key(key);

		if (id < 0)
			continue;
		d = &settings_table[id];
		if (json_object_is_type(val, json_type_boolean))
			snprintf(value, sizeof(value), "%s",
				 json_object_get_boolean(val) ? "on" : "off");
		else
			snprintf(value, sizeof(value), "%s%s%s",
				 ctl_value_string(val, num, sizeof(num)),
				 d->unit && d->kind == SETTING_KIND_NUMBER
					 ? " "
					 : "",
				 d->unit && d->kind == SETTING_KIND_NUMBER
					 ? d->unit
					 : "");
		range_of(id, range, sizeof(range));
		fprintf(out, "  %-26s %-*s %-*s %s\n", key, width(value, 14),
			value, width(range, 30), range, d->label);
	}
}

int ctl_settings_run(struct ctl *ctl, int argc, char **argv)
{
	return ctl_bms_command(ctl, argc, argv, "settings", print_settings);
}
