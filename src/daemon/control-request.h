/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Requests of the control protocol: one JSON object per line with a
 * "cmd" naming a row of a command table ({"cmd":"status","bms":"house-1"}).
 * Parsing checks only what every command shares (JSON object, "cmd", a
 * "bms" that is a name); the handler reads its own arguments. Separate
 * from the socket so it can be tested alone.
 */
#pragma once

#include <stddef.h>

#define CONTROL_REQUEST_MAX 4096 /* bytes per line, newline included */
#define CONTROL_NAME_MAX    64

struct control_command;
struct json_object;

/*
 * Parses one line (without its newline) and finds its command in table
 * (terminated by a row with a NULL name). Returns 0 with the request
 * object in *ret_req (the caller puts it) and its row in *ret_cmd, or
 * -EINVAL / -EOPNOTSUPP (unknown command) with a message for the reply
 * in err.
 */
int control_parse_request(const struct control_command *table, const char *line,
			  size_t len, struct json_object **ret_req,
			  const struct control_command **ret_cmd, char *err,
			  size_t errsize);
