/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A re-entrancy safe list of observers (iwd's watchlist): a callback may
 * add or remove watches, including itself, while the list is notified.
 * Removed entries are only marked and compacted after the outermost
 * notification; watches added during a notification see the next one.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef void (*watch_func_t)(void);
typedef void (*watch_destroy_func_t)(void *userdata);

struct watch_entry {
	unsigned id;
	watch_func_t func; /* NULL: removed */
	void *userdata;
	watch_destroy_func_t destroy;
};

struct watchlist {
	struct watch_entry *items;
	size_t n, cap;
	unsigned next_id;
	unsigned in_notify;
	bool stale; /* entries marked removed */
};

void watchlist_init(struct watchlist *wl);
/* Returns an id > 0 for watchlist_remove. */
unsigned watchlist_add(struct watchlist *wl, watch_func_t func, void *userdata,
		       watch_destroy_func_t destroy);
bool watchlist_remove(struct watchlist *wl, unsigned id);
/* Removes every watch (destroy callbacks run) and frees the storage. */
void watchlist_clear(struct watchlist *wl);
size_t watchlist_count(const struct watchlist *wl);

void watchlist_notify_begin(struct watchlist *wl);
void watchlist_notify_end(struct watchlist *wl);

/*
 * Calls every live watch as ((type)func)(args..., userdata). Entries are
 * re-read by index each round: a callback may grow (realloc) the list.
 */
#define WATCHLIST_NOTIFY(wl, type, ...)                                   \
	do {                                                              \
		struct watchlist *_wl = (wl);                             \
		size_t _i, _n = _wl->n;                                   \
		watchlist_notify_begin(_wl);                              \
		for (_i = 0; _i < _n; _i++) {                             \
			watch_func_t _f = _wl->items[_i].func;            \
			if (!_f)                                          \
				continue;                                 \
			((type)_f)(__VA_ARGS__, _wl->items[_i].userdata); \
		}                                                         \
		watchlist_notify_end(_wl);                                \
	} while (0)
