/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pairing agent (org.bluez.Agent1): answers BlueZ's PIN and passkey
 * requests with the configured PIN of the BMS being paired. Registered
 * only once a link needs it (pair = yes, or BlueZ refused access for
 * lack of pairing), again after bluetoothd restarts. Only bluetoothd may
 * ask: a request from any other bus peer is refused, so the PIN cannot be
 * read off the bus.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/log.h"
#include "jkbms/util.h"

#include "transport/ble-private.h"

#define AGENT_PATH  "/org/jkbmsd/agent"
#define AGENT_IFACE "org.bluez.Agent1"
#define AGENT_CAPS  "KeyboardOnly"

static struct {
	struct bluez *bluez;
	unsigned watch;
	bool registered;
} agent;

static DBusMessage *reject(DBusMessage *m, const char *why)
{
	return dbus_message_new_error(m, "org.bluez.Error.Rejected", why);
}

static DBusMessage *answer(DBusMessage *m)
{
	const char *member = dbus_message_get_member(m);
	const char *dev = NULL, *pin;
	dbus_uint32_t passkey;
	DBusMessage *r;
	char *end;

	dbus_message_get_args(m, NULL, DBUS_TYPE_OBJECT_PATH, &dev,
			      DBUS_TYPE_INVALID);
	pin = dev ? ble_pin_for_device(dev) : NULL;
	if (strcmp(member, "RequestPinCode") == 0) {
		if (!pin)
			return reject(m, "no pin configured for this device");
		log_info("ble: agent: answering the PIN request of %s", dev);
		r = dbus_message_new_method_return(m);
		dbus_message_append_args(r, DBUS_TYPE_STRING, &pin,
					 DBUS_TYPE_INVALID);
		return r;
	}
	if (strcmp(member, "RequestPasskey") == 0) {
		if (!pin)
			return reject(m, "no pin configured for this device");
		errno = 0;
		passkey = (dbus_uint32_t)strtoul(pin, &end, 10);
		if (errno || *end || !*pin || passkey > 999999)
			return reject(m, "the pin is not a passkey");
		log_info("ble: agent: answering the passkey request of %s",
			 dev);
		r = dbus_message_new_method_return(m);
		dbus_message_append_args(r, DBUS_TYPE_UINT32, &passkey,
					 DBUS_TYPE_INVALID);
		return r;
	}
	if (strcmp(member, "RequestConfirmation") == 0 ||
	    strcmp(member, "RequestAuthorization") == 0 ||
	    strcmp(member, "AuthorizeService") == 0) {
		if (!dev || !ble_device_is_ours(dev))
			return reject(m, "not a configured BMS");
		return dbus_message_new_method_return(m);
	}
	if (strcmp(member, "Release") == 0) {
		agent.registered = false;
		return dbus_message_new_method_return(m);
	}
	/* Cancel, DisplayPasskey, DisplayPinCode. */
	return dbus_message_new_method_return(m);
}

static DBusHandlerResult on_message(DBusConnection *c, DBusMessage *m,
				    void *userdata)
{
	const char *owner = bluez_owner(agent.bluez);
	const char *sender = dbus_message_get_sender(m);
	DBusMessage *r;

	if (dbus_message_get_type(m) != DBUS_MESSAGE_TYPE_METHOD_CALL ||
	    !dbus_message_has_interface(m, AGENT_IFACE))
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
	if (!owner || !sender || strcmp(owner, sender) != 0)
		r = dbus_message_new_error(m, DBUS_ERROR_ACCESS_DENIED,
					   "only bluetoothd may ask");
	else
		r = answer(m);
	if (r) {
		if (!dbus_message_get_no_reply(m))
			dbus_connection_send(c, r, NULL);
		dbus_message_unref(r);
	}
	return DBUS_HANDLER_RESULT_HANDLED;
}

static const DBusObjectPathVTable vtable = {
	.message_function = on_message,
};

static void on_register(DBusMessage *reply, void *userdata)
{
	char text[256];
	const char *err = bluez_error_text(reply, text, sizeof(text));

	if (err && !bluez_error_has(reply, "AlreadyExists")) {
		log_warning("ble: cannot register the pairing agent: %s", err);
		return;
	}
	agent.registered = true;
	log_info("ble: pairing agent registered");
}

static void register_agent(void)
{
	DBusConnection *conn = bluez_connection(agent.bluez);
	const char *path = AGENT_PATH, *caps = AGENT_CAPS;
	void *data = NULL;
	DBusMessage *m;

	if (!conn || !bluez_ready(agent.bluez))
		return;
	/* Exported once per bus connection (a new one after a bus loss). */
	if ((!dbus_connection_get_object_path_data(conn, AGENT_PATH, &data) ||
	     data != &agent) &&
	    !dbus_connection_try_register_object_path(conn, AGENT_PATH, &vtable,
						      &agent, NULL)) {
		log_warning("ble: cannot export the pairing agent");
		return;
	}
	m = bluez_method("/org/bluez", "org.bluez.AgentManager1",
			 "RegisterAgent");
	dbus_message_append_args(m, DBUS_TYPE_OBJECT_PATH, &path,
				 DBUS_TYPE_STRING, &caps, DBUS_TYPE_INVALID);
	bluez_call(agent.bluez, m, 10000, on_register, NULL, NULL);
}

static void on_bluez(struct bluez *b, enum bluez_event ev,
		     const struct bluez_object *o, const uint8_t *value,
		     size_t len, void *userdata)
{
	if (ev == BLUEZ_EV_READY)
		register_agent();
	else if (ev == BLUEZ_EV_GONE)
		agent.registered = false;
}

void ble_agent_want(struct sd_event *event)
{
	if (agent.bluez) {
		if (!agent.registered)
			register_agent();
		return;
	}
	/* Kept for the life of the process: BlueZ may ask at any time. */
	agent.bluez = bluez_ref(event);
	if (!agent.bluez)
		return;
	agent.watch = bluez_watch_add(agent.bluez, on_bluez, NULL);
	register_agent();
}
