/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl energy BMS [--by day|month] [--since T] [--until T]
 * [--csv|--json] [--db PATH] [-c FILE]: kWh charged and discharged per
 * local day or month, from the energy counters in the 1-minute
 * aggregates: the sum of each counter's increases between consecutive
 * minutes (a counter that went back, a lost state, adds nothing).
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "ctl/ctl.h"
#include "sink/history.h"
#include "util/values-json.h"

/* ?1 bms, ?2 since, ?3 until, ?4 strftime format of the period */
#define ENERGY_SQL                                                            \
	"WITH m AS (SELECT t, energy_charged AS c, energy_discharged AS d "   \
	"FROM minutes WHERE bms_id = (SELECT id FROM bms WHERE name = ?1) "   \
	"AND energy_charged IS NOT NULL AND t >= ?2 - 86400000 AND t < ?3), " \
	"x AS (SELECT t, c - lag(c) OVER (ORDER BY t) AS dc, "                \
	"d - lag(d) OVER (ORDER BY t) AS dd FROM m) "                         \
	"SELECT strftime(?4, t / 1000, 'unixepoch', 'localtime') AS p, "      \
	"total(CASE WHEN dc > 0 THEN dc ELSE 0 END), "                        \
	"total(CASE WHEN dd > 0 THEN dd ELSE 0 END) FROM x WHERE t >= ?2 "    \
	"GROUP BY p ORDER BY p"

enum format {
	FORMAT_TEXT,
	FORMAT_CSV,
	FORMAT_JSON,
};

/* mWh (the counters' kWh * 10^6) as kWh with 3 decimals. */
static const char *kwh(double mwh, char *buf, size_t size)
{
	int64_t wh = (int64_t)((mwh + 500) / 1000);

	if (json_number_format(wh, 3, buf, size) < 0)
		snprintf(buf, size, "?");
	return buf;
}

int ctl_energy_run(struct ctl *ctl, int argc, char **argv)
{
	static const struct option options[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "csv", no_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'j' },
		{ "db", required_argument, NULL, 'D' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *since = NULL, *until = NULL, *db = NULL, *conf = NULL;
	const char *by = "day", *fmt = "%Y-%m-%d";
	enum format format = FORMAT_TEXT;
	int64_t from, to;
	bool first = true;
	sqlite3_stmt *st;
	sqlite3 *sdb;
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:h", options, NULL)) >= 0) {
		switch (c) {
		case 'b':
			by = optarg;
			break;
		case 'S':
			since = optarg;
			break;
		case 'U':
			until = optarg;
			break;
		case 'C':
			format = FORMAT_CSV;
			break;
		case 'j':
			format = FORMAT_JSON;
			break;
		case 'D':
			db = optarg;
			break;
		case 'c':
			conf = optarg;
			break;
		case 'h':
			printf("Usage: jkbmsctl energy BMS [--by day|month] "
			       "[--since T] [--until T] [--csv|--json]\n"
			       "                       [--db PATH] [-c FILE]\n");
			return 0;
		default:
			return 2;
		}
	}
	if (strcmp(by, "month") == 0) {
		fmt = "%Y-%m";
	} else if (strcmp(by, "day") != 0) {
		fprintf(stderr,
			"jkbmsctl: energy: --by takes day or month, "
			"not '%s'\n",
			by);
		return 2;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "Usage: jkbmsctl energy BMS [--by day|month] "
				"...\n");
		return 2;
	}
	if (ctl_history_range(since, until, "@0", &from, &to) < 0)
		return 2;
	if (ctl_history_db(db, conf, &sdb) < 0)
		return 1;
	if (!history_has_bms(sdb, argv[optind])) {
		fprintf(stderr, "jkbmsctl: no history of BMS '%s' in %s\n",
			argv[optind], sqlite3_db_filename(sdb, "main"));
		sqlite3_close(sdb);
		return 1;
	}
	rc = sqlite3_prepare_v2(sdb, ENERGY_SQL, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, argv[optind], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, from);
		sqlite3_bind_int64(st, 3, to);
		sqlite3_bind_text(st, 4, fmt, -1, SQLITE_STATIC);
		if (format == FORMAT_CSV)
			printf("%s,energy_charged,energy_discharged\n", by);
		else if (format == FORMAT_TEXT)
			printf("%-10s %14s %14s\n", by, "charged kWh",
			       "discharged kWh");
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *p =
				(const char *)sqlite3_column_text(st, 0);
			char a[32], b[32];

			kwh(sqlite3_column_double(st, 1), a, sizeof(a));
			kwh(sqlite3_column_double(st, 2), b, sizeof(b));
			if (format == FORMAT_CSV)
				printf("%s,%s,%s\n", p, a, b);
			else if (format == FORMAT_JSON)
				printf("%s{\"%s\": \"%s\", \"energy_charged\": "
				       "%s, \"energy_discharged\": %s}",
				       first ? "[\n" : ",\n", by, p, a, b);
			else
				printf("%-10s %14s %14s\n", p, a, b);
			first = false;
		}
		sqlite3_finalize(st);
	}
	if (format == FORMAT_JSON)
		fputs(first ? "[]\n" : "\n]\n", stdout);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "jkbmsctl: energy: cannot read %s: %s\n",
			sqlite3_db_filename(sdb, "main"), sqlite3_errmsg(sdb));
		sqlite3_close(sdb);
		return 1;
	}
	sqlite3_close(sdb);
	return 0;
}
