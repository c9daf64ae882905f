/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The history sink of jkbmsd: the history writer (history.h) on the
 * event loop, fed by the manager's devices and the settings audit.
 */
#pragma once

#include <stdbool.h>

struct history_sink;
struct manager;
struct sd_event;

/*
 * Starts the sink when [history] enabled = yes or demo is set, else
 * returns NULL. The energy counters of the manager's devices (and of
 * devices added later) are restored from the database before they start.
 * For the demo the database is demo_path, or a new file in a temporary
 * directory that is removed at exit; either way the path is printed.
 */
struct history_sink *history_sink_new(struct sd_event *event, struct manager *m,
				      bool demo, const char *demo_path);
/*
 * After a reload of the config m holds: s itself when [history] did not
 * change (or for the demo), else s flushed and closed and a sink on the
 * new settings (NULL when history is now off; s may be NULL when it was).
 */
struct history_sink *history_sink_reload(struct history_sink *s,
					 struct sd_event *event,
					 struct manager *m);
/* Writes what is pending and closes; NULL-safe; returns NULL. */
struct history_sink *history_sink_free(struct history_sink *s);
