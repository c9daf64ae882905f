/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fake's Adapter1: discovery sessions held per D-Bus client (a client
 * leaving the bus ends its own, as in bluetoothd), devices found while
 * discovering with their RSSI moving, the discovery filter checked key by
 * key, RemoveDevice, and Powered with everything it drops.
 */
#include <stdio.h>
#include <string.h>

#include "fake-bluez.h"

#define ERR(x) "org.bluez.Error." x

static DBusMessage *ok(DBusMessage *m)
{
	return dbus_message_new_method_return(m);
}

static bool has_session(struct fb_adapter *a, const char *who, unsigned *at)
{
	unsigned i;

	for (i = 0; i < a->n_sessions; i++) {
		if (!strcmp(a->sessions[i], who)) {
			*at = i;
			return true;
		}
	}
	return false;
}

/* Discovery finds every advertising device of the adapter, RSSI moving. */
static void scan_tick(void *data)
{
	struct fb_adapter *a = data;
	unsigned i;

	a->scan_timer = NULL;
	if (!a->discovering)
		return;
	for (i = 0; i < fb.n_devices; i++) {
		struct fb_device *d = &fb.devices[i];

		if (d->ad != a || !d->visible)
			continue;
		fb.rnd = fb.rnd * 1103515245u + 12345u;
		if (!d->exported) {
			obj_export_device(d);
			continue;
		}
		if (!d->connected) {
			d->rssi += (int)((fb.rnd >> 16) % 5) - 2;
			if (d->rssi > -30 || d->rssi < -100)
				d->rssi = -60;
			obj_emit_changed(d->path, IFACE_DEVICE, "RSSI");
		}
	}
	a->scan_timer = loop_timer_add(1000000, scan_tick, a);
}

static void set_discovering(struct fb_adapter *a, bool on)
{
	if (a->discovering == on)
		return;
	a->discovering = on;
	obj_emit_changed(a->path, IFACE_ADAPTER, "Discovering");
	loop_timer_cancel(a->scan_timer);
	a->scan_timer = NULL;
	if (on) {
		a->scans++;
		a->scan_timer = loop_timer_add((uint64_t)fb.discover_ms * 1000,
					       scan_tick, a);
	}
}

DBusMessage *adapter_start_discovery(struct fb_adapter *a, DBusMessage *m)
{
	const char *who = dbus_message_get_sender(m);
	unsigned at;

	if (!a->powered)
		return error_reply(m, ERR("NotReady"), "Resource Not Ready");
	if (has_session(a, who, &at))
		return error_reply(m, ERR("InProgress"),
				   "Operation already in progress");
	if (a->n_sessions == FB_MAX_SESSIONS)
		return error_reply(m, ERR("Failed"), "Too many sessions");
	snprintf(a->sessions[a->n_sessions++], FB_NAME_MAX, "%s", who);
	set_discovering(a, true);
	return ok(m);
}

static void drop_session(struct fb_adapter *a, unsigned at)
{
	a->n_sessions--;
	memmove(a->sessions[at], a->sessions[at + 1],
		(a->n_sessions - at) * sizeof(a->sessions[0]));
	if (!a->n_sessions)
		set_discovering(a, false);
}

DBusMessage *adapter_stop_discovery(struct fb_adapter *a, DBusMessage *m)
{
	unsigned at;

	if (!a->powered)
		return error_reply(m, ERR("NotReady"), "Resource Not Ready");
	if (!has_session(a, dbus_message_get_sender(m), &at))
		return error_reply(m, ERR("Failed"), "No discovery started");
	drop_session(a, at);
	return ok(m);
}

DBusMessage *adapter_set_filter(DBusMessage *m)
{
	static const char *const keys[] = { "UUIDs",         "RSSI",
					    "Pathloss",      "Transport",
					    "DuplicateData", "Discoverable",
					    "Pattern" };
	DBusMessageIter it, arr;

	if (!dbus_message_iter_init(m, &it) ||
	    strcmp(dbus_message_get_signature(m), "a{sv}"))
		goto bad;
	dbus_message_iter_recurse(&it, &arr);
	while (dbus_message_iter_get_arg_type(&arr) == DBUS_TYPE_DICT_ENTRY) {
		DBusMessageIter ent, var;
		const char *key, *s;
		unsigned i;

		dbus_message_iter_recurse(&arr, &ent);
		dbus_message_iter_get_basic(&ent, &key);
		dbus_message_iter_next(&ent);
		dbus_message_iter_recurse(&ent, &var);
		for (i = 0; i < 7; i++)
			if (!strcmp(key, keys[i]))
				break;
		if (i == 7)
			goto bad;
		if (!strcmp(key, "Transport")) {
			if (dbus_message_iter_get_arg_type(&var) !=
			    DBUS_TYPE_STRING)
				goto bad;
			dbus_message_iter_get_basic(&var, &s);
			if (strcmp(s, "le") && strcmp(s, "auto") &&
			    strcmp(s, "bredr"))
				goto bad;
		}
		dbus_message_iter_next(&arr);
	}
	return ok(m);
bad:
	return error_reply(m, ERR("InvalidArguments"),
			   "Invalid arguments in method call");
}

DBusMessage *adapter_get_filters(DBusMessage *m)
{
	static const char *const keys[] = { "UUIDs",         "RSSI",
					    "Pathloss",      "Transport",
					    "DuplicateData", "Discoverable",
					    "Pattern" };
	const char *const *p = keys;
	DBusMessage *r = ok(m);

	dbus_message_append_args(r, DBUS_TYPE_ARRAY, DBUS_TYPE_STRING, &p, 7,
				 DBUS_TYPE_INVALID);
	return r;
}

DBusMessage *adapter_remove_device(struct fb_adapter *a, DBusMessage *m)
{
	const char *path;
	struct fb_device *d;

	if (!dbus_message_get_args(m, NULL, DBUS_TYPE_OBJECT_PATH, &path,
				   DBUS_TYPE_INVALID))
		return error_reply(m, ERR("InvalidArguments"),
				   "Invalid arguments in method call");
	d = obj_device_by_path(path);
	if (!d || d->ad != a)
		return error_reply(m, ERR("DoesNotExist"), "Does Not Exist");
	dev_link_down(d, "RemoveDevice()");
	d->paired = false;
	obj_unexport_device(d);
	d->removes++;
	fb_log("%s: removed", d->address);
	return ok(m);
}

void adapter_set_powered(struct fb_adapter *a, bool on)
{
	unsigned i;

	if (a->powered == on)
		return;
	if (!on) {
		for (i = 0; i < fb.n_devices; i++)
			if (fb.devices[i].ad == a)
				dev_link_down(&fb.devices[i], "power off");
		a->n_sessions = 0;
		set_discovering(a, false);
		a->wedged = false;
		a->power_cycles++;
	}
	a->powered = on;
	obj_emit_changed(a->path, IFACE_ADAPTER, "Powered");
	obj_emit_changed(a->path, IFACE_ADAPTER, "PowerState");
	fb_log("%s: powered %s", a->name, on ? "on" : "off");
}

void client_vanished(const char *name)
{
	unsigned i, at;

	for (i = 0; i < fb.n_adapters; i++)
		while (has_session(&fb.adapters[i], name, &at))
			drop_session(&fb.adapters[i], at);
	if (!strcmp(fb.agent_owner, name))
		fb.agent_owner[0] = 0;
	for (i = 0; i < fb.n_devices; i++) {
		struct fb_device *d = &fb.devices[i];

		if (d->notifying && !strcmp(d->notify_owner, name)) {
			d->notifying = false;
			obj_emit_changed(d->gatt[d->notify_idx].path,
					 IFACE_CHAR, "Notifying");
		}
	}
}
