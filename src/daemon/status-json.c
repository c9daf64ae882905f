/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Builds the status reply from the manager. Values go through codec2's
 * values_to_json()/settings_to_json(), so the keys and number formats are
 * those of MQTT and jkbmsctl decode. A BMS that failed authentication has
 * an empty model: nothing of it appears here.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/conf.h"
#include "jkbms/device.h"
#include "jkbms/state.h"
#include "jkbms/util.h"

#include "daemon/manager.h"
#include "daemon/status-json.h"
#include "util/values-json.h"

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *age_s(uint64_t now, uint64_t then)
{
	if (!then)
		return NULL;
	/* Tenths of a second, printed exactly. */
	return json_number_new((int64_t)((now - then) / 100000), 1);
}

static struct json_object *link_json(const struct device *dev, uint64_t now)
{
	const struct device_link_stats *l = device_link(dev);
	struct json_object *o = json_object_new_object();

	add(o, "frames_good", json_object_new_int64((int64_t)l->frames_good));
	add(o, "frames_bad", json_object_new_int64((int64_t)l->frames_bad));
	add(o, "frames_undecoded",
	    json_object_new_int64((int64_t)l->frames_undecoded));
	add(o, "acks", json_object_new_int64((int64_t)l->acks));
	add(o, "bytes_rx", json_object_new_int64((int64_t)l->bytes_rx));
	add(o, "bytes_tx", json_object_new_int64((int64_t)l->bytes_tx));
	add(o, "bytes_skipped",
	    json_object_new_int64((int64_t)l->bytes_skipped));
	add(o, "reconnects", json_object_new_int64((int64_t)l->reconnects));
	add(o, "auth_failures",
	    json_object_new_int64((int64_t)l->auth_failures));
	add(o, "last_frame_age_s", age_s(now, l->last_frame_usec));
	add(o, "state_age_s", age_s(now, l->state_usec));
	/* BLE: signal strength of the last advertisement seen, dBm. */
	add(o, "rssi", l->rssi ? json_object_new_int(l->rssi) : NULL);
	return o;
}

static struct json_object *device_json(const struct device *dev, uint64_t now)
{
	const struct conf_bms *cfg = device_config(dev);
	const struct bms_state *s = device_bms_state(dev);
	struct json_object *o = json_object_new_object();
	const char *address = cfg->address ? cfg->address :
			      cfg->device  ? cfg->device :
			      cfg->interface ? cfg->interface : cfg->file;

	add(o, "state",
	    json_object_new_string(device_state_name(device_get_state(dev))));
	add(o, "reason", json_object_new_string(device_reason(dev)));
	add(o, "transport", json_object_new_string(device_transport_name(dev)));
	if (address)
		add(o, "address", json_object_new_string(address));
	if (device_bank(dev))
		add(o, "bank", json_object_new_string(device_bank(dev)));
	add(o, "link", link_json(dev, now));
	add(o, "live", values_to_json(&s->v, F_LIVE));
	add(o, "info", values_to_json(&s->v, F_INFO));
	add(o, "settings", settings_to_json(&s->settings));
	return o;
}

static struct json_object *bank_json(const struct bank *b)
{
	struct json_object *o = json_object_new_object();
	struct json_object *members = json_object_new_array();
	size_t i;

	for (i = 0; i < b->n_members; i++)
		json_object_array_add(
			members,
			json_object_new_string(device_name(b->members[i])));
	add(o, "topology",
	    json_object_new_string(b->topology == BANK_SERIES ? "series"
							      : "parallel"));
	add(o, "members", members);
	add(o, "members_online", json_object_new_int((int)b->online));
	add(o, "live", values_to_json(&b->values, F_LIVE));
	return o;
}

static struct json_object *daemon_json(const struct manager *m)
{
	const struct conf *c = manager_conf(m);
	struct json_object *o = json_object_new_object();

	if (c->daemon.name)
		add(o, "name", json_object_new_string(c->daemon.name));
	add(o, "version", json_object_new_string(PACKAGE_VERSION));
	if (c->path)
		add(o, "config", json_object_new_string(c->path));
	return o;
}

struct json_object *status_json(const struct manager *m, const char *bms,
				char *err, size_t errsize)
{
	struct json_object *reply, *devs;
	uint64_t now = now_usec();
	size_t i;

	if (bms && !manager_find_device(m, bms)) {
		snprintf(err, errsize, "unknown BMS '%s'", bms);
		return NULL;
	}

	reply = json_object_new_object();
	add(reply, "ok", json_object_new_boolean(1));
	add(reply, "daemon", daemon_json(m));
	if (!bms) {
		struct json_object *banks = json_object_new_object();

		for (i = 0; i < manager_n_banks(m); i++)
			add(banks, manager_bank(m, i)->name,
			    bank_json(manager_bank(m, i)));
		add(reply, "banks", banks);
	}
	devs = json_object_new_object();
	for (i = 0; i < manager_n_devices(m); i++) {
		const struct device *dev = manager_device(m, i);

		if (bms && strcmp(device_name(dev), bms) != 0)
			continue;
		add(devs, device_name(dev), device_json(dev, now));
	}
	add(reply, "bms", devs);
	return reply;
}
