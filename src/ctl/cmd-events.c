/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl events [BMS] [--since T] [--until T] [--json] [--db PATH]
 * [-c FILE]: alarms raised and cleared, links up and down, password
 * failures and every settings write (the audit), in time order, from the
 * history database read directly.
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "ctl/ctl.h"
#include "sink/history.h"

#define EVENTS_SQL                                                           \
	"SELECT e.t, b.name, e.kind, e.name, e.message, NULL, NULL, NULL, "  \
	"NULL, NULL FROM events e LEFT JOIN bms b ON b.id = e.bms_id "       \
	"WHERE e.t >= ?1 AND e.t < ?2 AND (?3 IS NULL OR b.name = ?3) "      \
	"UNION ALL "                                                         \
	"SELECT a.t, b.name, 'settings_write', a.key, a.message, a.source, " \
	"a.origin, a.old_value, a.new_value, a.outcome FROM audit a "        \
	"LEFT JOIN bms b ON b.id = a.bms_id "                                \
	"WHERE a.t >= ?1 AND a.t < ?2 AND (?3 IS NULL OR b.name = ?3) "      \
	"ORDER BY 1"

static const char *const columns[] = {
	"time",   "bms",    "kind",      "name",      "message",
	"source", "origin", "old_value", "new_value", "outcome",
};

static const char *text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void print_text(sqlite3_stmt *st, const char *t)
{
	const char *bms = text(st, 1), *name = text(st, 3), *msg = text(st, 4);

	printf("%s  %-10s  %-16s", t, bms ? bms : "-", text(st, 2));
	if (strcmp(text(st, 2), "settings_write") == 0) {
		printf("  %s %s -> %s: %s (%s %s)", name ? name : "?",
		       text(st, 7) ? text(st, 7) : "?",
		       text(st, 8) ? text(st, 8) : "?",
		       text(st, 9) ? text(st, 9) : "?",
		       text(st, 5) ? text(st, 5) : "",
		       text(st, 6) ? text(st, 6) : "");
		if (msg)
			printf(": %s", msg);
	} else {
		if (name)
			printf("  %s", name);
		if (msg)
			printf("  %s", msg);
	}
	putchar('\n');
}

static void print_json(sqlite3_stmt *st, const char *t, bool first)
{
	struct json_object *o = json_object_new_object();
	size_t i;

	json_object_object_add(o, "time", json_object_new_string(t));
	for (i = 1; i < sizeof(columns) / sizeof(columns[0]); i++)
		if (text(st, (int)i))
			json_object_object_add(
				o, columns[i],
				json_object_new_string(text(st, (int)i)));
	printf("%s%s", first ? "[\n" : ",\n",
	       json_object_to_json_string_ext(
		       o, JSON_C_TO_STRING_PLAIN |
				  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

int ctl_events_run(struct ctl *ctl, int argc, char **argv)
{
	static const struct option options[] = {
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "json", no_argument, NULL, 'j' },
		{ "db", required_argument, NULL, 'D' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *since = NULL, *until = NULL, *db = NULL, *conf = NULL;
	const char *bms = NULL;
	int64_t from, to;
	bool json = false, first = true;
	sqlite3_stmt *st;
	sqlite3 *sdb;
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:h", options, NULL)) >= 0) {
		switch (c) {
		case 'S':
			since = optarg;
			break;
		case 'U':
			until = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'D':
			db = optarg;
			break;
		case 'c':
			conf = optarg;
			break;
		case 'h':
			printf("Usage: jkbmsctl events [BMS] [--since T] "
			       "[--until T] [--json] [--db PATH] [-c FILE]\n");
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc)
		bms = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "jkbmsctl: events: unexpected '%s'\n",
			argv[optind]);
		return 2;
	}
	if (ctl_history_range(since, until, "24h", &from, &to) < 0)
		return 2;
	if (ctl_history_db(db, conf, &sdb) < 0)
		return 1;
	rc = sqlite3_prepare_v2(sdb, EVENTS_SQL, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, from);
		sqlite3_bind_int64(st, 2, to);
		if (bms)
			sqlite3_bind_text(st, 3, bms, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			char t[40];

			history_format_time(sqlite3_column_int64(st, 0), t,
					    sizeof(t));
			if (json)
				print_json(st, t, first);
			else
				print_text(st, t);
			first = false;
		}
		sqlite3_finalize(st);
	}
	if (json)
		fputs(first ? "[]\n" : "\n]\n", stdout);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "jkbmsctl: events: cannot read %s: %s\n",
			sqlite3_db_filename(sdb, "main"), sqlite3_errmsg(sdb));
		sqlite3_close(sdb);
		return 1;
	}
	sqlite3_close(sdb);
	return 0;
}
