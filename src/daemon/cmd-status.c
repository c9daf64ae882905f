/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Control command "status": the status document (status-json.c) of every
 * bank and BMS, or of the one BMS named by "bms".
 */
#include "config.h"

#include <stddef.h>

#include "daemon/control-commands.h"
#include "daemon/status-json.h"

void control_cmd_status(struct control_call *call)
{
	struct json_object *reply;
	char err[128];

	reply = status_json(control_call_manager(call),
			    control_call_string(call, "bms"), err, sizeof(err));
	if (!reply) {
		control_call_error(call, "%s", err);
		return;
	}
	control_call_reply(call, reply);
}
