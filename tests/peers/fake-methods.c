/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BlueZ's methods as the fake answers them: Device1 (Connect in two timed
 * steps, Connected then ServicesResolved; Disconnect; Pair through the
 * registered Agent1), GattCharacteristic1 (StartNotify, StopNotify,
 * WriteValue, ReadValue), AgentManager1, Properties and ObjectManager,
 * with the error names and messages bluetoothd 5.66 uses; Adapter1 is in
 * fake-adapter.c. Every call first looks for a fault a test armed on that
 * method (fault_take).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "fake-bluez.h"

#define ERR(x) "org.bluez.Error." x

static DBusMessage *ok(DBusMessage *m)
{
	return dbus_message_new_method_return(m);
}

static void reply_pending(DBusMessage **pending, const char *err,
			  const char *msg)
{
	DBusMessage *r;

	if (!*pending)
		return;
	r = err ? error_reply(*pending, err, msg) : ok(*pending);
	send_msg(r);
	dbus_message_unref(r);
	dbus_message_unref(*pending);
	*pending = NULL;
}

void dev_link_down(struct fb_device *d, const char *why)
{
	loop_timer_cancel(d->connect_timer);
	d->connect_timer = NULL;
	reply_pending(&d->pending_connect, ERR("Failed"),
		      "le-connection-abort-by-local");
	if (d->notifying) {
		d->notifying = false;
		if (d->notify_idx >= 0)
			obj_emit_changed(d->gatt[d->notify_idx].path,
					 IFACE_CHAR, "Notifying");
	}
	if (d->resolved) {
		d->resolved = false;
		obj_emit_changed(d->path, IFACE_DEVICE, "ServicesResolved");
	}
	if (d->connected) {
		d->connected = false;
		d->disconnects++;
		obj_emit_changed(d->path, IFACE_DEVICE, "Connected");
		fb_log("%s: disconnected (%s)", d->address, why);
	}
	if (!d->paired)
		obj_unexport_gatt(d);
	d->seen_96 = false;
	d->stale = false;
}

static void connect_resolved(void *data)
{
	struct fb_device *d = data;

	d->connect_timer = NULL;
	if (!d->n_gatt)
		obj_export_gatt(d);
	d->resolved = true;
	obj_emit_changed(d->path, IFACE_DEVICE, "UUIDs");
	obj_emit_changed(d->path, IFACE_DEVICE, "ServicesResolved");
	d->connects_ok++;
	reply_pending(&d->pending_connect, NULL, NULL);
}

static void connect_linked(void *data)
{
	struct fb_device *d = data;

	d->connect_timer = NULL;
	d->connected = true;
	d->seen_96 = false;
	obj_emit_changed(d->path, IFACE_DEVICE, "Connected");
	fb_log("%s: connected", d->address);
	if (d->no_resolve) {
		/* the link is up but the GATT browse never finishes */
		d->no_resolve--;
		reply_pending(&d->pending_connect, NULL, NULL);
		return;
	}
	d->connect_timer = loop_timer_add((uint64_t)fb.resolve_ms * 1000,
					  connect_resolved, d);
}

static DBusMessage *dev_connect(struct fb_device *d, DBusMessage *m)
{
	d->connects++;
	if (!d->ad->powered)
		return error_reply(m, ERR("NotReady"), "Resource Not Ready");
	if (d->pending_connect)
		return error_reply(m, ERR("InProgress"), "In Progress");
	if (d->connected)
		return ok(m);
	if (d->ad->wedged || !d->visible)
		return error_reply(m, ERR("Failed"),
				   "le-connection-abort-by-local");
	d->pending_connect = dbus_message_ref(m);
	d->connect_timer = loop_timer_add((uint64_t)fb.connect_ms * 1000,
					  connect_linked, d);
	return NULL;
}

static DBusMessage *dev_disconnect(struct fb_device *d, DBusMessage *m)
{
	if (!d->connected && !d->pending_connect)
		return error_reply(m, ERR("NotConnected"), "Not Connected");
	dev_link_down(d, "Disconnect()");
	return ok(m);
}

static void pair_done(DBusPendingCall *call, void *data)
{
	struct fb_device *d = data;
	DBusMessage *r = dbus_pending_call_steal_reply(call);
	const char *err = NULL, *msg = NULL;

	if (!r) {
		err = ERR("AuthenticationTimeout");
		msg = "Authentication Timeout";
	} else if (dbus_message_get_type(r) == DBUS_MESSAGE_TYPE_ERROR) {
		const char *name = dbus_message_get_error_name(r);

		if (strstr(name, "Canceled") || strstr(name, "NoReply")) {
			err = ERR("AuthenticationCanceled");
			msg = "Authentication Canceled";
		} else {
			err = ERR("AuthenticationRejected");
			msg = "Authentication Rejected";
		}
	} else {
		char got[24] = "";
		const char *s;
		dbus_uint32_t u;

		if (dbus_message_get_args(r, NULL, DBUS_TYPE_UINT32, &u,
					  DBUS_TYPE_INVALID))
			snprintf(got, sizeof(got), "%06u", u);
		else if (dbus_message_get_args(r, NULL, DBUS_TYPE_STRING, &s,
					       DBUS_TYPE_INVALID))
			snprintf(got, sizeof(got), "%s", s);
		if (strcmp(got, d->pin)) {
			err = ERR("AuthenticationFailed");
			msg = "Authentication Failed";
		}
	}
	if (r)
		dbus_message_unref(r);
	if (!err) {
		d->paired = true;
		obj_emit_changed(d->path, IFACE_DEVICE, "Paired");
		obj_emit_changed(d->path, IFACE_DEVICE, "Bonded");
	}
	fb_log("%s: pairing %s", d->address, err ? err : "done");
	reply_pending(&d->pending_pair, err, msg);
}

/* Passkey entry: RequestPasskey for a numeric PIN, else RequestPinCode. */
static DBusMessage *dev_pair(struct fb_device *d, DBusMessage *m)
{
	bool numeric = strlen(d->pin) <= 6 && d->pin[0];
	DBusPendingCall *call;
	DBusMessage *q;
	const char *p;

	d->pairs++;
	for (p = d->pin; *p; p++)
		if (!isdigit((unsigned char)*p))
			numeric = false;
	if (d->paired)
		return error_reply(m, ERR("AlreadyExists"), "Already Exists");
	if (d->pending_pair)
		return error_reply(m, ERR("InProgress"), "In Progress");
	if (d->pair == PAIR_REJECT || !fb.agent_owner[0])
		return error_reply(m, ERR("AuthenticationFailed"),
				   "Authentication Failed");
	q = dbus_message_new_method_call(
		fb.agent_owner, fb.agent_path, IFACE_AGENT,
		numeric ? "RequestPasskey" : "RequestPinCode");
	p = d->path;
	dbus_message_append_args(q, DBUS_TYPE_OBJECT_PATH, &p,
				 DBUS_TYPE_INVALID);
	if (!dbus_connection_send_with_reply(fb.bus, q, &call, 10000) ||
	    !call) {
		dbus_message_unref(q);
		return error_reply(m, ERR("Failed"), "No agent");
	}
	dbus_message_unref(q);
	d->pending_pair = dbus_message_ref(m);
	dbus_pending_call_set_notify(call, pair_done, d, NULL);
	dbus_pending_call_unref(call);
	return NULL;
}

static DBusMessage *start_notify(struct fb_device *d, int idx, DBusMessage *m)
{
	const char *who = dbus_message_get_sender(m);
	struct fb_gatt *g = &d->gatt[idx];

	if (!(g->flags & (CF_NOTIFY | CF_INDICATE)))
		return error_reply(m, ERR("NotSupported"),
				   "Operation is not supported");
	if (!d->connected)
		return error_reply(m, ERR("NotConnected"), "Not Connected");
	if (d->pair == PAIR_REQUIRED && !d->paired)
		return error_reply(m, ERR("NotPermitted"),
				   "Insufficient Authentication");
	if (d->notifying && !strcmp(d->notify_owner, who))
		return error_reply(m, ERR("InProgress"), "In Progress");
	d->start_notify++;
	snprintf(d->notify_owner, sizeof(d->notify_owner), "%s", who);
	d->notify_idx = idx;
	if (!d->notifying) {
		d->notifying = true;
		obj_emit_changed(g->path, IFACE_CHAR, "Notifying");
	}
	return ok(m);
}

static DBusMessage *stop_notify(struct fb_device *d, int idx, DBusMessage *m)
{
	if (!d->notifying || d->notify_idx != idx ||
	    strcmp(d->notify_owner, dbus_message_get_sender(m)))
		return error_reply(m, ERR("Failed"),
				   "No notify session started");
	d->notifying = false;
	obj_emit_changed(d->gatt[idx].path, IFACE_CHAR, "Notifying");
	return ok(m);
}

static DBusMessage *write_value(struct fb_device *d, int idx, DBusMessage *m)
{
	struct fb_gatt *g = &d->gatt[idx];
	DBusMessageIter it, arr, opts;
	const uint8_t *buf;
	const char *type = "";
	int n = 0;

	if (!dbus_message_iter_init(m, &it) ||
	    strcmp(dbus_message_get_signature(m), "aya{sv}"))
		return error_reply(m, ERR("InvalidArguments"),
				   "Invalid arguments in method call");
	dbus_message_iter_recurse(&it, &arr);
	dbus_message_iter_get_fixed_array(&arr, &buf, &n);
	dbus_message_iter_next(&it);
	dbus_message_iter_recurse(&it, &opts);
	while (dbus_message_iter_get_arg_type(&opts) == DBUS_TYPE_DICT_ENTRY) {
		DBusMessageIter ent, var;
		const char *key;

		dbus_message_iter_recurse(&opts, &ent);
		dbus_message_iter_get_basic(&ent, &key);
		dbus_message_iter_next(&ent);
		dbus_message_iter_recurse(&ent, &var);
		if (!strcmp(key, "type") &&
		    dbus_message_iter_get_arg_type(&var) == DBUS_TYPE_STRING)
			dbus_message_iter_get_basic(&var, &type);
		dbus_message_iter_next(&opts);
	}
	if ((!strcmp(type, "command") && !(g->flags & CF_WRITE_NO_RSP)) ||
	    (!strcmp(type, "request") && !(g->flags & CF_WRITE)) ||
	    !(g->flags & (CF_WRITE | CF_WRITE_NO_RSP))) {
		d->bad_writes++;
		return error_reply(m, ERR("NotSupported"),
				   "Operation is not supported");
	}
	if (n > 512)
		return error_reply(m, ERR("InvalidValueLength"),
				   "Invalid Value Length");
	if (!d->connected)
		return error_reply(m, ERR("Failed"), "Not connected");
	if (d->pair == PAIR_REQUIRED && !d->paired)
		return error_reply(m, ERR("NotPermitted"),
				   "Insufficient Authentication");
	d->writes++;
	d->write_idx = idx;
	if (!d->stale && !d->frozen && strstr(g->uuid, "0000ffe"))
		bms_feed(d, buf, (size_t)n);
	return ok(m);
}

static DBusMessage *read_value(struct fb_device *d, int idx, DBusMessage *m)
{
	static const uint8_t mfr[] = "Jikong";
	const uint8_t *p = mfr;
	DBusMessage *r;

	if (!(d->gatt[idx].flags & CF_READ))
		return error_reply(m, ERR("NotPermitted"),
				   "Read not permitted");
	if (!d->connected)
		return error_reply(m, ERR("Failed"), "Not connected");
	r = ok(m);
	dbus_message_append_args(r, DBUS_TYPE_ARRAY, DBUS_TYPE_BYTE, &p,
				 strcmp(d->gatt[idx].uuid, UUID_JK_CHAR) ? 6
									 : 0,
				 DBUS_TYPE_INVALID);
	return r;
}

static DBusMessage *agent_call(DBusMessage *m, const char *member)
{
	static const char *const caps[] = { "",
					    "DisplayOnly",
					    "DisplayYesNo",
					    "KeyboardOnly",
					    "NoInputNoOutput",
					    "KeyboardDisplay" };
	const char *who = dbus_message_get_sender(m), *path, *cap = "";
	bool mine;
	unsigned i;

	if (!dbus_message_get_args(m, NULL, DBUS_TYPE_OBJECT_PATH, &path,
				   DBUS_TYPE_INVALID) &&
	    !dbus_message_get_args(m, NULL, DBUS_TYPE_OBJECT_PATH, &path,
				   DBUS_TYPE_STRING, &cap, DBUS_TYPE_INVALID))
		return error_reply(m, ERR("InvalidArguments"),
				   "Invalid arguments in method call");
	mine = !strcmp(fb.agent_owner, who) && !strcmp(fb.agent_path, path);
	if (!strcmp(member, "RegisterAgent")) {
		for (i = 0; i < 6; i++)
			if (!strcmp(cap, caps[i]))
				break;
		if (i == 6)
			return error_reply(m, ERR("InvalidArguments"),
					   "Invalid arguments in method call");
		if (!strcmp(fb.agent_owner, who))
			return error_reply(m, ERR("AlreadyExists"),
					   "Already Exists");
		snprintf(fb.agent_owner, sizeof(fb.agent_owner), "%s", who);
		snprintf(fb.agent_path, sizeof(fb.agent_path), "%s", path);
		return ok(m);
	}
	if (!mine)
		return error_reply(m, ERR("DoesNotExist"), "No such Agent");
	if (!strcmp(member, "UnregisterAgent"))
		fb.agent_owner[0] = 0;
	return ok(m);
}

static DBusMessage *props_set(DBusMessage *m, const char *path)
{
	const char *iface, *prop;
	DBusMessageIter it, var;
	struct fb_adapter *a = obj_adapter_by_path(path);
	struct fb_device *d = obj_device_by_path(path);
	dbus_bool_t b = FALSE;

	if (!dbus_message_iter_init(m, &it) ||
	    strcmp(dbus_message_get_signature(m), "ssv"))
		return error_reply(m, "org.freedesktop.DBus.Error.InvalidArgs",
				   "Invalid arguments");
	dbus_message_iter_get_basic(&it, &iface);
	dbus_message_iter_next(&it);
	dbus_message_iter_get_basic(&it, &prop);
	dbus_message_iter_next(&it);
	dbus_message_iter_recurse(&it, &var);
	if (dbus_message_iter_get_arg_type(&var) == DBUS_TYPE_BOOLEAN)
		dbus_message_iter_get_basic(&var, &b);
	if (a && !strcmp(iface, IFACE_ADAPTER) && !strcmp(prop, "Powered")) {
		if (dbus_message_iter_get_arg_type(&var) != DBUS_TYPE_BOOLEAN)
			return error_reply(
				m, "org.freedesktop.DBus.Error.InvalidArgs",
				"Invalid arguments");
		adapter_set_powered(a, b);
		return ok(m);
	}
	if (d && !strcmp(iface, IFACE_DEVICE) && !strcmp(prop, "Trusted")) {
		d->trusted = b;
		obj_emit_changed(d->path, IFACE_DEVICE, "Trusted");
		return ok(m);
	}
	if ((a || d) && (!strcmp(prop, "Alias") || !strcmp(prop, "Pairable") ||
			 !strcmp(prop, "Discoverable")))
		return ok(m);
	return error_reply(m, "org.freedesktop.DBus.Error.PropertyReadOnly",
			   "Property is not writable");
}

static const char *target_of(const char *path)
{
	struct fb_adapter *a = obj_adapter_by_path(path);
	struct fb_device *d = obj_device_by_path(path);
	int idx;

	if (a)
		return a->name;
	if (!d)
		d = obj_device_by_gatt(path, &idx);
	return d ? d->address : "*";
}

static DBusMessage *dispatch(DBusMessage *m, const char *path,
			     const char *iface, const char *member)
{
	struct fb_adapter *a = obj_adapter_by_path(path);
	struct fb_device *d = obj_device_by_path(path);
	struct fb_device *gd;
	const char *s1, *s2;
	int idx = -1;

	if (!strcmp(iface, IFACE_OM) && !strcmp(member, "GetManagedObjects"))
		return obj_managed_objects(m);
	if (!strcmp(iface, IFACE_INTROSPECT))
		return obj_introspect(m, path);
	if (!strcmp(iface, IFACE_PROPS)) {
		if (!strcmp(member, "Set"))
			return props_set(m, path);
		if (!strcmp(member, "GetAll") &&
		    dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &s1,
					  DBUS_TYPE_INVALID))
			return obj_get_all(m, path, s1);
		if (!strcmp(member, "Get") &&
		    dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &s1,
					  DBUS_TYPE_STRING, &s2,
					  DBUS_TYPE_INVALID))
			return obj_get(m, path, s1, s2);
	}
	if (!strcmp(path, "/org/bluez") && !strcmp(iface, IFACE_AGENT_MGR))
		return agent_call(m, member);
	if (a && !strcmp(iface, IFACE_ADAPTER)) {
		if (!strcmp(member, "StartDiscovery"))
			return adapter_start_discovery(a, m);
		if (!strcmp(member, "StopDiscovery"))
			return adapter_stop_discovery(a, m);
		if (!strcmp(member, "SetDiscoveryFilter"))
			return adapter_set_filter(m);
		if (!strcmp(member, "GetDiscoveryFilters"))
			return adapter_get_filters(m);
		if (!strcmp(member, "RemoveDevice"))
			return adapter_remove_device(a, m);
	}
	if (d && !strcmp(iface, IFACE_DEVICE)) {
		if (!strcmp(member, "Connect"))
			return dev_connect(d, m);
		if (!strcmp(member, "Disconnect"))
			return dev_disconnect(d, m);
		if (!strcmp(member, "Pair"))
			return dev_pair(d, m);
		if (!strcmp(member, "CancelPairing"))
			return error_reply(m, ERR("DoesNotExist"),
					   "Does Not Exist");
	}
	gd = obj_device_by_gatt(path, &idx);
	if (gd && !strcmp(iface, IFACE_CHAR) &&
	    gd->gatt[idx].kind == GATT_CHAR) {
		if (!strcmp(member, "StartNotify"))
			return start_notify(gd, idx, m);
		if (!strcmp(member, "StopNotify"))
			return stop_notify(gd, idx, m);
		if (!strcmp(member, "WriteValue"))
			return write_value(gd, idx, m);
		if (!strcmp(member, "ReadValue"))
			return read_value(gd, idx, m);
		if (!strcmp(member, "AcquireNotify") ||
		    !strcmp(member, "AcquireWrite"))
			return error_reply(m, ERR("NotSupported"),
					   "Operation is not supported");
	}
	if (!a && !d && !gd && strcmp(path, "/") && strcmp(path, "/org/bluez"))
		return error_reply(m,
				   "org.freedesktop.DBus.Error.UnknownObject",
				   "Unknown object");
	return error_reply(m, "org.freedesktop.DBus.Error.UnknownMethod",
			   "Unknown method");
}

DBusHandlerResult methods_handle(DBusConnection *c, DBusMessage *m)
{
	const char *path = dbus_message_get_path(m);
	const char *iface = dbus_message_get_interface(m);
	const char *member = dbus_message_get_member(m);
	const struct fb_fault *f;
	DBusMessage *r;

	(void)c;
	if (dbus_message_get_type(m) != DBUS_MESSAGE_TYPE_METHOD_CALL ||
	    !path || !member)
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
	if (!iface)
		iface = "";
	f = fault_take(target_of(path), member);
	if (f) {
		fb_log("fault: %s on %s: %s", member, path, f->error);
		if (!strcmp(f->error, "noreply"))
			return DBUS_HANDLER_RESULT_HANDLED;
		r = error_reply(m, f->error, f->message);
	} else {
		r = dispatch(m, path, iface, member);
	}
	if (r) {
		if (!dbus_message_get_no_reply(m))
			send_msg(r);
		dbus_message_unref(r);
	}
	return DBUS_HANDLER_RESULT_HANDLED;
}
