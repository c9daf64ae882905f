/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What most jkbmsctl commands share: sending one request and turning a
 * refusal into "jkbmsctl: <reason>" and exit status 1, the "BMS
 * [--json]" commands (cells, info, settings) run from one function, and
 * the readable "key  value unit" listing of field and setting values.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/fields.h"
#include "jkbms/settings.h"

#include "ctl/ctl.h"

int ctl_call(const struct ctl *ctl, struct json_object *req,
	     struct json_object **ret_reply)
{
	struct json_object *reply = NULL, *ok, *err;
	int r;

	r = ctl_request(ctl, req, &reply);
	json_object_put(req);
	if (r < 0)
		return 1;
	if (!json_object_object_get_ex(reply, "ok", &ok) ||
	    !json_object_get_boolean(ok)) {
		if (!json_object_object_get_ex(reply, "error", &err))
			err = NULL;
		fprintf(stderr, "jkbmsctl: %s\n",
			err ? json_object_get_string(err) : "request failed");
		json_object_put(reply);
		return 1;
	}
	*ret_reply = reply;
	return 0;
}

struct json_object *ctl_request_new(const char *cmd, const char *bms)
{
	struct json_object *req = json_object_new_object();

	json_object_object_add(req, "cmd", json_object_new_string(cmd));
	if (bms)
		json_object_object_add(req, "bms", json_object_new_string(bms));
	return req;
}

void ctl_print_json(struct json_object *o, FILE *out)
{
	fprintf(out, "%s\n",
		json_object_to_json_string_ext(
			o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
				   JSON_C_TO_STRING_NOSLASHESCAPE));
}

int ctl_bms_command(struct ctl *ctl, int argc, char **argv, const char *cmd,
		    void (*print)(struct json_object *reply, FILE *out))
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct json_object *reply;
	bool json = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "jh", options, NULL)) >= 0) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			printf("Usage: jkbmsctl %s BMS [--json]\n", cmd);
			return 0;
		default:
			return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "Usage: jkbmsctl %s BMS [--json]\n", cmd);
		return 2;
	}
	r = ctl_call(ctl, ctl_request_new(cmd, argv[optind]), &reply);
	if (r)
		return r;
	if (json)
		ctl_print_json(reply, stdout);
	else
		print(reply, stdout);
	json_object_put(reply);
	return 0;
}

const char *ctl_value_string(struct json_object *v, char *buf, size_t size)
{
	size_t i, len = 0;

	if (!v)
		return "-";
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	if (!json_object_is_type(v, json_type_array))
		return json_object_to_json_string_ext(v,
						      JSON_C_TO_STRING_PLAIN);
	if (!buf || !size)
		return "[...]";
	buf[0] = '\0';
	for (i = 0; i < json_object_array_length(v) && len < size; i++)
		len += (size_t)snprintf(
			buf + len, size - len, "%s%s", i ? " " : "",
			ctl_value_string(json_object_array_get_idx(v, i), NULL,
					 0));
	return buf;
}

void ctl_print_values(struct json_object *values, bool settings, FILE *out)
{
	char buf[1024];

	if (!values || json_object_object_length(values) == 0) {
		fprintf(out, "  (no values yet)\n");
		return;
	}
	json_object_object_foreach(values, key, val)
	{
		const char *label = NULL, *unit = NULL;
		int id;

		if (settings) {
			id = setting_from_key(key);
			if (id >= 0) {
				label = settings_table[id].label;
				unit = settings_table[id].unit;
			}
		} else {
			id = field_from_key(key);
			if (id >= 0) {
				label = field_table[id].label;
				unit = field_table[id].unit;
			}
		}
		if (!json_object_is_type(val, json_type_double) &&
		    !json_object_is_type(val, json_type_int))
			unit = NULL;
		fprintf(out, "  %-26s %s%s%s", key,
			ctl_value_string(val, buf, sizeof(buf)),
			unit ? " " : "", unit ? unit : "");
		if (label)
			fprintf(out, "  (%s)", label);
		fputc('\n', out);
	}
}
