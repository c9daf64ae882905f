/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl release BMS [--for 10m]: the daemon disconnects the BMS and
 * keeps away for that long so that the phone app can connect (a JK BMS
 * accepts one Bluetooth central). --for 0 ends a release early.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include <json-c/json.h>

#include "jkbms/util.h"

#include "ctl/ctl.h"

static void usage(FILE *out)
{
	fprintf(out, "Usage: jkbmsctl release BMS [--for TIME]\n");
}

int ctl_release_run(struct ctl *ctl, int argc, char **argv)
{
	static const struct option options[] = {
		{ "for", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct json_object *req, *reply, *v;
	const char *dur = "10m";
	uint64_t usec;
	int c, r;

	while ((c = getopt_long(argc, argv, "f:h", options, NULL)) >= 0) {
		switch (c) {
		case 'f':
			dur = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (parse_duration(dur, &usec) < 0) {
		fprintf(stderr, "jkbmsctl: bad --for '%s'\n", dur);
		return 2;
	}
	req = ctl_request_new("release", argv[optind]);
	json_object_object_add(req, "duration", json_object_new_string(dur));
	r = ctl_call(ctl, req, &reply);
	if (r)
		return r;
	if (usec == 0)
		printf("%s: release ended; reconnecting\n", argv[optind]);
	else if (json_object_object_get_ex(reply, "released_for", &v))
		printf("%s: released for %s\n", argv[optind],
		       json_object_get_string(v));
	json_object_put(reply);
	return 0;
}
