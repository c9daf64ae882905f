/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The history database (DESIGN "History"): raw samples as wide rows of
 * scaled integers, 1-minute min/avg/max aggregates, events, settings
 * audit and energy counters in one SQLite file. This is the writer's
 * core: it knows nothing of the event loop or of devices; it is given
 * samples and events, stamps them with its clock (a function pointer, so
 * tests and benchmarks run simulated time) and writes them in one
 * transaction per history_flush(). What cannot be written stays in a
 * bounded in-memory batch; what the bound drops is counted.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jkbms/fields.h"

struct audit_record;
struct history;
struct sqlite3;

/* The schema this build writes (PRAGMA user_version). */
#define HISTORY_SCHEMA_VERSION   2
/* Pending rows kept while the database cannot be written. */
#define HISTORY_BATCH_MAX        20000
#define HISTORY_EVENTS_MAX       2000
#define HISTORY_RETENTION_PERIOD (UINT64_C(3600) * 1000000)

typedef uint64_t (*history_clock_func_t)(void *userdata);

struct history_config {
	const char *path;
	uint64_t raw_retention_usec;       /* 0: forever */
	uint64_t aggregate_retention_usec; /* 0: forever */
	/* How often retention runs a pass; 0: HISTORY_RETENTION_PERIOD */
	uint64_t retention_period_usec;
	/* CLOCK_REALTIME microseconds; NULL: the real clock */
	history_clock_func_t clock;
	void *clock_data;
	size_t batch_max; /* 0: HISTORY_BATCH_MAX */
	/* Measurements only (bench): leave out raw rows or aggregates. */
	bool skip_samples, skip_minutes;
};

struct history_stats {
	uint64_t samples;         /* accepted into the batch */
	uint64_t samples_written; /* committed */
	uint64_t minutes_written;
	uint64_t events_written;
	uint64_t samples_dropped; /* batch full: oldest dropped */
	uint64_t events_dropped;
	uint64_t minutes_dropped; /* closed minutes (rebuilt from raw rows) */
	uint64_t flushes; /* committed transactions */
	uint64_t flush_failures;
	uint64_t retention_deleted;
	uint64_t last_flush_usec; /* duration of the last flush (real) */
	uint64_t max_flush_usec;
	size_t pending;         /* samples waiting in the batch */
	int64_t last_sample_ms; /* newest committed sample, Unix ms */
	int last_error;         /* negative errno of the last failure */
	char last_error_text[160];
};

/*
 * Opens (creating or migrating) the database. The struct is returned even
 * when the file cannot be opened now (ret_err < 0 says why): samples are
 * then batched and every flush tries to open it again.
 */
struct history *history_new(const struct history_config *cfg, int *ret_err);
/* Flushes what it can and closes; NULL-safe; returns NULL. */
struct history *history_free(struct history *h);
bool history_is_open(const struct history *h);
const char *history_path(const struct history *h);
uint64_t history_now(const struct history *h);

/* A raw sample of bms at the clock's time (to the whole second). */
void history_add_sample(struct history *h, const char *bms,
			const struct field_values *v);
/*
 * An event: kind is "alarm_raised", "alarm_cleared", "link_up",
 * "link_down", "password_failure", ...; name the alarm or state, may be
 * NULL; bms NULL for gateway events.
 */
void history_add_event(struct history *h, const char *bms, const char *kind,
		       const char *name, const char *message);
/* A settings write; source and outcome by name (write_source_name()...). */
void history_add_audit(struct history *h, const struct audit_record *rec,
		       const char *source, const char *outcome);
/*
 * Writes the batch in one transaction, with the 1-minute aggregates of
 * minutes that ended. 0, or a negative errno (the batch is kept):
 * -ENOSPC full, -EIO I/O error, -EBUSY locked, -EBADMSG corrupt (the file
 * was moved aside and a new one is started next time), -ENOENT not open.
 */
int history_flush(struct history *h);
/*
 * Deletes one small chunk of rows older than the retention; returns 1 if
 * more remain, 0 when done, or a negative errno.
 */
int history_retention_step(struct history *h);
/*
 * The persisted energy counters of bms (kWh * 10^6): the highest of the
 * energy table and the newest sample and aggregate. -ENOENT if none.
 */
int history_energy_load(struct history *h, const char *bms,
			int64_t *ret_charged, int64_t *ret_discharged);
void history_get_stats(const struct history *h, struct history_stats *ret);
/* What the last failure was, for people ("" if none). */
const char *history_get_error(const struct history *h);
/* Runs SQL on the writer's connection (tests: max_page_count). */
int history_debug_exec(struct history *h, const char *sql);

/* The schema, shared by the writer, the migrations and the reader. */
enum history_agg {
	HISTORY_AGG_MMA,  /* min, avg, max */
	HISTORY_AGG_LAST, /* counters: the last value */
	HISTORY_AGG_OR,   /* bit masks: any bit seen */
};

#define HISTORY_COLS_MAX          40
/* The rowid of samples and minutes; BMS ids stay below HISTORY_BMS_MAX. */
#define HISTORY_BMS_MAX           1024
#define HISTORY_KEY(t_ms, bms_id) ((t_ms)*HISTORY_BMS_MAX + (bms_id))

/* The integer columns of samples (F_HISTORY fields but the cell list). */
size_t history_columns(enum field_id ids[HISTORY_COLS_MAX]);
enum history_agg history_column_agg(enum field_id id);

/*
 * Pragmas every connection sets (WAL, synchronous=NORMAL,
 * journal_size_limit, busy_timeout). 0 or a negative errno.
 */
int history_db_configure(struct sqlite3 *db, bool readonly,
			 unsigned busy_timeout_ms);
/* Creates the current schema in an empty database or migrates it. */
int history_db_prepare(struct sqlite3 *db, char *err, size_t errsize);
/* The schema version 1, for migration tests: creates it in db. */
int history_db_create_v1(struct sqlite3 *db);
/* Maps an SQLite result code to a negative errno. */
int history_sqlite_errno(int rc);

/*
 * The reader (history-read.c), for jkbmsctl: the database opened
 * read-only, so it works while the daemon writes.
 */
struct history_sample {
	int64_t t_ms;
	const char *bms;
	struct field_values v; /* the history fields present in the row */
};

typedef int (*history_sample_func_t)(const struct history_sample *s,
				     void *userdata);

struct history_query {
	const char *bms;  /* NULL: every BMS */
	int64_t since_ms; /* t >= since */
	int64_t until_ms; /* t < until */
	int64_t every_ms; /* 0: raw samples; else buckets of this length */
};

/* [history] path of a config file (only that key is read), or the default. */
char *history_conf_path(const char *conf_file);
/*
 * The database path for a configured one: the default path moves to
 * $STATE_DIRECTORY (systemd's StateDirectory=) when that is set.
 */
char *history_resolve_path(const char *path);
/* Opens path read-only and checks the schema; err says why not. */
int history_reader_open(const char *path, struct sqlite3 **ret, char *err,
			size_t errsize);
/*
 * Calls fn for each sample (or bucket: averages, counters' last value,
 * alarm bits ORed; cells averaged) in time order; stops at fn's negative
 * return. Buckets of whole minutes come from the 1-minute aggregates.
 */
int history_read_samples(struct sqlite3 *db, const struct history_query *q,
			 history_sample_func_t fn, void *userdata);
/* Does the database know this BMS? */
bool history_has_bms(struct sqlite3 *db, const char *bms);
/* Registers jk_bit_or() and jk_cells_avg() on a connection. */
int history_db_functions(struct sqlite3 *db);

/*
 * "24h" (that long ago), "now", "@1767225600" (Unix seconds),
 * "2026-01-31", "2026-01-31 12:00[:00]" or with a T (local time).
 */
int history_parse_time(const char *s, uint64_t now_usec, int64_t *ret_ms);
/* ISO 8601 in local time with its offset: 2026-01-31T12:00:00+01:00. */
char *history_format_time(int64_t t_ms, char *buf, size_t size);
