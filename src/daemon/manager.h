/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The manager: devices built from the config, banks aggregated from their
 * members, observers told about both; SIGHUP reload as a diff of [bms]
 * sections (unchanged devices keep running).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jkbms/bank.h"
#include "jkbms/device.h"
#include "jkbms/fields.h"

struct conf;
struct manager;
struct sd_event;

struct bank {
	char *name;
	enum bank_topology topology;
	struct device **members;
	size_t n_members;
	unsigned online;             /* members online */
	struct field_values values;  /* aggregate of the online members */
	struct bank_member *scratch; /* bank_aggregate's input */
};

/* dev is NULL for a change that is not a device's (reload). */
typedef void (*manager_watch_func_t)(struct manager *m, struct device *dev,
				     enum device_event ev, void *userdata);

/* Takes ownership of conf. */
struct manager *manager_new(struct sd_event *event, struct conf *conf);
struct manager *manager_free(struct manager *m);
void manager_start(struct manager *m);
void manager_stop(struct manager *m);
/*
 * Applies a new config (taking ownership): removed and changed [bms]
 * sections are stopped, new and changed ones started, banks rebuilt.
 */
void manager_reload(struct manager *m, struct conf *conf);

const struct conf *manager_conf(const struct manager *m);
size_t manager_n_devices(const struct manager *m);
struct device *manager_device(const struct manager *m, size_t i);
struct device *manager_find_device(const struct manager *m, const char *name);
size_t manager_n_banks(const struct manager *m);
const struct bank *manager_bank(const struct manager *m, size_t i);

unsigned manager_watch_add(struct manager *m, manager_watch_func_t func,
			   void *userdata);
void manager_watch_remove(struct manager *m, unsigned id);

/*
 * Called for each device the manager creates from now on (a reload),
 * before it starts: the history sink restores its energy counters.
 * One hook; func NULL removes it.
 */
typedef void (*manager_device_hook_t)(struct manager *m, struct device *dev,
				      void *userdata);
void manager_set_device_hook(struct manager *m, manager_device_hook_t func,
			     void *userdata);

/* One line for sd_notify STATUS=: "2/3 BMS online (1 backoff)". */
void manager_summary(const struct manager *m, char *buf, size_t size);
