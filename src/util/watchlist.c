/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Re-entrancy safe observer list; see include/jkbms/watchlist.h. */
#include "config.h"

#include <string.h>

#include "jkbms/util.h"
#include "jkbms/watchlist.h"

void watchlist_init(struct watchlist *wl)
{
	memset(wl, 0, sizeof(*wl));
}

unsigned watchlist_add(struct watchlist *wl, watch_func_t func, void *userdata,
		       watch_destroy_func_t destroy)
{
	struct watch_entry *e;

	if (wl->n == wl->cap) {
		wl->cap = wl->cap ? wl->cap * 2 : 4;
		wl->items = xrealloc(wl->items, wl->cap * sizeof(*wl->items));
	}
	if (++wl->next_id == 0)
		wl->next_id = 1;
	e = &wl->items[wl->n++];
	e->id = wl->next_id;
	e->func = func;
	e->userdata = userdata;
	e->destroy = destroy;
	return e->id;
}

static void compact(struct watchlist *wl)
{
	size_t i, j = 0;

	for (i = 0; i < wl->n; i++)
		if (wl->items[i].func)
			wl->items[j++] = wl->items[i];
	wl->n = j;
	wl->stale = false;
}

bool watchlist_remove(struct watchlist *wl, unsigned id)
{
	size_t i;

	for (i = 0; i < wl->n; i++) {
		struct watch_entry *e = &wl->items[i];
		watch_destroy_func_t destroy;
		void *userdata;

		if (e->id != id || !e->func)
			continue;
		destroy = e->destroy;
		userdata = e->userdata;
		e->func = NULL;
		e->destroy = NULL;
		if (wl->in_notify)
			wl->stale = true;
		else
			compact(wl);
		if (destroy)
			destroy(userdata);
		return true;
	}
	return false;
}

void watchlist_clear(struct watchlist *wl)
{
	while (wl->n > 0) {
		struct watch_entry e = wl->items[wl->n - 1];

		wl->n--;
		if (e.func && e.destroy)
			e.destroy(e.userdata);
	}
	free(wl->items);
	wl->items = NULL;
	wl->cap = 0;
	wl->stale = false;
}

size_t watchlist_count(const struct watchlist *wl)
{
	size_t i, n = 0;

	for (i = 0; i < wl->n; i++)
		if (wl->items[i].func)
			n++;
	return n;
}

void watchlist_notify_begin(struct watchlist *wl)
{
	wl->in_notify++;
}

void watchlist_notify_end(struct watchlist *wl)
{
	if (--wl->in_notify == 0 && wl->stale)
		compact(wl);
}
