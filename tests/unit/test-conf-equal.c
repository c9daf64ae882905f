/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_bms_equal() and friends, as reload uses them: a section with one
 * key changed is different (every sim key, the passwords, writes and
 * its lockout), a section with only its place in the file or its bank
 * changed is the same.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/conf.h"

#define BASE                \
	"transport = sim\n" \
	"password = 4321\n" \
	"settings_password = 987654\n"

static struct conf *load(const char *text)
{
	unsigned nerrors = 0;
	struct conf *c = conf_load("<test>", text, stderr, &nerrors);

	assert_non_null(c);
	assert_int_equal(nerrors, 0);
	return c;
}

/* [bms a] of BASE plus extra, compared with BASE alone. */
static bool same_as_base(const char *extra)
{
	char text[1024];
	struct conf *a, *b;
	bool r;

	a = load("[bms a]\n" BASE);
	snprintf(text, sizeof(text), "[bms a]\n" BASE "%s", extra);
	b = load(text);
	r = conf_bms_equal(conf_find_bms(a, "a"), conf_find_bms(b, "a"));
	assert_true(r == conf_bms_equal(conf_find_bms(b, "a"),
					conf_find_bms(a, "a")));
	conf_free(a);
	conf_free(b);
	return r;
}

static void test_bms_keys(void **state)
{
	static const char *const changed[] = {
		"cells = 8\n",
		"chemistry = lto\n",
		"capacity = 100\n",
		"profile = idle\n",
		"seed = 7\n",
		"time_scale = 60\n",
		"imbalance = 5\n",
		"write_fault = ignore\n",
		"poll_interval = 7s\n",
		"writes = no\n",
		"settings_max_failures = 9\n",
		"settings_lockout = 1h\n",
		"variant = jk02_24s\n",
	};
	size_t i;

	assert_true(same_as_base(""));
	for (i = 0; i < sizeof(changed) / sizeof(changed[0]); i++) {
		if (same_as_base(changed[i]))
			fail_msg("'%s' is not seen as a change", changed[i]);
	}
}

static void test_passwords_and_place(void **state)
{
	struct conf *a, *b;

	a = load("[bms a]\n" BASE "[bms b]\n" BASE);
	b = load("# moved down\n\n[bms b]\n" BASE
		 "[bms a]\ntransport = sim\npassword = 4322\n"
		 "settings_password = 987654\n"
		 "[bank house]\nmembers = a, b\n");
	assert_true(
		conf_bms_equal(conf_find_bms(a, "b"), conf_find_bms(b, "b")));
	assert_false(
		conf_bms_equal(conf_find_bms(a, "a"), conf_find_bms(b, "a")));
	assert_false(
		conf_bms_equal(conf_find_bms(a, "a"), conf_find_bms(a, "b")));
	conf_free(a);
	conf_free(b);
}

static void test_other_sections(void **state)
{
	struct conf *a, *b;

	a = load("[mqtt]\nhost = 127.0.0.1\n[history]\nenabled = no\n");
	b = load("[mqtt]\nhost = 127.0.0.1\nport = 1884\n"
		 "[history]\nenabled = no\n");
	assert_false(conf_mqtt_equal(&a->mqtt, &b->mqtt));
	assert_true(conf_mqtt_equal(&a->mqtt, &a->mqtt));
	assert_true(conf_history_equal(&a->history, &b->history));
	conf_free(a);
	conf_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bms_keys),
		cmocka_unit_test(test_passwords_and_place),
		cmocka_unit_test(test_other_sections),
	};

	return cmocka_run_group_tests_name("conf-equal", tests, NULL, NULL);
}
