/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small BlueZ client that checks the fake BlueZ alone, the way jkbmsd
 * will use it (tests/peers/BLUEZ-CONTRACT.md): discovery, connection,
 * GATT, the JK handshake with frames reassembled and decoded by the
 * codec, pairing through an Agent1, and each fault of the control
 * interface. Prints TAP. tests/integration/ble-fake.sh starts the bus and
 * the fake with the devices of fake-probe.h; every wait is bounded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dbus/dbus.h>

#include "jkbms/frame.h"

#include "fake-probe.h"

DBusConnection *bus;
static unsigned tap_n;
static int failed;

/* What the signals told us. */
struct probe_events ev;

void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %u - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!cond)
		failed = 1;
}

static int dev_index(const char *path)
{
	if (!strcmp(path, DEV_A))
		return 0;
	if (!strcmp(path, DEV_B))
		return 1;
	if (!strcmp(path, DEV_C))
		return 2;
	return -1;
}

static void feed(const uint8_t *b, int n)
{
	const uint8_t *frame;
	size_t len = (size_t)n;

	ev.notes++;
	if ((unsigned)n > ev.max_note)
		ev.max_note = (unsigned)n;
	while (jk_reasm_next(&ev.reasm, &b, &len, &frame) == 0) {
		if (frame[4] < 6)
			ev.frames[frame[4]]++;
		if (jk_frame_decode(frame, JK_FRAME_LEN, JK_VARIANT_JK02_32S,
				    &ev.dec) < 0)
			continue;
		if (ev.dec.type == JK_FRAME_DEVICE_INFO) {
			snprintf(ev.model, sizeof(ev.model), "%s",
				 ev.dec.fields.text[FIELD_MODEL]);
			snprintf(ev.passcode, sizeof(ev.passcode), "%s",
				 ev.dec.secrets.connection_password);
		}
		if (ev.dec.type == JK_FRAME_CELL_INFO)
			ev.cells = ev.dec.fields.ncells;
	}
	ev.bad = (unsigned)ev.reasm.frames_bad;
}

static void props_changed(const char *path, DBusMessageIter *it)
{
	DBusMessageIter dict, ent, var;
	int i = dev_index(path);

	dbus_message_iter_next(it);
	dbus_message_iter_recurse(it, &dict);
	while (dbus_message_iter_get_arg_type(&dict) == DBUS_TYPE_DICT_ENTRY) {
		const char *key;
		dbus_bool_t b = FALSE;

		dbus_message_iter_recurse(&dict, &ent);
		dbus_message_iter_get_basic(&ent, &key);
		dbus_message_iter_next(&ent);
		dbus_message_iter_recurse(&ent, &var);
		if (dbus_message_iter_get_arg_type(&var) == DBUS_TYPE_BOOLEAN)
			dbus_message_iter_get_basic(&var, &b);
		if (!strcmp(key, "Value")) {
			DBusMessageIter arr;
			const uint8_t *bytes;
			int n;

			dbus_message_iter_recurse(&var, &arr);
			dbus_message_iter_get_fixed_array(&arr, &bytes, &n);
			feed(bytes, n);
		} else if (i >= 0 && !strcmp(key, "Connected")) {
			ev.connected[i] = b;
		} else if (i >= 0 && !strcmp(key, "ServicesResolved")) {
			ev.resolved[i] = b;
		} else if (i == 1 && !strcmp(key, "Paired")) {
			ev.paired_b = b;
		} else if (!strcmp(key, "Discovering")) {
			ev.discovering = b;
		} else if (!strcmp(key, "Powered")) {
			ev.powered = b;
		}
		dbus_message_iter_next(&dict);
	}
}

static DBusHandlerResult on_msg(DBusConnection *c, DBusMessage *m, void *u)
{
	DBusMessageIter it;
	const char *s1, *s2, *s3;

	(void)c, (void)u;
	if (dbus_message_is_signal(m, "org.freedesktop.DBus",
				   "NameOwnerChanged") &&
	    dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &s1,
				  DBUS_TYPE_STRING, &s2, DBUS_TYPE_STRING, &s3,
				  DBUS_TYPE_INVALID) &&
	    !strcmp(s1, "org.bluez")) {
		snprintf(ev.owner, sizeof(ev.owner), "%s", s3);
		ev.owner_changes++;
	} else if (dbus_message_is_signal(m,
					  "org.freedesktop.DBus.ObjectManager",
					  "InterfacesAdded") &&
		   dbus_message_iter_init(m, &it)) {
		dbus_message_iter_get_basic(&it, &s1);
		snprintf(ev.last_added, sizeof(ev.last_added), "%s", s1);
		ev.added++;
	} else if (dbus_message_is_signal(m,
					  "org.freedesktop.DBus.ObjectManager",
					  "InterfacesRemoved") &&
		   dbus_message_iter_init(m, &it)) {
		dbus_message_iter_get_basic(&it, &s1);
		snprintf(ev.last_removed, sizeof(ev.last_removed), "%s", s1);
		ev.removed++;
	} else if (dbus_message_is_signal(m, "org.freedesktop.DBus.Properties",
					  "PropertiesChanged") &&
		   dbus_message_iter_init(m, &it)) {
		props_changed(dbus_message_get_path(m), &it);
	} else if (dbus_message_is_method_call(m, "org.bluez.Agent1",
					       "RequestPasskey")) {
		DBusMessage *r = dbus_message_new_method_return(m);

		ev.agent_calls++;
		dbus_message_append_args(r, DBUS_TYPE_UINT32, &ev.passkey,
					 DBUS_TYPE_INVALID);
		dbus_connection_send(bus, r, NULL);
		dbus_message_unref(r);
	} else {
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
	}
	return DBUS_HANDLER_RESULT_HANDLED;
}

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void pump(int ms)
{
	long long end = now_ms() + ms;

	while (now_ms() < end)
		dbus_connection_read_write_dispatch(bus, 20);
}

/* A call whose error name (or "" on success) goes into err. */
static DBusMessage *callv(char *err, size_t errsize, int timeout,
			  const char *dest, const char *path, const char *iface,
			  const char *method, int type, va_list ap)
{
	DBusMessage *m =
		dbus_message_new_method_call(dest, path, iface, method);
	DBusMessage *r;
	DBusError e;

	if (type != DBUS_TYPE_INVALID)
		dbus_message_append_args_valist(m, type, ap);
	dbus_error_init(&e);
	r = dbus_connection_send_with_reply_and_block(bus, m, timeout, &e);
	dbus_message_unref(m);
	snprintf(err, errsize, "%s%s%s", e.name ? e.name : "",
		 e.message ? ": " : "", e.message ? e.message : "");
	dbus_error_free(&e);
	return r;
}

char last_err[256];

DBusMessage *call(const char *path, const char *iface, const char *method,
		  int type, ...)
{
	DBusMessage *r;
	va_list ap;

	va_start(ap, type);
	r = callv(last_err, sizeof(last_err), 5000, "org.bluez", path, iface,
		  method, type, ap);
	va_end(ap);
	return r;
}

/* The call succeeded (reply dropped). */
int call_ok(const char *path, const char *iface, const char *method)
{
	DBusMessage *r = call(path, iface, method, DBUS_TYPE_INVALID);

	if (r)
		dbus_message_unref(r);
	return r != NULL;
}

int call_fails(const char *path, const char *iface, const char *method,
	       const char *want)
{
	DBusMessage *r = call(path, iface, method, DBUS_TYPE_INVALID);

	if (r) {
		dbus_message_unref(r);
		return 0;
	}
	return strncmp(last_err, want, strlen(want)) == 0;
}

/* A call answered while we keep dispatching (our agent gets called). */
int call_pumped(const char *path, const char *iface, const char *method)
{
	DBusMessage *m =
		dbus_message_new_method_call("org.bluez", path, iface, method);
	DBusPendingCall *pc = NULL;
	int good = 0;

	last_err[0] = 0;
	if (dbus_connection_send_with_reply(bus, m, &pc, 5000) && pc) {
		WAIT(6000, dbus_pending_call_get_completed(pc));
		dbus_message_unref(m);
		m = dbus_pending_call_steal_reply(pc);
		dbus_pending_call_unref(pc);
		if (m && dbus_message_get_type(m) == DBUS_MESSAGE_TYPE_ERROR)
			snprintf(last_err, sizeof(last_err), "%s",
				 dbus_message_get_error_name(m));
		good = m && !last_err[0];
	}
	if (m)
		dbus_message_unref(m);
	return good;
}

int ctl(const char *fmt, ...)
{
	char line[256];
	const char *arg = line, *out = "";
	DBusMessage *m, *r;
	va_list ap;
	int good;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	m = dbus_message_new_method_call("org.jkbms.FakeControl",
					 "/org/jkbms/FakeControl",
					 "org.jkbms.FakeControl", "Command");
	dbus_message_append_args(m, DBUS_TYPE_STRING, &arg, DBUS_TYPE_INVALID);
	r = dbus_connection_send_with_reply_and_block(bus, m, 5000, NULL);
	dbus_message_unref(m);
	if (!r)
		return 0;
	dbus_message_get_args(r, NULL, DBUS_TYPE_STRING, &out,
			      DBUS_TYPE_INVALID);
	good = !strncmp(out, "ok", 2);
	dbus_message_unref(r);
	return good;
}

/* Does GetManagedObjects hold this path (and interface)? */
int managed_has(const char *path, const char *iface)
{
	DBusMessage *r = call("/", "org.freedesktop.DBus.ObjectManager",
			      "GetManagedObjects", DBUS_TYPE_INVALID);
	DBusMessageIter it, arr, ent, ifs, ie;
	int found = 0;

	if (!r)
		return 0;
	dbus_message_iter_init(r, &it);
	dbus_message_iter_recurse(&it, &arr);
	while (!found &&
	       dbus_message_iter_get_arg_type(&arr) == DBUS_TYPE_DICT_ENTRY) {
		const char *p, *name;

		dbus_message_iter_recurse(&arr, &ent);
		dbus_message_iter_get_basic(&ent, &p);
		dbus_message_iter_next(&ent);
		dbus_message_iter_recurse(&ent, &ifs);
		while (!strcmp(p, path) &&
		       dbus_message_iter_get_arg_type(&ifs) ==
			       DBUS_TYPE_DICT_ENTRY) {
			dbus_message_iter_recurse(&ifs, &ie);
			dbus_message_iter_get_basic(&ie, &name);
			if (!iface || !strcmp(name, iface))
				found = 1;
			dbus_message_iter_next(&ifs);
		}
		dbus_message_iter_next(&arr);
	}
	dbus_message_unref(r);
	return found;
}

int write_cmd(const char *chr, uint8_t cmd, const char *type)
{
	uint8_t frame[JK_CMD_LEN];
	const uint8_t *p = frame;
	DBusMessage *m, *r;
	DBusMessageIter it, dict, ent, var;
	DBusError e;
	const char *key = "type";

	jk_cmd_encode_request(frame, (enum jk_request)cmd);
	m = dbus_message_new_method_call("org.bluez", chr,
					 "org.bluez.GattCharacteristic1",
					 "WriteValue");
	dbus_message_iter_init_append(m, &it);
	{
		DBusMessageIter arr;

		dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "y",
						 &arr);
		dbus_message_iter_append_fixed_array(&arr, DBUS_TYPE_BYTE, &p,
						     JK_CMD_LEN);
		dbus_message_iter_close_container(&it, &arr);
	}
	dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{sv}", &dict);
	dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, NULL,
					 &ent);
	dbus_message_iter_append_basic(&ent, DBUS_TYPE_STRING, &key);
	dbus_message_iter_open_container(&ent, DBUS_TYPE_VARIANT, "s", &var);
	dbus_message_iter_append_basic(&var, DBUS_TYPE_STRING, &type);
	dbus_message_iter_close_container(&ent, &var);
	dbus_message_iter_close_container(&dict, &ent);
	dbus_message_iter_close_container(&it, &dict);
	dbus_error_init(&e);
	r = dbus_connection_send_with_reply_and_block(bus, m, 5000, &e);
	dbus_message_unref(m);
	snprintf(last_err, sizeof(last_err), "%s: %s", e.name ? e.name : "",
		 e.message ? e.message : "");
	dbus_error_free(&e);
	if (r)
		dbus_message_unref(r);
	return r != NULL;
}

void set_powered(const char *adapter, dbus_bool_t on)
{
	const char *iface = "org.bluez.Adapter1", *prop = "Powered";
	DBusMessage *m, *r;
	DBusMessageIter it, var;

	m = dbus_message_new_method_call(
		"org.bluez", adapter, "org.freedesktop.DBus.Properties", "Set");
	dbus_message_iter_init_append(m, &it);
	dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &iface);
	dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &prop);
	dbus_message_iter_open_container(&it, DBUS_TYPE_VARIANT, "b", &var);
	dbus_message_iter_append_basic(&var, DBUS_TYPE_BOOLEAN, &on);
	dbus_message_iter_close_container(&it, &var);
	r = dbus_connection_send_with_reply_and_block(bus, m, 5000, NULL);
	dbus_message_unref(m);
	if (r)
		dbus_message_unref(r);
}

void reset_stream(void)
{
	jk_reasm_init(&ev.reasm);
	memset(ev.frames, 0, sizeof(ev.frames));
	ev.notes = ev.max_note = ev.cells = ev.bad = 0;
	ev.model[0] = ev.passcode[0] = 0;
}

int main(void)
{
	const char *addr = getenv("DBUS_SYSTEM_BUS_ADDRESS");
	DBusObjectPathVTable agent = { .message_function = on_msg };
	DBusError e;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dbus_error_init(&e);
	bus = addr ? dbus_connection_open_private(addr, &e) : NULL;
	if (!bus || !dbus_bus_register(bus, &e)) {
		printf("1..0 # SKIP no bus: %s\n", e.message ? e.message : "");
		return 0;
	}
	dbus_connection_add_filter(bus, on_msg, NULL, NULL);
	dbus_connection_register_object_path(bus, AGENT_PATH, &agent, NULL);
	dbus_bus_add_match(bus, "type='signal',sender='org.bluez'", NULL);
	dbus_bus_add_match(bus,
			   "type='signal',member='NameOwnerChanged',"
			   "arg0='org.bluez'",
			   NULL);
	run_cases();
	printf("1..%u\n", tap_n);
	dbus_connection_close(bus);
	dbus_connection_unref(bus);
	return failed;
}
