/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the history costs an SD card, in simulated time: simulated BMSs
 * sampled at the default settings (a sample every 10 s, a flush every
 * 60 s, raw rows kept 30 days, aggregates forever) through the real
 * writer on a real file. Prints, per BMS per day, the bytes written to
 * the file system (write(2) bytes from /proc/self/io "wchar", and the
 * block layer's "write_bytes") for raw rows and aggregates separately and
 * together, the growth of the database file, the steady state once raw
 * retention deletes as much as is added, and the time of one flush with
 * 32 BMSs. Figures, never pass/fail.
 *
 *   bench-history [--dir DIR] [--quick]
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "jkbms/sim.h"
#include "jkbms/state.h"
#include "jkbms/util.h"

#include "sink/history.h"

#define S       UINT64_C(1000000)
#define DAY     (86400 * S)
#define SAMPLE  (10 * S)
#define FLUSH   (60 * S)
#define T0      (UINT64_C(1767225600) * S)
#define MB      (1024.0 * 1024.0)
#define BMS_MAX 32

struct run {
	const char *dir;
	unsigned nbms;
	unsigned days;        /* simulated */
	unsigned measure_day; /* figures of this day (1-based) */
	uint64_t raw_retention;
	bool skip_samples, skip_minutes;
	/* results, for the measured day */
	double wchar, write_bytes, growth;
	double flush_avg_us, flush_max_us;
	double raw_table, minute_table; /* bytes per day, dbstat */
};

static uint64_t sim_now;

static uint64_t sim_clock(void *userdata)
{
	return sim_now;
}

static void proc_io(double *wchar, double *write_bytes)
{
	FILE *f = fopen("/proc/self/io", "r");
	char key[32];
	unsigned long long v;

	*wchar = *write_bytes = 0;
	if (!f)
		return;
	while (fscanf(f, "%31[^:]: %llu\n", key, &v) == 2) {
		if (strcmp(key, "wchar") == 0)
			*wchar = (double)v;
		else if (strcmp(key, "write_bytes") == 0)
			*write_bytes = (double)v;
	}
	fclose(f);
}

static double file_size(const char *path)
{
	char wal[300];
	struct stat st;
	double total = 0;

	if (stat(path, &st) == 0)
		total += (double)st.st_size;
	snprintf(wal, sizeof(wal), "%s-wal", path);
	if (stat(wal, &st) == 0)
		total += (double)st.st_size;
	return total;
}

static double table_bytes(const char *path, const char *table)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	double v = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_prepare_v2(db,
			       "SELECT sum(pgsize) FROM dbstat WHERE name = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_double(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

static void run(struct run *r)
{
	struct sim_bms *sims[BMS_MAX];
	struct history_config cfg = {
		.raw_retention_usec = r->raw_retention,
		.clock = sim_clock,
		.skip_samples = r->skip_samples,
		.skip_minutes = r->skip_minutes,
	};
	struct history_stats st;
	struct history *h;
	char path[200], cmd[700], name[16];
	double w0 = 0, b0 = 0, w1, b1, size0 = 0, raw0 = 0, min0 = 0;
	double flush_sum = 0, flush_max = 0;
	unsigned flushes = 0, i, day;
	uint64_t t;

	snprintf(path, sizeof(path), "%s/bench.db", r->dir);
	snprintf(cmd, sizeof(cmd), "rm -f '%s' '%s-wal' '%s-shm'", path, path,
		 path);
	if (system(cmd) != 0)
		return;
	for (i = 0; i < r->nbms; i++) {
		struct conf_sim c = { .chemistry = SIM_LFP,
				      .cells = 16,
				      .capacity_mah = 280000,
				      .profile = SIM_PROFILE_SOLAR,
				      .seed = i + 1,
				      .time_scale = 1.0 };

		sims[i] = sim_new(&c, JK_VARIANT_JK02_32S, "bench");
	}
	sim_now = T0;
	cfg.path = path;
	h = history_new(&cfg, NULL);
	for (day = 1; day <= r->days; day++) {
		if (day == r->measure_day) {
			history_flush(h);
			history_debug_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)");
			proc_io(&w0, &b0);
			size0 = file_size(path);
			raw0 = table_bytes(path, "samples");
			min0 = table_bytes(path, "minutes");
		}
		for (t = 0; t < DAY; t += SAMPLE) {
			for (i = 0; i < r->nbms; i++) {
				struct field_values v;
				int64_t e = (int64_t)((sim_now - T0) / S);

				sim_step(sims[i], SAMPLE);
				sim_values(sims[i], &v);
				state_derive(&v);
				field_set_num(&v, FIELD_ENERGY_CHARGED, e * 7);
				field_set_num(&v, FIELD_ENERGY_DISCHARGED,
					      e * 5);
				snprintf(name, sizeof(name), "bms-%u", i + 1);
				history_add_sample(h, name, &v);
			}
			sim_now += SAMPLE;
			if ((sim_now - T0) % FLUSH == 0) {
				unsigned steps = 0;

				history_flush(h);
				history_get_stats(h, &st);
				if (day == r->measure_day) {
					flush_sum += (double)st.last_flush_usec;
					if (st.last_flush_usec > flush_max)
						flush_max =
							(double)st
								.last_flush_usec;
					flushes++;
				}
				while (history_retention_step(h) > 0 &&
				       steps++ < 1000)
					;
			}
		}
		if (day == r->measure_day) {
			history_flush(h);
			proc_io(&w1, &b1);
			r->wchar = (w1 - w0) / r->nbms;
			r->write_bytes = (b1 - b0) / r->nbms;
			/* The file size without the WAL's ups and downs. */
			history_debug_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)");
			r->growth = (file_size(path) - size0) / r->nbms;
			r->raw_table =
				(table_bytes(path, "samples") - raw0) / r->nbms;
			r->minute_table =
				(table_bytes(path, "minutes") - min0) / r->nbms;
			r->flush_avg_us = flushes ? flush_sum / flushes : 0;
			r->flush_max_us = flush_max;
		}
	}
	history_free(h);
	for (i = 0; i < r->nbms; i++)
		sim_free(sims[i]);
	if (system(cmd) != 0)
		return;
}

static void print_io(const char *what, const struct run *r)
{
	printf("  %-34s %8.2f MB written (wchar)  %8.2f MB (write_bytes)\n",
	       what, r->wchar / MB, r->write_bytes / MB);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "quick", no_argument, NULL, 'q' },
		{}
	};
	char tmpl[] = "/var/tmp/bench-history.XXXXXX";
	const char *dir = NULL;
	bool quick = false;
	struct run all = { 0 }, raw, agg, steady, many;
	int c;

	while ((c = getopt_long(argc, argv, "d:q", options, NULL)) >= 0) {
		if (c == 'd')
			dir = optarg;
		else if (c == 'q')
			quick = true;
		else
			return 2;
	}
	if (!dir) {
		dir = mkdtemp(tmpl);
		if (!dir) {
			perror("bench-history: mkdtemp");
			return 1;
		}
	}

	printf("history, simulated time, defaults: a sample every 10 s, a "
	       "flush every 60 s,\nraw rows kept 30 days, aggregates "
	       "forever; figures per BMS per simulated day\n\n");
	all.dir = dir;
	all.nbms = 1;
	all.days = 2;
	all.measure_day = 2;
	all.raw_retention = 30 * DAY;
	raw = agg = all;
	raw.skip_minutes = true;
	agg.skip_samples = true;
	run(&all);
	run(&raw);
	run(&agg);
	printf("1 BMS, day 2 (before raw retention deletes anything):\n");
	print_io("raw samples only", &raw);
	print_io("1-minute aggregates only", &agg);
	print_io("both (what jkbmsd writes)", &all);
	printf("  %-34s %8.2f MB (raw table %.2f MB, aggregates %.2f MB)\n",
	       "database growth", all.growth / MB, all.raw_table / MB,
	       all.minute_table / MB);

	steady = all;
	steady.raw_retention = DAY;
	steady.days = quick ? 3 : 4;
	steady.measure_day = steady.days;
	run(&steady);
	printf("1 BMS, steady state (raw retention 1 day, so day %u "
	       "deletes a day of raw rows\nas the default 30 days would "
	       "from day 31 on):\n",
	       steady.measure_day);
	print_io("written", &steady);
	printf("  %-34s %8.2f MB\n", "database growth", steady.growth / MB);

	many = all;
	many.nbms = 32;
	many.days = 1;
	many.measure_day = 1;
	run(&many);
	printf("32 BMSs, day 1:\n");
	print_io("written per BMS", &many);
	printf("  %-34s %8.2f MB per BMS\n", "database growth",
	       many.growth / MB);
	printf("  %-34s %8.2f ms average, %.2f ms max (192 samples + 32 "
	       "aggregates)\n",
	       "one flush", many.flush_avg_us / 1000, many.flush_max_us / 1000);
	printf("\ntargets: at most 20 MB written and 12 MB grown per BMS per "
	       "day\n");
	if (!argv[optind] && strncmp(dir, "/var/tmp/bench-history.", 23) == 0)
		rmdir(dir);
	return 0;
}
