/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MQTT publisher (DESIGN "MQTT"). It watches the manager and, per BMS,
 * publishes availability (online only while the device is ONLINE, i.e.
 * linked with its password checked), the live state as JSON of the field
 * table (on change, at most once per publish_interval), info and settings
 * (retained, on change) and events (alarms raised and cleared, link up
 * and down); per bank the aggregated state. Nodes are kept by name: a
 * reload frees and re-creates devices, so no device pointer is held
 * across events. After every (re)connect everything is published again,
 * since a restarted broker may have lost what was retained.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "jkbms/alarms.h"
#include "jkbms/conf.h"
#include "jkbms/log.h"
#include "jkbms/state.h"
#include "jkbms/util.h"

#include "daemon/manager.h"
#include "sink/mqtt-client.h"
#include "sink/mqtt-private.h"
#include "sink/mqtt.h"
#include "util/values-json.h"

#define ALARM_BITS_MAX 64

uint32_t mqtt_random(struct mqtt *q)
{
	uint32_t x = q->rnd;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	q->rnd = x ? x : 1;
	return q->rnd;
}

static char *json_text(struct json_object *o)
{
	char *s = xstrdup(json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return s;
}

void mqtt_publish_leaf(struct mqtt *q, const char *name, bool bank,
		       const char *leaf, const char *payload, bool retain)
{
	char topic[320];

	snprintf(topic, sizeof(topic), "%s/%s%s/%s", q->base,
		 bank ? "bank/" : "", name, leaf);
	mqtt_client_publish_str(q->client, topic, payload, retain);
}

static struct pub_node *find_node(struct mqtt *q, const char *name, bool bank)
{
	size_t i;

	for (i = 0; i < q->n_nodes; i++)
		if (q->nodes[i]->bank == bank &&
		    !strcmp(q->nodes[i]->name, name))
			return q->nodes[i];
	return NULL;
}

struct pub_node *mqtt_node(struct mqtt *q, const char *name, bool bank)
{
	struct pub_node *p = find_node(q, name, bank);

	if (p)
		return p;
	p = xcalloc(1, sizeof(*p));
	p->q = q;
	p->name = xstrdup(name);
	p->bank = bank;
	p->avail = -1;
	q->nodes = xrealloc(q->nodes, (q->n_nodes + 1) * sizeof(*q->nodes));
	q->nodes[q->n_nodes++] = p;
	return p;
}

void mqtt_node_free(struct pub_node *p)
{
	sd_event_source_disable_unref(p->defer);
	mqtt_node_forget_topics(p);
	free(p->last_state);
	free(p->last_info);
	free(p->last_settings);
	free(p->name);
	free(p);
}

/* Publishes payload on leaf unless it equals *last (then frees it). */
static bool publish_changed(struct pub_node *p, const char *leaf, char **last,
			    char *payload, bool retain)
{
	if (*last && !strcmp(*last, payload)) {
		free(payload);
		return false;
	}
	free(*last);
	*last = payload;
	mqtt_publish_leaf(p->q, p->name, p->bank, leaf, payload, retain);
	return true;
}

static void iso_time(char *buf, size_t size)
{
	time_t t = (time_t)(now_realtime_usec() / USEC_PER_SEC);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void event(struct pub_node *p, const char *what, const char *key,
		  const char *value)
{
	struct json_object *o = json_object_new_object();
	char t[32];
	char *s;

	iso_time(t, sizeof(t));
	json_object_object_add(o, "event", json_object_new_string(what));
	if (key)
		json_object_object_add(o, key, json_object_new_string(value));
	json_object_object_add(o, "time", json_object_new_string(t));
	s = json_text(o);
	mqtt_publish_leaf(p->q, p->name, false, "event", s, false);
	free(s);
}

static void link_doc(struct pub_node *p, struct device *dev)
{
	const struct device_link_stats *l = device_link(dev);
	struct json_object *o = json_object_new_object();
	uint64_t now = now_usec();
	char *s;

	json_object_object_add(o, "state",
			       json_object_new_string(device_state_name(
				       device_get_state(dev))));
	if (l->last_frame_usec && now >= l->last_frame_usec)
		json_object_object_add(
			o, "frame_age",
			json_number_new((int64_t)((now - l->last_frame_usec) /
						  (USEC_PER_SEC / 10)),
					1));
	if (l->rssi)
		json_object_object_add(o, "rssi", json_object_new_int(l->rssi));
	json_object_object_add(o, "frames_good",
			       json_object_new_int64((int64_t)l->frames_good));
	json_object_object_add(o, "frames_bad",
			       json_object_new_int64((int64_t)l->frames_bad));
	json_object_object_add(o, "reconnects",
			       json_object_new_int64((int64_t)l->reconnects));
	s = json_text(o);
	mqtt_publish_leaf(p->q, p->name, false, "link", s, false);
	free(s);
}

static void publish_state_now(struct pub_node *p)
{
	struct mqtt *q = p->q;
	struct json_object *o;

	if (!mqtt_client_connected(q->client))
		return;
	if (p->bank) {
		size_t i;

		for (i = 0; i < manager_n_banks(q->m); i++) {
			const struct bank *b = manager_bank(q->m, i);

			if (strcmp(b->name, p->name))
				continue;
			o = values_to_json(&b->values, F_LIVE);
			if (publish_changed(p, "state", &p->last_state,
					    json_text(o), q->retain_state))
				p->last_usec = now_usec();
			return;
		}
		return;
	} else {
		struct device *dev = manager_find_device(q->m, p->name);

		if (!dev || !device_is_online(dev))
			return;
		o = values_to_json(&device_bms_state(dev)->v, F_LIVE);
		if (publish_changed(p, "state", &p->last_state, json_text(o),
				    q->retain_state)) {
			p->last_usec = now_usec();
			link_doc(p, dev);
		}
	}
}

static int on_defer(sd_event_source *s, uint64_t usec, void *userdata)
{
	publish_state_now(userdata);
	return 0;
}

/* On change, at most once per interval: now, or at the interval's end. */
static void state_changed(struct pub_node *p)
{
	uint64_t interval =
		p->bank ? p->q->bank_interval : p->q->state_interval;
	uint64_t now = now_usec();
	int enabled = SD_EVENT_OFF;

	if (p->defer)
		sd_event_source_get_enabled(p->defer, &enabled);
	if (enabled != SD_EVENT_OFF)
		return;
	if (!p->last_usec || now - p->last_usec >= interval) {
		publish_state_now(p);
		return;
	}
	if (!p->defer) {
		if (sd_event_add_time(p->q->event, &p->defer, CLOCK_MONOTONIC,
				      p->last_usec + interval, 0, on_defer,
				      p) < 0)
			return;
	} else {
		sd_event_source_set_time(p->defer, p->last_usec + interval);
	}
	sd_event_source_set_enabled(p->defer, SD_EVENT_ONESHOT);
}

static void alarm_events(struct pub_node *p, const struct bms_state *s)
{
	uint64_t bits, diff;
	unsigned i;

	if (!field_has(&s->v, FIELD_ALARM_BITS))
		return;
	bits = (uint64_t)s->v.num[FIELD_ALARM_BITS];
	diff = p->have_alarms ? bits ^ p->alarms : bits;
	p->alarms = bits;
	p->have_alarms = true;
	for (i = 0; i < ALARM_BITS_MAX && diff; i++) {
		const char *names[1];
		uint64_t bit = UINT64_C(1) << i;

		if (!(diff & bit))
			continue;
		diff &= ~bit;
		if (alarm_names(s->variant, bit, names, 1) != 1)
			continue;
		event(p, bits & bit ? "alarm_raised" : "alarm_cleared", "alarm",
		      names[0]);
	}
}

static void publish_availability(struct pub_node *p, struct device *dev)
{
	int on = device_get_state(dev) == DEVICE_STATE_ONLINE;

	if (p->avail == on)
		return;
	p->avail = on;
	mqtt_publish_leaf(p->q, p->name, false, "availability",
			  on ? "online" : "offline", true);
}

static void device_state_event(struct pub_node *p, struct device *dev)
{
	enum device_state cur = device_get_state(dev);
	enum device_state prev = p->dev_state;

	if (p->have_dev_state && prev != cur) {
		if (cur == DEVICE_STATE_ONLINE)
			event(p, "link_up", NULL, NULL);
		else if (prev == DEVICE_STATE_ONLINE)
			event(p, "link_down", "reason", device_reason(dev));
		if (cur == DEVICE_STATE_AUTH_FAILED)
			event(p, "auth_failed", "reason", device_reason(dev));
	}
	p->dev_state = cur;
	p->have_dev_state = true;
	publish_availability(p, dev);
	link_doc(p, dev);
}

/* Everything of one BMS that is not rate limited. */
static void refresh_bms(struct mqtt *q, struct device *dev)
{
	struct pub_node *p = mqtt_node(q, device_name(dev), false);
	const struct bms_state *s = device_bms_state(dev);

	if (!mqtt_client_connected(q->client))
		return;
	publish_availability(p, dev);
	if (!device_is_online(dev) &&
	    device_get_state(dev) != DEVICE_STATE_HANDSHAKE)
		return;
	mqtt_announce(p, false);
	if (bits_any(&s->settings.set))
		publish_changed(p, "settings", &p->last_settings,
				json_text(settings_to_json(&s->settings)),
				true);
	{
		struct json_object *info = values_to_json(&s->v, F_INFO);

		if (json_object_object_length(info) > 0)
			publish_changed(p, "info", &p->last_info,
					json_text(info), true);
		else
			json_object_put(info);
	}
}

static void banks_of(struct mqtt *q, struct device *dev)
{
	size_t i, j;

	for (i = 0; i < manager_n_banks(q->m); i++) {
		const struct bank *b = manager_bank(q->m, i);

		for (j = 0; j < b->n_members; j++) {
			if (b->members[j] != dev)
				continue;
			mqtt_announce(mqtt_node(q, b->name, true), false);
			state_changed(mqtt_node(q, b->name, true));
			break;
		}
	}
}

void mqtt_sync_nodes(struct mqtt *q)
{
	size_t i, n = 0;

	for (i = 0; i < q->n_nodes; i++)
		q->nodes[i]->seen = false;
	for (i = 0; i < manager_n_devices(q->m); i++)
		mqtt_node(q, device_name(manager_device(q->m, i)), false)
			->seen = true;
	for (i = 0; i < manager_n_banks(q->m); i++)
		mqtt_node(q, manager_bank(q->m, i)->name, true)->seen = true;
	for (i = 0; i < q->n_nodes; i++) {
		struct pub_node *p = q->nodes[i];

		if (p->seen) {
			q->nodes[n++] = p;
			continue;
		}
		log_info("mqtt: %s%s left the configuration, removing its "
			 "topics",
			 p->bank ? "bank " : "", p->name);
		mqtt_unannounce(p);
		mqtt_node_free(p);
	}
	q->n_nodes = n;
}

void mqtt_publish_all(struct mqtt *q, bool force)
{
	size_t i;

	if (!mqtt_client_connected(q->client))
		return;
	for (i = 0; i < q->n_nodes; i++) {
		struct pub_node *p = q->nodes[i];

		if (force) {
			p->avail = -1;
			p->ha_sig = 0;
			p->last_usec = 0;
			free(p->last_state);
			free(p->last_info);
			free(p->last_settings);
			p->last_state = p->last_info = p->last_settings = NULL;
		}
	}
	mqtt_announce_gateway(q);
	for (i = 0; i < manager_n_devices(q->m); i++) {
		struct device *dev = manager_device(q->m, i);

		refresh_bms(q, dev);
		publish_state_now(mqtt_node(q, device_name(dev), false));
	}
	for (i = 0; i < manager_n_banks(q->m); i++) {
		struct pub_node *p =
			mqtt_node(q, manager_bank(q->m, i)->name, true);

		mqtt_announce(p, false);
		publish_state_now(p);
	}
}

void mqtt_on_manager(struct manager *m, struct device *dev,
		     enum device_event ev, void *userdata)
{
	struct mqtt *q = userdata;
	struct pub_node *p;

	if (!dev) {
		mqtt_reconfigure(q);
		return;
	}
	if (!q->client)
		return;
	p = mqtt_node(q, device_name(dev), false);
	switch (ev) {
	case DEVICE_EVENT_STATE:
		if (mqtt_client_connected(q->client))
			device_state_event(p, dev);
		else
			p->dev_state = device_get_state(dev);
		p->have_dev_state = true;
		if (device_is_online(dev))
			refresh_bms(q, dev);
		break;
	case DEVICE_EVENT_VALUES:
		if (!mqtt_client_connected(q->client))
			break;
		if (device_is_online(dev)) {
			alarm_events(p, device_bms_state(dev));
			refresh_bms(q, dev);
			state_changed(p);
		}
		break;
	case DEVICE_EVENT_SETTINGS:
		refresh_bms(q, dev);
		break;
	}
	if (ev != DEVICE_EVENT_SETTINGS && mqtt_client_connected(q->client))
		banks_of(q, dev);
}
