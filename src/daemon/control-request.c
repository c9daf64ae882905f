/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsing of control requests; see control-request.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "daemon/control-request.h"

static const struct {
	const char *name;
	enum control_cmd cmd;
} commands[] = {
	{ "status", CONTROL_CMD_STATUS },
	{ "ping", CONTROL_CMD_PING },
};

int control_parse_request(const char *line, size_t len,
			  struct control_request *ret, char *err,
			  size_t errsize)
{
	struct json_tokener *tok;
	struct json_object *req, *v;
	const char *cmd, *bms = NULL;
	size_t i;
	int r = -EINVAL;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
			   line[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= CONTROL_REQUEST_MAX) {
		snprintf(err, errsize,
			 len ? "request too long" : "empty request");
		return -EINVAL;
	}
	tok = json_tokener_new();
	req = json_tokener_parse_ex(tok, line, (int)len);
	if (!req || json_tokener_get_parse_end(tok) != len) {
		snprintf(err, errsize, "malformed JSON");
		goto out;
	}
	if (!json_object_is_type(req, json_type_object)) {
		snprintf(err, errsize, "request is not a JSON object");
		goto out;
	}
	if (!json_object_object_get_ex(req, "cmd", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		snprintf(err, errsize, "missing \"cmd\"");
		goto out;
	}
	cmd = json_object_get_string(v);
	if (json_object_object_get_ex(req, "bms", &v)) {
		if (!json_object_is_type(v, json_type_string) ||
		    json_object_get_string_len(v) == 0 ||
		    json_object_get_string_len(v) >= CONTROL_NAME_MAX) {
			snprintf(err, errsize, "\"bms\" must be a BMS name");
			goto out;
		}
		bms = json_object_get_string(v);
	}

	r = -EOPNOTSUPP;
	snprintf(err, errsize, "unknown command '%.32s'", cmd);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) != 0)
			continue;
		memset(ret, 0, sizeof(*ret));
		ret->cmd = commands[i].cmd;
		if (bms)
			snprintf(ret->bms, sizeof(ret->bms), "%s", bms);
		err[0] = '\0';
		r = 0;
		break;
	}
out:
	json_object_put(req);
	json_tokener_free(tok);
	return r;
}
