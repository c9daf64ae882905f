/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-adapter sharing among BLE links: one Connect at a time (BlueZ and
 * controllers handle parallel LE connection attempts badly), discovery
 * counted so it runs while any link or scan wants it, and the last
 * resort after many failed connects in a row with no link up: a power
 * cycle through Adapter1.Powered. Each adapter is independent: a slow
 * adapter never holds up another.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-event.h>

#include "jkbms/log.h"
#include "jkbms/util.h"

#include "transport/ble-private.h"

#define POWER_OFF_USEC     (UINT64_C(2) * 1000000)
#define POWER_CYCLE_MIN    (UINT64_C(300) * 1000000)
#define ADAPTER_TIMEOUT_MS 10000

struct ble_adapter {
	unsigned ref;
	struct bluez *bluez;
	sd_event *event;
	char *name;
	char path[64];
	unsigned watch;

	struct ble_link **queue;
	size_t n_queue;
	struct ble_link *busy; /* holds the connect slot */
	sd_event_source *kick;

	unsigned discovery; /* links and scans that want it */
	bool was_powered;

	unsigned failures; /* connects failed in a row */
	bool cycling;
	uint64_t last_cycle;
	sd_event_source *power_timer;

	struct ble_adapter *next;
};

static struct ble_adapter *adapters;

/*
 * Calls hold a reference on the adapter until their reply, so a reload
 * that drops the last link cannot free it under them.
 */
static void adapter_call(struct ble_adapter *a, DBusMessage *m,
			 bluez_reply_func_t cb)
{
	a->ref++;
	if (bluez_call(a->bluez, m, ADAPTER_TIMEOUT_MS, cb, a, NULL) < 0)
		ble_adapter_put(a);
}

static void ignore_reply(DBusMessage *reply, void *userdata)
{
	char text[256];
	const char *err = bluez_error_text(reply, text, sizeof(text));
	struct ble_adapter *a = userdata;

	if (err)
		log_debug_cat(LOG_CAT_BLE, "ble: %s: %s", a->name, err);
	ble_adapter_put(a);
}

static void on_start_discovery(DBusMessage *reply, void *userdata)
{
	char text[256];
	const char *err = bluez_error_text(reply, text, sizeof(text));
	struct ble_adapter *a = userdata;

	if (err && !bluez_error_has(reply, "InProgress"))
		log_warning("ble: %s: cannot start discovery: %s", a->name,
			    err);
	ble_adapter_put(a);
}

static void dict_entry(DBusMessageIter *a, const char *key, int type,
		       const char *sig, const void *value)
{
	DBusMessageIter e, v;

	dbus_message_iter_open_container(a, DBUS_TYPE_DICT_ENTRY, NULL, &e);
	dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &key);
	dbus_message_iter_open_container(&e, DBUS_TYPE_VARIANT, sig, &v);
	dbus_message_iter_append_basic(&v, type, value);
	dbus_message_iter_close_container(&e, &v);
	dbus_message_iter_close_container(a, &e);
}

static void start_discovery(struct ble_adapter *a)
{
	DBusMessageIter it, d;
	const char *le = "le";
	dbus_bool_t dup = TRUE;
	DBusMessage *m;

	m = bluez_method(a->path, BLUEZ_ADAPTER1, "SetDiscoveryFilter");
	dbus_message_iter_init_append(m, &it);
	dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{sv}", &d);
	dict_entry(&d, "Transport", DBUS_TYPE_STRING, "s", &le);
	/* RSSI and advertisements keep coming for the scanner. */
	dict_entry(&d, "DuplicateData", DBUS_TYPE_BOOLEAN, "b", &dup);
	dbus_message_iter_close_container(&it, &d);
	adapter_call(a, m, ignore_reply);
	adapter_call(a, bluez_method(a->path, BLUEZ_ADAPTER1, "StartDiscovery"),
		     on_start_discovery);
}

void ble_adapter_discovery(struct ble_adapter *a, bool on)
{
	if (on) {
		if (a->discovery++ == 0 && bluez_ready(a->bluez))
			start_discovery(a);
		return;
	}
	if (a->discovery == 0 || --a->discovery > 0)
		return;
	if (bluez_ready(a->bluez))
		adapter_call(
			a,
			bluez_method(a->path, BLUEZ_ADAPTER1, "StopDiscovery"),
			ignore_reply);
}

static void kick(struct ble_adapter *a)
{
	if (a->kick)
		sd_event_source_set_enabled(a->kick, SD_EVENT_ONESHOT);
}

static int on_kick(sd_event_source *s, void *userdata)
{
	struct ble_adapter *a = userdata;
	struct ble_link *l;

	if (a->busy || a->cycling || a->n_queue == 0)
		return 0;
	l = a->queue[0];
	memmove(a->queue, a->queue + 1, --a->n_queue * sizeof(*a->queue));
	a->busy = l;
	ble_link_turn(l);
	return 0;
}

void ble_adapter_enqueue(struct ble_adapter *a, struct ble_link *l)
{
	size_t i;

	if (a->busy == l)
		return;
	for (i = 0; i < a->n_queue; i++)
		if (a->queue[i] == l)
			return;
	a->queue = xrealloc(a->queue, (a->n_queue + 1) * sizeof(*a->queue));
	a->queue[a->n_queue++] = l;
	kick(a);
}

void ble_adapter_leave(struct ble_adapter *a, struct ble_link *l)
{
	size_t i;

	if (a->busy == l) {
		a->busy = NULL;
		kick(a);
		return;
	}
	for (i = 0; i < a->n_queue; i++)
		if (a->queue[i] == l) {
			memmove(a->queue + i, a->queue + i + 1,
				(a->n_queue - i - 1) * sizeof(*a->queue));
			a->n_queue--;
			return;
		}
}

static void set_powered(struct ble_adapter *a, bool on, bluez_reply_func_t cb)
{
	const char *iface = BLUEZ_ADAPTER1, *prop = "Powered";
	dbus_bool_t v = on;
	DBusMessageIter it, var;
	DBusMessage *m;

	m = bluez_method(a->path, "org.freedesktop.DBus.Properties", "Set");
	dbus_message_iter_init_append(m, &it);
	dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &iface);
	dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &prop);
	dbus_message_iter_open_container(&it, DBUS_TYPE_VARIANT, "b", &var);
	dbus_message_iter_append_basic(&var, DBUS_TYPE_BOOLEAN, &v);
	dbus_message_iter_close_container(&it, &var);
	if (bluez_call(a->bluez, m, ADAPTER_TIMEOUT_MS, cb, a, NULL) < 0)
		cb(NULL, a);
}

/* The cycle holds a reference from power off to power on. */

static void on_power_on(DBusMessage *reply, void *userdata)
{
	struct ble_adapter *a = userdata;
	char text[256];
	const char *err =
		reply ? bluez_error_text(reply, text, sizeof(text)) : NULL;

	if (err)
		log_warning("ble: %s: cannot power it on again: %s", a->name,
			    err);
	else
		log_notice("ble: %s: powered on again", a->name);
	a->cycling = false;
	a->failures = 0;
	kick(a);
	ble_adapter_put(a);
}

static int on_power_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	set_powered(userdata, true, on_power_on);
	return 0;
}

static void on_power_off(DBusMessage *reply, void *userdata)
{
	struct ble_adapter *a = userdata;

	sd_event_source_set_time_relative(a->power_timer, POWER_OFF_USEC);
	sd_event_source_set_enabled(a->power_timer, SD_EVENT_ONESHOT);
}

void ble_adapter_result(struct ble_adapter *a, bool ok)
{
	uint64_t now = now_usec();

	if (ok) {
		a->failures = 0;
		return;
	}
	if (++a->failures < BLE_POWER_CYCLE_AFTER || a->cycling ||
	    ble_adapter_links_up(a) > 0 ||
	    (a->last_cycle && now - a->last_cycle < POWER_CYCLE_MIN) ||
	    !a->power_timer)
		return;
	log_notice("ble: %s: %u connects failed in a row and no link is up: "
		   "power cycling the adapter",
		   a->name, a->failures);
	a->cycling = true;
	a->last_cycle = now;
	a->ref++;
	set_powered(a, false, on_power_off);
}

static void on_bluez(struct bluez *b, enum bluez_event ev,
		     const struct bluez_object *o, const uint8_t *value,
		     size_t len, void *userdata)
{
	struct ble_adapter *a = userdata;

	switch (ev) {
	case BLUEZ_EV_READY:
		o = bluez_find(b, a->path);
		a->was_powered = o && o->powered;
		if (a->discovery > 0 && a->was_powered)
			start_discovery(a);
		break;
	case BLUEZ_EV_GONE:
		a->was_powered = false;
		break;
	case BLUEZ_EV_OBJECT:
		if (strcmp(o->path, a->path) != 0)
			break;
		/* Powered again (after a cycle, or by the user). */
		if (o->powered && !a->was_powered && a->discovery > 0)
			start_discovery(a);
		a->was_powered = o->powered;
		break;
	case BLUEZ_EV_REMOVED:
	case BLUEZ_EV_VALUE:
		break;
	}
}

struct ble_adapter *ble_adapter_get(struct bluez *b, struct sd_event *event,
				    const char *name)
{
	struct ble_adapter *a;

	for (a = adapters; a; a = a->next)
		if (strcmp(a->name, name) == 0) {
			a->ref++;
			return a;
		}
	a = xcalloc(1, sizeof(*a));
	a->ref = 1;
	a->bluez = bluez_ref(event);
	a->event = sd_event_ref(event);
	a->name = xstrdup(name);
	bluez_adapter_path(a->path, sizeof(a->path), name);
	if (sd_event_add_defer(event, &a->kick, on_kick, a) >= 0)
		sd_event_source_set_enabled(a->kick, SD_EVENT_OFF);
	if (sd_event_add_time_relative(event, &a->power_timer, CLOCK_MONOTONIC,
				       0, 0, on_power_timer, a) >= 0)
		sd_event_source_set_enabled(a->power_timer, SD_EVENT_OFF);
	a->watch = bluez_watch_add(b, on_bluez, a);
	a->next = adapters;
	adapters = a;
	return a;
}

void ble_adapter_put(struct ble_adapter *a)
{
	struct ble_adapter **p;

	if (!a || --a->ref > 0)
		return;
	for (p = &adapters; *p; p = &(*p)->next)
		if (*p == a) {
			*p = a->next;
			break;
		}
	bluez_watch_remove(a->bluez, a->watch);
	sd_event_source_disable_unref(a->kick);
	sd_event_source_disable_unref(a->power_timer);
	bluez_unref(a->bluez);
	sd_event_unref(a->event);
	free(a->queue);
	free(a->name);
	free(a);
}

const char *ble_adapter_path(const struct ble_adapter *a)
{
	return a->path;
}

const char *ble_adapter_name(const struct ble_adapter *a)
{
	return a->name;
}
