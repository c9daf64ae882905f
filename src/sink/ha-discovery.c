/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Home Assistant discovery messages (DESIGN "MQTT"), one loop over the
 * field table per device: the table's unit, device_class, state_class and
 * display precision go straight into each entity, so the Energy dashboard
 * takes the kWh counters and every unit agrees with the state JSON.
 *
 * Topics: <prefix>/<component>/<node>/<object>/config with node
 * "jkbms_<bms>" or "jkbms_bank_<bank>"; unique ids "<node>_<object>".
 * Every entity is available only while both the gateway (<base>/status)
 * and its BMS (<base>/<bms>/availability) say online.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/alarms.h"
#include "jkbms/fields.h"
#include "jkbms/state.h"

#include "sink/ha-discovery.h"
#include "sink/ha-private.h"
#include "util/values-json.h"

#define ALARM_BITS_MAX 64

static struct json_object *str(const char *s)
{
	return json_object_new_string(s);
}

void ha_node_init(struct ha_node *n, const struct ha_context *ctx,
		  const char *node_id, const char *topic_base,
		  const char *avail_topic)
{
	struct json_object *a;

	memset(n, 0, sizeof(*n));
	n->ctx = ctx;
	snprintf(n->node_id, sizeof(n->node_id), "%s", node_id);
	snprintf(n->topic_base, sizeof(n->topic_base), "%s", topic_base);
	n->device = json_object_new_object();
	n->availability = json_object_new_array();
	a = json_object_new_object();
	snprintf(n->scratch, sizeof(n->scratch), "%s/status", ctx->base_topic);
	json_object_object_add(a, "topic", str(n->scratch));
	json_object_array_add(n->availability, a);
	if (avail_topic) {
		a = json_object_new_object();
		json_object_object_add(a, "topic", str(avail_topic));
		json_object_array_add(n->availability, a);
	}
}

void ha_node_release(struct ha_node *n)
{
	json_object_put(n->device);
	json_object_put(n->availability);
}

struct json_object *ha_entity_new(struct ha_node *n, const char *object,
				  const char *name, const char *leaf,
				  const char *tmpl)
{
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "name", str(name));
	snprintf(n->scratch, sizeof(n->scratch), "%s_%s", n->node_id, object);
	json_object_object_add(e, "unique_id", str(n->scratch));
	if (leaf) {
		snprintf(n->scratch, sizeof(n->scratch), "%s/%s", n->topic_base,
			 leaf);
		json_object_object_add(e, "state_topic", str(n->scratch));
	}
	if (tmpl)
		json_object_object_add(e, "value_template", str(tmpl));
	return e;
}

void ha_emit(struct ha_node *n, const char *component, const char *object,
	     struct json_object *e)
{
	const struct ha_context *ctx = n->ctx;
	struct json_object *origin = json_object_new_object();
	char topic[256];

	json_object_object_add(origin, "name", str("jkbmsd"));
	json_object_object_add(origin, "sw_version", str(ctx->version));
	json_object_object_add(e, "device", json_object_get(n->device));
	json_object_object_add(e, "origin", origin);
	json_object_object_add(e, "availability",
			       json_object_get(n->availability));
	json_object_object_add(e, "availability_mode", str("all"));
	snprintf(topic, sizeof(topic), "%s/%s/%s/%s/config", ctx->prefix,
		 component, n->node_id, object);
	ctx->emit(topic,
		  json_object_to_json_string_ext(
			  e, JSON_C_TO_STRING_PLAIN |
				     JSON_C_TO_STRING_NOSLASHESCAPE),
		  ctx->userdata);
	json_object_put(e);
}

void ha_set_classes(struct json_object *e, const char *unit,
		    const char *device_class, const char *state_class,
		    int precision)
{
	if (unit)
		json_object_object_add(e, "unit_of_measurement", str(unit));
	if (device_class)
		json_object_object_add(e, "device_class", str(device_class));
	if (state_class)
		json_object_object_add(e, "state_class", str(state_class));
	if (precision >= 0)
		json_object_object_add(e, "suggested_display_precision",
				       json_object_new_int(precision));
}

static void diagnostic(struct json_object *e)
{
	json_object_object_add(e, "entity_category", str("diagnostic"));
}

/* Sensors of the per-cell lists: cell_voltage_1 ... (1-based, as jkbmsctl). */
static void cells(struct ha_node *n, const struct field_desc *f,
		  unsigned ncells)
{
	char object[64], name[64], tmpl[96];
	unsigned i;

	for (i = 0; i < ncells; i++) {
		struct json_object *e;

		snprintf(object, sizeof(object), "%s_%u", f->key, i + 1);
		snprintf(name, sizeof(name), "%s %u", f->label, i + 1);
		snprintf(tmpl, sizeof(tmpl), "{{ value_json.%s[%u] }}", f->key,
			 i);
		e = ha_entity_new(n, object, name, "state", tmpl);
		ha_set_classes(e, f->unit, f->device_class, f->state_class,
			       f->precision);
		if (f->flags & F_DIAG)
			diagnostic(e);
		ha_emit(n, "sensor", object, e);
	}
}

/*
 * The alarm list as text, one problem sensor for "any alarm" (what an
 * automation or a bank's card wants), and one per alarm of the variant.
 */
static void alarms(struct ha_node *n, const struct field_desc *f,
		   enum jk_variant variant, bool per_alarm)
{
	char object[64], tmpl[160];
	struct json_object *e;
	unsigned bit;

	/* Home Assistant refuses states over 255 characters; every alarm
	 * of a JK02_32S at once is more than that. */
	snprintf(tmpl, sizeof(tmpl),
		 "{{ (value_json.%s | join(', ') if value_json.%s else "
		 "'none') | truncate(250) }}",
		 f->key, f->key);
	e = ha_entity_new(n, f->key, f->label, "state", tmpl);
	json_object_object_add(e, "icon", str("mdi:alert"));
	ha_emit(n, "sensor", f->key, e);
	snprintf(tmpl, sizeof(tmpl),
		 "{{ 'ON' if (value_json.%s | default([]) | length) > 0 "
		 "else 'OFF' }}",
		 f->key);
	e = ha_entity_new(n, "problem", "Problem", "state", tmpl);
	json_object_object_add(e, "device_class", str("problem"));
	ha_emit(n, "binary_sensor", "problem", e);
	if (!per_alarm)
		return;
	for (bit = 0; bit < ALARM_BITS_MAX; bit++) {
		const char *a = alarm_name(variant, bit);
		char name[64];
		size_t i;

		if (!a)
			continue;
		snprintf(object, sizeof(object), "alarm_%s", a);
		snprintf(name, sizeof(name), "Alarm %s", a);
		for (i = 6; name[i]; i++)
			if (name[i] == '_')
				name[i] = ' ';
		snprintf(tmpl, sizeof(tmpl),
			 "{{ 'ON' if '%s' in (value_json.%s | default([])) "
			 "else 'OFF' }}",
			 a, f->key);
		e = ha_entity_new(n, object, name, "state", tmpl);
		json_object_object_add(e, "device_class", str("problem"));
		ha_emit(n, "binary_sensor", object, e);
	}
}

/* One field as an entity reading 'leaf' (state or info). */
static void field(struct ha_node *n, enum field_id id, const char *leaf,
		  enum jk_variant variant, unsigned ncells, bool bms)
{
	const struct field_desc *f = &field_table[id];
	const char *component = "sensor";
	char tmpl[128];
	struct json_object *e;
	size_t i;

	switch (f->type) {
	case FIELD_TYPE_CELLS:
		cells(n, f, ncells);
		return;
	case FIELD_TYPE_ALARMS:
		alarms(n, f, variant, bms);
		return;
	case FIELD_TYPE_BOOL:
		component = "binary_sensor";
		snprintf(tmpl, sizeof(tmpl),
			 "{{ 'ON' if value_json.%s else 'OFF' }}", f->key);
		break;
	case FIELD_TYPE_NUM:
	case FIELD_TYPE_ENUM:
	case FIELD_TYPE_TEXT:
		snprintf(tmpl, sizeof(tmpl), "{{ value_json.%s }}", f->key);
		break;
	}
	e = ha_entity_new(n, f->key, f->label, leaf, tmpl);
	if (f->type == FIELD_TYPE_NUM)
		ha_set_classes(e, f->unit, f->device_class, f->state_class,
			       f->precision);
	else if (f->type == FIELD_TYPE_BOOL)
		ha_set_classes(e, NULL, f->device_class, NULL, -1);
	if (f->type == FIELD_TYPE_ENUM && f->enum_names) {
		struct json_object *opts = json_object_new_array();

		for (i = 0; f->enum_names[i]; i++)
			json_object_array_add(opts, str(f->enum_names[i]));
		json_object_object_add(e, "options", opts);
		json_object_object_add(e, "device_class", str("enum"));
	}
	if (f->flags & F_DIAG || f->type == FIELD_TYPE_TEXT)
		diagnostic(e);
	ha_emit(n, component, f->key, e);
}

static void device_text(struct json_object *dev, const char *key,
			const struct field_values *v, enum field_id id)
{
	if (field_has(v, id) && v->text[id][0])
		json_object_object_add(dev, key, str(v->text[id]));
}

static void via_gateway(struct ha_node *n)
{
	snprintf(n->scratch, sizeof(n->scratch), "jkbmsd_%s", n->ctx->gateway);
	json_object_object_add(n->device, "via_device", str(n->scratch));
}

static void identifiers(struct ha_node *n)
{
	struct json_object *ids = json_object_new_array();

	json_object_array_add(ids, str(n->node_id));
	json_object_object_add(n->device, "identifiers", ids);
}

void ha_discovery_gateway(const struct ha_context *ctx)
{
	struct json_object *e, *ids;
	struct ha_node n;
	char node[96], base[160];

	snprintf(node, sizeof(node), "jkbmsd_%s", ctx->gateway);
	snprintf(base, sizeof(base), "%s", ctx->base_topic);
	ha_node_init(&n, ctx, node, base, NULL);
	ids = json_object_new_array();
	json_object_array_add(ids, str(node));
	json_object_object_add(n.device, "identifiers", ids);
	json_object_object_add(n.device, "name", str(ctx->gateway));
	json_object_object_add(n.device, "manufacturer", str("jkbmsd"));
	json_object_object_add(n.device, "model", str("JK BMS gateway"));
	json_object_object_add(n.device, "sw_version", str(ctx->version));
	e = ha_entity_new(&n, "status", "Broker connection", "status", NULL);
	json_object_object_add(e, "payload_on", str("online"));
	json_object_object_add(e, "payload_off", str("offline"));
	json_object_object_add(e, "device_class", str("connectivity"));
	diagnostic(e);
	/* Its own availability would hide the state it shows. */
	ha_emit(&n, "binary_sensor", "status", e);
	ha_node_release(&n);
}

/* Link health from <base>/<bms>/link (mqtt.c). */
static void link_entities(struct ha_node *n, bool rssi)
{
	struct json_object *e;

	if (rssi) {
		e = ha_entity_new(n, "rssi", "Signal strength", "link",
				  "{{ value_json.rssi }}");
		ha_set_classes(e, "dBm", "signal_strength", "measurement", 0);
		diagnostic(e);
		ha_emit(n, "sensor", "rssi", e);
	}

	e = ha_entity_new(n, "frame_age", "Frame age", "link",
			  "{{ value_json.frame_age }}");
	ha_set_classes(e, "s", "duration", "measurement", 1);
	diagnostic(e);
	ha_emit(n, "sensor", "frame_age", e);
	e = ha_entity_new(n, "reconnects", "Reconnects", "link",
			  "{{ value_json.reconnects }}");
	ha_set_classes(e, NULL, NULL, "total_increasing", 0);
	diagnostic(e);
	ha_emit(n, "sensor", "reconnects", e);
	e = ha_entity_new(n, "frames_bad", "Bad frames", "link",
			  "{{ value_json.frames_bad }}");
	ha_set_classes(e, NULL, NULL, "total_increasing", 0);
	diagnostic(e);
	ha_emit(n, "sensor", "frames_bad", e);
}

void ha_discovery_bms(const struct ha_context *ctx, const char *bms,
		      const struct bms_state *s, bool writable, bool rssi)
{
	const struct field_values *v = &s->v;
	char node[96], base[160], avail[192];
	struct ha_node n;
	unsigned i;

	snprintf(node, sizeof(node), "jkbms_%s", bms);
	snprintf(base, sizeof(base), "%s/%s", ctx->base_topic, bms);
	snprintf(avail, sizeof(avail), "%s/availability", base);
	ha_node_init(&n, ctx, node, base, avail);
	identifiers(&n);
	json_object_object_add(n.device, "name", str(bms));
	json_object_object_add(n.device, "manufacturer", str("Jikong"));
	json_object_object_add(
		n.device, "model",
		str(field_has(v, FIELD_MODEL) && v->text[FIELD_MODEL][0]
			    ? v->text[FIELD_MODEL]
			    : "JK BMS"));
	device_text(n.device, "hw_version", v, FIELD_HARDWARE_VERSION);
	device_text(n.device, "sw_version", v, FIELD_SOFTWARE_VERSION);
	device_text(n.device, "serial_number", v, FIELD_SERIAL_NUMBER);
	via_gateway(&n);

	for (i = 0; i < FIELD__MAX; i++) {
		const struct field_desc *f = &field_table[i];

		if ((f->flags & F_BANK_ONLY) || !field_has(v, i))
			continue;
		if (f->flags & F_LIVE)
			field(&n, i, "state", s->variant, v->ncells, true);
		else if (f->flags & F_INFO)
			field(&n, i, "info", s->variant, 0, true);
	}
	link_entities(&n, rssi);
	ha_discovery_settings(&n, s, writable);
	ha_node_release(&n);
}

void ha_discovery_bank(const struct ha_context *ctx, const char *bank,
		       enum bank_topology topology,
		       const struct field_values *v)
{
	char node[96], base[160], name[96];
	struct ha_node n;
	unsigned i;

	snprintf(node, sizeof(node), "jkbms_bank_%s", bank);
	snprintf(base, sizeof(base), "%s/bank/%s", ctx->base_topic, bank);
	ha_node_init(&n, ctx, node, base, NULL);
	identifiers(&n);
	snprintf(name, sizeof(name), "Bank %s", bank);
	json_object_object_add(n.device, "name", str(name));
	json_object_object_add(n.device, "manufacturer", str("Jikong"));
	json_object_object_add(n.device, "model",
			       str(topology == BANK_SERIES
					   ? "Battery bank (series)"
					   : "Battery bank (parallel)"));
	via_gateway(&n);
	for (i = 0; i < FIELD__MAX; i++) {
		const struct field_desc *f = &field_table[i];

		if (!(f->flags & (F_BANK | F_BANK_ONLY)) || !field_has(v, i))
			continue;
		field(&n, i, "state", JK_VARIANT_AUTO, 0, false);
	}
	ha_node_release(&n);
}
