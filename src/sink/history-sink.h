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
/* Writes what is pending and closes; NULL-safe; returns NULL. */
struct history_sink *history_sink_free(struct history_sink *s);
