/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl internals: the command table entry, the connection to the
 * daemon's control socket, and the command handlers.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json_object;

struct ctl {
	const char *socket_path; /* --socket, NULL: env or default */
	int reply_timeout_ms;    /* 0: the default (commands that take long) */
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

/* request.c: helpers of the commands below. */
/* {"cmd": cmd, "bms": bms} (bms may be NULL). */
struct json_object *ctl_request_new(const char *cmd, const char *bms);
/*
 * Sends req (taken) and checks "ok": 0 with the reply (the caller puts
 * it), or 1 after printing the daemon's error or the connection failure.
 */
int ctl_call(const struct ctl *ctl, struct json_object *req,
	     struct json_object **ret_reply);
void ctl_print_json(struct json_object *o, FILE *out);
/* "jkbmsctl CMD BMS [--json]": the request, then JSON or print(). */
int ctl_bms_command(struct ctl *ctl, int argc, char **argv, const char *cmd,
		    void (*print)(struct json_object *reply, FILE *out));
/* A value as text: strings bare, lists space-separated; buf for lists. */
const char *ctl_value_string(struct json_object *v, char *buf, size_t size);
/* "  key  value unit  (Label)" per member; settings: the settings table. */
void ctl_print_values(struct json_object *values, bool settings, FILE *out);

/* One file each: src/ctl/cmd-NAME.c */
int ctl_cells_run(struct ctl *ctl, int argc, char **argv);
int ctl_info_run(struct ctl *ctl, int argc, char **argv);
int ctl_settings_run(struct ctl *ctl, int argc, char **argv);
int ctl_reload_run(struct ctl *ctl, int argc, char **argv);
int ctl_debug_run(struct ctl *ctl, int argc, char **argv);
int ctl_watch_run(struct ctl *ctl, int argc, char **argv);

/* The write path's commands (cmd-write.c, cmd-auth.c, password.c). */
#define CTL_PASSWORD_MAX 64
/*
 * The settings password: the first line of file, else asked on the
 * terminal without echo (-ENOTTY without one). Prints why it failed.
 */
int ctl_read_password(const char *file, const char *bms, char *buf,
		      size_t size);
/* Wipes the string member key of a sent request, and its serialisation. */
void ctl_request_wipe(struct json_object *req, const char *key);
int ctl_set_run(struct ctl *ctl, int argc, char **argv);
int ctl_switch_run(struct ctl *ctl, int argc, char **argv);
int ctl_preset_run(struct ctl *ctl, int argc, char **argv);
int ctl_factory_reset_run(struct ctl *ctl, int argc, char **argv);
int ctl_restart_run(struct ctl *ctl, int argc, char **argv);
int ctl_auth_run(struct ctl *ctl, int argc, char **argv);

/* BLE (cmd-scan.c, cmd-release.c) */
int ctl_scan_run(struct ctl *ctl, int argc, char **argv);
int ctl_release_run(struct ctl *ctl, int argc, char **argv);

/*
 * The history database, read directly (cmd-history.c, cmd-events.c,
 * cmd-energy.c): --db PATH, else the [history] path of -c FILE or of the
 * default config. Both print why they fail and return -1.
 */
struct sqlite3;
int ctl_history_db(const char *db, const char *conf, struct sqlite3 **ret);
/* --since/--until to Unix ms (until: the end of time when NULL). */
int ctl_history_range(const char *since, const char *until,
		      const char *default_since, int64_t *ret_since,
		      int64_t *ret_until);
int ctl_history_run(struct ctl *ctl, int argc, char **argv);
int ctl_events_run(struct ctl *ctl, int argc, char **argv);
int ctl_energy_run(struct ctl *ctl, int argc, char **argv);
