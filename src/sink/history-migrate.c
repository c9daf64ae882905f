/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Schema migrations. Version 1 was the first layout: times in seconds, a
 * rowid table with an index on (bms_id, t), fewer columns, the cell
 * voltages as text ("3301,3302,..." mV), no aggregates and no audit.
 * Version 2 is today's (history-schema.c). A migration runs in one
 * transaction: a crash midway leaves version 1 intact. Afterwards the file
 * is rebuilt once with incremental auto_vacuum, which version 1 lacked.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "jkbms/util.h"

#include "sink/history-private.h"

/* The columns version 1 had, and how version 2 aggregates them. */
static const char *const v1_columns[] = {
	"voltage",
	"current",
	"power",
	"soc",
	"remaining_capacity",
	"cell_voltage_min",
	"cell_voltage_max",
	"temperature_mos",
	"temperature_1",
	"temperature_2",
	"alarm_bits",
	"energy_charged",
	"energy_discharged",
};

int history_db_create_v1(sqlite3 *db)
{
	char *sql = NULL;
	size_t size = 0, i;
	FILE *f = open_memstream(&sql, &size);
	int r;

	if (!f)
		abort();
	fputs("BEGIN;\n"
	      "CREATE TABLE bms (id INTEGER PRIMARY KEY, "
	      "name TEXT NOT NULL UNIQUE);\n"
	      "CREATE TABLE samples (t INTEGER NOT NULL, "
	      "bms_id INTEGER NOT NULL",
	      f);
	for (i = 0; i < ARRAY_SIZE(v1_columns); i++)
		fprintf(f, ", %s INTEGER", v1_columns[i]);
	fputs(", cell_voltage TEXT);\n"
	      "CREATE INDEX samples_bms_t ON samples (bms_id, t);\n"
	      "CREATE TABLE events (t INTEGER NOT NULL, bms_id INTEGER, "
	      "kind TEXT NOT NULL, message TEXT);\n"
	      "CREATE TABLE energy (bms_id INTEGER PRIMARY KEY, "
	      "charged INTEGER NOT NULL, discharged INTEGER NOT NULL, "
	      "t INTEGER NOT NULL);\n"
	      "PRAGMA user_version=1;\n"
	      "COMMIT;\n",
	      f);
	fclose(f);
	r = history_exec(db, sql);
	free(sql);
	return r;
}

static char *copy_sql(void)
{
	char *sql = NULL;
	size_t size = 0, i;
	FILE *f = open_memstream(&sql, &size);

	if (!f)
		abort();
	fputs("INSERT INTO bms (id, name) SELECT id, name FROM bms_v1;\n", f);
	fputs("INSERT OR IGNORE INTO samples (id, t, bms_id", f);
	for (i = 0; i < ARRAY_SIZE(v1_columns); i++)
		fprintf(f, ", %s", v1_columns[i]);
	fprintf(f,
		", cell_voltage) SELECT t * 1000 * %d + bms_id, "
		"t * 1000, bms_id",
		HISTORY_BMS_MAX);
	for (i = 0; i < ARRAY_SIZE(v1_columns); i++)
		fprintf(f, ", %s", v1_columns[i]);
	fputs(", jk_cells_blob(cell_voltage) FROM samples_v1 "
	      "ORDER BY t, bms_id;\n",
	      f);

	fputs("INSERT INTO minutes (id, t, bms_id, n", f);
	for (i = 0; i < ARRAY_SIZE(v1_columns); i++) {
		const char *k = v1_columns[i];
		int id = field_from_key(k);

		if (id >= 0 &&
		    history_column_agg((enum field_id)id) == HISTORY_AGG_MMA)
			fprintf(f, ", %s_min, %s_avg, %s_max", k, k, k);
		else
			fprintf(f, ", %s", k);
	}
	fprintf(f,
		") SELECT (t / 60) * 60000 * %d + bms_id, (t / 60) * 60000, "
		"bms_id, count(*)",
		HISTORY_BMS_MAX);
	for (i = 0; i < ARRAY_SIZE(v1_columns); i++) {
		const char *k = v1_columns[i];
		int id = field_from_key(k);
		enum history_agg agg =
			id >= 0 ? history_column_agg((enum field_id)id)
				: HISTORY_AGG_MMA;

		if (agg == HISTORY_AGG_MMA)
			fprintf(f,
				", min(%s), CAST(round(avg(%s)) AS INTEGER), "
				"max(%s)",
				k, k, k);
		else if (agg == HISTORY_AGG_OR)
			fprintf(f, ", jk_bit_or(%s)", k);
		else
			fprintf(f, ", max(%s)", k);
	}
	fputs(" FROM samples_v1 GROUP BY t / 60, bms_id "
	      "ORDER BY t / 60, bms_id;\n",
	      f);
	fputs("INSERT INTO events (t, bms_id, kind, message) "
	      "SELECT t * 1000, bms_id, kind, message FROM events_v1 "
	      "ORDER BY rowid;\n"
	      "INSERT INTO energy (bms_id, charged, discharged, t) "
	      "SELECT bms_id, charged, discharged, t * 1000 FROM energy_v1;\n"
	      "DROP TABLE samples_v1; DROP TABLE events_v1;\n"
	      "DROP TABLE energy_v1; DROP TABLE bms_v1;\n",
	      f);
	fclose(f);
	return sql;
}

int history_migrate_v1(sqlite3 *db)
{
	_cleanup_free_ char *copy = copy_sql();
	sqlite3_stmt *st;
	int64_t autovac = 0;
	int r;

	r = history_db_functions(db);
	if (r < 0)
		return r;
	r = history_exec(db, "BEGIN IMMEDIATE");
	if (r < 0)
		return r;
	r = history_exec(db, "DROP INDEX samples_bms_t;\n"
			     "ALTER TABLE samples RENAME TO samples_v1;\n"
			     "ALTER TABLE events RENAME TO events_v1;\n"
			     "ALTER TABLE energy RENAME TO energy_v1;\n"
			     "ALTER TABLE bms RENAME TO bms_v1;\n");
	if (r >= 0)
		r = history_create_tables(db);
	if (r >= 0)
		r = history_exec(db, copy);
	if (r >= 0)
		r = history_exec(db, "PRAGMA user_version=2");
	if (r >= 0)
		r = history_exec(db, "COMMIT");
	if (r < 0) {
		history_exec(db, "ROLLBACK");
		return r;
	}

	/* auto_vacuum can change only by rebuilding the file. */
	if (sqlite3_prepare_v2(db, "PRAGMA auto_vacuum", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			autovac = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (autovac != 2) {
		r = history_exec(db, "PRAGMA auto_vacuum=INCREMENTAL");
		if (r >= 0)
			r = history_exec(db, "VACUUM");
	}
	return r;
}

/*
 * The aggregates of the minutes after the newest one in minutes, from the
 * raw rows: what a crash took before the minutes were written. Minutes
 * already there are left alone (a later partial minute merges on write).
 */
int history_rebuild_minutes(sqlite3 *db)
{
	enum field_id ids[HISTORY_COLS_MAX];
	size_t n = history_columns(ids), i;
	char *sql = NULL;
	size_t size = 0;
	FILE *f;
	int r;

	f = open_memstream(&sql, &size);
	if (!f)
		abort();
	fputs("INSERT OR IGNORE INTO minutes (id, t, bms_id, n", f);
	for (i = 0; i < n; i++) {
		const char *k = field_table[ids[i]].key;

		if (history_column_agg(ids[i]) == HISTORY_AGG_MMA)
			fprintf(f, ", %s_min, %s_avg, %s_max", k, k, k);
		else
			fprintf(f, ", %s", k);
	}
	fprintf(f,
		", cell_voltage) SELECT (t / 60000) * 60000 * %d + bms_id, "
		"(t / 60000) * 60000, bms_id, count(*)",
		HISTORY_BMS_MAX);
	for (i = 0; i < n; i++) {
		const char *k = field_table[ids[i]].key;

		switch (history_column_agg(ids[i])) {
		case HISTORY_AGG_MMA:
			fprintf(f,
				", min(%s), CAST(round(avg(%s)) AS INTEGER), "
				"max(%s)",
				k, k, k);
			break;
		case HISTORY_AGG_OR:
			fprintf(f, ", jk_bit_or(%s)", k);
			break;
		case HISTORY_AGG_LAST:
			fprintf(f, ", max(%s)", k);
			break;
		}
	}
	fprintf(f,
		", jk_cells_avg(cell_voltage) FROM samples WHERE id >= "
		"(SELECT coalesce(max(t) + 60000, 0) * %d FROM minutes) "
		"GROUP BY t / 60000, bms_id ORDER BY 1",
		HISTORY_BMS_MAX);
	fclose(f);
	r = history_db_functions(db);
	if (r >= 0)
		r = history_exec(db, sql);
	free(sql);
	return r;
}
