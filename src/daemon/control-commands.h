/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The handlers of control_commands[] (control-commands.c), each defined
 * in the file of its subsystem. One line per command; see control-call.h
 * for what a handler may do.
 */
#pragma once

#include <stddef.h>

#include "daemon/control-call.h"

/* cmd-status.c */
void control_cmd_status(struct control_call *call);
/* cmd-ping.c */
void control_cmd_ping(struct control_call *call);
/* cmd-bms.c */
void control_cmd_cells(struct control_call *call);
void control_cmd_info(struct control_call *call);
void control_cmd_settings(struct control_call *call);
/* cmd-reload.c: the daemon's reload, set once by main.c */
typedef int (*control_reload_func_t)(void *userdata, char *err, size_t errsize);
void control_reload_set(control_reload_func_t func, void *userdata);
void control_cmd_reload(struct control_call *call);
/* cmd-debug.c */
void control_cmd_debug(struct control_call *call);
/* cmd-write.c: settings writes and the authorisation window */
void control_cmd_set(struct control_call *call);
void control_cmd_auth(struct control_call *call);
/* src/transport/ble-control.c: BLE scan and release */
void control_cmd_scan(struct control_call *call);
void control_cmd_release(struct control_call *call);
