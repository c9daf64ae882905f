/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Control protocol request parsing: good requests, and every refusal. */
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

#include "daemon/control-request.h"

static int parse(const char *s, struct control_request *req, char *err)
{
	return control_parse_request(s, strlen(s), req, err, 128);
}

static void test_status(void **state)
{
	struct control_request req;
	char err[128];

	assert_int_equal(parse("{\"cmd\":\"status\"}", &req, err), 0);
	assert_int_equal(req.cmd, CONTROL_CMD_STATUS);
	assert_string_equal(req.bms, "");
	assert_string_equal(err, "");

	assert_int_equal(
		parse("{ \"cmd\" : \"status\", \"bms\": \"house-1\" }\r", &req,
		      err),
		0);
	assert_int_equal(req.cmd, CONTROL_CMD_STATUS);
	assert_string_equal(req.bms, "house-1");

	assert_int_equal(
		parse("{\"bms\":\"b\",\"cmd\":\"ping\",\"x\":1}", &req, err),
		0);
	assert_int_equal(req.cmd, CONTROL_CMD_PING);
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
	struct control_request req;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].line, &req, err), cases[i].r);
		assert_string_equal(err, cases[i].err);
	}
}

static void test_limits(void **state)
{
	struct control_request req;
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
	assert_int_equal(control_parse_request("{\"cmd\":\"ping\"}\0x", 16,
					       &req, err, sizeof(err)),
			 -EINVAL);
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
