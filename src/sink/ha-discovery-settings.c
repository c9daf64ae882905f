/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Settings as Home Assistant entities, from the settings table: numbers
 * with the table's range, step and unit, switches, selects with the
 * table's options, buttons. Commands go to <base>/<bms>/set/<key> in the
 * text jkbmsctl set takes (setting_parse_value). Without a write path, or
 * with writes = no, the same values appear as read-only sensors.
 * Dangerous commands (factory reset, shutdown) and S_NO_HA settings are
 * never announced: they need jkbmsctl and --force.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/settings.h"
#include "jkbms/state.h"

#include "sink/ha-private.h"
#include "util/values-json.h"

static struct json_object *str(const char *s)
{
	return json_object_new_string(s);
}

/* Number entities of HA know these classes by unit. */
static const char *number_class(const char *unit)
{
	if (!unit)
		return NULL;
	if (!strcmp(unit, "V"))
		return "voltage";
	if (!strcmp(unit, "A"))
		return "current";
	if (!strcmp(unit, "°C"))
		return "temperature";
	if (!strcmp(unit, "s"))
		return "duration";
	return NULL;
}

static void command(struct ha_node *n, struct json_object *e, const char *key)
{
	snprintf(n->scratch, sizeof(n->scratch), "%s/set/%s", n->topic_base,
		 key);
	json_object_object_add(e, "command_topic", str(n->scratch));
	json_object_object_add(e, "entity_category", str("config"));
}

static void options(struct json_object *e, const struct setting_desc *d)
{
	struct json_object *opts = json_object_new_array();
	size_t i;

	for (i = 0; d->options && d->options[i]; i++)
		json_object_array_add(opts, str(d->options[i]));
	json_object_object_add(e, "options", opts);
}

static void setting(struct ha_node *n, const struct setting_desc *d,
		    bool writable)
{
	const char *component = "sensor";
	char object[64], tmpl[128];
	struct json_object *e;

	snprintf(object, sizeof(object), "setting_%s", d->key);
	if (d->kind == SETTING_KIND_SWITCH)
		snprintf(tmpl, sizeof(tmpl),
			 "{{ 'ON' if value_json.%s else 'OFF' }}", d->key);
	else
		snprintf(tmpl, sizeof(tmpl), "{{ value_json.%s }}", d->key);
	e = ha_entity_new(n, object, d->label,
			  d->kind == SETTING_KIND_BUTTON ? NULL : "settings",
			  d->kind == SETTING_KIND_BUTTON ? NULL : tmpl);

	switch (d->kind) {
	case SETTING_KIND_NUMBER:
		if (writable) {
			component = "number";
			command(n, e, d->key);
			json_object_object_add(
				e, "min", json_number_new(d->min, d->decimals));
			json_object_object_add(
				e, "max", json_number_new(d->max, d->decimals));
			json_object_object_add(
				e, "step",
				json_number_new(d->step, d->decimals));
			json_object_object_add(e, "mode", str("box"));
			ha_set_classes(e, d->unit, number_class(d->unit), NULL,
				       -1);
		} else {
			ha_set_classes(e, d->unit, number_class(d->unit), NULL,
				       d->decimals);
		}
		break;
	case SETTING_KIND_SWITCH:
		if (writable) {
			component = "switch";
			command(n, e, d->key);
			json_object_object_add(e, "payload_on", str("on"));
			json_object_object_add(e, "payload_off", str("off"));
			json_object_object_add(e, "state_on", str("ON"));
			json_object_object_add(e, "state_off", str("OFF"));
		} else {
			component = "binary_sensor";
		}
		break;
	case SETTING_KIND_SELECT:
		if (writable) {
			component = "select";
			command(n, e, d->key);
		} else {
			json_object_object_add(e, "device_class", str("enum"));
		}
		options(e, d);
		break;
	case SETTING_KIND_BUTTON:
		component = "button";
		command(n, e, d->key);
		json_object_object_add(e, "payload_press", str("press"));
		break;
	}
	if (!writable)
		json_object_object_add(e, "entity_category", str("diagnostic"));
	ha_emit(n, component, object, e);
}

void ha_discovery_settings(struct ha_node *n, const struct bms_state *s,
			   bool writable)
{
	unsigned i;

	for (i = 0; i < SETTING__MAX; i++) {
		const struct setting_desc *d = &settings_table[i];
		bool w = writable && !(d->flags & S_READONLY);

		if (d->flags & (S_NO_HA | S_DANGEROUS))
			continue;
		if (!setting_on_variant(i, s->variant))
			continue;
		if (d->kind == SETTING_KIND_BUTTON) {
			if (w)
				setting(n, d, true);
			continue;
		}
		/* What the BMS never reported has no state to show. */
		if (!bits_test(&s->settings.set, i))
			continue;
		setting(n, d, w);
	}
}
