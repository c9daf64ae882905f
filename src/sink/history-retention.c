/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Upkeep of the history database: retention deletes in small chunks (each
 * its own short transaction, so the event loop never waits long and a
 * reader never sees a long lock), pages given back with incremental
 * vacuum only when the free list has grown large (in steady state new rows
 * reuse the freed pages: moving pages around would only wear the card),
 * and the energy counters read back at start.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "jkbms/util.h"

#include "sink/history-private.h"

#define RETENTION_CHUNK 1000
#define VACUUM_MIN_FREE 256 /* pages */
#define VACUUM_STEP     128

static int query_i64(sqlite3 *db, const char *sql, int64_t *ret)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	*ret = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/*
 * Deletes up to about RETENTION_CHUNK rows whose key (the rowid of the
 * wide tables, t of the others) is below cutoff; the count.
 */
static int delete_chunk(struct history *h, const char *table, const char *key,
			int64_t cutoff, int *ret_deleted)
{
	_cleanup_free_ char *q = xasprintf(
		"SELECT %s FROM %s WHERE %s < ?1 ORDER BY %s LIMIT 1 OFFSET %d",
		key, table, key, key, RETENTION_CHUNK - 1);
	_cleanup_free_ char *d = xasprintf(
		"DELETE FROM %s WHERE %s <= ?1 AND %s < ?2", table, key, key);
	sqlite3_stmt *st;
	int64_t bound = cutoff;
	int rc;

	rc = sqlite3_prepare_v2(h->db, q, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, cutoff);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		bound = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;

	rc = sqlite3_prepare_v2(h->db, d, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, bound);
	sqlite3_bind_int64(st, 2, cutoff);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	*ret_deleted = sqlite3_changes(h->db);
	return SQLITE_OK;
}

static int vacuum_step(struct history *h, bool *ret_more)
{
	int64_t free_pages = 0, pages = 0;
	char sql[64];
	int rc;

	*ret_more = false;
	rc = query_i64(h->db, "PRAGMA freelist_count", &free_pages);
	if (rc == SQLITE_OK)
		rc = query_i64(h->db, "PRAGMA page_count", &pages);
	if (rc != SQLITE_OK)
		return rc;
	if (free_pages < VACUUM_MIN_FREE || free_pages * 4 < pages)
		return SQLITE_OK;
	snprintf(sql, sizeof(sql), "PRAGMA incremental_vacuum(%d)",
		 VACUUM_STEP);
	rc = sqlite3_exec(h->db, sql, NULL, NULL, NULL);
	*ret_more = rc == SQLITE_OK;
	return rc;
}

int history_retention_step(struct history *h)
{
	const struct {
		const char *table, *key;
		int64_t scale;
		uint64_t keep_usec;
	} tables[] = {
		{ "samples", "id", HISTORY_BMS_MAX, h->cfg.raw_retention_usec },
		{ "minutes", "id", HISTORY_BMS_MAX,
		  h->cfg.aggregate_retention_usec },
		{ "events", "t", 1, h->cfg.aggregate_retention_usec },
		{ "audit", "t", 1, h->cfg.aggregate_retention_usec },
	};
	uint64_t now = history_now(h);
	bool more;
	size_t i;
	int rc;

	/*
	 * A pass now and then, not after every flush: deleting an hour of
	 * rows frees whole pages at once, where deleting a minute's rows
	 * each flush would rewrite the oldest page every time.
	 */
	if (!h->db || now < h->retention_next_usec)
		return 0;
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		int deleted = 0;

		if (!tables[i].keep_usec || tables[i].keep_usec >= now)
			continue;
		rc = delete_chunk(
			h, tables[i].table, tables[i].key,
			(int64_t)((now - tables[i].keep_usec) / USEC_PER_MSEC) *
				tables[i].scale,
			&deleted);
		if (rc != SQLITE_OK)
			return history_fail(h, rc, "retention");
		h->stats.retention_deleted += (uint64_t)deleted;
		if (deleted >= RETENTION_CHUNK)
			return 1;
	}
	rc = vacuum_step(h, &more);
	if (rc != SQLITE_OK)
		return history_fail(h, rc, "incremental vacuum");
	if (!more)
		h->retention_next_usec = now + h->cfg.retention_period_usec;
	return more ? 1 : 0;
}

/* Raises c/d to the pair a statement returns, if it returns one. */
static int raise_to(sqlite3 *db, const char *sql, int64_t id, int64_t *c,
		    int64_t *d, bool *found)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
	    sqlite3_column_type(st, 1) != SQLITE_NULL) {
		int64_t a = sqlite3_column_int64(st, 0);
		int64_t b = sqlite3_column_int64(st, 1);

		if (!*found || a > *c)
			*c = a;
		if (!*found || b > *d)
			*d = b;
		*found = true;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int history_energy_load(struct history *h, const char *bms,
			int64_t *ret_charged, int64_t *ret_discharged)
{
	static const char *const sources[] = {
		"SELECT charged, discharged FROM energy WHERE bms_id = ?",
		"SELECT energy_charged, energy_discharged FROM samples "
		"WHERE bms_id = ? AND energy_charged IS NOT NULL "
		"ORDER BY id DESC LIMIT 1",
		"SELECT energy_charged, energy_discharged FROM minutes "
		"WHERE bms_id = ? AND energy_charged IS NOT NULL "
		"ORDER BY id DESC LIMIT 1",
	};
	unsigned idx = history_bms_index(h, bms);
	struct history_bms *b = &h->bms[idx];
	int64_t c = 0, d = 0, id = 0;
	bool found = false;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if (b->have_energy) {
		c = b->energy[0];
		d = b->energy[1];
		found = true;
	}
	if (!h->db && history_open_db(h) < 0)
		goto out;
	rc = sqlite3_prepare_v2(h->db, "SELECT id FROM bms WHERE name = ?", -1,
				&st, NULL);
	if (rc != SQLITE_OK) {
		history_fail(h, rc, "energy");
		goto out;
	}
	sqlite3_bind_text(st, 1, bms, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	for (i = 0; id && i < ARRAY_SIZE(sources); i++) {
		rc = raise_to(h->db, sources[i], id, &c, &d, &found);
		if (rc != SQLITE_OK) {
			history_fail(h, rc, "energy");
			break;
		}
	}
out:
	if (!found)
		return -ENOENT;
	*ret_charged = c;
	*ret_discharged = d;
	return 0;
}
