/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Devices from the config, banks over them. The manager watches every
 * device: a member's new values or state recompute its banks right away
 * (bank_aggregate is cheap), then the manager's own observers hear of it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "jkbms/conf.h"
#include "jkbms/log.h"
#include "jkbms/state.h"
#include "jkbms/util.h"
#include "jkbms/watchlist.h"

#include "daemon/manager.h"

struct manager {
	struct sd_event *event;
	manager_device_hook_t device_hook; /* history: energy counters */
	void *device_hook_data;
	struct conf *conf;
	struct device **devices;
	unsigned *watch_ids;
	size_t n_devices;
	struct bank *banks;
	size_t n_banks;
	struct watchlist watches;
	bool started;
};

static void bank_recompute(struct bank *b)
{
	struct bank_member *members = b->scratch;
	size_t i;

	b->online = 0;
	for (i = 0; i < b->n_members; i++) {
		members[i].v = &device_bms_state(b->members[i])->v;
		members[i].online = device_is_online(b->members[i]);
		if (members[i].online)
			b->online++;
	}
	field_values_reset(&b->values);
	bank_aggregate(b->topology, members, b->n_members, &b->values);
}

static void notify(struct manager *m, struct device *dev, enum device_event ev)
{
	WATCHLIST_NOTIFY(&m->watches, manager_watch_func_t, m, dev, ev);
}

static void on_device(struct device *dev, enum device_event ev,
		      const struct bits *changed, void *userdata)
{
	struct manager *m = userdata;
	size_t i, j;

	if (ev != DEVICE_EVENT_SETTINGS) {
		for (i = 0; i < m->n_banks; i++)
			for (j = 0; j < m->banks[i].n_members; j++)
				if (m->banks[i].members[j] == dev)
					bank_recompute(&m->banks[i]);
	}
	notify(m, dev, ev);
}

static void add_device(struct manager *m, const struct conf_bms *cfg)
{
	struct device *dev = device_new(cfg, m->event);

	if (m->device_hook)
		m->device_hook(m, dev, m->device_hook_data);

	m->devices =
		xrealloc(m->devices, (m->n_devices + 1) * sizeof(*m->devices));
	m->watch_ids = xrealloc(m->watch_ids,
				(m->n_devices + 1) * sizeof(*m->watch_ids));
	m->devices[m->n_devices] = dev;
	m->watch_ids[m->n_devices] = device_watch_add(dev, on_device, m);
	m->n_devices++;
}

static void free_banks(struct manager *m)
{
	size_t i;

	for (i = 0; i < m->n_banks; i++) {
		free(m->banks[i].name);
		free(m->banks[i].members);
		free(m->banks[i].scratch);
	}
	free(m->banks);
	m->banks = NULL;
	m->n_banks = 0;
}

/* Banks from the current config; members the config names but lacks are
 * a config error caught by conf_load, so they are skipped here. */
static void build_banks(struct manager *m)
{
	const struct conf *c = m->conf;
	size_t i, j;

	free_banks(m);
	for (i = 0; i < m->n_devices; i++)
		if (device_bank(m->devices[i]))
			device_set_bank(m->devices[i], NULL);
	m->banks = xcalloc(c->n_banks ? c->n_banks : 1, sizeof(*m->banks));
	for (i = 0; i < c->n_banks; i++) {
		struct bank *b = &m->banks[m->n_banks++];

		b->name = xstrdup(c->banks[i].name);
		b->topology = c->banks[i].topology;
		b->members =
			xcalloc(c->banks[i].n_members + 1, sizeof(*b->members));
		b->scratch =
			xcalloc(c->banks[i].n_members + 1, sizeof(*b->scratch));
		for (j = 0; j < c->banks[i].n_members; j++) {
			struct device *dev =
				manager_find_device(m, c->banks[i].members[j]);

			if (!dev)
				continue;
			b->members[b->n_members++] = dev;
			/* The journal's JKBMS_BANK: the first bank named. */
			if (!device_bank(dev))
				device_set_bank(dev, b->name);
		}
		bank_recompute(b);
	}
}

struct manager *manager_new(struct sd_event *event, struct conf *conf)
{
	struct manager *m = xcalloc(1, sizeof(*m));
	size_t i;

	m->event = event;
	m->conf = conf;
	watchlist_init(&m->watches);
	for (i = 0; i < conf->n_bms; i++)
		add_device(m, &conf->bms[i]);
	build_banks(m);
	return m;
}

struct manager *manager_free(struct manager *m)
{
	size_t i;

	if (!m)
		return NULL;
	manager_stop(m);
	for (i = 0; i < m->n_devices; i++)
		device_free(m->devices[i]);
	free(m->devices);
	free(m->watch_ids);
	free_banks(m);
	watchlist_clear(&m->watches);
	conf_free(m->conf);
	free(m);
	return NULL;
}

void manager_start(struct manager *m)
{
	size_t i;

	m->started = true;
	for (i = 0; i < m->n_devices; i++)
		device_start(m->devices[i]);
}

void manager_stop(struct manager *m)
{
	size_t i;

	if (!m->started)
		return;
	m->started = false;
	for (i = 0; i < m->n_devices; i++)
		device_stop(m->devices[i]);
}

static const struct conf_rs485 *find_rs485(const struct conf *c,
					   const char *name)
{
	size_t i;

	for (i = 0; name && i < c->n_rs485; i++)
		if (strcmp(c->rs485[i].name, name) == 0)
			return &c->rs485[i];
	return NULL;
}

/*
 * Would this section need a new device? Every key of the section counts
 * (conf_bms_equal walks the key table), and so does the [rs485] bus it
 * is on; bank membership does not.
 */
static bool bms_changed(const struct conf *oc, const struct conf_bms *a,
			const struct conf *nc, const struct conf_bms *b)
{
	const struct conf_rs485 *ra = find_rs485(oc, a->bus);
	const struct conf_rs485 *rb = find_rs485(nc, b->bus);

	if (!conf_bms_equal(a, b))
		return true;
	if (!ra || !rb)
		return ra != rb;
	return !conf_rs485_equal(ra, rb);
}

void manager_reload(struct manager *m, struct conf *conf)
{
	struct conf *old = m->conf;
	unsigned kept = 0, added = 0, removed = 0, restarted = 0;
	size_t i, n = 0;

	/* Devices whose section is gone or changed go first. */
	for (i = 0; i < m->n_devices; i++) {
		struct device *dev = m->devices[i];
		const struct conf_bms *nc =
			conf_find_bms(conf, device_name(dev));

		if (nc && !bms_changed(old, device_config(dev), conf, nc)) {
			device_set_config(dev, nc);
			m->devices[n] = dev;
			m->watch_ids[n] = m->watch_ids[i];
			n++;
			kept++;
			continue;
		}
		if (nc)
			restarted++;
		else
			removed++;
		device_watch_remove(dev, m->watch_ids[i]);
		device_free(dev);
	}
	m->n_devices = n;

	m->conf = conf;
	for (i = 0; i < conf->n_bms; i++) {
		if (manager_find_device(m, conf->bms[i].name))
			continue;
		add_device(m, &conf->bms[i]);
		if (m->started)
			device_start(m->devices[m->n_devices - 1]);
		added++;
	}
	build_banks(m);
	conf_free(old);

	log_full(LOG_NOTICE, 0, LOG_ID_CONFIG_RELOAD, NULL, __FILE__, __LINE__,
		 __func__,
		 "configuration reloaded from %s: %u BMS kept, %u restarted, "
		 "%u added, %u removed",
		 conf->path ? conf->path : "?", kept, restarted,
		 added - restarted, removed);
	notify(m, NULL, DEVICE_EVENT_STATE);
}

const struct conf *manager_conf(const struct manager *m)
{
	return m->conf;
}

size_t manager_n_devices(const struct manager *m)
{
	return m->n_devices;
}

struct device *manager_device(const struct manager *m, size_t i)
{
	return i < m->n_devices ? m->devices[i] : NULL;
}

struct device *manager_find_device(const struct manager *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n_devices; i++)
		if (strcmp(device_name(m->devices[i]), name) == 0)
			return m->devices[i];
	return NULL;
}

size_t manager_n_banks(const struct manager *m)
{
	return m->n_banks;
}

const struct bank *manager_bank(const struct manager *m, size_t i)
{
	return i < m->n_banks ? &m->banks[i] : NULL;
}

unsigned manager_watch_add(struct manager *m, manager_watch_func_t func,
			   void *userdata)
{
	return watchlist_add(&m->watches, (watch_func_t)func, userdata, NULL);
}

void manager_watch_remove(struct manager *m, unsigned id)
{
	watchlist_remove(&m->watches, id);
}

void manager_set_device_hook(struct manager *m, manager_device_hook_t func,
			     void *userdata)
{
	m->device_hook = func;
	m->device_hook_data = userdata;
}

void manager_summary(const struct manager *m, char *buf, size_t size)
{
	unsigned count[DEVICE_STATE__MAX] = { 0 };
	const char *sep = " (";
	size_t i, len;
	int s;

	for (i = 0; i < m->n_devices; i++)
		count[device_get_state(m->devices[i])]++;
	len = (size_t)snprintf(buf, size, "%u/%zu BMS online",
			       count[DEVICE_STATE_ONLINE], m->n_devices);
	for (s = 0; s < DEVICE_STATE__MAX && len < size; s++) {
		if (!count[s] || s == DEVICE_STATE_ONLINE)
			continue;
		len += (size_t)snprintf(
			buf + len, size - len, "%s%u %s", sep, count[s],
			device_state_name((enum device_state)s));
		sep = ", ";
	}
	if (len < size && sep[0] == ',')
		snprintf(buf + len, size - len, ")");
}
