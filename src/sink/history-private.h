/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internals of the history writer, shared by its files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jkbms/fields.h"
#include "jkbms/log.h"

#include "sink/history.h"

struct sqlite3;
struct sqlite3_stmt;

#define MSEC_PER_MINUTE 60000

/* One raw sample, or one closed minute (then val holds the aggregates). */
struct history_row {
	int64_t t_ms;
	unsigned bms; /* index in history.bms */
	uint64_t set; /* bit i: column i has a value */
	int64_t val[HISTORY_COLS_MAX];
	uint8_t ncells;
	uint16_t cells[JK_CELLS_MAX];
};

/* The minute being accumulated for one BMS. */
struct history_minute {
	int64_t t_ms; /* minute start; -1: none */
	unsigned n;   /* samples */
	unsigned cnt[HISTORY_COLS_MAX];
	int64_t min[HISTORY_COLS_MAX], max[HISTORY_COLS_MAX];
	int64_t sum[HISTORY_COLS_MAX], last[HISTORY_COLS_MAX];
	unsigned ncells_n; /* samples with cells */
	uint8_t ncells;
	int64_t cells_sum[JK_CELLS_MAX];
};

struct history_closed {
	struct history_minute m;
	unsigned bms;
};

struct history_event {
	int64_t t_ms;
	int bms; /* -1: none */
	bool audit;
	char kind[24];
	char name[48];
	char message[200];
	/* audit only */
	char source[16], origin[64], key[40], old_value[32], new_value[32];
};

struct history_bms {
	char *name;
	int64_t db_id; /* 0: not yet known in this connection */
	struct history_minute minute;
	bool have_energy;
	int64_t energy[2]; /* newest counters seen */
	bool energy_dirty;
};

/* A growable FIFO of fixed-size items, bounded (oldest dropped). */
struct history_fifo {
	void *items;
	size_t size, head, n, cap, max;
};

struct history {
	char *path;
	struct history_config cfg;
	struct sqlite3 *db;
	struct sqlite3_stmt *st_sample, *st_minute, *st_event, *st_audit,
		*st_energy, *st_bms_add, *st_bms_get;
	enum field_id cols[HISTORY_COLS_MAX];
	size_t ncols;
	struct history_bms *bms;
	size_t nbms;
	struct history_fifo samples, minutes, events;
	unsigned flush_count;
	uint64_t retention_next_usec;
	bool rebuilt; /* minutes rebuilt once, at the first open */
	struct history_stats stats;
};

/* history-schema.c */
int history_exec(struct sqlite3 *db, const char *sql);
int history_create_tables(struct sqlite3 *db);
/* history-migrate.c: version 1 -> current, one transaction. */
int history_migrate_v1(struct sqlite3 *db);
/* Aggregates of minutes after the newest in minutes, from raw rows. */
int history_rebuild_minutes(struct sqlite3 *db);

/* history-writer.c */
int history_open_db(struct history *h);
void history_close_db(struct history *h);
int history_fail(struct history *h, int rc, const char *what);

/* history-batch.c */
void fifo_init(struct history_fifo *f, size_t size, size_t max);
void fifo_free(struct history_fifo *f);
/* Appends a slot; if full, the oldest is dropped first (*ret_dropped). */
void *fifo_push(struct history_fifo *f, bool *ret_dropped);
void *fifo_at(struct history_fifo *f, size_t i);
void fifo_clear(struct history_fifo *f);
unsigned history_bms_index(struct history *h, const char *name);
void history_minute_add(struct history *h, struct history_bms *b,
			const struct history_row *row);
/* Moves minutes that ended before now_ms to the closed list. */
void history_minutes_close(struct history *h, int64_t now_ms, bool all);
