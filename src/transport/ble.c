/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A BLE link to one BMS, as a chain of steps driven by BlueZ's replies
 * and the mirror's changes:
 *
 *   WAIT (no bluetoothd) -> DISCOVER (device unknown) -> QUEUED (adapter
 *   busy) -> [DISCONNECT (stale link)] -> CONNECT -> RESOLVE (services)
 *   -> [PAIR] -> NOTIFY -> UP
 *
 * Any failure stops the chain, tells the owner through ops->down once,
 * and leaves the link idle; retrying (with backoff) is the device's job.
 * Services that never resolve get the device removed from BlueZ so that
 * the next attempt discovers it afresh (JK firmware sometimes leaves
 * BlueZ with an empty GATT cache).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <systemd/sd-event.h>

#include "jkbms/log.h"
#include "jkbms/util.h"

#include "transport/ble-private.h"

#define BLE_DISCOVER_USEC         (UINT64_C(30) * 1000000)
#define BLE_RESOLVE_MAX_USEC      (UINT64_C(15) * 1000000)
#define BLE_INPROGRESS_RETRY_USEC (UINT64_C(1) * 1000000)
#define BLE_INPROGRESS_TRIES      5

static struct ble_link *links;

void ble_set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

void ble_link_arm(struct ble_link *l, uint64_t usec)
{
	sd_event_source_set_time_relative(l->timer, usec);
	sd_event_source_set_enabled(l->timer, SD_EVENT_ONESHOT);
}

/* Calls whose outcome nobody waits for. */
static void ignore_reply(DBusMessage *reply, void *userdata)
{
	char text[256];
	const char *err = bluez_error_text(reply, text, sizeof(text));

	if (err)
		log_debug_cat(LOG_CAT_BLE, "ble: %s", err);
}

void ble_link_call_void(struct ble_link *l, const char *path, const char *iface,
			const char *method)
{
	bluez_call(l->bluez, bluez_method(path, iface, method),
		   BLE_CALL_TIMEOUT_MS, ignore_reply, NULL, NULL);
}

/* Cancels what is in flight and forgets the attempt; keeps dev_path. */
static void reset(struct ble_link *l)
{
	size_t i;

	bluez_call_cancel(&l->call);
	for (i = 0; i < BLE_WRITES_MAX; i++)
		bluez_call_cancel(&l->writes[i]);
	sd_event_source_set_enabled(l->timer, SD_EVENT_OFF);
	ble_adapter_leave(l->adapter, l);
	if (l->discovering) {
		l->discovering = false;
		ble_adapter_discovery(l->adapter, false);
	}
	ble_set_str(&l->notify_path, NULL);
	ble_set_str(&l->write_path, NULL);
	l->step = STEP_IDLE;
}

/* Ends the attempt and tells the owner; l must not be used after. */
void ble_link_fail(struct ble_link *l, int err, const char *fmt, ...)
{
	const struct bluez_object *o;
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	o = bluez_find(l->bluez, l->dev_path);
	if (o && (o->connected || l->step == STEP_CONNECT) &&
	    bluez_ready(l->bluez))
		ble_link_call_void(l, l->dev_path, BLUEZ_DEVICE1, "Disconnect");
	reset(l);
	dev_log_debug(l->log, LOG_CAT_BLE, "ble: %s", why);
	l->ops->down(l->userdata, err, why);
}

static void step_connect(struct ble_link *l);

void ble_link_remove_device(struct ble_link *l)
{
	DBusMessage *m = bluez_method(ble_adapter_path(l->adapter),
				      BLUEZ_ADAPTER1, "RemoveDevice");
	const char *p = l->dev_path;

	dbus_message_append_args(m, DBUS_TYPE_OBJECT_PATH, &p,
				 DBUS_TYPE_INVALID);
	bluez_call(l->bluez, m, BLE_CALL_TIMEOUT_MS, ignore_reply, NULL, NULL);
}

static uint64_t resolve_usec(const struct ble_link *l)
{
	return l->connect_timeout_usec < BLE_RESOLVE_MAX_USEC
		       ? l->connect_timeout_usec
		       : BLE_RESOLVE_MAX_USEC;
}

static void on_connect(DBusMessage *reply, void *userdata)
{
	struct ble_link *l = userdata;
	char text[256];
	const char *err = bluez_error_text(reply, text, sizeof(text));
	char t[32];

	ble_adapter_leave(l->adapter, l);
	if (err && bluez_error_has(reply, "AlreadyConnected"))
		err = NULL;
	if (err && bluez_error_has(reply, "InProgress") &&
	    ++l->inprogress < BLE_INPROGRESS_TRIES) {
		/* Someone else's connect is under way: wait and retry. */
		dev_log_debug(l->log, LOG_CAT_BLE,
			      "ble: Connect: operation in progress, retrying");
		l->step = STEP_QUEUED;
		ble_link_arm(l, BLE_INPROGRESS_RETRY_USEC);
		return;
	}
	if (err) {
		ble_adapter_result(l->adapter, false);
		if (dbus_message_is_error(reply, DBUS_ERROR_NO_REPLY) ||
		    dbus_message_is_error(reply, DBUS_ERROR_TIMEOUT))
			ble_link_fail(l, -ETIMEDOUT,
				      "Connect timed out after %s",
				      format_duration(t, sizeof(t),
						      l->connect_timeout_usec));
		else {
			/* The attempt is over: nothing to disconnect. */
			l->step = STEP_QUEUED;
			ble_link_fail(l, -EIO, "Connect failed: %s", err);
		}
		return;
	}
	ble_adapter_result(l->adapter, true);
	l->step = STEP_RESOLVE;
	ble_link_arm(l, resolve_usec(l));
	ble_gatt_resolve(l);
}

static void step_connect(struct ble_link *l)
{
	l->step = STEP_CONNECT;
	ble_link_arm(l, l->connect_timeout_usec + 2 * 1000000);
	if (bluez_call(l->bluez,
		       bluez_method(l->dev_path, BLUEZ_DEVICE1, "Connect"),
		       (int)(l->connect_timeout_usec / 1000), on_connect, l,
		       &l->call) < 0)
		ble_link_fail(l, -ENOTCONN, "the system bus is gone");
}

static void on_stale_disconnect(DBusMessage *reply, void *userdata)
{
	step_connect(userdata);
}

void ble_link_turn(struct ble_link *l)
{
	const struct bluez_object *o = bluez_find(l->bluez, l->dev_path);

	if (!o) {
		ble_adapter_leave(l->adapter, l);
		ble_link_fail(l, -ENODEV, "the device vanished from BlueZ");
		return;
	}
	if (o->connected) {
		/* Left over from before (a restart, another program). */
		dev_log(l->log, LOG_INFO,
			"%s is already connected: disconnecting it first",
			l->address);
		l->step = STEP_DISCONNECT;
		ble_link_arm(l, l->connect_timeout_usec);
		bluez_call(
			l->bluez,
			bluez_method(l->dev_path, BLUEZ_DEVICE1, "Disconnect"),
			BLE_CALL_TIMEOUT_MS, on_stale_disconnect, l, &l->call);
		return;
	}
	step_connect(l);
}

static void enqueue(struct ble_link *l)
{
	if (l->discovering) {
		l->discovering = false;
		ble_adapter_discovery(l->adapter, false);
	}
	l->step = STEP_QUEUED;
	sd_event_source_set_enabled(l->timer, SD_EVENT_OFF);
	ble_adapter_enqueue(l->adapter, l);
}

/* From WAIT: bluetoothd is there; find the adapter and the device. */
static void proceed(struct ble_link *l)
{
	const struct bluez_object *a, *d;

	a = bluez_find(l->bluez, ble_adapter_path(l->adapter));
	if (!a || !(a->ifaces & BLUEZ_IF_ADAPTER)) {
		ble_link_fail(l, -ENODEV, "Bluetooth adapter %s not found",
			      ble_adapter_name(l->adapter));
		return;
	}
	if (!a->powered) {
		ble_link_fail(l, -ENETDOWN,
			      "Bluetooth adapter %s is powered off",
			      ble_adapter_name(l->adapter));
		return;
	}
	d = bluez_find_device(l->bluez, ble_adapter_path(l->adapter),
			      l->address);
	if (d) {
		ble_set_str(&l->dev_path, d->path);
		enqueue(l);
		return;
	}
	dev_log_debug(l->log, LOG_CAT_BLE, "ble: scanning for %s", l->address);
	l->step = STEP_DISCOVER;
	l->discovering = true;
	ble_link_arm(l, BLE_DISCOVER_USEC);
	ble_adapter_discovery(l->adapter, true);
}

static void on_device(struct ble_link *l, const struct bluez_object *o)
{
	if (o->has_rssi && l->ops->rssi)
		l->ops->rssi(l->userdata, o->rssi);
	if (l->step >= STEP_RESOLVE && !o->connected) {
		ble_link_fail(l, -ENOTCONN,
			      "BLE link lost (Connected went false)");
		return;
	}
	if (l->step == STEP_RESOLVE)
		ble_gatt_resolve(l);
}

static void on_bluez(struct bluez *b, enum bluez_event ev,
		     const struct bluez_object *o, const uint8_t *value,
		     size_t len, void *userdata)
{
	struct ble_link *l = userdata;

	if (l->step == STEP_IDLE)
		return;
	switch (ev) {
	case BLUEZ_EV_READY:
		if (l->step == STEP_WAIT) {
			sd_event_source_set_enabled(l->timer, SD_EVENT_OFF);
			proceed(l);
		}
		break;
	case BLUEZ_EV_GONE:
		if (l->step == STEP_WAIT)
			break;
		ble_set_str(&l->dev_path, NULL);
		ble_link_fail(l, -ENOTCONN, "bluetoothd went away");
		break;
	case BLUEZ_EV_OBJECT:
		if (l->step == STEP_DISCOVER && (o->ifaces & BLUEZ_IF_DEVICE) &&
		    o->adapter &&
		    strcmp(o->adapter, ble_adapter_path(l->adapter)) == 0 &&
		    strcasecmp(o->address, l->address) == 0) {
			dev_log_debug(l->log, LOG_CAT_BLE, "ble: found %s",
				      o->path);
			ble_set_str(&l->dev_path, o->path);
			enqueue(l);
		} else if (l->dev_path && strcmp(o->path, l->dev_path) == 0) {
			on_device(l, o);
		} else if (l->step == STEP_RESOLVE && l->dev_path &&
			   bluez_path_under(l->dev_path, o)) {
			ble_gatt_resolve(l);
		} else if (l->step == STEP_WAIT &&
			   (o->ifaces & BLUEZ_IF_ADAPTER) &&
			   strcmp(o->path, ble_adapter_path(l->adapter)) == 0 &&
			   o->powered) {
			proceed(l);
		}
		break;
	case BLUEZ_EV_REMOVED:
		if (l->dev_path && strcmp(o->path, l->dev_path) == 0) {
			ble_set_str(&l->dev_path, NULL);
			if (l->step >= STEP_QUEUED)
				ble_link_fail(l, -ENODEV,
					      "the device vanished from BlueZ");
		} else if (l->step >= STEP_NOTIFY && l->notify_path &&
			   strcmp(o->path, l->notify_path) == 0) {
			ble_link_fail(l, -ENOTCONN,
				      "the characteristic vanished");
		}
		break;
	case BLUEZ_EV_VALUE:
		if (l->step == STEP_UP && strcmp(o->path, l->notify_path) == 0)
			l->ops->data(l->userdata, value, len);
		break;
	}
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct ble_link *l = userdata;
	char t[32];

	format_duration(t, sizeof(t),
			l->step == STEP_RESOLVE ? resolve_usec(l)
						: l->connect_timeout_usec);
	switch (l->step) {
	case STEP_QUEUED:
		/* InProgress: queue again for the slot. */
		ble_adapter_enqueue(l->adapter, l);
		break;
	case STEP_RESOLVE:
		/* Services that never resolve: forget the device. */
		ble_link_remove_device(l);
		ble_link_fail(
			l, -ETIMEDOUT,
			"services not resolved within %s; removed the device "
			"from BlueZ to discover it afresh",
			t);
		break;
	case STEP_CONNECT:
	case STEP_DISCONNECT:
		ble_adapter_result(l->adapter, false);
		ble_link_fail(l, -ETIMEDOUT, "Connect timed out after %s", t);
		break;
	case STEP_PAIR:
	case STEP_NOTIFY:
		ble_link_fail(l, -ETIMEDOUT, "%s took longer than %s",
			      l->step == STEP_PAIR ? "pairing" : "StartNotify",
			      t);
		break;
	case STEP_DISCOVER:
		ble_link_fail(
			l, -EHOSTUNREACH,
			"%s not seen in %s of scanning on %s (out of range, "
			"off, or connected to another central?)",
			l->address,
			format_duration(t, sizeof(t), BLE_DISCOVER_USEC),
			ble_adapter_name(l->adapter));
		break;
	case STEP_WAIT:
		ble_link_fail(
			l, -ENOTCONN,
			"BlueZ is not available (no org.bluez on the system "
			"bus: is bluetoothd running?)");
		break;
	case STEP_IDLE:
	case STEP_UP:
		break;
	}
	return 0;
}

struct ble_link *ble_link_new(struct sd_event *event,
			      const struct ble_link_config *cfg,
			      const struct ble_link_ops *ops, void *userdata)
{
	struct ble_link *l;
	struct bluez *b = bluez_ref(event);

	if (!b)
		return NULL;
	l = xcalloc(1, sizeof(*l));
	l->event = sd_event_ref(event);
	l->bluez = b;
	l->adapter = ble_adapter_get(b, event, cfg->adapter ?: "hci0");
	l->address = xstrdup(cfg->address);
	l->pin = cfg->pin ? xstrdup(cfg->pin) : NULL;
	l->pair = cfg->pair;
	l->connect_timeout_usec = cfg->connect_timeout_usec;
	l->log = cfg->log;
	l->ops = ops;
	l->userdata = userdata;
	if (sd_event_add_time_relative(event, &l->timer, CLOCK_MONOTONIC, 0, 0,
				       on_timer, l) >= 0)
		sd_event_source_set_enabled(l->timer, SD_EVENT_OFF);
	l->watch = bluez_watch_add(b, on_bluez, l);
	l->next = links;
	links = l;
	if (l->pair)
		ble_agent_want(event);
	return l;
}

struct ble_link *ble_link_free(struct ble_link *l)
{
	struct ble_link **p;

	if (!l)
		return NULL;
	ble_link_stop(l);
	/* The daemon may be on its way out: send the Disconnect now. */
	bluez_flush(l->bluez);
	for (p = &links; *p; p = &(*p)->next)
		if (*p == l) {
			*p = l->next;
			break;
		}
	bluez_watch_remove(l->bluez, l->watch);
	sd_event_source_disable_unref(l->timer);
	ble_adapter_put(l->adapter);
	bluez_unref(l->bluez);
	sd_event_unref(l->event);
	free(l->dev_path);
	free(l->address);
	if (l->pin)
		explicit_bzero(l->pin, strlen(l->pin));
	free(l->pin);
	free(l);
	return NULL;
}

int ble_link_start(struct ble_link *l)
{
	if (l->step != STEP_IDLE)
		return 0;
	l->paired_once = false;
	l->inprogress = 0;
	l->step = STEP_WAIT;
	if (!bluez_ready(l->bluez)) {
		dev_log_debug(l->log, LOG_CAT_BLE,
			      "ble: waiting for bluetoothd");
		ble_link_arm(l, BLE_DISCOVER_USEC);
		return 0;
	}
	proceed(l);
	return 0;
}

void ble_link_stop(struct ble_link *l)
{
	const struct bluez_object *o;
	bool was = l->step >= STEP_DISCONNECT;

	if (l->step == STEP_IDLE)
		return;
	o = bluez_find(l->bluez, l->dev_path);
	reset(l);
	if (was && o && bluez_ready(l->bluez))
		ble_link_call_void(l, l->dev_path, BLUEZ_DEVICE1, "Disconnect");
}

bool ble_link_is_up(const struct ble_link *l)
{
	return l && l->step == STEP_UP;
}

const char *ble_pin_for_device(const char *device_path)
{
	struct ble_link *l;

	for (l = links; l; l = l->next)
		if (l->dev_path && strcmp(l->dev_path, device_path) == 0)
			return l->pin;
	return NULL;
}

bool ble_device_is_ours(const char *device_path)
{
	struct ble_link *l;

	for (l = links; l; l = l->next)
		if (l->dev_path && strcmp(l->dev_path, device_path) == 0)
			return true;
	return false;
}

unsigned ble_adapter_links_up(const struct ble_adapter *a)
{
	const struct ble_link *l;
	unsigned n = 0;

	for (l = links; l; l = l->next)
		if (l->adapter == a && l->step == STEP_UP)
			n++;
	return n;
}
