/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl internals: the command table entry, the connection to the
 * daemon's control socket, and the command handlers.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

struct json_object;

struct ctl {
	const char *socket_path; /* --socket, NULL: env or default */
};

struct ctl_command {
	const char *name;
	const char *args;
	int (*handler)(struct ctl *ctl, int argc, char **argv);
	const char *help;
};

/* "$JKBMS_SOCKET or <default>" for the usage text. */
const char *ctl_default_socket_hint(void);
/* --socket, else $JKBMS_SOCKET, else the default; allocated. */
char *ctl_socket_path(const struct ctl *ctl);
/*
 * Sends one request object and reads one reply line. On a connection
 * error prints "jkbmsctl: cannot connect to PATH: ..." and returns < 0.
 */
int ctl_request(const struct ctl *ctl, struct json_object *req,
		struct json_object **ret_reply);

/* Handlers: exit status. */
int ctl_status_run(struct ctl *ctl, int argc, char **argv);
/* Prints a status reply as tables (shared with jkbmsd --demo). */
void ctl_status_print(struct json_object *reply, bool detail, FILE *out);
