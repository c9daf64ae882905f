/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The GATT half of a BLE link: once BlueZ has resolved the services, pick
 * the JK characteristics (FFE1 under service FFE0, by their flags: one
 * object for both roles on old modules, two on new ones), pair when the
 * config asks or BlueZ refuses access for lack of it, StartNotify, and
 * write commands without response. A device without the JK service is
 * removed from BlueZ (a stale or empty GATT cache) so that the next
 * attempt discovers it afresh.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jkbms/log.h"
#include "jkbms/util.h"

#include "transport/ble-private.h"

static void step_notify(struct ble_link *l);

static bool auth_error(DBusMessage *reply)
{
	return bluez_error_has(reply, "NotPermitted") ||
	       bluez_error_has(reply, "NotAuthorized") ||
	       bluez_error_has(reply, "AuthenticationFailed") ||
	       bluez_error_has(reply, "Insufficient");
}

static void on_pair(DBusMessage *reply, void *userdata)
{
	struct ble_link *l = userdata;
	char text[256];
	const char *err = bluez_error_text(reply, text, sizeof(text));

	if (err && !bluez_error_has(reply, "AlreadyExists")) {
		ble_link_fail(l, -EACCES, "pairing failed: %s%s", err,
			      l->pin ? " (is the pin right?)"
				     : " (no pin configured)");
		return;
	}
	dev_log(l->log, LOG_INFO, "paired with %s", l->address);
	step_notify(l);
}

static void step_pair(struct ble_link *l)
{
	l->step = STEP_PAIR;
	l->paired_once = true;
	ble_link_arm(l, l->connect_timeout_usec + 15 * 1000000);
	ble_agent_want(l->event);
	bluez_call(l->bluez, bluez_method(l->dev_path, BLUEZ_DEVICE1, "Pair"),
		   (int)(l->connect_timeout_usec / 1000) + 10000, on_pair, l,
		   &l->call);
}

static void on_start_notify(DBusMessage *reply, void *userdata)
{
	struct ble_link *l = userdata;
	char text[256];
	const char *err = bluez_error_text(reply, text, sizeof(text));

	if (err && auth_error(reply) && !l->paired_once) {
		dev_log(l->log, LOG_NOTICE,
			"BlueZ refused notifications (%s): pairing", err);
		step_pair(l);
		return;
	}
	if (err) {
		ble_link_fail(l, -EIO, "StartNotify failed: %s", err);
		return;
	}
	l->step = STEP_UP;
	sd_event_source_set_enabled(l->timer, SD_EVENT_OFF);
	l->ops->up(l->userdata);
}

static void step_notify(struct ble_link *l)
{
	l->step = STEP_NOTIFY;
	ble_link_arm(l, l->connect_timeout_usec);
	bluez_call(
		l->bluez,
		bluez_method(l->notify_path, BLUEZ_GATT_CHAR1, "StartNotify"),
		BLE_CALL_TIMEOUT_MS, on_start_notify, l, &l->call);
}

static bool is_jk_service(const struct bluez *b, const struct bluez_object *c)
{
	const struct bluez_object *s = bluez_find(b, c->parent);

	/* Without the parent in the mirror, trust the characteristic. */
	return !s || strcasecmp(s->uuid, BLUEZ_JK_SERVICE) == 0;
}

/* Picks FFE1 by flags: one object for both roles, or two (new modules). */
static int pick_chars(struct ble_link *l)
{
	const struct bluez_object *o, *nfy = NULL, *wr = NULL;
	bool any_svc = false;

	for (o = bluez_next(l->bluez, NULL); o; o = bluez_next(l->bluez, o)) {
		if (!bluez_path_under(l->dev_path, o))
			continue;
		if ((o->ifaces & BLUEZ_IF_SERVICE) &&
		    strcasecmp(o->uuid, BLUEZ_JK_SERVICE) == 0)
			any_svc = true;
		if (!(o->ifaces & BLUEZ_IF_CHAR) ||
		    strcasecmp(o->uuid, BLUEZ_JK_CHAR) != 0 ||
		    !is_jk_service(l->bluez, o))
			continue;
		if (!nfy &&
		    (o->char_flags & (BLUEZ_CHAR_NOTIFY | BLUEZ_CHAR_INDICATE)))
			nfy = o;
		if (o->char_flags & BLUEZ_CHAR_WRITE_NO_RSP) {
			if (!wr || !(wr->char_flags & BLUEZ_CHAR_WRITE_NO_RSP))
				wr = o;
		} else if (!wr && (o->char_flags & BLUEZ_CHAR_WRITE)) {
			wr = o;
		}
	}
	if (!any_svc)
		return -ENOENT;
	if (!nfy || !wr)
		return -EPROTO;
	ble_set_str(&l->notify_path, nfy->path);
	ble_set_str(&l->write_path, wr->path);
	l->write_no_rsp = wr->char_flags & BLUEZ_CHAR_WRITE_NO_RSP;
	return 0;
}

void ble_gatt_resolve(struct ble_link *l)
{
	const struct bluez_object *o = bluez_find(l->bluez, l->dev_path);
	int r;

	if (!o || !o->connected || !o->services_resolved)
		return;
	r = pick_chars(l);
	if (r == -ENOENT) {
		/* An empty or foreign GATT cache: forget the device. */
		ble_link_remove_device(l);
		ble_link_fail(
			l, -ENOENT,
			"no JK service (ffe0) on %s; removed it from BlueZ to "
			"discover it afresh",
			l->address);
		return;
	}
	if (r < 0) {
		ble_link_fail(
			l, -EPROTO,
			"service ffe0 has no ffe1 characteristic with notify "
			"and write flags (wrong layout)");
		return;
	}
	dev_log_debug(l->log, LOG_CAT_BLE, "ble: notify %s, write %s%s",
		      l->notify_path, l->write_path,
		      l->write_no_rsp ? " (without response)" : "");
	if (l->pair && !o->paired && !l->paired_once)
		step_pair(l);
	else
		step_notify(l);
}

static void on_write(DBusMessage *reply, void *userdata)
{
	struct ble_link *l = userdata;
	char text[256];
	const char *err = bluez_error_text(reply, text, sizeof(text));
	unsigned suppressed = 0;

	if (!err)
		return;
	if (auth_error(reply))
		dev_log(l->log, LOG_WARNING, "BlueZ refused a write (%s)%s",
			err,
			l->pin ? "; will pair on the next connect"
			       : "; set pair = yes and pin in the config");
	else if (log_damp_check(&l->write_damp, now_usec(), &suppressed))
		/* a request or command lost: its answer will not come */
		dev_log(l->log, LOG_WARNING, "a write to the BMS failed: %s%s",
			err,
			suppressed ? " (earlier failures not logged)" : "");
	else
		dev_log_debug(l->log, LOG_CAT_BLE, "ble: write failed: %s",
			      err);
	if (auth_error(reply) && l->pin)
		l->pair = true;
}

int ble_link_write(struct ble_link *l, const uint8_t *data, size_t len)
{
	DBusMessageIter it, a, e, v;
	const char *key = "type";
	const char *type;
	DBusMessage *m;
	size_t i;

	if (l->step != STEP_UP)
		return -ENOTCONN;
	for (i = 0; i < BLE_WRITES_MAX; i++)
		if (!l->writes[i])
			break;
	if (i == BLE_WRITES_MAX)
		return -EAGAIN;
	type = l->write_no_rsp ? "command" : "request";
	m = bluez_method(l->write_path, BLUEZ_GATT_CHAR1, "WriteValue");
	dbus_message_iter_init_append(m, &it);
	dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "y", &a);
	dbus_message_iter_append_fixed_array(&a, DBUS_TYPE_BYTE, &data,
					     (int)len);
	dbus_message_iter_close_container(&it, &a);
	dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{sv}", &a);
	dbus_message_iter_open_container(&a, DBUS_TYPE_DICT_ENTRY, NULL, &e);
	dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &key);
	dbus_message_iter_open_container(&e, DBUS_TYPE_VARIANT, "s", &v);
	dbus_message_iter_append_basic(&v, DBUS_TYPE_STRING, &type);
	dbus_message_iter_close_container(&e, &v);
	dbus_message_iter_close_container(&a, &e);
	dbus_message_iter_close_container(&it, &a);
	return bluez_call(l->bluez, m, BLE_CALL_TIMEOUT_MS, on_write, l,
			  &l->writes[i]);
}
