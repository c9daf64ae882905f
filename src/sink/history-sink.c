/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The history writer on the event loop. A CLOCK_REALTIME timer takes one
 * sample of every online BMS on each multiple of sample_interval (so rows
 * of several BMSs share their timestamps); a monotonic timer flushes every
 * flush_interval and then runs the retention in small steps, each a short
 * transaction on a later turn of the loop. Events come from the manager's
 * observers (link up and down, connection password failures, alarm bits
 * raised and cleared, by name) and the settings audit.
 *
 * A flush is a few milliseconds even with 32 BMSs (bench/bench-history),
 * so it runs on the loop; WAL with synchronous=NORMAL does not fsync on
 * commit. When the database cannot be written the journal hears it once,
 * the batch waits (bounded, drops counted and logged) and every flush
 * retries; the journal hears again when it works.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-event.h>

#include "jkbms/alarms.h"
#include "jkbms/conf.h"
#include "jkbms/device.h"
#include "jkbms/driver.h"
#include "jkbms/log.h"
#include "jkbms/state.h"
#include "jkbms/util.h"
#include "jkbms/write.h"

#include "daemon/manager.h"
#include "sink/history-sink.h"
#include "sink/history.h"

#define RETENTION_STEP_USEC (50 * USEC_PER_MSEC)
#define RETENTION_STEPS_MAX 200 /* per flush interval */
#define REMIND_USEC         (600 * USEC_PER_SEC)

/* What the sink remembers of a BMS, by name (devices come and go). */
struct sink_bms {
	char *name;
	enum device_state state;
	bool have_alarms;
	uint64_t alarms;
	bool have_floor;
	int64_t floor[2]; /* energy counters never go below these */
};

struct history_sink {
	sd_event *event;
	struct manager *manager;
	struct conf_history cfg;
	struct history *h;
	bool demo;
	char *tmpdir; /* demo: removed at exit */
	sd_event_source *sample_timer, *flush_timer, *retention_timer;
	unsigned manager_watch, audit_watch;
	unsigned retention_steps;
	struct sink_bms *bms;
	size_t nbms;
	bool failing;
	uint64_t failing_since, last_remind;
	uint64_t dropped_logged;
};

static struct sink_bms *find_bms(struct history_sink *s, const char *name)
{
	struct sink_bms *b;
	size_t i;

	for (i = 0; i < s->nbms; i++)
		if (strcmp(s->bms[i].name, name) == 0)
			return &s->bms[i];
	s->bms = xrealloc(s->bms, (s->nbms + 1) * sizeof(*s->bms));
	b = &s->bms[s->nbms++];
	memset(b, 0, sizeof(*b));
	b->name = xstrdup(name);
	b->state = DEVICE_STATE_DISABLED;
	return b;
}

/* A model that lost its counters (reconnect after auth failure...). */
static void check_energy(struct history_sink *s, struct device *dev,
			 struct sink_bms *b)
{
	const struct field_values *v = &device_bms_state(dev)->v;

	if (!field_has(v, FIELD_ENERGY_CHARGED) ||
	    !field_has(v, FIELD_ENERGY_DISCHARGED))
		return;
	if (b->have_floor && (v->num[FIELD_ENERGY_CHARGED] < b->floor[0] ||
			      v->num[FIELD_ENERGY_DISCHARGED] < b->floor[1])) {
		int64_t c = b->floor[0], d = b->floor[1];

		if (v->num[FIELD_ENERGY_CHARGED] > c)
			c = v->num[FIELD_ENERGY_CHARGED];
		if (v->num[FIELD_ENERGY_DISCHARGED] > d)
			d = v->num[FIELD_ENERGY_DISCHARGED];
		device_set_energy(dev, c, d);
		return;
	}
	b->floor[0] = v->num[FIELD_ENERGY_CHARGED];
	b->floor[1] = v->num[FIELD_ENERGY_DISCHARGED];
	b->have_floor = true;
}

/*
 * Gives a device the persisted counters. One that already counts (the
 * sink restarted by a reload) is only ever raised, as check_energy does
 * after any loss of its counters.
 */
static void restore_energy(struct history_sink *s, struct device *dev)
{
	const struct field_values *v = &device_bms_state(dev)->v;
	struct sink_bms *b = find_bms(s, device_name(dev));
	int64_t c, d;

	if (history_energy_load(s->h, b->name, &c, &d) < 0)
		return;
	b->floor[0] = c;
	b->floor[1] = d;
	b->have_floor = true;
	if (field_has(v, FIELD_ENERGY_CHARGED) &&
	    field_has(v, FIELD_ENERGY_DISCHARGED))
		check_energy(s, dev, b);
	else
		device_set_energy(dev, c, d);
	dev_log_debug(device_log_ctx(dev), LOG_CAT_HISTORY,
		      "energy counters restored: %lld mWh in, %lld mWh out",
		      (long long)c, (long long)d);
}

static void alarm_events(struct history_sink *s, struct device *dev,
			 struct sink_bms *b)
{
	const struct field_values *v = &device_bms_state(dev)->v;
	uint64_t now, diff;
	unsigned bit;

	if (!field_has(v, FIELD_ALARM_BITS))
		return;
	now = (uint64_t)v->num[FIELD_ALARM_BITS];
	diff = b->have_alarms ? now ^ b->alarms : now;
	for (bit = 0; bit < 64; bit++) {
		const char *name;
		char fallback[16];

		if (!(diff >> bit & 1))
			continue;
		name = alarm_name(device_variant(dev), bit);
		if (!name) {
			snprintf(fallback, sizeof(fallback), "bit_%u", bit);
			name = fallback;
		}
		history_add_event(s->h, b->name,
				  now >> bit & 1 ? "alarm_raised"
						 : "alarm_cleared",
				  name, NULL);
	}
	b->alarms = now;
	b->have_alarms = true;
}

static void state_events(struct history_sink *s, struct device *dev,
			 struct sink_bms *b)
{
	enum device_state old = b->state, new = device_get_state(dev);

	if (old == new)
		return;
	b->state = new;
	if (new == DEVICE_STATE_ONLINE)
		history_add_event(s->h, b->name, "link_up", "online",
				  device_reason(dev));
	else if (old == DEVICE_STATE_ONLINE)
		history_add_event(s->h, b->name, "link_down",
				  device_state_name(new), device_reason(dev));
	if (new == DEVICE_STATE_AUTH_FAILED)
		history_add_event(s->h, b->name, "password_failure",
				  "connection", device_reason(dev));
}

static void on_manager(struct manager *m, struct device *dev,
		       enum device_event ev, void *userdata)
{
	struct history_sink *s = userdata;
	struct sink_bms *b;

	if (!dev)
		return; /* a reload: history_sink_reload() decides */
	b = find_bms(s, device_name(dev));
	switch (ev) {
	case DEVICE_EVENT_STATE:
		state_events(s, dev, b);
		break;
	case DEVICE_EVENT_VALUES:
		alarm_events(s, dev, b);
		check_energy(s, dev, b);
		break;
	case DEVICE_EVENT_SETTINGS:
		break;
	}
}

static void on_device_added(struct manager *m, struct device *dev,
			    void *userdata)
{
	restore_energy(userdata, dev);
}

static void on_audit(const struct audit_record *rec, void *userdata)
{
	struct history_sink *s = userdata;

	history_add_audit(s->h, rec, write_source_name(rec->source),
			  write_outcome_name(rec->outcome));
}

static uint64_t next_multiple(uint64_t now, uint64_t interval)
{
	return (now / interval + 1) * interval;
}

static int on_sample(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct history_sink *s = userdata;
	size_t i, n = manager_n_devices(s->manager);

	for (i = 0; i < n; i++) {
		struct device *dev = manager_device(s->manager, i);
		const struct bms_state *st = device_bms_state(dev);

		if (device_is_online(dev) && st->live_usec)
			history_add_sample(s->h, device_name(dev), &st->v);
	}
	sd_event_source_set_time(src,
				 next_multiple(now_realtime_usec(),
					       s->cfg.sample_interval_usec));
	sd_event_source_set_enabled(src, SD_EVENT_ON);
	return 0;
}

static void report(struct history_sink *s, int r)
{
	struct history_stats st;
	uint64_t now = now_usec(), dropped;
	char t[32];

	history_get_stats(s->h, &st);
	dropped = st.samples_dropped + st.events_dropped + st.minutes_dropped;
	if (dropped > s->dropped_logged) {
		log_warning("history: batch full while %s cannot be written: "
			    "%llu samples, %llu events and %llu minute "
			    "aggregates dropped so far",
			    history_path(s->h),
			    (unsigned long long)st.samples_dropped,
			    (unsigned long long)st.events_dropped,
			    (unsigned long long)st.minutes_dropped);
		s->dropped_logged = dropped;
	}
	if (r >= 0) {
		if (s->failing)
			log_notice("history: %s is writable again after %s, "
				   "the samples kept in memory are written",
				   history_path(s->h),
				   format_duration(t, sizeof(t),
						   now - s->failing_since));
		s->failing = false;
		log_debug_cat(LOG_CAT_HISTORY,
			      "history: flush committed in %llu us, last "
			      "sample %lld, %llu samples written",
			      (unsigned long long)st.last_flush_usec,
			      (long long)st.last_sample_ms,
			      (unsigned long long)st.samples_written);
		return;
	}
	if (!s->failing || now - s->last_remind >= REMIND_USEC) {
		log_full(s->failing ? LOG_NOTICE : LOG_WARNING, r, NULL, NULL,
			 __FILE__, __LINE__, __func__,
			 "history: cannot write %s (%s): %zu samples kept in "
			 "memory, retrying every %s",
			 history_path(s->h), st.last_error_text, st.pending,
			 format_duration(t, sizeof(t),
					 s->cfg.flush_interval_usec));
		s->last_remind = now;
	}
	if (!s->failing)
		s->failing_since = now;
	s->failing = true;
}

static int on_retention(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct history_sink *s = userdata;
	int r = history_retention_step(s->h);

	if (r < 0)
		report(s, r);
	if (r > 0 && ++s->retention_steps < RETENTION_STEPS_MAX) {
		sd_event_source_set_time_relative(src, RETENTION_STEP_USEC);
		sd_event_source_set_enabled(src, SD_EVENT_ONESHOT);
	}
	return 0;
}

static int on_flush(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct history_sink *s = userdata;
	int r = history_flush(s->h);

	report(s, r);
	if (r >= 0) {
		s->retention_steps = 0;
		sd_event_source_set_time_relative(s->retention_timer,
						  RETENTION_STEP_USEC);
		sd_event_source_set_enabled(s->retention_timer,
					    SD_EVENT_ONESHOT);
	}
	sd_event_source_set_time(src, usec + s->cfg.flush_interval_usec);
	sd_event_source_set_enabled(src, SD_EVENT_ON);
	return 0;
}

static char *demo_database(const char *given, char **ret_tmpdir)
{
	char tmpl[] = "/tmp/jkbmsd-demo-XXXXXX";

	*ret_tmpdir = NULL;
	if (given)
		return xstrdup(given);
	if (!mkdtemp(tmpl)) {
		log_warning_errno(-errno, "demo: no temporary directory for "
					  "the history: %m");
		return NULL;
	}
	*ret_tmpdir = xstrdup(tmpl);
	return xasprintf("%s/history.db", tmpl);
}

static int add_timers(struct history_sink *s)
{
	int r;

	r = sd_event_add_time(
		s->event, &s->sample_timer, CLOCK_REALTIME,
		next_multiple(now_realtime_usec(), s->cfg.sample_interval_usec),
		USEC_PER_MSEC, on_sample, s);
	if (r >= 0)
		r = sd_event_add_time_relative(
			s->event, &s->flush_timer, CLOCK_MONOTONIC,
			s->cfg.flush_interval_usec, USEC_PER_MSEC, on_flush, s);
	if (r >= 0)
		r = sd_event_add_time_relative(
			s->event, &s->retention_timer, CLOCK_MONOTONIC,
			RETENTION_STEP_USEC, USEC_PER_MSEC, on_retention, s);
	if (r >= 0)
		r = sd_event_source_set_enabled(s->sample_timer, SD_EVENT_ON);
	if (r >= 0)
		r = sd_event_source_set_enabled(s->flush_timer, SD_EVENT_ON);
	return r;
}

struct history_sink *history_sink_new(struct sd_event *event, struct manager *m,
				      bool demo, const char *demo_path)
{
	const struct conf_history *cfg = &manager_conf(m)->history;
	struct history_config hc = { 0 };
	struct history_sink *s;
	_cleanup_free_ char *path = NULL;
	char a[32], b[32], c[32], d[32];
	size_t i;
	int r;

	if (!cfg->enabled && !demo)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->event = sd_event_ref(event);
	s->manager = m;
	s->demo = demo;
	s->cfg = *cfg;
	/* Our own copy: a reload frees the config it came from. */
	s->cfg.path = cfg->path ? xstrdup(cfg->path) : NULL;
	path = demo ? demo_database(demo_path, &s->tmpdir)
		    : history_resolve_path(cfg->path);
	if (!path)
		return history_sink_free(s);
	if (!demo) {
		r = mkdir_parents(path, 0750);
		if (r < 0)
			log_warning_errno(r,
					  "history: cannot create the "
					  "directory of %s: %m",
					  path);
	}
	hc.path = path;
	hc.raw_retention_usec = cfg->raw_retention_usec;
	hc.aggregate_retention_usec = cfg->aggregate_retention_usec;
	s->h = history_new(&hc, &r);
	if (r < 0)
		log_warning_errno(r,
				  "history: cannot open %s: %s; samples "
				  "are kept in memory and it is tried "
				  "again every flush",
				  path, history_get_error(s->h));
	if (demo)
		fprintf(stderr, "jkbmsd: demo history in %s%s\n", path,
			s->tmpdir ? " (removed at exit; --history PATH keeps "
				    "it)"
				  : "");
	log_info(
		"history: %s: a sample every %s, written every %s, raw "
		"samples kept %s, aggregates kept %s",
		path, format_duration(a, sizeof(a), cfg->sample_interval_usec),
		format_duration(b, sizeof(b), cfg->flush_interval_usec),
		cfg->raw_retention_usec
			? format_duration(c, sizeof(c), cfg->raw_retention_usec)
			: "forever",
		cfg->aggregate_retention_usec
			? format_duration(d, sizeof(d),
					  cfg->aggregate_retention_usec)
			: "forever");

	for (i = 0; i < manager_n_devices(m); i++) {
		struct device *dev = manager_device(m, i);

		restore_energy(s, dev);
		/* After a reload the link may be up already. */
		find_bms(s, device_name(dev))->state = device_get_state(dev);
	}
	manager_set_device_hook(m, on_device_added, s);
	s->manager_watch = manager_watch_add(m, on_manager, s);
	s->audit_watch = audit_watch_add(on_audit, s);
	r = add_timers(s);
	if (r < 0) {
		log_error_errno(r, "history: cannot add timers: %m");
		return history_sink_free(s);
	}
	return s;
}

struct history_sink *history_sink_free(struct history_sink *s)
{
	struct history_stats st;
	size_t i;

	if (!s)
		return NULL;
	if (s->manager_watch)
		manager_watch_remove(s->manager, s->manager_watch);
	if (s->audit_watch)
		audit_watch_remove(s->audit_watch);
	if (s->manager)
		manager_set_device_hook(s->manager, NULL, NULL);
	sd_event_source_disable_unref(s->sample_timer);
	sd_event_source_disable_unref(s->flush_timer);
	sd_event_source_disable_unref(s->retention_timer);
	if (s->h) {
		if (history_flush(s->h) < 0) {
			history_get_stats(s->h, &st);
			log_warning("history: %zu samples could not be written "
				    "at exit (%s)",
				    st.pending, st.last_error_text);
		}
		s->h = history_free(s->h);
	}
	if (s->tmpdir) {
		const char *sfx[] = { "history.db", "history.db-wal",
				      "history.db-shm" };

		for (i = 0; i < ARRAY_SIZE(sfx); i++) {
			_cleanup_free_ char *p =
				xasprintf("%s/%s", s->tmpdir, sfx[i]);

			unlink(p);
		}
		rmdir(s->tmpdir);
		free(s->tmpdir);
	}
	for (i = 0; i < s->nbms; i++)
		free(s->bms[i].name);
	free(s->bms);
	free(s->cfg.path);
	sd_event_unref(s->event);
	free(s);
	return NULL;
}

struct history_sink *history_sink_reload(struct history_sink *s,
					 struct sd_event *event,
					 struct manager *m)
{
	const struct conf_history *cfg = &manager_conf(m)->history;

	if (s && (s->demo || conf_history_equal(&s->cfg, cfg)))
		return s;
	if (!s && !cfg->enabled)
		return NULL;
	log_notice("history: [history] changed, %s",
		   !cfg->enabled ? "closing the database"
		   : s	       ? "reopening the database"
			       : "opening the database");
	/* Pending samples go to the old database before it closes. */
	history_sink_free(s);
	return history_sink_new(event, m, false, NULL);
}
