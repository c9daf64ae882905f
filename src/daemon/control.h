/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The jkbmsctl control socket (AF_UNIX stream, JSON lines). */
#pragma once

struct control;
struct manager;
struct sd_event;

/*
 * Binds path (parent directory created 0750, a stale socket removed,
 * socket 0660) and serves clients on the loop. -EADDRINUSE if another
 * daemon answers there.
 */
int control_new(struct sd_event *event, struct manager *m, const char *path,
		struct control **ret);
/* Closes every client and the socket, and removes the socket file. */
struct control *control_free(struct control *c);
const char *control_path(const struct control *c);
