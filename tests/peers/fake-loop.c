/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fake BlueZ's main loop: poll() over the libdbus watches of its two
 * bus connections, libdbus timeouts and our own one-shot timers kept in
 * one list (a test peer has a few dozen at most), then dispatch every
 * queued message. No threads; everything runs here.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>

#include "fake-bluez.h"

#define MAX_WATCHES 16
#define MAX_CONNS   4

struct fl_timer {
	struct fl_timer *next;
	uint64_t when;
	fl_timer_fn fn;
	void *data;
	DBusTimeout *dbus; /* a libdbus timeout, re-armed */
};

static struct fl_timer *timers;
static DBusWatch *watches[MAX_WATCHES];
static DBusConnection *conns[MAX_CONNS];
static bool quit;
static int exit_code;

uint64_t loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void timer_insert(struct fl_timer *t)
{
	struct fl_timer **p = &timers;

	while (*p && (*p)->when <= t->when)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

static void timer_unlink(struct fl_timer *t)
{
	struct fl_timer **p;

	for (p = &timers; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			return;
		}
	}
}

struct fl_timer *loop_timer_add(uint64_t delay_usec, fl_timer_fn fn, void *data)
{
	struct fl_timer *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->when = loop_now() + delay_usec;
	t->fn = fn;
	t->data = data;
	timer_insert(t);
	return t;
}

void loop_timer_cancel(struct fl_timer *t)
{
	if (!t)
		return;
	timer_unlink(t);
	free(t);
}

static dbus_bool_t add_watch(DBusWatch *w, void *data)
{
	unsigned i;

	(void)data;
	for (i = 0; i < MAX_WATCHES; i++) {
		if (!watches[i]) {
			watches[i] = w;
			return TRUE;
		}
	}
	return FALSE;
}

static void remove_watch(DBusWatch *w, void *data)
{
	unsigned i;

	(void)data;
	for (i = 0; i < MAX_WATCHES; i++)
		if (watches[i] == w)
			watches[i] = NULL;
}

static void toggle_watch(DBusWatch *w, void *data)
{
	(void)w;
	(void)data; /* enabled state is read at every poll */
}

static void arm_dbus_timeout(struct fl_timer *t)
{
	t->when = loop_now() +
		  (uint64_t)dbus_timeout_get_interval(t->dbus) * 1000;
	timer_insert(t);
}

static dbus_bool_t add_timeout(DBusTimeout *to, void *data)
{
	struct fl_timer *t = calloc(1, sizeof(*t));

	(void)data;
	if (!t)
		return FALSE;
	t->dbus = to;
	dbus_timeout_set_data(to, t, NULL);
	if (dbus_timeout_get_enabled(to))
		arm_dbus_timeout(t);
	return TRUE;
}

static void remove_timeout(DBusTimeout *to, void *data)
{
	struct fl_timer *t = dbus_timeout_get_data(to);

	(void)data;
	if (!t)
		return;
	timer_unlink(t);
	free(t);
	dbus_timeout_set_data(to, NULL, NULL);
}

static void toggle_timeout(DBusTimeout *to, void *data)
{
	struct fl_timer *t = dbus_timeout_get_data(to);

	(void)data;
	if (!t)
		return;
	timer_unlink(t);
	if (dbus_timeout_get_enabled(to))
		arm_dbus_timeout(t);
}

void loop_attach(DBusConnection *c)
{
	unsigned i;

	for (i = 0; i < MAX_CONNS; i++) {
		if (!conns[i]) {
			conns[i] = c;
			break;
		}
	}
	dbus_connection_set_watch_functions(c, add_watch, remove_watch,
					    toggle_watch, NULL, NULL);
	dbus_connection_set_timeout_functions(c, add_timeout, remove_timeout,
					      toggle_timeout, NULL, NULL);
}

void loop_detach(DBusConnection *c)
{
	unsigned i;

	dbus_connection_set_watch_functions(c, NULL, NULL, NULL, NULL, NULL);
	dbus_connection_set_timeout_functions(c, NULL, NULL, NULL, NULL, NULL);
	for (i = 0; i < MAX_CONNS; i++)
		if (conns[i] == c)
			conns[i] = NULL;
}

void loop_quit(int code)
{
	quit = true;
	exit_code = code;
}

static void run_timers(void)
{
	uint64_t now = loop_now();
	unsigned budget = 1000;

	while (timers && timers->when <= now && budget--) {
		struct fl_timer *t = timers;

		timers = t->next;
		if (t->dbus) {
			/* libdbus timeouts repeat until removed */
			arm_dbus_timeout(t);
			dbus_timeout_handle(t->dbus);
			continue;
		}
		t->fn(t->data);
		free(t);
	}
}

static void dispatch_all(void)
{
	unsigned i, budget;

	for (i = 0; i < MAX_CONNS; i++) {
		DBusConnection *c = conns[i];

		if (!c)
			continue;
		budget = 10000;
		while (conns[i] == c && budget-- &&
		       dbus_connection_dispatch(c) ==
			       DBUS_DISPATCH_DATA_REMAINS)
			;
	}
}

int loop_run(void)
{
	while (!quit) {
		struct pollfd pfd[MAX_WATCHES];
		DBusWatch *which[MAX_WATCHES];
		int n = 0, i, timeout = 1000, r;

		dispatch_all();
		if (quit)
			break;
		for (i = 0; i < MAX_WATCHES; i++) {
			unsigned fl;

			if (!watches[i] || !dbus_watch_get_enabled(watches[i]))
				continue;
			fl = dbus_watch_get_flags(watches[i]);
			pfd[n].fd = dbus_watch_get_unix_fd(watches[i]);
			pfd[n].events =
				(fl & DBUS_WATCH_READABLE ? POLLIN : 0) |
				(fl & DBUS_WATCH_WRITABLE ? POLLOUT : 0);
			pfd[n].revents = 0;
			which[n++] = watches[i];
		}
		if (timers) {
			uint64_t now = loop_now();

			timeout = timers->when <= now
					  ? 0
					  : (int)((timers->when - now + 999) /
						  1000);
			if (timeout > 1000)
				timeout = 1000;
		}
		r = poll(pfd, (nfds_t)n, timeout);
		if (r < 0 && errno != EINTR)
			return 1;
		for (i = 0; r > 0 && i < n; i++) {
			unsigned fl = 0;
			int k;

			if (!pfd[i].revents)
				continue;
			/* the watch may have gone while handling another */
			for (k = 0; k < MAX_WATCHES; k++)
				if (watches[k] == which[i])
					break;
			if (k == MAX_WATCHES)
				continue;
			if (pfd[i].revents & POLLIN)
				fl |= DBUS_WATCH_READABLE;
			if (pfd[i].revents & POLLOUT)
				fl |= DBUS_WATCH_WRITABLE;
			if (pfd[i].revents & POLLHUP)
				fl |= DBUS_WATCH_HANGUP;
			if (pfd[i].revents & POLLERR)
				fl |= DBUS_WATCH_ERROR;
			dbus_watch_handle(which[i], fl);
		}
		run_timers();
	}
	return exit_code;
}
