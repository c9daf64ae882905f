/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsing of control requests; see control-request.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "daemon/control-call.h"
#include "daemon/control-request.h"

static const struct control_command *lookup(const struct control_command *table,
					    const char *name)
{
	for (; table->name; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

/* The checks every command shares; the message goes to err. */
static int check_request(struct json_object *req, char *err, size_t errsize)
{
	struct json_object *v;

	if (!json_object_is_type(req, json_type_object)) {
		snprintf(err, errsize, "request is not a JSON object");
		return -EINVAL;
	}
	if (!json_object_object_get_ex(req, "cmd", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		snprintf(err, errsize, "missing \"cmd\"");
		return -EINVAL;
	}
	if (json_object_object_get_ex(req, "bms", &v) &&
	    (!json_object_is_type(v, json_type_string) ||
	     json_object_get_string_len(v) == 0 ||
	     json_object_get_string_len(v) >= CONTROL_NAME_MAX)) {
		snprintf(err, errsize, "\"bms\" must be a BMS name");
		return -EINVAL;
	}
	return 0;
}

int control_parse_request(const struct control_command *table, const char *line,
			  size_t len, struct json_object **ret_req,
			  const struct control_command **ret_cmd, char *err,
			  size_t errsize)
{
	const struct control_command *cmd;
	struct json_tokener *tok;
	struct json_object *req, *v;
	const char *name;
	int r;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
			   line[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= CONTROL_REQUEST_MAX) {
		snprintf(err, errsize,
			 len ? "request too long" : "empty request");
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok) {
		snprintf(err, errsize, "out of memory");
		return -ENOMEM;
	}
	req = json_tokener_parse_ex(tok, line, (int)len);
	r = !req || json_tokener_get_parse_end(tok) != len ? -EINVAL : 0;
	json_tokener_free(tok);
	if (r < 0) {
		snprintf(err, errsize, "malformed JSON");
		goto fail;
	}
	r = check_request(req, err, errsize);
	if (r < 0)
		goto fail;

	json_object_object_get_ex(req, "cmd", &v);
	name = json_object_get_string(v);
	cmd = lookup(table, name);
	if (!cmd) {
		snprintf(err, errsize, "unknown command '%.32s'", name);
		r = -EOPNOTSUPP;
		goto fail;
	}
	err[0] = '\0';
	*ret_req = req;
	*ret_cmd = cmd;
	return 0;

fail:
	json_object_put(req);
	return r;
}
