/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libdbus on sd-event: a connection's watches, timeouts and dispatching
 * driven by the daemon's one event loop, so every D-Bus call can be made
 * asynchronously from the loop thread.
 */
#pragma once

#include <dbus/dbus.h>

struct sd_event;
struct dbus_event;

/*
 * Hooks conn into event: watches merged per fd, timeouts as timers,
 * dispatch from a defer source. Also turns exit_on_disconnect off. The
 * connection must stay referenced until dbus_event_detach().
 */
int dbus_event_attach(DBusConnection *conn, struct sd_event *event,
		      struct dbus_event **ret);
/* Unhooks and frees; NULL-safe; returns NULL. */
struct dbus_event *dbus_event_detach(struct dbus_event *de);
