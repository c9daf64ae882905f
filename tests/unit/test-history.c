/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The history writer in simulated time, on real SQLite files: simulated
 * BMSs sampled every 10 s for hours, flushed every minute; the rows and
 * the 1-minute aggregates counted and checked against each other;
 * retention; energy counters across reopening; migration from version 1;
 * a full database, a missing directory and a corrupt file survived
 * without losing the batch.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "jkbms/sim.h"
#include "jkbms/state.h"
#include "jkbms/util.h"

#include "sink/history.h"

#define T0_USEC (UINT64_C(1767225600) * 1000000) /* 2026-01-01 00:00 UTC */
#define S       UINT64_C(1000000)

struct fixture {
	char dir[64];
	char path[96];
	uint64_t now;
	struct sim_bms *sim[2];
	int64_t energy;
};

static uint64_t fake_clock(void *userdata)
{
	return ((struct fixture *)userdata)->now;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct conf_sim c = { .chemistry = SIM_LFP,
			      .cells = 16,
			      .capacity_mah = 280000,
			      .profile = SIM_PROFILE_SOLAR,
			      .seed = 1,
			      .time_scale = 1.0 };

	snprintf(f->dir, sizeof(f->dir), "/tmp/test-history.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/history.db", f->dir);
	f->now = T0_USEC;
	f->sim[0] = sim_new(&c, JK_VARIANT_JK02_32S, "house-1");
	c.seed = 2;
	c.cells = 8;
	f->sim[1] = sim_new(&c, JK_VARIANT_JK02_24S, "shed-1");
	assert_non_null(f->sim[0]);
	assert_non_null(f->sim[1]);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	sim_free(f->sim[0]);
	sim_free(f->sim[1]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static struct history *open_history(struct fixture *f, uint64_t raw,
				    uint64_t agg, int *ret_err)
{
	struct history_config cfg = {
		.path = f->path,
		.raw_retention_usec = raw,
		.aggregate_retention_usec = agg,
		.clock = fake_clock,
		.clock_data = f,
		.retention_period_usec = 1, /* a pass on every call */
	};

	return history_new(&cfg, ret_err);
}

static void sample(struct fixture *f, struct history *h, unsigned i)
{
	static const char *const names[] = { "house-1", "shed-1" };
	struct field_values v;

	sim_values(f->sim[i], &v);
	state_derive(&v);
	f->energy += 7;
	field_set_num(&v, FIELD_ENERGY_CHARGED, f->energy);
	field_set_num(&v, FIELD_ENERGY_DISCHARGED, f->energy / 2);
	history_add_sample(h, names[i], &v);
}

/* Runs seconds of simulated time: samples every 10 s, flushes every 60 s. */
static void run(struct fixture *f, struct history *h, unsigned seconds,
		unsigned nbms)
{
	unsigned s, i;

	for (s = 10; s <= seconds; s += 10) {
		for (i = 0; i < nbms; i++) {
			sim_step(f->sim[i], 10 * S);
			sample(f, h, i);
		}
		f->now += 10 * S;
		if (s % 60 == 0) {
			unsigned steps = 0;

			assert_int_equal(history_flush(h), 0);
			while (history_retention_step(h) > 0 && steps < 1000)
				steps++;
		}
	}
}

static int64_t q(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static bool qs(const char *path, const char *sql, const char *want)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	bool same = false;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		same = t && strcmp(t, want) == 0;
		if (!same)
			fprintf(stderr, "# %s: '%s', expected '%s'\n", sql,
				t ? t : "NULL", want);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return same;
}

static void test_simulated_hours(void **state)
{
	struct fixture *f = *state;
	struct history_stats st;
	struct history *h;
	int err;

	h = open_history(f, 0, 0, &err);
	assert_int_equal(err, 0);
	run(f, h, 3 * 3600, 2);
	history_get_stats(h, &st);
	assert_int_equal(st.samples, 2 * 3 * 360);
	assert_int_equal(st.samples_dropped, 0);
	h = history_free(h);

	assert_int_equal(q(f->path, "PRAGMA user_version"), 2);
	assert_true(qs(f->path, "PRAGMA journal_mode", "wal"));
	assert_int_equal(q(f->path, "PRAGMA auto_vacuum"), 2);
	assert_int_equal(q(f->path, "SELECT count(*) FROM samples"), 2160);
	assert_int_equal(q(f->path, "SELECT count(*) FROM minutes"), 360);
	assert_int_equal(q(f->path, "SELECT count(*) FROM minutes "
				    "WHERE n != 6"),
			 0);
	/* Every aggregate is that of its raw rows. */
	assert_int_equal(
		q(f->path,
		  "SELECT count(*) FROM minutes m JOIN (SELECT t / 60000 * "
		  "60000 AS mt, bms_id, min(voltage) AS mn, max(voltage) AS "
		  "mx, CAST(round(avg(voltage)) AS INTEGER) AS av, "
		  "max(energy_charged) AS e, min(soc) AS smin FROM samples "
		  "GROUP BY 1, 2) s ON m.t = s.mt AND m.bms_id = s.bms_id "
		  "WHERE m.voltage_min = s.mn AND m.voltage_max = s.mx AND "
		  "m.voltage_avg = s.av AND m.energy_charged = s.e AND "
		  "m.soc_min = s.smin"),
		360);
	assert_int_equal(q(f->path, "SELECT length(cell_voltage) FROM samples "
				    "WHERE bms_id = (SELECT id FROM bms WHERE "
				    "name = 'house-1') LIMIT 1"),
			 32);
	assert_int_equal(q(f->path, "SELECT length(cell_voltage) FROM minutes "
				    "WHERE bms_id = (SELECT id FROM bms WHERE "
				    "name = 'shed-1') LIMIT 1"),
			 16);
	assert_int_equal(q(f->path, "SELECT min(t) FROM samples"),
			 (int64_t)(T0_USEC / 1000));
	assert_true(qs(f->path, "PRAGMA integrity_check", "ok"));
}

/* Minutes a crash took before they were written come back from raw rows. */
static void test_rebuild_minutes(void **state)
{
	struct fixture *f = *state;
	struct history *h;
	sqlite3 *db;
	int err;

	h = open_history(f, 0, 0, &err);
	run(f, h, 1800, 2);
	h = history_free(h);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TABLE keep AS SELECT * FROM "
				      "minutes; DELETE FROM minutes WHERE "
				      "t >= (SELECT min(t) + 600000 FROM "
				      "minutes)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(q(f->path, "SELECT count(*) FROM minutes"), 20);

	h = open_history(f, 0, 0, &err);
	assert_int_equal(err, 0);
	h = history_free(h);
	assert_int_equal(q(f->path, "SELECT count(*) FROM minutes"), 60);
	/* The same rows as written the first time, cells and all. */
	assert_int_equal(q(f->path, "SELECT count(*) FROM (SELECT * FROM keep "
				    "EXCEPT SELECT * FROM minutes)"),
			 0);
}

static void test_retention(void **state)
{
	struct fixture *f = *state;
	struct history *h;
	int err;

	/* Raw rows for an hour, aggregates for two. */
	h = open_history(f, 3600 * S, 7200 * S, &err);
	assert_int_equal(err, 0);
	run(f, h, 4 * 3600, 1);
	history_add_event(h, "house-1", "link_up", NULL, "online");
	h = history_free(h);
	/* Rows of the last hour survive. */
	assert_int_equal(q(f->path, "SELECT count(*) FROM samples"), 360);
	assert_int_equal(q(f->path, "SELECT count(*) FROM minutes"), 120);
	assert_int_equal(q(f->path, "SELECT count(*) FROM events"), 1);
}

static void test_energy_reload(void **state)
{
	struct fixture *f = *state;
	struct field_values v;
	struct history *h;
	int64_t c = 0, d = 0;
	int err;

	h = open_history(f, 0, 0, &err);
	assert_int_equal(history_energy_load(h, "house-1", &c, &d), -ENOENT);
	run(f, h, 600, 1);
	h = history_free(h);

	h = open_history(f, 0, 0, &err);
	assert_int_equal(history_energy_load(h, "house-1", &c, &d), 0);
	assert_int_equal(c, f->energy);
	assert_int_equal(d, f->energy / 2);
	/* A counter that went back (lost state) never lowers the stored. */
	field_values_reset(&v);
	field_set_num(&v, FIELD_ENERGY_CHARGED, 1);
	field_set_num(&v, FIELD_ENERGY_DISCHARGED, 1);
	f->now += 10 * S;
	history_add_sample(h, "house-1", &v);
	h = history_free(h);
	assert_int_equal(q(f->path, "SELECT charged FROM energy"), f->energy);
	h = open_history(f, 0, 0, &err);
	assert_int_equal(history_energy_load(h, "house-1", &c, &d), 0);
	assert_int_equal(c, f->energy);
	h = history_free(h);
}

static void test_migration_v1(void **state)
{
	struct fixture *f = *state;
	struct history *h;
	sqlite3 *db;
	char sql[256];
	unsigned i;
	int err;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(history_db_create_v1(db), 0);
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO bms VALUES (1, 'old-1');"
				      "INSERT INTO events VALUES (1767225600, "
				      "1, 'link_up', 'online');"
				      "INSERT INTO energy VALUES (1, 5000, "
				      "4000, 1767225600);",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	/* Two minutes of 5 s samples with alarm bits 1 then 4. */
	for (i = 0; i < 24; i++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO samples (t, bms_id, voltage, alarm_bits, "
			 "energy_charged, energy_discharged, cell_voltage) "
			 "VALUES (%u, 1, %u, %u, %u, 3000, '3301,3302,3303')",
			 1767225600 + 5 * i, 52000 + i, i < 6 ? 1 : 4,
			 5000 + i);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL),
				 SQLITE_OK);
	}
	sqlite3_close(db);

	h = open_history(f, 0, 0, &err);
	assert_int_equal(err, 0);
	h = history_free(h);
	assert_int_equal(q(f->path, "PRAGMA user_version"), 2);
	assert_int_equal(q(f->path, "PRAGMA auto_vacuum"), 2);
	assert_int_equal(q(f->path, "SELECT count(*) FROM samples"), 24);
	assert_int_equal(q(f->path, "SELECT min(t) FROM samples"),
			 INT64_C(1767225600000));
	assert_true(qs(f->path, "SELECT hex(cell_voltage) FROM samples LIMIT 1",
		       "E50CE60CE70C"));
	assert_int_equal(q(f->path, "SELECT length(cell_voltage) FROM samples "
				    "LIMIT 1"),
			 6);
	assert_int_equal(q(f->path, "SELECT count(*) FROM minutes"), 2);
	assert_int_equal(q(f->path, "SELECT alarm_bits FROM minutes "
				    "ORDER BY t LIMIT 1"),
			 5);
	assert_int_equal(q(f->path, "SELECT voltage_max FROM minutes "
				    "ORDER BY t LIMIT 1"),
			 52011);
	assert_int_equal(q(f->path, "SELECT count(*) FROM events WHERE "
				    "t = 1767225600000"),
			 1);
	assert_int_equal(q(f->path, "SELECT t FROM energy"),
			 INT64_C(1767225600000));
	assert_int_equal(q(f->path, "SELECT count(*) FROM sqlite_master "
				    "WHERE name LIKE '%_v1'"),
			 0);
	/* Columns version 1 lacked exist now. */
	assert_int_equal(q(f->path, "SELECT count(*) FROM pragma_table_info("
				    "'samples') WHERE name = 'temperature_5'"),
			 1);
}

static void test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	struct history *h;
	sqlite3 *db;
	int err;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TABLE x (a); "
				      "PRAGMA user_version=99",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	h = open_history(f, 0, 0, &err);
	assert_int_equal(err, -EPROTONOSUPPORT);
	assert_false(history_is_open(h));
	h = history_free(h);
	assert_int_equal(q(f->path, "PRAGMA user_version"), 99);
}

/* No directory yet: the batch is kept (bounded, counted) until there is. */
static void test_unavailable_then_back(void **state)
{
	struct fixture *f = *state;
	struct history_config cfg = { .clock = fake_clock,
				      .clock_data = f,
				      .batch_max = 100 };
	struct history_stats st;
	struct history *h;
	char path[128];
	unsigned s;
	int err;

	snprintf(path, sizeof(path), "%s/later/history.db", f->dir);
	cfg.path = path;
	h = history_new(&cfg, &err);
	assert_true(err < 0);
	for (s = 0; s < 150; s++) {
		f->now += 10 * S;
		sample(f, h, 0);
		if (s % 6 == 5)
			assert_true(history_flush(h) < 0);
	}
	history_get_stats(h, &st);
	assert_int_equal(st.pending, 100);
	assert_int_equal(st.samples_dropped, 50);
	snprintf(path, sizeof(path), "%s/later", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(history_flush(h), 0);
	history_get_stats(h, &st);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.samples_written, 100);
	h = history_free(h);
	snprintf(path, sizeof(path), "%s/later/history.db", f->dir);
	assert_int_equal(q(path, "SELECT count(*) FROM samples"), 100);
}

/* A full database: flushes fail with -ENOSPC, nothing is lost. */
static void test_full(void **state)
{
	struct fixture *f = *state;
	struct history_stats st;
	struct history *h;
	unsigned s;
	int err, r;

	h = open_history(f, 0, 0, &err);
	assert_int_equal(err, 0);
	run(f, h, 600, 1);
	assert_int_equal(history_debug_exec(h, "PRAGMA max_page_count = 1"), 0);
	for (s = 0; s < 360; s++) {
		f->now += 10 * S;
		sample(f, h, 0);
	}
	r = history_flush(h);
	assert_int_equal(r, -ENOSPC);
	history_get_stats(h, &st);
	assert_int_equal(st.pending, 360);
	assert_int_equal(history_debug_exec(h, "PRAGMA max_page_count = "
					       "1073741823"),
			 0);
	assert_int_equal(history_flush(h), 0);
	h = history_free(h);
	assert_int_equal(q(f->path, "SELECT count(*) FROM samples"), 420);
}

/* A file that is not a database is moved aside and a new one started. */
static void test_corrupt(void **state)
{
	struct fixture *f = *state;
	struct history *h;
	char cmd[256];
	FILE *fp;
	int err;

	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fputs("this is not an SQLite database, but it is long enough to "
	      "look like a header to nobody at all................\n",
	      fp);
	fclose(fp);
	h = open_history(f, 0, 0, &err);
	assert_int_equal(err, -EBADMSG);
	run(f, h, 60, 1);
	h = history_free(h);
	assert_int_equal(q(f->path, "SELECT count(*) FROM samples"), 6);
	snprintf(cmd, sizeof(cmd), "ls '%s'/history.db.corrupt-* >/dev/null",
		 f->dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_simulated_hours, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rebuild_minutes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_retention, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_energy_reload, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_migration_v1, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unavailable_then_back,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
