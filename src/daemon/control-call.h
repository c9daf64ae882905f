/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One request on the control socket, as its handler sees it. Every
 * command of the protocol is a row of control_commands[]
 * (control-commands.c): its name and a handler in the file of the
 * subsystem it belongs to. A handler answers with control_call_reply() or
 * control_call_error() exactly once, now or later (a settings write
 * answers after the read-back); until then the client's next requests
 * wait, so replies keep their order. If the client goes away first the
 * late reply is dropped; the call stays valid until answered.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

struct control_call;
struct device;
struct json_object;
struct manager;

typedef void (*control_handler_t)(struct control_call *call);

struct control_command {
	const char *name;
	control_handler_t handle;
	const char *help;
};

extern const struct control_command control_commands[];

struct manager *control_call_manager(const struct control_call *call);
/* The whole request object ({"cmd": ..., ...}); borrowed. */
struct json_object *control_call_args(const struct control_call *call);
/* A string argument of the request, NULL if absent or not a string. */
const char *control_call_string(const struct control_call *call,
				const char *key);
/*
 * The BMS named by the request's "bms"; NULL after answering the call
 * with the error (missing, or no such BMS).
 */
struct device *control_call_device(struct control_call *call);
/* Peer credentials (SO_PEERCRED) of the client, for audit and refusals. */
uid_t control_call_uid(const struct control_call *call);
pid_t control_call_pid(const struct control_call *call);
/*
 * May the client change things (reload, debug, writes)? Root, the
 * daemon's own user, or a member of the control socket's group.
 */
bool control_call_privileged(const struct control_call *call);
/* False once the client has gone (a late reply is then dropped). */
bool control_call_connected(const struct control_call *call);

/* Sends reply (ownership taken; "ok": true is added if missing). */
void control_call_reply(struct control_call *call, struct json_object *reply);
/* Sends {"ok": false, "error": "..."}. */
void control_call_error(struct control_call *call, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
