/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/util: durations, constant-time compare, debug categories, the log
 * damper and the re-entrancy of the watch list.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/log.h"
#include "jkbms/util.h"
#include "jkbms/watchlist.h"

static void test_parse_duration(void **state)
{
	uint64_t u;

	assert_int_equal(parse_duration("500ms", &u), 0);
	assert_int_equal(u, 500000);
	assert_int_equal(parse_duration("5s", &u), 0);
	assert_int_equal(u, 5000000);
	assert_int_equal(parse_duration("30", &u), 0);
	assert_int_equal(u, 30000000);
	assert_int_equal(parse_duration("10m", &u), 0);
	assert_int_equal(u, 600000000);
	assert_int_equal(parse_duration("2h", &u), 0);
	assert_int_equal(u, UINT64_C(7200000000));
	assert_int_equal(parse_duration("1d", &u), 0);
	assert_int_equal(u, UINT64_C(86400000000));
	assert_int_equal(parse_duration("", &u), -EINVAL);
	assert_int_equal(parse_duration("5x", &u), -EINVAL);
	assert_int_equal(parse_duration("-5s", &u), -EINVAL);
	assert_int_equal(parse_duration("s", &u), -EINVAL);
	assert_int_equal(parse_duration("99999999999999999999d", &u), -EINVAL);
	assert_int_equal(parse_duration("999999999999999d", &u), -ERANGE);
}

static void test_format_duration(void **state)
{
	char b[32];

	assert_string_equal(format_duration(b, sizeof(b), 150000), "150ms");
	assert_string_equal(format_duration(b, sizeof(b), 3200000), "3.2s");
	assert_string_equal(format_duration(b, sizeof(b), 125000000), "2m 5s");
	assert_string_equal(format_duration(b, sizeof(b), 7500000000ULL),
			    "2h 5m");
	assert_string_equal(format_duration(b, sizeof(b), 90000000000ULL),
			    "1d 1h");
}

static void test_streq_consttime(void **state)
{
	assert_true(streq_consttime("1234", "1234"));
	assert_true(streq_consttime("", ""));
	assert_false(streq_consttime("1234", "1235"));
	assert_false(streq_consttime("1234", "12345"));
	assert_false(streq_consttime("12345", "1234"));
	assert_false(streq_consttime("", "1234"));
}

static void test_categories(void **state)
{
	unsigned m;

	assert_int_equal(log_parse_categories("ble,mqtt", &m), 0);
	assert_int_equal(m, LOG_CAT_BLE | LOG_CAT_MQTT);
	assert_int_equal(log_parse_categories(" device , frame ", &m), 0);
	assert_int_equal(m, LOG_CAT_DEVICE | LOG_CAT_FRAME);
	assert_int_equal(log_parse_categories("all", &m), 0);
	assert_int_equal(m, LOG_CAT_ALL);
	assert_int_equal(log_parse_categories("", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(log_parse_categories("ble,nope", &m), -EINVAL);
	assert_int_equal(log_parse_categories("bl", &m), -EINVAL);

	log_set_level(LOG_INFO);
	log_set_debug(LOG_CAT_BLE);
	assert_true(log_debug_enabled(LOG_CAT_BLE));
	assert_false(log_debug_enabled(LOG_CAT_MQTT));
	log_toggle_debug();
	assert_int_equal(log_get_debug(), 0);
	assert_false(log_debug_enabled(LOG_CAT_BLE));
	log_toggle_debug();
	assert_int_equal(log_get_debug(), LOG_CAT_BLE);
	log_set_debug(0);
	log_toggle_debug();
	assert_int_equal(log_get_debug(), LOG_CAT_BLE);
	log_set_debug(0);
}

static void test_log_returns_error(void **state)
{
	log_open(LOG_TARGET_STDERR);
	log_set_level(LOG_ERR);
	assert_int_equal(log_error_errno(-EIO, "test: %m"), -EIO);
	assert_int_equal(log_warning_errno(-EAGAIN, "filtered"), -EAGAIN);
	log_set_level(LOG_INFO);
}

static void test_damp(void **state)
{
	struct log_damp d = { 0 };
	uint64_t t = 1000;
	unsigned supp, i;

	for (i = 0; i < LOG_DAMP_BURST; i++) {
		assert_true(log_damp_check(&d, t + i, &supp));
		assert_int_equal(supp, 0);
	}
	/* Flapping: the rest of the window is counted, not logged. */
	for (i = 0; i < 5; i++)
		assert_false(log_damp_check(&d, t + 100 + i, &supp));
	assert_int_equal(supp, 5);
	/* A new window reports what was held back. */
	assert_true(log_damp_check(&d, t + LOG_DAMP_WINDOW_USEC, &supp));
	assert_int_equal(supp, 5);
	assert_true(log_damp_check(&d, t + LOG_DAMP_WINDOW_USEC + 1, &supp));
	assert_int_equal(supp, 0);
}

struct wl_ctx {
	struct watchlist wl;
	unsigned self_id, other_id, added_id;
	int calls_a, calls_b, calls_c;
	int destroyed;
};

static void cb_c(int value, void *userdata)
{
	struct wl_ctx *c = userdata;

	c->calls_c += value;
}

static void cb_a(int value, void *userdata)
{
	struct wl_ctx *c = userdata;

	c->calls_a += value;
	/* Removes itself and the next one, adds a new one, mid-notify. */
	watchlist_remove(&c->wl, c->self_id);
	watchlist_remove(&c->wl, c->other_id);
	c->added_id = watchlist_add(&c->wl, (watch_func_t)cb_c, c, NULL);
}

static void cb_b(int value, void *userdata)
{
	struct wl_ctx *c = userdata;

	c->calls_b += value;
}

static void destroy(void *userdata)
{
	struct wl_ctx *c = userdata;

	c->destroyed++;
}

static void test_watchlist_reentrant(void **state)
{
	struct wl_ctx c = { 0 };
	unsigned i;

	watchlist_init(&c.wl);
	c.self_id = watchlist_add(&c.wl, (watch_func_t)cb_a, &c, destroy);
	c.other_id = watchlist_add(&c.wl, (watch_func_t)cb_b, &c, destroy);
	/* Enough entries that the add inside cb_a reallocates. */
	for (i = 0; i < 6; i++)
		watchlist_add(&c.wl, (watch_func_t)cb_b, &c, NULL);
	assert_int_equal(watchlist_count(&c.wl), 8);

	WATCHLIST_NOTIFY(&c.wl, void (*)(int, void *), 1);
	assert_int_equal(c.calls_a, 1);
	assert_int_equal(c.calls_b, 6); /* the removed one was skipped */
	assert_int_equal(c.calls_c, 0); /* added during: next time */
	assert_int_equal(c.destroyed, 2);
	assert_int_equal(watchlist_count(&c.wl), 7);
	assert_int_equal(c.wl.n, 7); /* compacted after the notify */

	WATCHLIST_NOTIFY(&c.wl, void (*)(int, void *), 10);
	assert_int_equal(c.calls_a, 1);
	assert_int_equal(c.calls_b, 66);
	assert_int_equal(c.calls_c, 10);
	assert_false(watchlist_remove(&c.wl, c.self_id));
	assert_true(watchlist_remove(&c.wl, c.added_id));
	watchlist_clear(&c.wl);
	assert_int_equal(c.wl.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_format_duration),
		cmocka_unit_test(test_streq_consttime),
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_log_returns_error),
		cmocka_unit_test(test_damp),
		cmocka_unit_test(test_watchlist_reentrant),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
