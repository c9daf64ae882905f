/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The history schema, generated from the field table: every F_HISTORY
 * field is an INTEGER column of samples (the scaled integer as the table
 * gives it) and one to three columns of minutes; the cell voltages are a
 * BLOB of little-endian u16 millivolts. The version lives in
 * PRAGMA user_version; older versions are migrated (history-migrate.c),
 * and a field that gained F_HISTORY since is added as a column, so a
 * newer field table never needs a hand-written migration.
 *
 * The wide tables are keyed by their rowid, id = t * 1024 + bms_id
 * (HISTORY_KEY): time grows, so every insert appends to the last page
 * (SQLite's quick balance for rowid appends: full pages, one page written
 * per flush and table), time ranges are rowid ranges, and retention
 * deletes from the front; no second index to write. t and bms_id are
 * columns as well, for people reading the file with sqlite3.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "jkbms/util.h"

#include "sink/history-private.h"

/*
 * A checkpoint copies every page the WAL holds back into the database:
 * the more flushes between two, the more often a hot page is copied once
 * for many commits. After one, the WAL is truncated back to the limit.
 */
#define WAL_CHECKPOINT_PAGES 2000
#define JOURNAL_SIZE_LIMIT   (8 * 1024 * 1024)

size_t history_columns(enum field_id ids[HISTORY_COLS_MAX])
{
	size_t i, n = 0;

	for (i = 0; i < FIELD__MAX && n < HISTORY_COLS_MAX; i++) {
		if (!(field_table[i].flags & F_HISTORY))
			continue;
		if (field_table[i].type == FIELD_TYPE_CELLS ||
		    field_table[i].type == FIELD_TYPE_TEXT ||
		    field_table[i].type == FIELD_TYPE_ALARMS)
			continue;
		ids[n++] = (enum field_id)i;
	}
	return n;
}

enum history_agg history_column_agg(enum field_id id)
{
	const char *sc = field_table[id].state_class;

	if (id == FIELD_ALARM_BITS)
		return HISTORY_AGG_OR;
	if (sc && strcmp(sc, "total_increasing") == 0)
		return HISTORY_AGG_LAST;
	return HISTORY_AGG_MMA;
}

int history_sqlite_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EBADMSG;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_TOOBIG:
	case SQLITE_RANGE:
	case SQLITE_MISMATCH:
	case SQLITE_CONSTRAINT:
		return -EINVAL;
	default:
		return -EIO;
	}
}

int history_exec(sqlite3 *db, const char *sql)
{
	return history_sqlite_errno(sqlite3_exec(db, sql, NULL, NULL, NULL));
}

int history_db_configure(sqlite3 *db, bool readonly, unsigned busy_timeout_ms)
{
	char sql[160];
	int r;

	sqlite3_busy_timeout(db, (int)busy_timeout_ms);
	if (!readonly) {
		/*
		 * First: a new file fixes its auto_vacuum mode at its first
		 * write, which the switch to WAL is. A no-op on old files.
		 */
		r = history_exec(db, "PRAGMA auto_vacuum=INCREMENTAL");
		if (r < 0)
			return r;
		r = history_exec(db, "PRAGMA journal_mode=WAL");
		if (r < 0)
			return r;
	}
	snprintf(sql, sizeof(sql),
		 "PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit=%d; "
		 "PRAGMA wal_autocheckpoint=%d",
		 JOURNAL_SIZE_LIMIT, WAL_CHECKPOINT_PAGES);
	return history_exec(db, sql);
}

static int query_int(sqlite3 *db, const char *sql, int64_t *ret)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return history_sqlite_errno(rc);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*ret = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : history_sqlite_errno(rc);
}

/* Column definitions of the two wide tables, after t and bms_id. */
static void put_sample_columns(FILE *f)
{
	enum field_id ids[HISTORY_COLS_MAX];
	size_t i, n = history_columns(ids);

	for (i = 0; i < n; i++)
		fprintf(f, ", %s INTEGER", field_table[ids[i]].key);
	fputs(", cell_voltage BLOB", f);
}

static void put_minute_columns(FILE *f)
{
	enum field_id ids[HISTORY_COLS_MAX];
	size_t i, n = history_columns(ids);

	fputs(", n INTEGER NOT NULL", f);
	for (i = 0; i < n; i++) {
		const char *k = field_table[ids[i]].key;

		if (history_column_agg(ids[i]) == HISTORY_AGG_MMA)
			fprintf(f,
				", %s_min INTEGER, %s_avg INTEGER, "
				"%s_max INTEGER",
				k, k, k);
		else
			fprintf(f, ", %s INTEGER", k);
	}
	fputs(", cell_voltage BLOB", f);
}

/* The current schema, in an empty database, inside a transaction. */
static char *schema_v2(void)
{
	char *sql = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&sql, &size);

	if (!f)
		abort();
	fputs("CREATE TABLE bms (id INTEGER PRIMARY KEY, "
	      "name TEXT NOT NULL UNIQUE);\n",
	      f);
	fputs("CREATE TABLE samples (id INTEGER PRIMARY KEY, "
	      "t INTEGER NOT NULL, bms_id INTEGER NOT NULL",
	      f);
	put_sample_columns(f);
	fputs(");\n", f);
	fputs("CREATE TABLE minutes (id INTEGER PRIMARY KEY, "
	      "t INTEGER NOT NULL, bms_id INTEGER NOT NULL",
	      f);
	put_minute_columns(f);
	fputs(");\n", f);
	fputs("CREATE TABLE events (id INTEGER PRIMARY KEY, "
	      "t INTEGER NOT NULL, bms_id INTEGER, kind TEXT NOT NULL, "
	      "name TEXT, message TEXT);\n"
	      "CREATE INDEX events_t ON events (t);\n"
	      "CREATE TABLE audit (id INTEGER PRIMARY KEY, "
	      "t INTEGER NOT NULL, bms_id INTEGER, source TEXT, origin TEXT, "
	      "key TEXT, old_value TEXT, new_value TEXT, outcome TEXT, "
	      "message TEXT);\n"
	      "CREATE INDEX audit_t ON audit (t);\n"
	      "CREATE TABLE energy (bms_id INTEGER PRIMARY KEY, "
	      "charged INTEGER NOT NULL, discharged INTEGER NOT NULL, "
	      "t INTEGER NOT NULL);\n",
	      f);
	fclose(f);
	return sql;
}

int history_create_tables(sqlite3 *db)
{
	_cleanup_free_ char *sql = schema_v2();

	return history_exec(db, sql);
}

/* Adds the columns of fields that joined the history since. */
static int add_missing(sqlite3 *db, const char *table, const char *column)
{
	_cleanup_free_ char *q =
		xasprintf("SELECT count(*) FROM pragma_table_info('%s') "
			  "WHERE name = '%s'",
			  table, column);
	_cleanup_free_ char *alter = NULL;
	int64_t n = 0;
	int r;

	r = query_int(db, q, &n);
	if (r < 0 || n > 0)
		return r;
	alter = xasprintf("ALTER TABLE %s ADD COLUMN %s INTEGER", table,
			  column);
	return history_exec(db, alter);
}

static int ensure_columns(sqlite3 *db)
{
	enum field_id ids[HISTORY_COLS_MAX];
	size_t i, n = history_columns(ids);
	char col[64];
	int r = 0;

	for (i = 0; i < n && r >= 0; i++) {
		const char *k = field_table[ids[i]].key;

		r = add_missing(db, "samples", k);
		if (r < 0)
			break;
		if (history_column_agg(ids[i]) != HISTORY_AGG_MMA) {
			r = add_missing(db, "minutes", k);
			continue;
		}
		snprintf(col, sizeof(col), "%s_min", k);
		r = add_missing(db, "minutes", col);
		snprintf(col, sizeof(col), "%s_avg", k);
		if (r >= 0)
			r = add_missing(db, "minutes", col);
		snprintf(col, sizeof(col), "%s_max", k);
		if (r >= 0)
			r = add_missing(db, "minutes", col);
	}
	return r;
}

static int set_version(sqlite3 *db, int version)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", version);
	return history_exec(db, sql);
}

static int create_fresh(sqlite3 *db)
{
	int r;

	/* Only before the first table: auto_vacuum is chosen at creation. */
	r = history_exec(db, "PRAGMA auto_vacuum=INCREMENTAL");
	if (r < 0)
		return r;
	r = history_exec(db, "BEGIN IMMEDIATE");
	if (r < 0)
		return r;
	r = history_create_tables(db);
	if (r >= 0)
		r = set_version(db, HISTORY_SCHEMA_VERSION);
	if (r >= 0)
		return history_exec(db, "COMMIT");
	history_exec(db, "ROLLBACK");
	return r;
}

int history_db_prepare(sqlite3 *db, char *err, size_t errsize)
{
	int64_t version = 0, tables = 0;
	int r;

	r = query_int(db, "PRAGMA user_version", &version);
	if (r >= 0)
		r = query_int(db, "SELECT count(*) FROM sqlite_master",
			      &tables);
	if (r < 0) {
		snprintf(err, errsize, "cannot read the schema version: %s",
			 sqlite3_errmsg(db));
		return r;
	}
	if (version == 0 && tables > 0) {
		snprintf(err, errsize,
			 "not a jkbmsd history database (tables but no schema "
			 "version)");
		return -EPROTO;
	}
	if (version > HISTORY_SCHEMA_VERSION) {
		snprintf(err, errsize,
			 "schema version %lld is newer than this jkbmsd "
			 "knows (%d)",
			 (long long)version, HISTORY_SCHEMA_VERSION);
		return -EPROTONOSUPPORT;
	}
	if (version == 0)
		r = create_fresh(db);
	else if (version == 1)
		r = history_migrate_v1(db);
	if (r < 0) {
		snprintf(err, errsize, "cannot %s the schema: %s",
			 version == 0 ? "create" : "migrate",
			 sqlite3_errmsg(db));
		return r;
	}
	r = history_exec(db, "BEGIN IMMEDIATE");
	if (r >= 0) {
		r = ensure_columns(db);
		if (r >= 0)
			r = history_exec(db, "COMMIT");
		else
			history_exec(db, "ROLLBACK");
	}
	if (r < 0)
		snprintf(err, errsize, "cannot add new columns: %s",
			 sqlite3_errmsg(db));
	return r;
}
