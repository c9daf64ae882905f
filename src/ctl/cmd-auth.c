/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl auth BMS [--for 10m] [--password-file F]: opens an
 * authorisation window with the settings password (manual 5.3.3
 * "Authorization Settings"), within which set, switch and preset need no
 * password (--window). --close shuts it; --status shows what is left of
 * it and of a lockout.
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/util.h"

#include "ctl/ctl.h"

static void print_auth(struct json_object *reply, const char *bms)
{
	struct json_object *o;
	int64_t left = 0, locked = 0;
	char t[32];

	if (json_object_object_get_ex(reply, "remaining", &o))
		left = json_object_get_int64(o);
	if (json_object_object_get_ex(reply, "locked", &o))
		locked = json_object_get_int64(o);
	if (left > 0)
		printf("%s: authorisation window open for %s\n", bms,
		       format_duration(t, sizeof(t),
				       (uint64_t)left * USEC_PER_SEC));
	else
		printf("%s: no authorisation window\n", bms);
	if (locked > 0)
		printf("%s: writes locked for %s\n", bms,
		       format_duration(t, sizeof(t),
				       (uint64_t)locked * USEC_PER_SEC));
}

int ctl_auth_run(struct ctl *ctl, int argc, char **argv)
{
	static const char usage[] =
		"auth BMS [--for DURATION] [--password-file F] [--close] "
		"[--status] [--json]";
	static const struct option options[] = {
		{ "for", required_argument, NULL, 'f' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "close", no_argument, NULL, 'c' },
		{ "status", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *file = NULL, *duration = "10m";
	bool close = false, status = false, json = false;
	struct json_object *req, *reply = NULL, *ok, *err;
	char password[CTL_PASSWORD_MAX];
	uint64_t usec;
	int c, r, rc = 1;

	while ((c = getopt_long(argc, argv, "f:p:csjh", options, NULL)) >= 0) {
		switch (c) {
		case 'f':
			duration = optarg;
			break;
		case 'p':
			file = optarg;
			break;
		case 'c':
			close = true;
			break;
		case 's':
			status = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			printf("Usage: jkbmsctl %s\n", usage);
			return 0;
		default:
			fprintf(stderr, "Usage: jkbmsctl %s\n", usage);
			return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "Usage: jkbmsctl %s\n", usage);
		return 2;
	}
	if (parse_duration(duration, &usec) < 0 || !usec) {
		fprintf(stderr, "jkbmsctl: '%s' is not a duration (10m, 1h)\n",
			duration);
		return 2;
	}
	req = ctl_request_new("auth", argv[optind]);
	if (close) {
		json_object_object_add(req, "close",
				       json_object_new_boolean(true));
	} else if (!status) {
		if (ctl_read_password(file, argv[optind], password,
				      sizeof(password)) < 0) {
			json_object_put(req);
			return 1;
		}
		json_object_object_add(req, "password",
				       json_object_new_string(password));
		explicit_bzero(password, sizeof(password));
		json_object_object_add(req, "duration",
				       json_object_new_string(duration));
	}
	r = ctl_request(ctl, req, &reply);
	ctl_request_wipe(req, "password");
	json_object_put(req);
	if (r < 0)
		return 1;
	if (json_object_object_get_ex(reply, "ok", &ok) &&
	    json_object_get_boolean(ok)) {
		if (json)
			ctl_print_json(reply, stdout);
		else
			print_auth(reply, argv[optind]);
		rc = 0;
	} else {
		if (!json_object_object_get_ex(reply, "error", &err))
			err = NULL;
		fprintf(stderr, "jkbmsctl: %s: %s\n", argv[optind],
			err ? json_object_get_string(err) : "request failed");
	}
	json_object_put(reply);
	return rc;
}
