/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl cells BMS [--json]: one line per cell (voltage, resistance,
 * the lowest and highest marked), then the summary and balancing.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "ctl/ctl.h"

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *text(struct json_object *o, const char *key)
{
	return ctl_value_string(get(o, key), NULL, 0);
}

static void print_cells(struct json_object *reply, FILE *out)
{
	struct json_object *cells = get(reply, "cells");
	struct json_object *volt = get(cells, "cell_voltage");
	struct json_object *res = get(cells, "cell_resistance");
	struct json_object *vmin = get(cells, "cell_min_index");
	struct json_object *vmax = get(cells, "cell_max_index");
	size_t i, n = volt ? json_object_array_length(volt) : 0;

	fprintf(out, "BMS %s: %s, %zu cell%s\n", text(reply, "bms"),
		text(reply, "state"), n, n == 1 ? "" : "s");
	if (!n) {
		fprintf(out, "  (no cell values yet)\n");
		return;
	}
	fprintf(out, "  cell  voltage    resistance\n");
	for (i = 0; i < n; i++) {
		struct json_object *r =
			res && i < json_object_array_length(res)
				? json_object_array_get_idx(res, i)
				: NULL;
		const char *mark = "";

		if (vmin && (size_t)json_object_get_int(vmin) == i + 1)
			mark = "  lowest";
		else if (vmax && (size_t)json_object_get_int(vmax) == i + 1)
			mark = "  highest";
		fprintf(out, "  %4zu  %s V", i + 1,
			ctl_value_string(json_object_array_get_idx(volt, i),
					 NULL, 0));
		if (r)
			fprintf(out, "    %s Ω", ctl_value_string(r, NULL, 0));
		fprintf(out, "%s\n", mark);
	}
	fprintf(out, "  min %s V  max %s V  delta %s V  avg %s V\n",
		text(cells, "cell_voltage_min"),
		text(cells, "cell_voltage_max"),
		text(cells, "cell_voltage_delta"),
		text(cells, "cell_voltage_avg"));
	fprintf(out, "  balancing %s", text(cells, "balancing"));
	if (get(cells, "balance_current"))
		fprintf(out, ", %s A", text(cells, "balance_current"));
	fputc('\n', out);
}

int ctl_cells_run(struct ctl *ctl, int argc, char **argv)
{
	return ctl_bms_command(ctl, argc, argv, "cells", print_cells);
}
