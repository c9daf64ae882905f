/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The readable form of a status reply: banks, one line per BMS, link
 * health, and for a single BMS every value. It reads the reply by DESIGN's
 * key names only, so jkbmsctl and jkbmsd --demo print the same tables.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "ctl/ctl.h"

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static bool get_num(struct json_object *o, const char *key, double *ret)
{
	struct json_object *v = get(o, key);

	if (!v || !(json_object_is_type(v, json_type_double) ||
		    json_object_is_type(v, json_type_int)))
		return false;
	*ret = json_object_get_double(v);
	return true;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	if (!v || json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

/* "%.*f unit" or "-" when the value is missing. */
static const char *fmt_num(char *buf, size_t size, struct json_object *o,
			   const char *key, int prec, const char *unit)
{
	double d;

	if (!get_num(o, key, &d))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.*f%s%s", prec, d, unit ? " " : "",
			 unit ? unit : "");
	return buf;
}

static void fmt_temps(char *buf, size_t size, struct json_object *live)
{
	static const char *const keys[] = {
		"temperature_mos", "temperature_1", "temperature_2",
		"temperature_3",   "temperature_4", "temperature_5",
	};
	size_t i, len = 0;
	double d;

	buf[0] = '\0';
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!get_num(live, keys[i], &d))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%.1f",
					len ? "/" : "", d);
		if (len >= size)
			break;
	}
	if (!buf[0])
		snprintf(buf, size, "-");
}

static void fmt_alarms(char *buf, size_t size, struct json_object *live)
{
	struct json_object *a = get(live, "alarms");
	size_t i, n, len = 0;

	buf[0] = '\0';
	n = a && json_object_is_type(a, json_type_array)
		    ? json_object_array_length(a)
		    : 0;
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(
			buf + len, size - len, "%s%s", i ? "," : "",
			json_object_get_string(
				json_object_array_get_idx(a, i)));
	if (!buf[0])
		snprintf(buf, size, "-");
}

/* "3.265(4)": a cell voltage with its 1-based index. */
static void fmt_cell(char *buf, size_t size, struct json_object *live,
		     const char *vkey, const char *ikey)
{
	double v, i;

	if (!get_num(live, vkey, &v))
		snprintf(buf, size, "-");
	else if (get_num(live, ikey, &i))
		snprintf(buf, size, "%.3f(#%.0f)", v, i);
	else
		snprintf(buf, size, "%.3f", v);
}

static void print_banks(struct json_object *banks, FILE *out)
{
	char soc[16], volt[16], cur[16], pow[16], dmin[24], dmax[24], delta[16];

	if (!banks || json_object_object_length(banks) == 0)
		return;
	fprintf(out,
		"%-12s %-8s %-7s %6s %10s %10s %9s "
		"%-12s %-12s %7s  %s\n",
		"BANK", "TOPOLOGY", "ONLINE", "SOC", "VOLTAGE", "CURRENT",
		"POWER", "CELL MIN", "CELL MAX", "DELTA", "MEMBERS");
	json_object_object_foreach(banks, name, bank) {
		struct json_object *live = get(bank, "live");
		struct json_object *mem = get(bank, "members");
		char online[16], members[256];
		size_t i, n, len = 0;
		double on = 0, cnt = 0;

		n = mem && json_object_is_type(mem, json_type_array)
			    ? json_object_array_length(mem)
			    : 0;
		members[0] = '\0';
		for (i = 0; i < n && len < sizeof(members); i++)
			len += (size_t)snprintf(
				members + len, sizeof(members) - len, "%s%s",
				i ? "," : "",
				json_object_get_string(
					json_object_array_get_idx(mem, i)));
		get_num(bank, "members_online", &on);
		cnt = (double)n;
		snprintf(online, sizeof(online), "%.0f/%.0f", on, cnt);
		fmt_cell(dmin, sizeof(dmin), live, "cell_voltage_min",
			 "cell_min_index");
		fmt_cell(dmax, sizeof(dmax), live, "cell_voltage_max",
			 "cell_max_index");
		fprintf(out,
			"%-12s %-8s %-7s %6s %10s %10s %9s "
			"%-12s %-12s %7s  %s\n",
			name, get_str(bank, "topology") ?: "-", online,
			fmt_num(soc, sizeof(soc), live, "soc", 0, "%"),
			fmt_num(volt, sizeof(volt), live, "voltage", 2, "V"),
			fmt_num(cur, sizeof(cur), live, "current", 2, "A"),
			fmt_num(pow, sizeof(pow), live, "power", 0, "W"), dmin,
			dmax,
			fmt_num(delta, sizeof(delta), live,
				"cell_voltage_delta", 3, NULL),
			members);
	}
	fprintf(out, "\n");
}

static void print_bms_table(struct json_object *bmss, FILE *out)
{
	fprintf(out,
		"%-12s %-11s %6s %10s %10s %9s %5s "
		"%-12s %-12s %7s %-11s %-22s %s\n",
		"BMS", "STATE", "SOC", "VOLTAGE", "CURRENT", "POWER", "CELLS",
		"CELL MIN", "CELL MAX", "DELTA", "BALANCING", "TEMP MOS/T1..",
		"ALARMS");
	json_object_object_foreach(bmss, name, b) {
		struct json_object *live = get(b, "live");
		char soc[16], volt[16], cur[16], pow[16], cells[16], dmin[24],
			dmax[24], delta[16], temps[64], alarms[256];

		fmt_cell(dmin, sizeof(dmin), live, "cell_voltage_min",
			 "cell_min_index");
		fmt_cell(dmax, sizeof(dmax), live, "cell_voltage_max",
			 "cell_max_index");
		fmt_temps(temps, sizeof(temps), live);
		fmt_alarms(alarms, sizeof(alarms), live);
		fprintf(out,
			"%-12s %-11s %6s %10s %10s %9s %5s "
			"%-12s %-12s %7s %-11s %-22s %s\n",
			name, get_str(b, "state") ?: "-",
			fmt_num(soc, sizeof(soc), live, "soc", 0, "%"),
			fmt_num(volt, sizeof(volt), live, "voltage", 2, "V"),
			fmt_num(cur, sizeof(cur), live, "current", 2, "A"),
			fmt_num(pow, sizeof(pow), live, "power", 0, "W"),
			fmt_num(cells, sizeof(cells), live, "cell_count", 0,
				NULL),
			dmin, dmax,
			fmt_num(delta, sizeof(delta), live,
				"cell_voltage_delta", 3, NULL),
			get_str(live, "balancing") ?: "-", temps, alarms);
	}
	fprintf(out, "\n");
}

static void print_link_table(struct json_object *bmss, FILE *out)
{
	fprintf(out, "%-12s %-10s %-18s %-9s %12s %10s %10s %12s %8s\n",
		"BMS", "TRANSPORT", "VARIANT", "SINCE", "FRAMES GOOD", "BAD",
		"RECONNECTS", "LAST FRAME", "RSSI");
	json_object_object_foreach(bmss, name, b) {
		struct json_object *link = get(b, "link");
		struct json_object *info = get(b, "info");
		char good[24], bad[24], rec[24], age[24], since[24], rssi[24];

		fprintf(out, "%-12s %-10s %-18s %-9s %12s %10s %10s %12s %8s\n",
			name, get_str(b, "transport") ?: "-",
			get_str(info, "variant") ?: "-",
			fmt_num(since, sizeof(since), link, "state_age_s", 0,
				"s"),
			fmt_num(good, sizeof(good), link, "frames_good", 0,
				NULL),
			fmt_num(bad, sizeof(bad), link, "frames_bad", 0, NULL),
			fmt_num(rec, sizeof(rec), link, "reconnects", 0, NULL),
			fmt_num(age, sizeof(age), link, "last_frame_age_s", 1,
				"s ago"),
			fmt_num(rssi, sizeof(rssi), link, "rssi", 0, "dBm"));
	}
}

static void print_object(const char *title, struct json_object *o, FILE *out)
{
	if (!o || json_object_object_length(o) == 0)
		return;
	fprintf(out, "%s:\n", title);
	json_object_object_foreach(o, key, v) {
		fprintf(out, "  %-24s %s\n", key,
			json_object_to_json_string_ext(
				v, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE));
	}
}

static void print_one(const char *name, struct json_object *b, FILE *out)
{
	const char *reason = get_str(b, "reason");

	fprintf(out, "BMS %s: %s", name, get_str(b, "state") ?: "-");
	if (reason)
		fprintf(out, " (%s)", reason);
	fprintf(out, "\n");
	print_object("link", get(b, "link"), out);
	print_object("info", get(b, "info"), out);
	print_object("live", get(b, "live"), out);
	print_object("settings", get(b, "settings"), out);
}

void ctl_status_print(struct json_object *reply, bool detail, FILE *out)
{
	struct json_object *bmss = get(reply, "bms");

	if (!bmss)
		return;
	if (detail) {
		json_object_object_foreach(bmss, name, b)
			print_one(name, b, out);
		return;
	}
	print_banks(get(reply, "banks"), out);
	print_bms_table(bmss, out);
	print_link_table(bmss, out);
}
