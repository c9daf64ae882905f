/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jkbmsctl info BMS [--json]: the device information of one BMS. */
#include "config.h"

#include <stdio.h>

#include <json-c/json.h>

#include "ctl/ctl.h"

static void print_info(struct json_object *reply, FILE *out)
{
	struct json_object *v;

	fprintf(out, "BMS %s: %s",
		json_object_get_string(json_object_object_get(reply, "bms")),
		json_object_get_string(json_object_object_get(reply, "state")));
	if (json_object_object_get_ex(reply, "transport", &v))
		fprintf(out, " (%s)", json_object_get_string(v));
	fputc('\n', out);
	ctl_print_values(json_object_object_get(reply, "info"), false, out);
}

int ctl_info_run(struct ctl *ctl, int argc, char **argv)
{
	return ctl_bms_command(ctl, argc, argv, "info", print_info);
}
