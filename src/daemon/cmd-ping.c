/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Control command "ping": answers with the daemon's version, so a client
 * can tell the daemon is there and which one it is.
 */
#include "config.h"

#include <json-c/json.h>

#include "daemon/control-commands.h"

void control_cmd_ping(struct control_call *call)
{
	struct json_object *reply = json_object_new_object();

	json_object_object_add(reply, "version",
			       json_object_new_string(PACKAGE_VERSION));
	control_call_reply(call, reply);
}
