/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl debug [CATEGORY on|off]: turns debug categories of the
 * daemon's log on or off (CATEGORY: device, frame, ble, ... or all, or a
 * comma-separated list); without arguments shows those on.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "ctl/ctl.h"

int ctl_debug_run(struct ctl *ctl, int argc, char **argv)
{
	struct json_object *req, *reply, *cur;
	const char *debug;
	int r;

	req = ctl_request_new("debug", NULL);
	if (argc == 3 &&
	    (strcmp(argv[2], "on") == 0 || strcmp(argv[2], "off") == 0)) {
		json_object_object_add(req, "category",
				       json_object_new_string(argv[1]));
		json_object_object_add(
			req, "on",
			json_object_new_boolean(strcmp(argv[2], "on") == 0));
	} else if (argc != 1) {
		json_object_put(req);
		fprintf(stderr, "Usage: jkbmsctl debug [CATEGORY on|off]\n");
		return 2;
	}
	r = ctl_call(ctl, req, &reply);
	if (r)
		return r;
	if (!json_object_object_get_ex(reply, "debug", &cur))
		cur = NULL;
	debug = cur ? json_object_get_string(cur) : "";
	printf("debug: %s\n", *debug ? debug : "off");
	json_object_put(reply);
	return 0;
}
