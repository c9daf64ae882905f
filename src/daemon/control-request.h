/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Requests of the control protocol: one JSON object per line,
 * {"cmd":"status"} or {"cmd":"status","bms":"house-1"}, {"cmd":"ping"}.
 * Parsing is separate from the socket so it can be tested alone.
 */
#pragma once

#include <stddef.h>

#define CONTROL_REQUEST_MAX 4096 /* bytes per line, newline included */
#define CONTROL_NAME_MAX    64

enum control_cmd {
	CONTROL_CMD_STATUS,
	CONTROL_CMD_PING,
};

struct control_request {
	enum control_cmd cmd;
	char bms[CONTROL_NAME_MAX]; /* "" for all */
};

/*
 * Parses one line (without its newline). Returns 0, or -EINVAL /
 * -EOPNOTSUPP (unknown command) with a message for the reply in err.
 */
int control_parse_request(const char *line, size_t len,
			  struct control_request *ret, char *err,
			  size_t errsize);
