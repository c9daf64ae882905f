/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl reload: the daemon re-reads its configuration (as on SIGHUP)
 * and restarts only what changed; a bad file is refused with the reasons
 * and the daemon keeps the running configuration.
 */
#include "config.h"

#include <stdio.h>

#include <json-c/json.h>

#include "ctl/ctl.h"

int ctl_reload_run(struct ctl *ctl, int argc, char **argv)
{
	struct json_object *reply, *msg;
	int r;

	if (argc > 1) {
		fprintf(stderr, "Usage: jkbmsctl reload\n");
		return 2;
	}
	r = ctl_call(ctl, ctl_request_new("reload", NULL), &reply);
	if (r)
		return r;
	if (json_object_object_get_ex(reply, "message", &msg))
		printf("%s\n", json_object_get_string(msg));
	json_object_put(reply);
	return 0;
}
