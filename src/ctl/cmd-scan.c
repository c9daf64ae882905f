/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl scan [--adapter hci0] [--for 10s] [--json]: the daemon scans
 * for JK BMSs over Bluetooth LE and lists what it saw: name, MAC, RSSI,
 * manufacturer data, and the [bms] configured with that address.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/util.h"

#include "ctl/ctl.h"

#define SCAN_MAX_USEC (UINT64_C(120) * 1000000)

static void usage(FILE *out)
{
	fprintf(out, "Usage: jkbmsctl scan [--adapter hciN] [--for TIME] "
		     "[--json]\n");
}

static const char *member(struct json_object *o, const char *key,
			  const char *def)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return def;
	return json_object_get_string(v);
}

static void print_devices(struct json_object *reply)
{
	struct json_object *list;
	size_t i, n;

	if (!json_object_object_get_ex(reply, "devices", &list) ||
	    !json_object_is_type(list, json_type_array))
		return;
	n = json_object_array_length(list);
	if (n == 0) {
		printf("No JK BMS seen on %s.\n",
		       member(reply, "adapter", "?"));
		return;
	}
	printf("%-17s  %4s  %-20s  %-12s  %s\n", "ADDRESS", "RSSI", "NAME",
	       "BMS", "MANUFACTURER DATA");
	for (i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(list, i);
		char mfr[96] = "-";
		struct json_object *id;

		if (json_object_object_get_ex(d, "manufacturer_id", &id) && id)
			snprintf(mfr, sizeof(mfr), "0x%04X %s",
				 (unsigned)json_object_get_int(id),
				 member(d, "manufacturer_data", ""));
		printf("%-17s  %4s  %-20s  %-12s  %s\n",
		       member(d, "address", "?"), member(d, "rssi", "-"),
		       member(d, "name", "-"), member(d, "bms", "-"), mfr);
	}
}

int ctl_scan_run(struct ctl *ctl, int argc, char **argv)
{
	static const struct option options[] = {
		{ "adapter", required_argument, NULL, 'a' },
		{ "for", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *adapter = "hci0", *dur = "10s";
	struct json_object *req, *reply;
	uint64_t usec;
	bool json = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "a:f:jh", options, NULL)) >= 0) {
		switch (c) {
		case 'a':
			adapter = optarg;
			break;
		case 'f':
			dur = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (parse_duration(dur, &usec) < 0 || usec == 0 ||
	    usec > SCAN_MAX_USEC) {
		fprintf(stderr, "jkbmsctl: bad --for '%s' (1s ... 2m)\n", dur);
		return 2;
	}
	req = ctl_request_new("scan", NULL);
	json_object_object_add(req, "adapter", json_object_new_string(adapter));
	json_object_object_add(req, "duration", json_object_new_string(dur));
	/* The answer comes after the scan. */
	ctl->reply_timeout_ms = (int)(usec / 1000) + 10000;
	r = ctl_call(ctl, req, &reply);
	if (r)
		return r;
	if (json)
		ctl_print_json(reply, stdout);
	else
		print_devices(reply);
	json_object_put(reply);
	return 0;
}
