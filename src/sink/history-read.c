/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading the history for jkbmsctl: the database opened read-only (WAL
 * lets it read while the daemon writes), samples as field values so the
 * output goes through the same field table as everything else, buckets
 * of whole minutes from the 1-minute aggregates and shorter ones from the
 * raw rows, and the times people type and read.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ini.h>
#include <sqlite3.h>

#include "jkbms/util.h"

#include "sink/history-private.h"

#define READER_BUSY_MS 2000
#define DEFAULT_DB     LOCALSTATEDIR "/lib/jkbmsd/history.db"

static int conf_handler(void *user, const char *section, const char *name,
			const char *value)
{
	char **path = user;

	if (strcmp(section, "history") == 0 && strcmp(name, "path") == 0) {
		free(*path);
		*path = xstrdup(value);
	}
	return 1;
}

char *history_resolve_path(const char *path)
{
	const char *state = getenv("STATE_DIRECTORY");

	if (path && strcmp(path, DEFAULT_DB) != 0)
		return xstrdup(path);
	/* systemd's StateDirectory= (first entry if there are several) */
	if (state && state[0] == '/')
		return xasprintf("%.*s/history.db", (int)strcspn(state, ":"),
				 state);
	return xstrdup(DEFAULT_DB);
}

char *history_conf_path(const char *conf_file)
{
	char *path = NULL, *r;

	if (conf_file)
		ini_parse(conf_file, conf_handler, &path);
	r = history_resolve_path(path);
	free(path);
	return r;
}

int history_reader_open(const char *path, sqlite3 **ret, char *err,
			size_t errsize)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	int64_t version = -1;
	int rc, r;

	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errsize, "cannot open %s: %s", path,
			 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return history_sqlite_errno(rc);
	}
	r = history_db_configure(db, true, READER_BUSY_MS);
	if (r >= 0)
		r = history_db_functions(db);
	rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			version = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (r < 0 || version < 0) {
		snprintf(err, errsize, "cannot read %s: %s", path,
			 sqlite3_errmsg(db));
		sqlite3_close(db);
		return r < 0 ? r : history_sqlite_errno(rc);
	}
	if (version != HISTORY_SCHEMA_VERSION) {
		if (version == 0)
			snprintf(err, errsize,
				 "%s is not a jkbmsd history database", path);
		else if (version < HISTORY_SCHEMA_VERSION)
			snprintf(err, errsize,
				 "%s has schema version %lld: start jkbmsd "
				 "once to migrate it",
				 path, (long long)version);
		else
			snprintf(err, errsize,
				 "%s has schema version %lld, newer than this "
				 "jkbmsctl knows (%d)",
				 path, (long long)version,
				 HISTORY_SCHEMA_VERSION);
		sqlite3_close(db);
		return -EPROTONOSUPPORT;
	}
	*ret = db;
	return 0;
}

bool history_has_bms(sqlite3 *db, const char *bms)
{
	sqlite3_stmt *st;
	bool found = false;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM bms WHERE name = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, bms, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static void put_column(FILE *f, enum field_id id, const char *table,
		       int64_t every)
{
	const char *k = field_table[id].key;

	if (!every) {
		fprintf(f, ", %s.%s", table, k);
		return;
	}
	switch (history_column_agg(id)) {
	case HISTORY_AGG_MMA:
		if (every % MSEC_PER_MINUTE == 0)
			fprintf(f,
				", CAST(round(sum(m.%s_avg * m.n) * 1.0 / "
				"sum(CASE WHEN m.%s_avg IS NOT NULL THEN m.n "
				"END)) AS INTEGER)",
				k, k);
		else
			fprintf(f, ", CAST(round(avg(s.%s)) AS INTEGER)", k);
		break;
	case HISTORY_AGG_LAST:
		fprintf(f, ", max(%s.%s)", table, k);
		break;
	case HISTORY_AGG_OR:
		fprintf(f, ", jk_bit_or(%s.%s)", table, k);
		break;
	}
}

static char *samples_sql(const struct history_query *q,
			 const enum field_id *ids, size_t n)
{
	const char *table =
		q->every_ms && q->every_ms % MSEC_PER_MINUTE == 0 ? "m" : "s";
	char *sql = NULL;
	size_t size = 0, i;
	FILE *f = open_memstream(&sql, &size);

	if (!f)
		abort();
	if (q->every_ms)
		fprintf(f, "SELECT (%s.t / %lld) * %lld AS bt, b.name", table,
			(long long)q->every_ms, (long long)q->every_ms);
	else
		fputs("SELECT s.t AS bt, b.name", f);
	for (i = 0; i < n; i++)
		put_column(f, ids[i], table, q->every_ms);
	if (q->every_ms)
		fprintf(f, ", jk_cells_avg(%s.cell_voltage)", table);
	else
		fputs(", s.cell_voltage", f);
	fprintf(f,
		" FROM %s %s JOIN bms b ON b.id = %s.bms_id "
		"WHERE %s.id >= ?1 AND %s.id < ?2",
		*table == 'm' ? "minutes" : "samples", table, table, table,
		table);
	if (q->bms)
		fputs(" AND b.name = ?3", f);
	if (q->every_ms)
		fputs(" GROUP BY bt, b.name", f);
	fputs(" ORDER BY bt, b.name", f);
	fclose(f);
	return sql;
}

/* The first rowid of time t (wide tables), clamped to the key range. */
static int64_t key_of(int64_t t_ms)
{
	if (t_ms <= 0)
		return 0;
	if (t_ms > INT64_MAX / HISTORY_BMS_MAX - 1)
		return INT64_MAX;
	return HISTORY_KEY(t_ms, 0);
}

int history_read_samples(sqlite3 *db, const struct history_query *q,
			 history_sample_func_t fn, void *userdata)
{
	enum field_id ids[HISTORY_COLS_MAX];
	size_t n = history_columns(ids), i;
	_cleanup_free_ char *sql = samples_sql(q, ids, n);
	struct history_sample *s = xcalloc(1, sizeof(*s));
	sqlite3_stmt *st;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		free(s);
		return history_sqlite_errno(rc);
	}
	sqlite3_bind_int64(st, 1, key_of(q->since_ms));
	sqlite3_bind_int64(st, 2, key_of(q->until_ms));
	if (q->bms)
		sqlite3_bind_text(st, 3, q->bms, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const uint8_t *blob;
		int len, col = 2;

		field_values_reset(&s->v);
		s->t_ms = sqlite3_column_int64(st, 0);
		s->bms = (const char *)sqlite3_column_text(st, 1);
		for (i = 0; i < n; i++, col++)
			if (sqlite3_column_type(st, col) != SQLITE_NULL)
				field_set_num(&s->v, ids[i],
					      sqlite3_column_int64(st, col));
		blob = sqlite3_column_blob(st, col);
		len = sqlite3_column_bytes(st, col);
		if (blob && len >= 2) {
			s->v.ncells =
				(uint8_t)(len / 2 > JK_CELLS_MAX ? JK_CELLS_MAX
								 : len / 2);
			for (i = 0; i < s->v.ncells; i++)
				s->v.cell_voltage[i] =
					blob[2 * i] | blob[2 * i + 1] << 8;
			bits_set(&s->v.set, FIELD_CELL_VOLTAGE);
		}
		r = fn(s, userdata);
		if (r < 0)
			break;
	}
	if (r >= 0 && rc != SQLITE_DONE)
		r = history_sqlite_errno(rc);
	sqlite3_finalize(st);
	free(s);
	return r;
}

static int parse_clock(const char *s, struct tm *tm)
{
	int n = 0;

	if (!*s)
		return 0;
	if (*s != ' ' && *s != 'T')
		return -EINVAL;
	s++;
	if (sscanf(s, "%2d:%2d%n", &tm->tm_hour, &tm->tm_min, &n) != 2)
		return -EINVAL;
	s += n;
	if (*s == ':') {
		n = 0;
		if (sscanf(s + 1, "%2d%n", &tm->tm_sec, &n) != 1)
			return -EINVAL;
		s += 1 + n;
	}
	return *s ? -EINVAL : 0;
}

int history_parse_time(const char *s, uint64_t now_usec, int64_t *ret_ms)
{
	uint64_t d;
	struct tm tm = { 0 };
	time_t t;
	char *end;
	int n = 0;

	if (strcmp(s, "now") == 0) {
		*ret_ms = (int64_t)(now_usec / USEC_PER_MSEC);
		return 0;
	}
	if (*s == '@') {
		long long secs = strtoll(s + 1, &end, 10);

		if (end == s + 1 || *end || secs < 0)
			return -EINVAL;
		*ret_ms = secs * 1000;
		return 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &n) == 3 &&
	    n == 10) {
		if (parse_clock(s + n, &tm) < 0)
			return -EINVAL;
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		tm.tm_isdst = -1;
		t = mktime(&tm);
		if (t == (time_t)-1)
			return -EINVAL;
		*ret_ms = (int64_t)t * 1000;
		return 0;
	}
	if (parse_duration(s, &d) < 0 || d > now_usec)
		return -EINVAL;
	*ret_ms = (int64_t)((now_usec - d) / USEC_PER_MSEC);
	return 0;
}

char *history_format_time(int64_t t_ms, char *buf, size_t size)
{
	time_t t = (time_t)(t_ms / 1000);
	struct tm tm;
	char off[8];
	size_t len;

	localtime_r(&t, &tm);
	len = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	if (strftime(off, sizeof(off), "%z", &tm) == 5 && len + 7 <= size)
		snprintf(buf + len, size - len, "%.3s:%.2s", off, off + 3);
	return buf;
}
