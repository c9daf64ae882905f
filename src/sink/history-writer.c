/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The history writer: one connection, one prepared statement per table,
 * and one transaction per flush holding every pending sample and event,
 * and (every 15th flush, and at the end) the closed minutes and (every
 * 60th) the energy counters. Any failure rolls the transaction back and keeps the batch
 * for the next flush: a full disk, an I/O error or a lock costs nothing
 * but memory (bounded). A corrupt file is moved aside, never written
 * over, and a new database is started on the next flush.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "jkbms/util.h"

#include "sink/history-private.h"

#define ENERGY_EVERY_FLUSHES  60
/*
 * Closed minutes wait for every 15th flush: one page written for 15 rows
 * instead of the same page rewritten 15 times. The raw rows are flushed
 * every time, so minutes lost in a crash are rebuilt from them at the
 * next start (history_rebuild_minutes).
 */
#define MINUTES_EVERY_FLUSHES 15
#define WRITER_BUSY_MS        50

static uint64_t real_clock(void *userdata)
{
	return now_realtime_usec();
}

uint64_t history_now(const struct history *h)
{
	return h->cfg.clock(h->cfg.clock_data);
}

static char *sample_sql(const struct history *h)
{
	char *sql = NULL;
	size_t size = 0, i;
	FILE *f = open_memstream(&sql, &size);

	if (!f)
		abort();
	fputs("INSERT OR REPLACE INTO samples (id, t, bms_id", f);
	for (i = 0; i < h->ncols; i++)
		fprintf(f, ", %s", field_table[h->cols[i]].key);
	fputs(", cell_voltage) VALUES (?, ?, ?", f);
	for (i = 0; i <= h->ncols; i++)
		fputs(", ?", f);
	fputs(")", f);
	fclose(f);
	return sql;
}

/*
 * A minute written twice (a partial one at shutdown, the rest after the
 * restart) is merged: min of mins, max of maxes, averages weighted by n.
 */
static char *minute_sql(const struct history *h)
{
	char *sql = NULL;
	size_t size = 0, i;
	FILE *f = open_memstream(&sql, &size);

	if (!f)
		abort();
	fputs("INSERT INTO minutes (id, t, bms_id, n", f);
	for (i = 0; i < h->ncols; i++) {
		const char *k = field_table[h->cols[i]].key;

		if (history_column_agg(h->cols[i]) == HISTORY_AGG_MMA)
			fprintf(f, ", %s_min, %s_avg, %s_max", k, k, k);
		else
			fprintf(f, ", %s", k);
	}
	fputs(", cell_voltage) VALUES (?, ?, ?, ?", f);
	for (i = 0; i < h->ncols; i++)
		fputs(history_column_agg(h->cols[i]) == HISTORY_AGG_MMA
			      ? ", ?, ?, ?"
			      : ", ?",
		      f);
	fputs(", ?) ON CONFLICT (id) DO UPDATE SET n = n + excluded.n", f);
	for (i = 0; i < h->ncols; i++) {
		const char *k = field_table[h->cols[i]].key;

		switch (history_column_agg(h->cols[i])) {
		case HISTORY_AGG_MMA:
			fprintf(f,
				", %s_min = min(coalesce(%s_min, "
				"excluded.%s_min), coalesce(excluded.%s_min, "
				"%s_min))",
				k, k, k, k, k);
			fprintf(f,
				", %s_max = max(coalesce(%s_max, "
				"excluded.%s_max), coalesce(excluded.%s_max, "
				"%s_max))",
				k, k, k, k, k);
			fprintf(f,
				", %s_avg = coalesce((%s_avg * n + "
				"excluded.%s_avg * excluded.n) / "
				"(n + excluded.n), %s_avg, excluded.%s_avg)",
				k, k, k, k, k);
			break;
		case HISTORY_AGG_LAST:
			fprintf(f, ", %s = coalesce(excluded.%s, %s)", k, k, k);
			break;
		case HISTORY_AGG_OR:
			fprintf(f,
				", %s = coalesce(%s | excluded.%s, %s, "
				"excluded.%s)",
				k, k, k, k, k);
			break;
		}
	}
	fputs(", cell_voltage = coalesce(excluded.cell_voltage, cell_voltage)",
	      f);
	fclose(f);
	return sql;
}

static void finalize_all(struct history *h)
{
	sqlite3_stmt **st[] = { &h->st_sample, &h->st_minute, &h->st_event,
				&h->st_audit,  &h->st_energy, &h->st_bms_add,
				&h->st_bms_get };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(st); i++) {
		sqlite3_finalize(*st[i]);
		*st[i] = NULL;
	}
}

void history_close_db(struct history *h)
{
	size_t i;

	finalize_all(h);
	if (h->db)
		sqlite3_close_v2(h->db);
	h->db = NULL;
	for (i = 0; i < h->nbms; i++)
		h->bms[i].db_id = 0;
}

static int prepare(struct history *h, const char *sql, sqlite3_stmt **ret)
{
	int rc = sqlite3_prepare_v3(h->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				    ret, NULL);

	return rc == SQLITE_OK ? 0 : history_fail(h, rc, "prepare");
}

int history_open_db(struct history *h)
{
	_cleanup_free_ char *ssql = sample_sql(h), *msql = minute_sql(h);
	char err[160];
	int rc, r;

	if (h->db)
		return 0;
	rc = sqlite3_open_v2(h->path, &h->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				     SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK)
		return history_fail(h, rc, "open");
	sqlite3_extended_result_codes(h->db, 1);
	r = history_db_configure(h->db, false, WRITER_BUSY_MS);
	if (r < 0)
		return history_fail(h, sqlite3_errcode(h->db), "configure");
	r = history_db_prepare(h->db, err, sizeof(err));
	if (r < 0) {
		int rc2 = sqlite3_errcode(h->db);

		/* Not ours or too new: never touch it again this run. */
		if (r == -EPROTO || r == -EPROTONOSUPPORT) {
			history_close_db(h);
			h->stats.last_error = r;
			snprintf(h->stats.last_error_text,
				 sizeof(h->stats.last_error_text), "%s", err);
			return r;
		}
		return history_fail(h, rc2 ? rc2 : SQLITE_ERROR, err);
	}
	r = prepare(h, ssql, &h->st_sample);
	if (r >= 0)
		r = prepare(h, msql, &h->st_minute);
	if (r >= 0)
		r = prepare(h,
			    "INSERT INTO events (t, bms_id, kind, name, "
			    "message) VALUES (?, ?, ?, ?, ?)",
			    &h->st_event);
	if (r >= 0)
		r = prepare(
			h,
			"INSERT INTO audit (t, bms_id, source, origin, key, "
			"old_value, new_value, outcome, message) VALUES "
			"(?, ?, ?, ?, ?, ?, ?, ?, ?)",
			&h->st_audit);
	if (r >= 0)
		r = prepare(h,
			    "INSERT INTO energy (bms_id, charged, discharged, "
			    "t) VALUES (?, ?, ?, ?) ON CONFLICT (bms_id) DO "
			    "UPDATE SET charged = max(charged, "
			    "excluded.charged), discharged = max(discharged, "
			    "excluded.discharged), t = excluded.t",
			    &h->st_energy);
	if (r >= 0)
		r = prepare(h, "INSERT OR IGNORE INTO bms (name) VALUES (?)",
			    &h->st_bms_add);
	if (r >= 0)
		r = prepare(h, "SELECT id FROM bms WHERE name = ?",
			    &h->st_bms_get);
	/*
	 * Only at the first open: after a reopen the minutes of this run
	 * are still in memory and would be counted twice.
	 */
	if (r < 0 || h->rebuilt)
		return r;
	rc = sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK && history_rebuild_minutes(h->db) >= 0)
		rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
	else if (rc == SQLITE_OK)
		rc = sqlite3_errcode(h->db);
	if (rc != SQLITE_OK) {
		if (!sqlite3_get_autocommit(h->db))
			sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
		return history_fail(h, rc, "rebuilding minutes");
	}
	h->rebuilt = true;
	return 0;
}

/*
 * Records a failure; a corrupt file is renamed to PATH.corrupt-TIME and
 * closed so the next flush starts a new one. Returns the negative errno.
 */
int history_fail(struct history *h, int rc, const char *what)
{
	int r = history_sqlite_errno(rc);
	const char *msg = h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc);

	if (r == 0)
		r = -EIO;
	h->stats.last_error = r;
	snprintf(h->stats.last_error_text, sizeof(h->stats.last_error_text),
		 "%s: %s", what, msg);
	if (r == -EBADMSG) {
		char stamp[32], *aside;
		time_t now = (time_t)(history_now(h) / USEC_PER_SEC);
		struct tm tm;
		const char *sfx[] = { "", "-wal", "-shm" };
		size_t i;

		history_close_db(h);
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		for (i = 0; i < ARRAY_SIZE(sfx); i++) {
			_cleanup_free_ char *from =
				xasprintf("%s%s", h->path, sfx[i]);

			aside = xasprintf("%s.corrupt-%s%s", h->path, stamp,
					  sfx[i]);
			rename(from, aside);
			free(aside);
		}
		snprintf(h->stats.last_error_text,
			 sizeof(h->stats.last_error_text),
			 "%s: database corrupt, moved aside to %s.corrupt-%s",
			 what, h->path, stamp);
	} else if (r == -EIO || r == -ENOENT || r == -EACCES) {
		/* Start over with a new connection next time. */
		history_close_db(h);
	}
	return r;
}

static int step_reset(struct history *h, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static int resolve_bms(struct history *h, struct history_bms *b)
{
	int rc;

	if (b->db_id)
		return SQLITE_OK;
	sqlite3_bind_text(h->st_bms_add, 1, b->name, -1, SQLITE_STATIC);
	rc = step_reset(h, h->st_bms_add);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(h->st_bms_get, 1, b->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(h->st_bms_get);
	if (rc == SQLITE_ROW)
		b->db_id = sqlite3_column_int64(h->st_bms_get, 0);
	sqlite3_reset(h->st_bms_get);
	/* The key leaves 10 bits for the BMS: more never fit one file. */
	if (rc == SQLITE_ROW && (b->db_id <= 0 || b->db_id >= HISTORY_BMS_MAX))
		return SQLITE_FULL;
	return rc == SQLITE_ROW    ? SQLITE_OK
	       : rc == SQLITE_DONE ? SQLITE_ERROR
				   : rc;
}

static void bind_cells(sqlite3_stmt *st, int idx, const uint16_t *cells,
		       unsigned n)
{
	uint8_t blob[2 * JK_CELLS_MAX];
	unsigned i;

	if (!n) {
		sqlite3_bind_null(st, idx);
		return;
	}
	for (i = 0; i < n; i++) {
		blob[2 * i] = (uint8_t)(cells[i] & 0xff);
		blob[2 * i + 1] = (uint8_t)(cells[i] >> 8);
	}
	sqlite3_bind_blob(st, idx, blob, (int)(2 * n), SQLITE_TRANSIENT);
}

static int write_sample(struct history *h, const struct history_row *row)
{
	sqlite3_stmt *st = h->st_sample;
	int64_t id = h->bms[row->bms].db_id;
	size_t i;
	int idx = 4;

	sqlite3_bind_int64(st, 1, HISTORY_KEY(row->t_ms, id));
	sqlite3_bind_int64(st, 2, row->t_ms);
	sqlite3_bind_int64(st, 3, id);
	for (i = 0; i < h->ncols; i++, idx++)
		if (row->set & (UINT64_C(1) << i))
			sqlite3_bind_int64(st, idx, row->val[i]);
	bind_cells(st, idx, row->cells, row->ncells);
	return step_reset(h, st);
}

/* Rounds to the nearest integer, halves away from zero. */
static int64_t avg_round(int64_t sum, unsigned n)
{
	int64_t q = sum / (int64_t)n, r = sum % (int64_t)n;

	if (2 * (r < 0 ? -r : r) >= (int64_t)n)
		q += sum < 0 ? -1 : 1;
	return q;
}

static int write_minute(struct history *h, const struct history_closed *c)
{
	const struct history_minute *m = &c->m;
	sqlite3_stmt *st = h->st_minute;
	int64_t id = h->bms[c->bms].db_id;
	uint16_t cells[JK_CELLS_MAX];
	size_t i;
	int idx = 5;

	sqlite3_bind_int64(st, 1, HISTORY_KEY(m->t_ms, id));
	sqlite3_bind_int64(st, 2, m->t_ms);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int64(st, 4, m->n);
	for (i = 0; i < h->ncols; i++) {
		enum history_agg agg = history_column_agg(h->cols[i]);

		if (agg != HISTORY_AGG_MMA) {
			if (m->cnt[i])
				sqlite3_bind_int64(st, idx,
						   agg == HISTORY_AGG_OR
							   ? m->sum[i]
							   : m->last[i]);
			idx++;
			continue;
		}
		if (m->cnt[i]) {
			sqlite3_bind_int64(st, idx, m->min[i]);
			sqlite3_bind_int64(st, idx + 1,
					   avg_round(m->sum[i], m->cnt[i]));
			sqlite3_bind_int64(st, idx + 2, m->max[i]);
		}
		idx += 3;
	}
	for (i = 0; i < m->ncells && m->ncells_n; i++)
		cells[i] = (uint16_t)avg_round(m->cells_sum[i], m->ncells_n);
	bind_cells(st, idx, cells, m->ncells_n ? m->ncells : 0);
	return step_reset(h, st);
}

static void bind_text_or_null(sqlite3_stmt *st, int idx, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
}

static int write_event(struct history *h, const struct history_event *e)
{
	sqlite3_stmt *st = e->audit ? h->st_audit : h->st_event;

	sqlite3_bind_int64(st, 1, e->t_ms);
	if (e->bms >= 0)
		sqlite3_bind_int64(st, 2, h->bms[e->bms].db_id);
	if (!e->audit) {
		sqlite3_bind_text(st, 3, e->kind, -1, SQLITE_STATIC);
		bind_text_or_null(st, 4, e->name);
		bind_text_or_null(st, 5, e->message);
		return step_reset(h, st);
	}
	bind_text_or_null(st, 3, e->source);
	bind_text_or_null(st, 4, e->origin);
	bind_text_or_null(st, 5, e->key);
	bind_text_or_null(st, 6, e->old_value);
	bind_text_or_null(st, 7, e->new_value);
	bind_text_or_null(st, 8, e->kind);
	bind_text_or_null(st, 9, e->message);
	return step_reset(h, st);
}

static int write_energy(struct history *h, struct history_bms *b)
{
	sqlite3_bind_int64(h->st_energy, 1, b->db_id);
	sqlite3_bind_int64(h->st_energy, 2, b->energy[0]);
	sqlite3_bind_int64(h->st_energy, 3, b->energy[1]);
	sqlite3_bind_int64(h->st_energy, 4,
			   (int64_t)(history_now(h) / USEC_PER_MSEC));
	return step_reset(h, h->st_energy);
}

static int write_batch(struct history *h, bool minutes, bool energy)
{
	size_t i;
	int rc = SQLITE_OK;

	for (i = 0; i < h->nbms && rc == SQLITE_OK; i++)
		rc = resolve_bms(h, &h->bms[i]);
	for (i = 0; !h->cfg.skip_samples && i < h->samples.n && rc == SQLITE_OK;
	     i++)
		rc = write_sample(h, fifo_at(&h->samples, i));
	for (i = 0; minutes && !h->cfg.skip_minutes && i < h->minutes.n &&
		    rc == SQLITE_OK;
	     i++)
		rc = write_minute(h, fifo_at(&h->minutes, i));
	for (i = 0; i < h->events.n && rc == SQLITE_OK; i++)
		rc = write_event(h, fifo_at(&h->events, i));
	for (i = 0; energy && i < h->nbms && rc == SQLITE_OK; i++)
		if (h->bms[i].energy_dirty)
			rc = write_energy(h, &h->bms[i]);
	return rc;
}

static int flush(struct history *h, bool final)
{
	uint64_t t0 = now_usec(), dt;
	bool energy, minutes;
	size_t i;
	int rc, r;

	history_minutes_close(h, (int64_t)(history_now(h) / USEC_PER_MSEC),
			      final);
	if (!h->db) {
		r = history_open_db(h);
		if (r < 0) {
			h->stats.flush_failures++;
			return r;
		}
	}
	energy = final || h->flush_count % ENERGY_EVERY_FLUSHES == 0;
	minutes = final || h->flush_count % MINUTES_EVERY_FLUSHES == 0 ||
		  h->minutes.n * 2 >= h->minutes.max;
	if (!h->samples.n && !(minutes && h->minutes.n) && !h->events.n &&
	    !energy)
		return 0;

	rc = sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = write_batch(h, minutes, energy);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		r = history_fail(h, rc, "write");
		if (h->db && !sqlite3_get_autocommit(h->db))
			sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
		/* Ids given inside the rolled-back transaction are void. */
		for (i = 0; i < h->nbms; i++)
			h->bms[i].db_id = 0;
		h->stats.flush_failures++;
		return r;
	}

	if (h->samples.n) {
		const struct history_row *last =
			fifo_at(&h->samples, h->samples.n - 1);

		h->stats.last_sample_ms = last->t_ms;
	}
	h->stats.samples_written += h->samples.n;
	if (minutes) {
		h->stats.minutes_written += h->minutes.n;
		fifo_clear(&h->minutes);
	}
	h->stats.events_written += h->events.n;
	h->stats.flushes++;
	h->flush_count++;
	fifo_clear(&h->samples);
	fifo_clear(&h->events);
	for (i = 0; energy && i < h->nbms; i++)
		h->bms[i].energy_dirty = false;
	dt = now_usec() - t0;
	h->stats.last_flush_usec = dt;
	if (dt > h->stats.max_flush_usec)
		h->stats.max_flush_usec = dt;
	h->stats.last_error = 0;
	return 0;
}

int history_flush(struct history *h)
{
	return flush(h, false);
}

struct history *history_new(const struct history_config *cfg, int *ret_err)
{
	struct history *h = xcalloc(1, sizeof(*h));
	size_t max;
	int r;

	h->cfg = *cfg;
	h->path = xstrdup(cfg->path);
	h->cfg.path = h->path;
	if (!h->cfg.clock)
		h->cfg.clock = real_clock;
	if (!h->cfg.retention_period_usec)
		h->cfg.retention_period_usec = HISTORY_RETENTION_PERIOD;
	max = cfg->batch_max ? cfg->batch_max : HISTORY_BATCH_MAX;
	h->ncols = history_columns(h->cols);
	fifo_init(&h->samples, sizeof(struct history_row), max);
	fifo_init(&h->minutes, sizeof(struct history_closed), max / 6 + 1);
	fifo_init(&h->events, sizeof(struct history_event), HISTORY_EVENTS_MAX);
	r = history_open_db(h);
	if (ret_err)
		*ret_err = r;
	return h;
}

struct history *history_free(struct history *h)
{
	size_t i;

	if (!h)
		return NULL;
	flush(h, true);
	history_close_db(h);
	fifo_free(&h->samples);
	fifo_free(&h->minutes);
	fifo_free(&h->events);
	for (i = 0; i < h->nbms; i++)
		free(h->bms[i].name);
	free(h->bms);
	free(h->path);
	free(h);
	return NULL;
}

bool history_is_open(const struct history *h)
{
	return h->db != NULL;
}

const char *history_path(const struct history *h)
{
	return h->path;
}

void history_get_stats(const struct history *h, struct history_stats *ret)
{
	*ret = h->stats;
	ret->pending = h->samples.n;
}

int history_debug_exec(struct history *h, const char *sql)
{
	if (!h->db)
		return -ENOENT;
	return history_exec(h->db, sql);
}

const char *history_get_error(const struct history *h)
{
	return h->stats.last_error_text;
}
