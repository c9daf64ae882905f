/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Control protocol request parsing: good requests, and every refusal,
 * against a table of this test's own (the daemon's is control-commands.c).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <json-c/json.h>

#include "daemon/control-call.h"
#include "daemon/control-request.h"

static void handle_nothing(struct control_call *call)
{
}

static const struct control_command table[] = {
	{ "status", handle_nothing, "" },
	{ "ping", handle_nothing, "" },
	{ NULL, NULL, NULL },
};

/* The parsed request, kept for the checks until the next parse. */
static struct json_object *last;

struct request {
	const struct control_command *cmd;
	char bms[CONTROL_NAME_MAX]; /* "" if absent */
};

static int parse_len(const char *s, size_t len, struct request *req, char *err)
{
	struct json_object *o, *v;
	int r;

	json_object_put(last);
	last = NULL;
	memset(req, 0, sizeof(*req));
	r = control_parse_request(table, s, len, &o, &req->cmd, err, 128);
	if (r < 0)
		return r;
	last = o;
	if (json_object_object_get_ex(o, "bms", &v))
		snprintf(req->bms, sizeof(req->bms), "%s",
			 json_object_get_string(v));
	return 0;
}

static int parse(const char *s, struct request *req, char *err)
{
	return parse_len(s, strlen(s), req, err);
}

static void test_status(void **state)
{
	struct request req;
	char err[128];

	assert_int_equal(parse("{\"cmd\":\"status\"}", &req, err), 0);
	assert_ptr_equal(req.cmd, &table[0]);
	assert_string_equal(req.bms, "");
	assert_string_equal(err, "");

	assert_int_equal(
		parse("{ \"cmd\" : \"status\", \"bms\": \"house-1\" }\r", &req,
		      err),
		0);
	assert_ptr_equal(req.cmd, &table[0]);
	assert_string_equal(req.bms, "house-1");

	assert_int_equal(
		parse("{\"bms\":\"b\",\"cmd\":\"ping\",\"x\":1}", &req, err),
		0);
	assert_ptr_equal(req.cmd, &table[1]);
	assert_int_equal(json_object_get_int(json_object_object_get(last, "x")),
			 1);
}

static void test_refused(void **state)
{
	static const struct {
		const char *line;
		int r;
		const char *err;
	} cases[] = {
		{ "", -EINVAL, "empty request" },
		{ "   ", -EINVAL, "empty request" },
		{ "{", -EINVAL, "malformed JSON" },
		{ "{\"cmd\":\"status\"} trailing", -EINVAL, "malformed JSON" },
		{ "{\"cmd\":\"status\"}{}", -EINVAL, "malformed JSON" },
		{ "[\"status\"]", -EINVAL, "request is not a JSON object" },
		{ "\"status\"", -EINVAL, "request is not a JSON object" },
		{ "{}", -EINVAL, "missing \"cmd\"" },
		{ "{\"cmd\":1}", -EINVAL, "missing \"cmd\"" },
		{ "{\"cmd\":\"status\",\"bms\":7}", -EINVAL,
		  "\"bms\" must be a BMS name" },
		{ "{\"cmd\":\"status\",\"bms\":\"\"}", -EINVAL,
		  "\"bms\" must be a BMS name" },
		{ "{\"cmd\":\"reboot\"}", -EOPNOTSUPP,
		  "unknown command 'reboot'" },
	};
	struct request req;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].line, &req, err), cases[i].r);
		assert_string_equal(err, cases[i].err);
	}
}

static void test_limits(void **state)
{
	struct request req;
	char err[128], *big;
	size_t n;

	/* A name one short of the limit is accepted, at the limit not. */
	big = malloc(CONTROL_REQUEST_MAX + 64);
	n = (size_t)sprintf(big, "{\"cmd\":\"status\",\"bms\":\"");
	memset(big + n, 'a', CONTROL_NAME_MAX - 1);
	strcpy(big + n + CONTROL_NAME_MAX - 1, "\"}");
	assert_int_equal(parse(big, &req, err), 0);
	assert_int_equal(strlen(req.bms), CONTROL_NAME_MAX - 1);
	memset(big + n, 'a', CONTROL_NAME_MAX);
	strcpy(big + n + CONTROL_NAME_MAX, "\"}");
	assert_int_equal(parse(big, &req, err), -EINVAL);

	memset(big, ' ', CONTROL_REQUEST_MAX);
	big[0] = '{';
	big[CONTROL_REQUEST_MAX - 1] = '}';
	big[CONTROL_REQUEST_MAX] = '\0';
	assert_int_equal(parse(big, &req, err), -EINVAL);
	assert_string_equal(err, "request too long");
	free(big);

	/* An embedded NUL is not the end of the request. */
	assert_int_equal(parse_len("{\"cmd\":\"ping\"}\0x", 16, &req, err),
			 -EINVAL);
	json_object_put(last);
	last = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests_name("control-request", tests, NULL,
					   NULL);
}
