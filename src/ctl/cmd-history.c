/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl history BMS [--since T] [--until T] [--fields LIST]
 * [--every D] [--csv|--json] [--db PATH] [-c FILE]: the samples of a BMS
 * from the history database, read directly (read-only, so it works while
 * the daemon writes). Columns and names come from the field table, numbers
 * with exactly the table's decimals; CSV has one column per cell.
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "jkbms/conf.h"
#include "jkbms/fields.h"
#include "jkbms/util.h"

#include "ctl/ctl.h"
#include "sink/history.h"
#include "util/values-json.h"

int ctl_history_db(const char *db, const char *conf, sqlite3 **ret)
{
	_cleanup_free_ char *path =
		db ? xstrdup(db)
		   : history_conf_path(conf ? conf : CONF_DEFAULT_PATH);
	char err[256];

	if (history_reader_open(path, ret, err, sizeof(err)) < 0) {
		fprintf(stderr, "jkbmsctl: %s\n", err);
		return -1;
	}
	return 0;
}

int ctl_history_range(const char *since, const char *until,
		      const char *default_since, int64_t *ret_since,
		      int64_t *ret_until)
{
	uint64_t now = now_realtime_usec();

	if (!since)
		since = default_since;
	if (history_parse_time(since, now, ret_since) < 0) {
		fprintf(stderr,
			"jkbmsctl: bad time '%s' (24h, now, @UNIX, "
			"YYYY-MM-DD[ HH:MM[:SS]])\n",
			since);
		return -1;
	}
	if (!until) {
		*ret_until = INT64_MAX;
		return 0;
	}
	if (history_parse_time(until, now, ret_until) < 0) {
		fprintf(stderr, "jkbmsctl: bad time '%s'\n", until);
		return -1;
	}
	return 0;
}

struct out {
	bool json, first;
	bool want[FIELD__MAX];
	enum field_id order[FIELD__MAX]; /* the wanted ones, as listed */
	size_t norder;
	unsigned cells;			 /* CSV cell columns */
};

/* want: another field, once, at the end of the order */
static void want(struct out *o, enum field_id id)
{
	if (o->want[id])
		return;
	o->want[id] = true;
	o->order[o->norder++] = id;
}

static void csv_value(const struct field_values *v, enum field_id id, FILE *f)
{
	const struct field_desc *d = &field_table[id];
	char buf[64];
	int64_t x = v->num[id];

	if (!field_has(v, id))
		return;
	switch (d->type) {
	case FIELD_TYPE_BOOL:
		fputs(x ? "true" : "false", f);
		return;
	case FIELD_TYPE_ENUM: {
		size_t n = 0;

		while (d->enum_names && d->enum_names[n])
			n++;
		if (x >= 0 && (size_t)x < n) {
			fputs(d->enum_names[x], f);
			return;
		}
		break;
	}
	case FIELD_TYPE_NUM:
	case FIELD_TYPE_TEXT:
	case FIELD_TYPE_CELLS:
	case FIELD_TYPE_ALARMS:
		break;
	}
	if (json_number_format(x, d->decimals, buf, sizeof(buf)) >= 0)
		fputs(buf, f);
}

static int count_cells(const struct history_sample *s, void *userdata)
{
	struct out *o = userdata;

	if (field_has(&s->v, FIELD_CELL_VOLTAGE) && s->v.ncells > o->cells)
		o->cells = s->v.ncells;
	return 0;
}

static void csv_header(const struct out *o)
{
	unsigned i;
	size_t k;

	fputs("time,bms", stdout);
	for (k = 0; k < o->norder; k++) {
		if (o->order[k] != FIELD_CELL_VOLTAGE) {
			printf(",%s", field_table[o->order[k]].key);
			continue;
		}
		for (i = 0; i < o->cells; i++)
			printf(",cell_voltage_%u", i + 1);
	}
	putchar('\n');
}

static int print_sample(const struct history_sample *s, void *userdata)
{
	struct out *o = userdata;
	struct field_values v = s->v;
	struct json_object *val;
	char t[40], buf[32];
	unsigned i;
	size_t k;

	history_format_time(s->t_ms, t, sizeof(t));
	for (i = 0; i < FIELD__MAX; i++)
		if (!o->want[i])
			bits_clear(&v.set, i);
	if (o->json) {
		struct json_object *row = json_object_new_object();
		struct json_object *vals = values_to_json(&v, F_HISTORY);

		json_object_object_add(row, "time", json_object_new_string(t));
		json_object_object_add(row, "bms",
				       json_object_new_string(s->bms));
		for (k = 0; k < o->norder; k++)
			if (json_object_object_get_ex(
				    vals, field_table[o->order[k]].key, &val))
				json_object_object_add(
					row, field_table[o->order[k]].key,
					json_object_get(val));
		printf("%s%s", o->first ? "[\n" : ",\n",
		       json_object_to_json_string_ext(
			       row, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(vals);
		json_object_put(row);
		o->first = false;
		return 0;
	}
	printf("%s,%s", t, s->bms);
	for (k = 0; k < o->norder; k++) {
		if (o->order[k] != FIELD_CELL_VOLTAGE) {
			putchar(',');
			csv_value(&v, o->order[k], stdout);
			continue;
		}
		for (i = 0; i < o->cells; i++) {
			putchar(',');
			if (field_has(&v, FIELD_CELL_VOLTAGE) &&
			    i < v.ncells &&
			    json_number_format(v.cell_voltage[i], 3, buf,
					       sizeof(buf)) >= 0)
				fputs(buf, stdout);
		}
	}
	putchar('\n');
	return 0;
}

static bool history_field(unsigned i)
{
	return (field_table[i].flags & F_HISTORY) &&
	       field_table[i].type != FIELD_TYPE_ALARMS &&
	       field_table[i].type != FIELD_TYPE_TEXT;
}

static int parse_fields(const char *list, struct out *o)
{
	_cleanup_free_ char *copy = xstrdup(list);
	char *tok, *save = NULL;
	unsigned i;

	memset(o->want, 0, sizeof(o->want));
	o->norder = 0;
	for (tok = strtok_r(copy, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		int id = field_from_key(tok);

		if (id < 0 || !history_field((unsigned)id)) {
			fprintf(stderr,
				"jkbmsctl: history: '%s' is not a history "
				"field; these are:",
				tok);
			for (i = 0; i < FIELD__MAX; i++)
				if (history_field(i))
					fprintf(stderr, " %s",
						field_table[i].key);
			fputc('\n', stderr);
			return -1;
		}
		want(o, (enum field_id)id);
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: jkbmsctl history BMS [--since T] [--until T] "
		   "[--fields LIST] [--every D]\n"
		   "                        [--csv|--json] [--db PATH] "
		   "[-c FILE]\n\n"
		   "Samples of BMS from the history database (default: the "
		   "last 24h, raw).\n"
		   "  T: 24h (ago), now, @UNIX, YYYY-MM-DD[ HH:MM[:SS]] (local "
		   "time)\n"
		   "  --every D  averages over D (1m, 15m, 1h ...); counters "
		   "last, alarm bits ORed\n"
		   "  --db PATH  the database (default: [history] path of the "
		   "config, -c FILE)\n");
}

int ctl_history_run(struct ctl *ctl, int argc, char **argv)
{
	static const struct option options[] = {
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "fields", required_argument, NULL, 'f' },
		{ "every", required_argument, NULL, 'e' },
		{ "csv", no_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'j' },
		{ "db", required_argument, NULL, 'D' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *since = NULL, *until = NULL, *db = NULL, *conf = NULL;
	const char *fields = NULL;
	struct history_query q = { 0 };
	struct out o = { .first = true };
	uint64_t every = 0;
	sqlite3 *sdb;
	unsigned i;
	int c, r;

	while ((c = getopt_long(argc, argv, "c:h", options, NULL)) >= 0) {
		switch (c) {
		case 'S':
			since = optarg;
			break;
		case 'U':
			until = optarg;
			break;
		case 'f':
			fields = optarg;
			break;
		case 'e':
			if (parse_duration(optarg, &every) < 0 ||
			    every < USEC_PER_SEC) {
				fprintf(stderr,
					"jkbmsctl: history: bad --every '%s' "
					"(at least 1s)\n",
					optarg);
				return 2;
			}
			break;
		case 'C':
			o.json = false;
			break;
		case 'j':
			o.json = true;
			break;
		case 'D':
			db = optarg;
			break;
		case 'c':
			conf = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	q.bms = argv[optind];
	for (i = 0; i < FIELD__MAX; i++)
		if (history_field(i))
			want(&o, (enum field_id)i);
	if (fields && parse_fields(fields, &o) < 0)
		return 2;
	if (ctl_history_range(since, until, "24h", &q.since_ms, &q.until_ms) <
	    0)
		return 2;
	q.every_ms = (int64_t)(every / USEC_PER_MSEC);
	if (ctl_history_db(db, conf, &sdb) < 0)
		return 1;
	if (!history_has_bms(sdb, q.bms)) {
		fprintf(stderr, "jkbmsctl: no history of BMS '%s' in %s\n",
			q.bms, sqlite3_db_filename(sdb, "main"));
		sqlite3_close(sdb);
		return 1;
	}
	r = 0;
	if (!o.json) {
		if (o.want[FIELD_CELL_VOLTAGE])
			r = history_read_samples(sdb, &q, count_cells, &o);
		if (r >= 0)
			csv_header(&o);
	}
	if (r >= 0)
		r = history_read_samples(sdb, &q, print_sample, &o);
	if (o.json)
		fputs(o.first ? "[]\n" : "\n]\n", stdout);
	if (r < 0)
		fprintf(stderr, "jkbmsctl: history: cannot read %s: %s\n",
			sqlite3_db_filename(sdb, "main"), sqlite3_errmsg(sdb));
	sqlite3_close(sdb);
	return r < 0 ? 1 : 0;
}
