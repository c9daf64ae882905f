/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libdbus integrated into sd-event (DESIGN "Event loop").
 *
 * libdbus asks for a read watch and a write watch on the same socket, but
 * sd-event allows one I/O source per fd, so watches are grouped per fd and
 * one source polls for the union of what the enabled watches want.
 * Timeouts become one-shot timers re-armed after each expiry (libdbus
 * timeouts repeat until removed). Messages are dispatched from a defer
 * source, never from inside the dispatch-status callback, which libdbus
 * calls with its connection lock held.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <systemd/sd-event.h>

#include "jkbms/util.h"

#include "transport/dbus-event.h"

/* Messages dispatched per loop iteration before yielding. */
#define DISPATCH_BURST 64

struct fd_entry {
	struct dbus_event *de;
	int fd;
	sd_event_source *io;
	DBusWatch **watches;
	size_t n_watches;
	struct fd_entry *next;
};

struct dbus_event {
	DBusConnection *conn;
	sd_event *event;
	sd_event_source *dispatch;
	struct fd_entry *fds;
};

static struct fd_entry *fd_find(struct dbus_event *de, int fd)
{
	struct fd_entry *e;

	for (e = de->fds; e; e = e->next)
		if (e->fd == fd)
			return e;
	return NULL;
}

static bool fd_has_watch(const struct fd_entry *e, const DBusWatch *w)
{
	size_t i;

	for (i = 0; i < e->n_watches; i++)
		if (e->watches[i] == w)
			return true;
	return false;
}

static void schedule_dispatch(struct dbus_event *de)
{
	if (de->dispatch)
		sd_event_source_set_enabled(de->dispatch, SD_EVENT_ONESHOT);
}

static int on_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct dbus_event *de = userdata;
	struct fd_entry *e = fd_find(de, fd);
	DBusWatch *copy[8];
	size_t i, n;

	if (!e)
		return 0;
	/* Handling one watch may remove others: work from a copy. */
	n = e->n_watches < ARRAY_SIZE(copy) ? e->n_watches : ARRAY_SIZE(copy);
	for (i = 0; i < n; i++)
		copy[i] = e->watches[i];
	for (i = 0; i < n; i++) {
		unsigned want, flags = 0;

		e = fd_find(de, fd);
		if (!e || !fd_has_watch(e, copy[i]) ||
		    !dbus_watch_get_enabled(copy[i]))
			continue;
		want = dbus_watch_get_flags(copy[i]);
		if ((want & DBUS_WATCH_READABLE) && (revents & EPOLLIN))
			flags |= DBUS_WATCH_READABLE;
		if ((want & DBUS_WATCH_WRITABLE) && (revents & EPOLLOUT))
			flags |= DBUS_WATCH_WRITABLE;
		if (revents & EPOLLERR)
			flags |= DBUS_WATCH_ERROR;
		if (revents & EPOLLHUP)
			flags |= DBUS_WATCH_HANGUP;
		if (flags)
			dbus_watch_handle(copy[i], flags);
	}
	if (dbus_connection_get_dispatch_status(de->conn) ==
	    DBUS_DISPATCH_DATA_REMAINS)
		schedule_dispatch(de);
	return 0;
}

/* Polls for what the enabled watches of the fd want; off if nothing. */
static void fd_update(struct fd_entry *e)
{
	uint32_t events = 0;
	size_t i;

	for (i = 0; i < e->n_watches; i++) {
		unsigned f;

		if (!dbus_watch_get_enabled(e->watches[i]))
			continue;
		f = dbus_watch_get_flags(e->watches[i]);
		if (f & DBUS_WATCH_READABLE)
			events |= EPOLLIN;
		if (f & DBUS_WATCH_WRITABLE)
			events |= EPOLLOUT;
	}
	if (!e->io)
		return;
	if (events) {
		sd_event_source_set_io_events(e->io, events);
		sd_event_source_set_enabled(e->io, SD_EVENT_ON);
	} else {
		sd_event_source_set_enabled(e->io, SD_EVENT_OFF);
	}
}

static dbus_bool_t add_watch(DBusWatch *w, void *data)
{
	struct dbus_event *de = data;
	int fd = dbus_watch_get_unix_fd(w);
	struct fd_entry *e;

	if (fd < 0)
		return FALSE;
	e = fd_find(de, fd);
	if (!e) {
		e = xcalloc(1, sizeof(*e));
		e->de = de;
		e->fd = fd;
		if (sd_event_add_io(de->event, &e->io, fd, 0, on_io, de) < 0) {
			free(e);
			return FALSE;
		}
		e->next = de->fds;
		de->fds = e;
	}
	e->watches =
		xrealloc(e->watches, (e->n_watches + 1) * sizeof(*e->watches));
	e->watches[e->n_watches++] = w;
	fd_update(e);
	return TRUE;
}

static void fd_free(struct dbus_event *de, struct fd_entry *e)
{
	struct fd_entry **p;

	for (p = &de->fds; *p; p = &(*p)->next)
		if (*p == e) {
			*p = e->next;
			break;
		}
	sd_event_source_disable_unref(e->io);
	free(e->watches);
	free(e);
}

static void remove_watch(DBusWatch *w, void *data)
{
	struct dbus_event *de = data;
	struct fd_entry *e;
	size_t i;

	for (e = de->fds; e; e = e->next) {
		for (i = 0; i < e->n_watches; i++)
			if (e->watches[i] == w)
				break;
		if (i == e->n_watches)
			continue;
		e->watches[i] = e->watches[--e->n_watches];
		if (e->n_watches == 0)
			fd_free(de, e);
		else
			fd_update(e);
		return;
	}
}

static void toggle_watch(DBusWatch *w, void *data)
{
	struct dbus_event *de = data;
	struct fd_entry *e;

	for (e = de->fds; e; e = e->next)
		if (fd_has_watch(e, w)) {
			fd_update(e);
			return;
		}
}

static void timer_update(DBusTimeout *t, sd_event_source *s)
{
	if (!dbus_timeout_get_enabled(t)) {
		sd_event_source_set_enabled(s, SD_EVENT_OFF);
		return;
	}
	sd_event_source_set_time_relative(
		s, (uint64_t)dbus_timeout_get_interval(t) * USEC_PER_MSEC);
	sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
}

static int on_timeout(sd_event_source *s, uint64_t usec, void *userdata)
{
	DBusTimeout *t = userdata;

	/* Re-arm first: handling may remove the timeout and its source. */
	timer_update(t, s);
	dbus_timeout_handle(t);
	return 0;
}

static void free_timer(void *p)
{
	sd_event_source_disable_unref(p);
}

static dbus_bool_t add_timeout(DBusTimeout *t, void *data)
{
	struct dbus_event *de = data;
	sd_event_source *s;

	/*
	 * After the loop has finished (the daemon on its way out) no source
	 * can be added; a last call (a Disconnect) must still go out, so
	 * its reply timeout is accepted and simply never fires.
	 */
	if (sd_event_get_state(de->event) == SD_EVENT_FINISHED)
		return TRUE;
	if (sd_event_add_time_relative(de->event, &s, CLOCK_MONOTONIC,
				       (uint64_t)dbus_timeout_get_interval(t) *
					       USEC_PER_MSEC,
				       0, on_timeout, t) < 0)
		return FALSE;
	dbus_timeout_set_data(t, s, free_timer);
	timer_update(t, s);
	return TRUE;
}

static void remove_timeout(DBusTimeout *t, void *data)
{
	/* Frees the source through free_timer. */
	dbus_timeout_set_data(t, NULL, NULL);
}

static void toggle_timeout(DBusTimeout *t, void *data)
{
	sd_event_source *s = dbus_timeout_get_data(t);

	if (s)
		timer_update(t, s);
}

static int on_dispatch(sd_event_source *s, void *userdata)
{
	struct dbus_event *de = userdata;
	unsigned i;

	dbus_connection_ref(de->conn);
	for (i = 0; i < DISPATCH_BURST; i++)
		if (dbus_connection_dispatch(de->conn) !=
		    DBUS_DISPATCH_DATA_REMAINS)
			break;
	if (dbus_connection_get_dispatch_status(de->conn) ==
	    DBUS_DISPATCH_DATA_REMAINS)
		schedule_dispatch(de);
	dbus_connection_unref(de->conn);
	return 0;
}

static void dispatch_status(DBusConnection *c, DBusDispatchStatus st,
			    void *data)
{
	if (st == DBUS_DISPATCH_DATA_REMAINS)
		schedule_dispatch(data);
}

static void wakeup_main(void *data)
{
	schedule_dispatch(data);
}

int dbus_event_attach(DBusConnection *conn, struct sd_event *event,
		      struct dbus_event **ret)
{
	struct dbus_event *de = xcalloc(1, sizeof(*de));
	int r;

	de->conn = conn;
	de->event = sd_event_ref(event);
	r = sd_event_add_defer(event, &de->dispatch, on_dispatch, de);
	if (r < 0)
		goto fail;
	sd_event_source_set_enabled(de->dispatch, SD_EVENT_OFF);
	dbus_connection_set_exit_on_disconnect(conn, FALSE);
	if (!dbus_connection_set_watch_functions(conn, add_watch, remove_watch,
						 toggle_watch, de, NULL) ||
	    !dbus_connection_set_timeout_functions(conn, add_timeout,
						   remove_timeout,
						   toggle_timeout, de, NULL)) {
		r = -ENOMEM;
		goto fail;
	}
	dbus_connection_set_dispatch_status_function(conn, dispatch_status, de,
						     NULL);
	dbus_connection_set_wakeup_main_function(conn, wakeup_main, de, NULL);
	if (dbus_connection_get_dispatch_status(conn) ==
	    DBUS_DISPATCH_DATA_REMAINS)
		schedule_dispatch(de);
	*ret = de;
	return 0;
fail:
	dbus_event_detach(de);
	return r;
}

struct dbus_event *dbus_event_detach(struct dbus_event *de)
{
	if (!de)
		return NULL;
	dbus_connection_set_dispatch_status_function(de->conn, NULL, NULL,
						     NULL);
	dbus_connection_set_wakeup_main_function(de->conn, NULL, NULL, NULL);
	/* libdbus calls remove_watch/remove_timeout for each one here. */
	dbus_connection_set_watch_functions(de->conn, NULL, NULL, NULL, NULL,
					    NULL);
	dbus_connection_set_timeout_functions(de->conn, NULL, NULL, NULL, NULL,
					      NULL);
	while (de->fds)
		fd_free(de, de->fds);
	sd_event_source_disable_unref(de->dispatch);
	sd_event_unref(de->event);
	free(de);
	return NULL;
}
