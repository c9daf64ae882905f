/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Control command "reload": the same reload as SIGHUP (main.c hands its
 * function over at start). A bad configuration keeps the running one and
 * the reply says why; a good one answers with what changed. Only a privileged client may ask; every request is
 * logged with the client's credentials.
 */
#include "config.h"

#include <errno.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "jkbms/log.h"

#include "daemon/control-commands.h"

static control_reload_func_t reload_func;
static void *reload_userdata;

void control_reload_set(control_reload_func_t func, void *userdata)
{
	reload_func = func;
	reload_userdata = userdata;
}

void control_cmd_reload(struct control_call *call)
{
	unsigned uid = (unsigned)control_call_uid(call);
	int pid = (int)control_call_pid(call);
	struct json_object *reply;
	char err[512];
	int r;

	if (!control_call_privileged(call)) {
		log_warning("reload refused: uid %u (pid %d) is neither root "
			    "nor in the control socket's group",
			    uid, pid);
		control_call_error(call, "permission denied: reload needs root "
					 "or the group of the control socket");
		return;
	}
	if (!reload_func) {
		control_call_error(call, "reload is not available");
		return;
	}
	log_notice("reload requested over the control socket by uid %u "
		   "(pid %d)",
		   uid, pid);
	err[0] = '\0';
	r = reload_func(reload_userdata, err, sizeof(err));
	if (r < 0) {
		control_call_error(call, "%s", err[0] ? err : "reload failed");
		return;
	}
	reply = json_object_new_object();
	if (err[0])
		json_object_object_add(reply, "message",
				       json_object_new_string(err));
	control_call_reply(call, reply);
}
