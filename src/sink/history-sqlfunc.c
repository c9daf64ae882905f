/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SQL functions the history queries and migrations need and SQLite lacks:
 * an OR of alarm bit masks, the average of cell-voltage BLOBs (per cell),
 * and version 1's cell text turned into a BLOB. Registered on every
 * connection that runs such a query.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sink/history-private.h"

/* jk_cells_blob('3301,3302'): version 1's text to little-endian u16. */
static void cells_blob(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	uint8_t blob[2 * JK_CELLS_MAX];
	int n = 0;

	if (!s || !*s) {
		sqlite3_result_null(ctx);
		return;
	}
	while (*s && n < JK_CELLS_MAX) {
		char *end;
		long mv = strtol(s, &end, 10);

		if (end == s)
			break;
		if (mv < 0)
			mv = 0;
		if (mv > 65535)
			mv = 65535;
		blob[2 * n] = (uint8_t)(mv & 0xff);
		blob[2 * n + 1] = (uint8_t)(mv >> 8);
		n++;
		s = *end == ',' ? end + 1 : end;
	}
	if (!n)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_blob(ctx, blob, 2 * n, SQLITE_TRANSIENT);
}

/* jk_bit_or(x): the OR of the non-NULL values, NULL if none. */
static void bit_or_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t *acc;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	acc = sqlite3_aggregate_context(ctx, 2 * sizeof(int64_t));
	if (!acc)
		return;
	acc[0] |= sqlite3_value_int64(argv[0]);
	acc[1] = 1;
}

static void bit_or_final(sqlite3_context *ctx)
{
	int64_t *acc = sqlite3_aggregate_context(ctx, 0);

	if (acc && acc[1])
		sqlite3_result_int64(ctx, acc[0]);
	else
		sqlite3_result_null(ctx);
}

struct cells_acc {
	unsigned n, ncells;
	int64_t sum[JK_CELLS_MAX];
};

/* jk_cells_avg(blob): per-cell averages of the blobs of one cell count. */
static void cells_avg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const uint8_t *b = sqlite3_value_blob(argv[0]);
	int len = sqlite3_value_bytes(argv[0]);
	struct cells_acc *acc;
	unsigned i, n;

	if (!b || len < 2)
		return;
	acc = sqlite3_aggregate_context(ctx, sizeof(*acc));
	if (!acc)
		return;
	n = (unsigned)len / 2;
	if (n > JK_CELLS_MAX)
		n = JK_CELLS_MAX;
	if (acc->ncells != n) {
		/* The cell count changed: the newest count wins. */
		memset(acc, 0, sizeof(*acc));
		acc->ncells = n;
	}
	for (i = 0; i < n; i++)
		acc->sum[i] += b[2 * i] | b[2 * i + 1] << 8;
	acc->n++;
}

static void cells_avg_final(sqlite3_context *ctx)
{
	struct cells_acc *acc = sqlite3_aggregate_context(ctx, 0);
	uint8_t blob[2 * JK_CELLS_MAX];
	unsigned i;

	if (!acc || !acc->n) {
		sqlite3_result_null(ctx);
		return;
	}
	for (i = 0; i < acc->ncells; i++) {
		int64_t v = (acc->sum[i] + acc->n / 2) / acc->n;

		blob[2 * i] = (uint8_t)(v & 0xff);
		blob[2 * i + 1] = (uint8_t)(v >> 8);
	}
	sqlite3_result_blob(ctx, blob, (int)(2 * acc->ncells),
			    SQLITE_TRANSIENT);
}

int history_db_functions(sqlite3 *db)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	if (sqlite3_create_function(db, "jk_cells_blob", 1, flags, NULL,
				    cells_blob, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "jk_bit_or", 1, flags, NULL, NULL,
				    bit_or_step, bit_or_final) != SQLITE_OK ||
	    sqlite3_create_function(db, "jk_cells_avg", 1, flags, NULL, NULL,
				    cells_avg_step,
				    cells_avg_final) != SQLITE_OK)
		return -ENOMEM;
	return 0;
}
