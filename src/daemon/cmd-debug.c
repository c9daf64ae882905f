/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Control command "debug": {"category": "ble,mqtt", "on": true|false}
 * turns debug categories on or off at run time (as -d and SIGUSR2 do);
 * without "category" it only reports the categories on. Changing needs a
 * privileged client and is logged with its credentials.
 */
#include "config.h"

#include <json-c/json.h>

#include "jkbms/log.h"

#include "daemon/control-commands.h"

static void reply_current(struct control_call *call)
{
	struct json_object *reply = json_object_new_object();
	char buf[256];

	log_format_categories(log_get_debug(), buf, sizeof(buf));
	json_object_object_add(reply, "debug", json_object_new_string(buf));
	control_call_reply(call, reply);
}

void control_cmd_debug(struct control_call *call)
{
	const char *cats = control_call_string(call, "category");
	struct json_object *on;
	unsigned mask, uid = (unsigned)control_call_uid(call);
	int pid = (int)control_call_pid(call);

	if (!cats) {
		reply_current(call);
		return;
	}
	if (!json_object_object_get_ex(control_call_args(call), "on", &on) ||
	    !json_object_is_type(on, json_type_boolean)) {
		control_call_error(call, "\"on\" must be true or false");
		return;
	}
	if (log_parse_categories(cats, &mask) < 0 || !mask) {
		control_call_error(call,
				   "unknown debug category in '%.64s' (known: "
				   "device, frame, ble, serial, modbus, can, "
				   "mqtt, history, control, sim, config, all)",
				   cats);
		return;
	}
	if (!control_call_privileged(call)) {
		log_warning("debug change refused: uid %u (pid %d) is neither "
			    "root nor in the control socket's group",
			    uid, pid);
		control_call_error(call, "permission denied: debug needs root "
					 "or the group of the control socket");
		return;
	}
	if (json_object_get_boolean(on))
		log_set_debug(log_get_debug() | mask);
	else
		log_set_debug(log_get_debug() & ~mask);
	log_notice("debug '%s' %s by uid %u (pid %d)", cats,
		   json_object_get_boolean(on) ? "on" : "off", uid, pid);
	reply_current(call);
}
