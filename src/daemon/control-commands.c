/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The commands of the control protocol: one row each, the name clients
 * send as "cmd", the handler, and a line of help. The socket
 * (control.c) looks requests up here and nowhere else.
 */
#include "config.h"

#include <stddef.h>

#include "daemon/control-commands.h"

const struct control_command control_commands[] = {
	{ "status", control_cmd_status,
	  "banks and BMSs; \"bms\": only that BMS" },
	{ "ping", control_cmd_ping, "the daemon's version" },
	{ "cells", control_cmd_cells,
	  "cell voltages and resistances of \"bms\"" },
	{ "info", control_cmd_info, "device information of \"bms\"" },
	{ "settings", control_cmd_settings, "the settings of \"bms\"" },
	{ "reload", control_cmd_reload,
	  "reload the configuration (privileged)" },
	{ "debug", control_cmd_debug,
	  "debug categories: \"category\", \"on\" (privileged to change)" },
	/* the write path (cmd-write.c) */
	{ "set", control_cmd_set,
	  "write a setting: \"bms\", \"key\", \"value\", \"password\"?, "
	  "\"force\"?" },
	{ "auth", control_cmd_auth,
	  "authorisation window: \"bms\", \"password\", \"duration\"?; "
	  "\"close\"" },
	/* BLE (src/transport/ble-control.c) */
	{ "scan", control_cmd_scan,
	  "JK BMSs nearby: \"adapter\"? (hci0), \"duration\"? (10s)" },
	{ "release", control_cmd_release,
	  "disconnect \"bms\" and keep away for \"duration\"? (10m; 0 "
	  "ends it) so the phone app can connect (privileged)" },
	{ NULL, NULL, NULL },
};
