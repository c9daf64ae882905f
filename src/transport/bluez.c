/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BlueZ mirror: one private connection to the system bus, match rules
 * for ObjectManager and PropertiesChanged signals added before the first
 * GetManagedObjects (so no change can fall between the snapshot and the
 * signals), and NameOwnerChanged of org.bluez to notice bluetoothd
 * restarting: the mirror is then dropped, every observer told, and
 * reloaded when bluetoothd is back. A lost bus is reconnected on a timer.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <systemd/sd-event.h>

#include "jkbms/log.h"
#include "jkbms/util.h"
#include "jkbms/watchlist.h"

#include "transport/bluez-private.h"
#include "transport/dbus-event.h"

#define BLUEZ_RETRY_USEC   (UINT64_C(2) * 1000000)
#define BLUEZ_LOAD_TIMEOUT 25000 /* ms */
#define BLUEZ_FLUSH_USEC   (UINT64_C(500) * 1000) /* at most, at exit */

#define OM_IFACE    "org.freedesktop.DBus.ObjectManager"
#define PROPS_IFACE "org.freedesktop.DBus.Properties"

struct bluez_call {
	DBusPendingCall *pc;
	bluez_reply_func_t cb;
	void *userdata;
	struct bluez_call **slot;
};

struct bluez {
	unsigned ref;
	sd_event *event;
	DBusConnection *conn;
	struct dbus_event *de;
	sd_event_source *retry;
	char *owner; /* unique name of bluetoothd, NULL: not running */
	bool ready;
	bool in_signal;  /* applying a PropertiesChanged */
	bool bus_warned; /* "no system bus" said once */
	unsigned generation;
	struct bluez_call *load;
	struct bluez_object *objects;
	struct watchlist watches;
};

static struct bluez *shared;

/* on_retry in a while: a failure is handled from the timer, never while
 * libdbus dispatches the message that reported it. */
static void retry_later(struct bluez *b)
{
	sd_event_source_set_time_relative(b->retry, BLUEZ_RETRY_USEC);
	sd_event_source_set_enabled(b->retry, SD_EVENT_ONESHOT);
}

/* Hello answered: libdbus knows our unique name. */
static bool registered(const struct bluez *b)
{
	return b->conn && dbus_bus_get_unique_name(b->conn);
}

static const char *const match_rules[] = {
	"type='signal',sender='org.freedesktop.DBus',"
	"interface='org.freedesktop.DBus',member='NameOwnerChanged',"
	"arg0='org.bluez'",
	"type='signal',sender='org.bluez',interface='" OM_IFACE "',"
	"member='InterfacesAdded'",
	"type='signal',sender='org.bluez',interface='" OM_IFACE "',"
	"member='InterfacesRemoved'",
	"type='signal',sender='org.bluez',interface='" PROPS_IFACE "',"
	"member='PropertiesChanged'",
};

static void notify(struct bluez *b, enum bluez_event ev,
		   const struct bluez_object *o, const uint8_t *v, size_t n)
{
	WATCHLIST_NOTIFY(&b->watches, bluez_watch_func_t, b, ev, o, v, n);
}

void bluez_value(struct bluez *b, struct bluez_object *o, DBusMessageIter *v)
{
	const uint8_t *data;
	size_t n;

	/* A cached Value in a snapshot is no notification. */
	if (!b->in_signal)
		return;
	n = bluez_iter_bytes(v, &data);
	if (n)
		notify(b, BLUEZ_EV_VALUE, o, data, n);
}

static struct bluez_object *find(const struct bluez *b, const char *path)
{
	struct bluez_object *o;

	for (o = b->objects; o; o = o->next)
		if (strcmp(o->path, path) == 0)
			return o;
	return NULL;
}

static struct bluez_object *find_or_add(struct bluez *b, const char *path)
{
	struct bluez_object *o = find(b, path);

	if (o)
		return o;
	o = xcalloc(1, sizeof(*o));
	o->path = xstrdup(path);
	o->next = b->objects;
	b->objects = o;
	return o;
}

static void remove_object(struct bluez *b, struct bluez_object *o)
{
	struct bluez_object **p;

	notify(b, BLUEZ_EV_REMOVED, o, NULL, 0);
	for (p = &b->objects; *p; p = &(*p)->next)
		if (*p == o) {
			*p = o->next;
			break;
		}
	bluez_object_free(o);
}

static void drop_mirror(struct bluez *b, bool tell)
{
	struct bluez_object *o;
	bool was = b->ready || b->objects;

	bluez_call_cancel(&b->load);
	b->ready = false;
	while ((o = b->objects)) {
		b->objects = o->next;
		bluez_object_free(o);
	}
	if (tell && was)
		notify(b, BLUEZ_EV_GONE, NULL, NULL, 0);
}

/* a{sa{sv}}: the interfaces of one object. */
static unsigned read_ifaces(struct bluez *b, struct bluez_object *o,
			    DBusMessageIter *arr)
{
	DBusMessageIter a, e;
	const char *iface;
	unsigned seen = 0, bit;

	if (dbus_message_iter_get_arg_type(arr) != DBUS_TYPE_ARRAY)
		return 0;
	dbus_message_iter_recurse(arr, &a);
	while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_DICT_ENTRY) {
		dbus_message_iter_recurse(&a, &e);
		dbus_message_iter_next(&a);
		if (dbus_message_iter_get_arg_type(&e) != DBUS_TYPE_STRING)
			continue;
		dbus_message_iter_get_basic(&e, &iface);
		bit = bluez_iface_bit(iface);
		if (!bit)
			continue;
		dbus_message_iter_next(&e);
		o->ifaces |= bit;
		seen |= bit;
		bluez_apply_props(b, o, bit, &e);
	}
	return seen;
}

static void on_objects(DBusMessage *reply, void *userdata)
{
	struct bluez *b = userdata;
	struct bluez_object *o, *next;
	DBusMessageIter it, a, e;
	const char *path, *err;
	char text[256];

	err = bluez_error_text(reply, text, sizeof(text));
	if (err) {
		log_warning("bluez: GetManagedObjects failed: %s", err);
		retry_later(b);
		return;
	}
	b->generation++;
	if (dbus_message_iter_init(reply, &it) &&
	    dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_ARRAY) {
		dbus_message_iter_recurse(&it, &a);
		while (dbus_message_iter_get_arg_type(&a) ==
		       DBUS_TYPE_DICT_ENTRY) {
			dbus_message_iter_recurse(&a, &e);
			dbus_message_iter_next(&a);
			if (dbus_message_iter_get_arg_type(&e) !=
			    DBUS_TYPE_OBJECT_PATH)
				continue;
			dbus_message_iter_get_basic(&e, &path);
			dbus_message_iter_next(&e);
			o = find_or_add(b, path);
			o->ifaces = 0;
			if (read_ifaces(b, o, &e))
				o->generation = b->generation;
		}
	}
	/* What signals added but the snapshot no longer has is gone. */
	for (o = b->objects; o; o = next) {
		next = o->next;
		if (o->generation != b->generation)
			remove_object(b, o);
	}
	b->ready = true;
	log_debug_cat(LOG_CAT_BLE, "bluez: mirror loaded");
	notify(b, BLUEZ_EV_READY, NULL, NULL, 0);
}

static void load_objects(struct bluez *b)
{
	DBusMessage *m = bluez_method("/", OM_IFACE, "GetManagedObjects");

	bluez_call_cancel(&b->load);
	if (bluez_call(b, m, BLUEZ_LOAD_TIMEOUT, on_objects, b, &b->load) < 0)
		log_warning("bluez: cannot ask for BlueZ's objects");
}

static void owner_changed(struct bluez *b, const char *owner)
{
	if (b->owner && (!owner || strcmp(b->owner, owner) != 0)) {
		log_notice("bluez: bluetoothd went away; links dropped");
		drop_mirror(b, true);
	}
	free(b->owner);
	b->owner = owner && *owner ? xstrdup(owner) : NULL;
	if (b->owner && !b->ready && !b->load) {
		log_info("bluez: bluetoothd is on the bus (%s)", b->owner);
		load_objects(b);
	}
}

static void on_name_owner(DBusMessage *reply, void *userdata)
{
	struct bluez *b = userdata;
	const char *owner = NULL;

	if (!bluez_reply_error(reply, NULL))
		dbus_message_get_args(reply, NULL, DBUS_TYPE_STRING, &owner,
				      DBUS_TYPE_INVALID);
	if (!owner)
		log_notice("bluez: bluetoothd is not running; waiting for it");
	owner_changed(b, owner);
}

static void signal_added(struct bluez *b, DBusMessage *m)
{
	DBusMessageIter it;
	struct bluez_object *o;
	const char *path;
	bool fresh;

	if (!dbus_message_iter_init(m, &it) ||
	    dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_OBJECT_PATH)
		return;
	dbus_message_iter_get_basic(&it, &path);
	dbus_message_iter_next(&it);
	fresh = !find(b, path);
	o = find_or_add(b, path);
	o->generation = b->generation;
	read_ifaces(b, o, &it);
	if (!o->ifaces) {
		/* Only interfaces we do not mirror (descriptors...). */
		if (fresh) {
			b->objects = o->next;
			bluez_object_free(o);
		} else {
			remove_object(b, o);
		}
		return;
	}
	notify(b, BLUEZ_EV_OBJECT, o, NULL, 0);
}

static void signal_removed(struct bluez *b, DBusMessage *m)
{
	DBusMessageIter it, a;
	struct bluez_object *o;
	const char *path, *iface;

	if (!dbus_message_iter_init(m, &it) ||
	    dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_OBJECT_PATH)
		return;
	dbus_message_iter_get_basic(&it, &path);
	o = find(b, path);
	if (!o || !dbus_message_iter_next(&it) ||
	    dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_ARRAY)
		return;
	dbus_message_iter_recurse(&it, &a);
	while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_STRING) {
		dbus_message_iter_get_basic(&a, &iface);
		o->ifaces &= ~bluez_iface_bit(iface);
		dbus_message_iter_next(&a);
	}
	if (!o->ifaces)
		remove_object(b, o);
	else
		notify(b, BLUEZ_EV_OBJECT, o, NULL, 0);
}

static void signal_props(struct bluez *b, DBusMessage *m)
{
	DBusMessageIter it;
	struct bluez_object *o;
	const char *iface;
	unsigned bit, n;

	o = find(b, dbus_message_get_path(m) ?: "");
	if (!o || !dbus_message_iter_init(m, &it) ||
	    dbus_message_iter_get_arg_type(&it) != DBUS_TYPE_STRING)
		return;
	dbus_message_iter_get_basic(&it, &iface);
	bit = bluez_iface_bit(iface);
	if (!(o->ifaces & bit) || !dbus_message_iter_next(&it))
		return;
	b->in_signal = true;
	n = bluez_apply_props(b, o, bit, &it);
	b->in_signal = false;
	if (n)
		notify(b, BLUEZ_EV_OBJECT, o, NULL, 0);
}

static void bus_lost(struct bluez *b)
{
	log_warning("bluez: lost the system bus; reconnecting");
	free(b->owner);
	b->owner = NULL;
	drop_mirror(b, true);
	retry_later(b); /* which tears the connection down */
}

static DBusHandlerResult on_message(DBusConnection *c, DBusMessage *m,
				    void *userdata)
{
	struct bluez *b = userdata;
	const char *sender = dbus_message_get_sender(m);
	const char *name, *old, *new;

	if (dbus_message_is_signal(m, DBUS_INTERFACE_LOCAL, "Disconnected")) {
		bus_lost(b);
		return DBUS_HANDLER_RESULT_HANDLED;
	}
	if (dbus_message_get_type(m) != DBUS_MESSAGE_TYPE_SIGNAL)
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
	if (dbus_message_is_signal(m, DBUS_INTERFACE_DBUS,
				   "NameOwnerChanged")) {
		if (dbus_message_get_args(
			    m, NULL, DBUS_TYPE_STRING, &name, DBUS_TYPE_STRING,
			    &old, DBUS_TYPE_STRING, &new, DBUS_TYPE_INVALID) &&
		    strcmp(name, BLUEZ_SERVICE) == 0)
			owner_changed(b, new);
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
	}
	/* Only bluetoothd's signals, and only once we know it. */
	if (!b->owner || !sender || strcmp(sender, b->owner) != 0)
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
	if (dbus_message_is_signal(m, OM_IFACE, "InterfacesAdded"))
		signal_added(b, m);
	else if (dbus_message_is_signal(m, OM_IFACE, "InterfacesRemoved"))
		signal_removed(b, m);
	else if (dbus_message_is_signal(m, PROPS_IFACE, "PropertiesChanged"))
		signal_props(b, m);
	return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
}

static void disconnect_bus(struct bluez *b)
{
	if (!b->conn)
		return;
	bluez_call_cancel(&b->load);
	dbus_connection_remove_filter(b->conn, on_message, b);
	b->de = dbus_event_detach(b->de);
	dbus_connection_close(b->conn);
	dbus_connection_unref(b->conn);
	b->conn = NULL;
}

/* Where libdbus looks for the system bus, unless the environment says. */
#define SYSTEM_BUS_DEFAULT "unix:path=/var/run/dbus/system_bus_socket"

static void on_hello(DBusMessage *reply, void *userdata)
{
	struct bluez *b = userdata;
	const char *name = BLUEZ_SERVICE, *unique = NULL, *err;
	DBusMessage *m;
	char text[256];
	size_t i;

	err = bluez_error_text(reply, text, sizeof(text));
	if (!err && (!dbus_message_get_args(reply, NULL, DBUS_TYPE_STRING,
					    &unique, DBUS_TYPE_INVALID) ||
		     !dbus_bus_set_unique_name(b->conn, unique)))
		err = "no unique name in the reply";
	if (err) {
		log_warning("bluez: the system bus did not register us: %s; "
			    "retrying",
			    err);
		retry_later(b);
		return;
	}
	/* Without an error argument these do not wait for the bus. */
	for (i = 0; i < ARRAY_SIZE(match_rules); i++)
		dbus_bus_add_match(b->conn, match_rules[i], NULL);
	m = dbus_message_new_method_call(DBUS_SERVICE_DBUS, DBUS_PATH_DBUS,
					 DBUS_INTERFACE_DBUS, "GetNameOwner");
	if (m && dbus_message_append_args(m, DBUS_TYPE_STRING, &name,
					  DBUS_TYPE_INVALID))
		bluez_call(b, m, BLUEZ_LOAD_TIMEOUT, on_name_owner, b, NULL);
	else if (m)
		dbus_message_unref(m);
}

/*
 * The socket is opened here; authentication and Hello run from the loop
 * (dbus_bus_get would wait for them, stalling every other BMS on a slow
 * bus), and the match rules and the first call go out once Hello is
 * answered.
 */
static int connect_bus(struct bluez *b)
{
	const char *addr = getenv("DBUS_SYSTEM_BUS_ADDRESS");
	DBusMessage *m;
	DBusError err;
	int r;

	dbus_error_init(&err);
	b->conn = dbus_connection_open_private(
		addr && *addr ? addr : SYSTEM_BUS_DEFAULT, &err);
	if (!b->conn) {
		if (!b->bus_warned)
			log_warning("bluez: cannot connect to the system bus: "
				    "%s; retrying",
				    err.message);
		b->bus_warned = true;
		dbus_error_free(&err);
		return -ENOTCONN;
	}
	b->bus_warned = false;
	r = dbus_event_attach(b->conn, b->event, &b->de);
	if (r < 0 ||
	    !dbus_connection_add_filter(b->conn, on_message, b, NULL)) {
		disconnect_bus(b);
		return r < 0 ? r : -ENOMEM;
	}
	m = dbus_message_new_method_call(DBUS_SERVICE_DBUS, DBUS_PATH_DBUS,
					 DBUS_INTERFACE_DBUS, "Hello");
	if (!m)
		return -ENOMEM;
	return bluez_call(b, m, BLUEZ_LOAD_TIMEOUT, on_hello, b, &b->load);
}

static int on_retry(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct bluez *b = userdata;

	if (registered(b) && dbus_connection_get_is_connected(b->conn)) {
		/* A failed GetManagedObjects: try again. */
		if (b->owner && !b->ready && !b->load)
			load_objects(b);
		return 0;
	}
	disconnect_bus(b);
	if (connect_bus(b) < 0) {
		disconnect_bus(b);
		sd_event_source_set_time_relative(s, BLUEZ_RETRY_USEC);
		sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	}
	return 0;
}

struct bluez *bluez_ref(struct sd_event *event)
{
	struct bluez *b = shared;

	if (b) {
		b->ref++;
		return b;
	}
	b = xcalloc(1, sizeof(*b));
	b->ref = 1;
	b->event = sd_event_ref(event);
	watchlist_init(&b->watches);
	if (sd_event_add_time_relative(event, &b->retry, CLOCK_MONOTONIC, 0, 0,
				       on_retry, b) < 0) {
		sd_event_unref(b->event);
		free(b);
		return NULL;
	}
	/* Connects from the loop, on the first iteration. */
	sd_event_source_set_enabled(b->retry, SD_EVENT_ONESHOT);
	shared = b;
	return b;
}

void bluez_unref(struct bluez *b)
{
	if (!b || --b->ref > 0)
		return;
	drop_mirror(b, false);
	disconnect_bus(b);
	sd_event_source_disable_unref(b->retry);
	watchlist_clear(&b->watches);
	sd_event_unref(b->event);
	free(b->owner);
	free(b);
	shared = NULL;
}

unsigned bluez_watch_add(struct bluez *b, bluez_watch_func_t func,
			 void *userdata)
{
	return watchlist_add(&b->watches, (watch_func_t)func, userdata, NULL);
}

void bluez_watch_remove(struct bluez *b, unsigned id)
{
	watchlist_remove(&b->watches, id);
}

bool bluez_ready(const struct bluez *b)
{
	return b && b->ready;
}

DBusConnection *bluez_connection(const struct bluez *b)
{
	return b ? b->conn : NULL;
}

const char *bluez_owner(const struct bluez *b)
{
	return b ? b->owner : NULL;
}

const struct bluez_object *bluez_find(const struct bluez *b, const char *path)
{
	return path ? find(b, path) : NULL;
}

const struct bluez_object *bluez_find_device(const struct bluez *b,
					     const char *adapter_path,
					     const char *mac)
{
	const struct bluez_object *o;

	for (o = b->objects; o; o = o->next)
		if ((o->ifaces & BLUEZ_IF_DEVICE) && o->adapter &&
		    strcmp(o->adapter, adapter_path) == 0 &&
		    strcasecmp(o->address, mac) == 0)
			return o;
	return NULL;
}

const struct bluez_object *bluez_next(const struct bluez *b,
				      const struct bluez_object *o)
{
	return o ? o->next : b->objects;
}

bool bluez_path_under(const char *path, const struct bluez_object *o)
{
	size_t n = strlen(path);

	return strncmp(o->path, path, n) == 0 && o->path[n] == '/';
}

DBusMessage *bluez_method(const char *path, const char *iface,
			  const char *method)
{
	DBusMessage *m = dbus_message_new_method_call(BLUEZ_SERVICE, path,
						      iface, method);

	if (!m)
		abort(); /* libdbus is out of memory: so are we */
	return m;
}

static void call_done(DBusPendingCall *pc, void *data)
{
	struct bluez_call *c = data;
	DBusMessage *reply = dbus_pending_call_steal_reply(pc);

	if (c->slot)
		*c->slot = NULL;
	c->slot = NULL;
	if (reply) {
		c->cb(reply, c->userdata);
		dbus_message_unref(reply);
	}
	/* Frees c through free_call once libdbus lets go too. */
	dbus_pending_call_unref(c->pc);
}

static void free_call(void *data)
{
	free(data);
}

int bluez_call(struct bluez *b, DBusMessage *m, int timeout_ms,
	       bluez_reply_func_t cb, void *userdata, struct bluez_call **slot)
{
	DBusPendingCall *pc = NULL;
	struct bluez_call *c;

	if (slot)
		bluez_call_cancel(slot);
	if (!b->conn ||
	    !dbus_connection_send_with_reply(b->conn, m, &pc, timeout_ms) ||
	    !pc) {
		dbus_message_unref(m);
		return -ENOTCONN;
	}
	dbus_message_unref(m);
	c = xcalloc(1, sizeof(*c));
	c->pc = pc;
	c->cb = cb;
	c->userdata = userdata;
	c->slot = slot;
	if (!dbus_pending_call_set_notify(pc, call_done, c, free_call)) {
		dbus_pending_call_cancel(pc);
		dbus_pending_call_unref(pc);
		free(c);
		return -ENOMEM;
	}
	if (slot)
		*slot = c;
	return 0;
}

void bluez_flush(struct bluez *b)
{
	uint64_t end = now_usec() + BLUEZ_FLUSH_USEC;

	/* dbus_connection_flush would wait for a bus that stopped reading */
	if (!registered(b))
		return;
	while (dbus_connection_has_messages_to_send(b->conn) &&
	       now_usec() < end)
		if (!dbus_connection_read_write(b->conn, 50))
			break;
}

void bluez_call_cancel(struct bluez_call **slot)
{
	struct bluez_call *c = *slot;

	if (!c)
		return;
	*slot = NULL;
	c->slot = NULL;
	dbus_pending_call_cancel(c->pc);
	dbus_pending_call_unref(c->pc);
}

const char *bluez_reply_error(DBusMessage *reply, const char **msg)
{
	const char *text = NULL;

	if (msg)
		*msg = NULL;
	if (dbus_message_get_type(reply) != DBUS_MESSAGE_TYPE_ERROR)
		return NULL;
	dbus_message_get_args(reply, NULL, DBUS_TYPE_STRING, &text,
			      DBUS_TYPE_INVALID);
	if (msg)
		*msg = text;
	return dbus_message_get_error_name(reply) ?: "unknown error";
}

const char *bluez_error_text(DBusMessage *reply, char *buf, size_t size)
{
	const char *msg, *name = bluez_reply_error(reply, &msg);

	if (!name)
		return NULL;
	snprintf(buf, size, "%s%s%s", name, msg && *msg ? ": " : "",
		 msg ? msg : "");
	return buf;
}

bool bluez_error_has(DBusMessage *reply, const char *word)
{
	const char *msg, *name = bluez_reply_error(reply, &msg);

	if (!name)
		return false;
	return strcasestr(name, word) || (msg && strcasestr(msg, word));
}

const char *bluez_adapter_path(char *buf, size_t size, const char *adapter)
{
	snprintf(buf, size, "/org/bluez/%s", adapter ? adapter : "hci0");
	return buf;
}
