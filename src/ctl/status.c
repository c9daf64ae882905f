/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jkbmsctl status [BMS] [--json]: asks the daemon and prints its answer. */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "ctl/ctl.h"

int ctl_status_run(struct ctl *ctl, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct json_object *req, *reply = NULL, *ok, *err;
	const char *bms = NULL;
	bool json = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "jh", options, NULL)) >= 0) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			printf("Usage: jkbmsctl status [BMS] [--json]\n");
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc)
		bms = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "jkbmsctl: status: unexpected '%s'\n",
			argv[optind]);
		return 2;
	}

	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string("status"));
	if (bms)
		json_object_object_add(req, "bms", json_object_new_string(bms));
	r = ctl_request(ctl, req, &reply);
	json_object_put(req);
	if (r < 0)
		return 1;

	if (!json_object_object_get_ex(reply, "ok", &ok) ||
	    !json_object_get_boolean(ok)) {
		json_object_object_get_ex(reply, "error", &err);
		fprintf(stderr, "jkbmsctl: %s\n",
			err ? json_object_get_string(err) : "request failed");
		json_object_put(reply);
		return 1;
	}

	if (json)
		printf("%s\n",
		       json_object_to_json_string_ext(
			       reply, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		ctl_status_print(reply, bms != NULL, stdout);
	json_object_put(reply);
	return 0;
}
