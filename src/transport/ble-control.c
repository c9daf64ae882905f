/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BLE control commands. "scan" runs LE discovery on an adapter for a
 * while and answers with the JK BMSs seen (service ffe0 or JK's
 * manufacturer ids): name, MAC, RSSI, manufacturer data, and which
 * [bms] has that address. "release" disconnects a BMS and keeps away
 * for a while so that the phone app can connect (a JK BMS accepts one
 * central); it needs a privileged client.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <systemd/sd-event.h>

#include "jkbms/conf.h"
#include "jkbms/device.h"
#include "jkbms/log.h"
#include "jkbms/util.h"

#include "daemon/control-commands.h"
#include "daemon/manager.h"
#include "device/jk-ble.h"
#include "transport/ble-private.h"

#define SCAN_DEFAULT_USEC (UINT64_C(10) * 1000000)
#define SCAN_MAX_USEC     (UINT64_C(120) * 1000000)
#define RELEASE_MAX_USEC  (UINT64_C(24) * 3600 * 1000000)
#define JK_MFR_ID_1       0x0B65
#define JK_MFR_ID_2       0x4B4A

struct scan {
	struct control_call *call;
	struct bluez *bluez;
	struct ble_adapter *adapter;
	sd_event_source *timer;
	char adapter_name[16];
};

static bool is_jk(const struct bluez_object *o)
{
	return o->jk_service || (o->has_mfr && (o->mfr_id == JK_MFR_ID_1 ||
						o->mfr_id == JK_MFR_ID_2));
}

static const char *configured_name(const struct manager *m, const char *mac)
{
	const struct conf *c = manager_conf(m);
	size_t i;

	for (i = 0; c && i < c->n_bms; i++)
		if (c->bms[i].transport == TRANSPORT_BLE && c->bms[i].address &&
		    strcasecmp(c->bms[i].address, mac) == 0)
			return c->bms[i].name;
	return NULL;
}

static struct json_object *device_json(const struct manager *m,
				       const struct bluez_object *o)
{
	struct json_object *d = json_object_new_object();
	char hex[2 * BLUEZ_MFR_MAX + 1];
	const char *bms = configured_name(m, o->address);
	size_t i;

	json_object_object_add(d, "address",
			       json_object_new_string(o->address));
	json_object_object_add(
		d, "name", o->name ? json_object_new_string(o->name) : NULL);
	json_object_object_add(
		d, "rssi", o->has_rssi ? json_object_new_int(o->rssi) : NULL);
	if (o->has_mfr) {
		for (i = 0; i < o->mfr_len; i++)
			snprintf(hex + 2 * i, 3, "%02x", o->mfr_data[i]);
		hex[2 * o->mfr_len] = '\0';
		json_object_object_add(d, "manufacturer_id",
				       json_object_new_int(o->mfr_id));
		json_object_object_add(d, "manufacturer_data",
				       json_object_new_string(hex));
	}
	json_object_object_add(d, "connected",
			       json_object_new_boolean(o->connected));
	json_object_object_add(d, "bms",
			       bms ? json_object_new_string(bms) : NULL);
	return d;
}

static void scan_free(struct scan *s)
{
	sd_event_source_disable_unref(s->timer);
	ble_adapter_discovery(s->adapter, false);
	ble_adapter_put(s->adapter);
	bluez_unref(s->bluez);
	free(s);
}

static int on_scan_done(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct scan *s = userdata;
	const struct manager *m = control_call_manager(s->call);
	const struct bluez_object *o;
	struct json_object *reply, *list;

	if (!bluez_ready(s->bluez)) {
		control_call_error(s->call,
				   "BlueZ (bluetoothd) is not available on "
				   "the system bus");
		scan_free(s);
		return 0;
	}
	o = bluez_find(s->bluez, ble_adapter_path(s->adapter));
	if (!o || !(o->ifaces & BLUEZ_IF_ADAPTER)) {
		control_call_error(s->call, "no Bluetooth adapter %s",
				   s->adapter_name);
		scan_free(s);
		return 0;
	}
	list = json_object_new_array();
	for (o = bluez_next(s->bluez, NULL); o; o = bluez_next(s->bluez, o))
		if ((o->ifaces & BLUEZ_IF_DEVICE) && o->adapter &&
		    strcmp(o->adapter, ble_adapter_path(s->adapter)) == 0 &&
		    is_jk(o))
			json_object_array_add(list, device_json(m, o));
	reply = json_object_new_object();
	json_object_object_add(reply, "adapter",
			       json_object_new_string(s->adapter_name));
	json_object_object_add(reply, "devices", list);
	control_call_reply(s->call, reply);
	scan_free(s);
	return 0;
}

static int call_duration(struct control_call *call, uint64_t def, uint64_t max,
			 uint64_t *ret)
{
	const char *v = control_call_string(call, "duration");

	*ret = def;
	if (!v)
		return 0;
	if (parse_duration(v, ret) < 0 || *ret > max) {
		control_call_error(call, "bad duration '%s'", v);
		return -EINVAL;
	}
	return 0;
}

void control_cmd_scan(struct control_call *call)
{
	const char *adapter = control_call_string(call, "adapter") ?: "hci0";
	struct sd_event *event = NULL;
	struct scan *s;
	uint64_t usec;
	const char *p;

	if (call_duration(call, SCAN_DEFAULT_USEC, SCAN_MAX_USEC, &usec) < 0)
		return;
	if (usec == 0)
		usec = SCAN_DEFAULT_USEC;
	if (strncmp(adapter, "hci", 3) != 0 || !adapter[3] ||
	    strlen(adapter) > 8) {
		control_call_error(call, "bad adapter '%s' (hci0, hci1 ...)",
				   adapter);
		return;
	}
	for (p = adapter + 3; *p; p++)
		if (*p < '0' || *p > '9') {
			control_call_error(call, "bad adapter '%s'", adapter);
			return;
		}
	if (sd_event_default(&event) < 0) {
		control_call_error(call, "no event loop");
		return;
	}
	s = xcalloc(1, sizeof(*s));
	s->call = call;
	snprintf(s->adapter_name, sizeof(s->adapter_name), "%s", adapter);
	s->bluez = bluez_ref(event);
	if (!s->bluez ||
	    sd_event_add_time_relative(event, &s->timer, CLOCK_MONOTONIC, usec,
				       0, on_scan_done, s) < 0) {
		bluez_unref(s->bluez);
		free(s);
		sd_event_unref(event);
		control_call_error(call, "cannot start a scan");
		return;
	}
	sd_event_unref(event);
	s->adapter = ble_adapter_get(
		s->bluez, sd_event_source_get_event(s->timer), adapter);
	ble_adapter_discovery(s->adapter, true);
	log_info("ble: scanning on %s for %llu s (control request)", adapter,
		 (unsigned long long)(usec / USEC_PER_SEC));
}

void control_cmd_release(struct control_call *call)
{
	const char *name = control_call_string(call, "bms");
	struct json_object *reply;
	struct device *dev;
	char t[32];
	uint64_t usec;
	int r;

	if (!control_call_privileged(call)) {
		control_call_error(call, "release needs root or the daemon's "
					 "user");
		return;
	}
	dev = control_call_device(call);
	if (!dev)
		return;
	if (call_duration(call, 10 * 60 * USEC_PER_SEC, RELEASE_MAX_USEC,
			  &usec) < 0)
		return;
	r = jk_ble_release(dev, usec);
	if (r == -EOPNOTSUPP) {
		control_call_error(call, "%s is not a BLE BMS (transport %s)",
				   name, device_transport_name(dev));
		return;
	}
	if (r < 0) {
		control_call_error(call, "%s: cannot release: %s", name,
				   strerror(-r));
		return;
	}
	reply = json_object_new_object();
	json_object_object_add(reply, "bms", json_object_new_string(name));
	json_object_object_add(
		reply, "released_for",
		json_object_new_string(format_duration(t, sizeof(t), usec)));
	control_call_reply(call, reply);
}
