/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The alarm observer (src/device/alarm-log.c) alone, on a device struct of
 * its own: every bit raised and cleared is logged once by its name, an
 * update without alarm bits (a reconnect) raises nothing again, unknown
 * bits are "bit_N", and a flapping alarm is held back after the burst.
 * The log goes to stderr, which the test reads back from a file.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jkbms/alarms.h"
#include "jkbms/fields.h"
#include "jkbms/log.h"

#include "device/device-private.h"

static device_watch_func_t watch_func;
static void *watch_data;

/* The one device.c function alarm-log.c uses. */
unsigned device_watch_add(struct device *dev, device_watch_func_t func,
			  void *userdata)
{
	watch_func = func;
	watch_data = userdata;
	return 1;
}

static struct device dev;
static char log_path[] = "/tmp/test-alarm-log.XXXXXX";
static int saved_stderr = -1;

static int setup(void **state)
{
	int fd = mkstemp(log_path);

	assert_true(fd >= 0);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	close(fd);
	log_open(LOG_TARGET_STDERR);
	log_set_level(LOG_INFO);
	log_set_debug(0);
	dev.log.bms = "house-1";
	dev.model.variant = JK_VARIANT_JK02_32S;
	alarm_log_init(&dev);
	assert_non_null(watch_func);
	return 0;
}

static int teardown(void **state)
{
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	unlink(log_path);
	return 0;
}

/* What was logged since the last call. */
static char *logged(void)
{
	static long seen;
	static char buf[4096];
	FILE *f;
	size_t n;

	fflush(stderr);
	f = fopen(log_path, "r");
	assert_non_null(f);
	fseek(f, seen, SEEK_SET);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	seen += (long)n;
	fclose(f);
	return buf;
}

static void update(uint64_t bits)
{
	field_set_num(&dev.model.v, FIELD_ALARM_BITS, (int64_t)bits);
	watch_func(&dev, DEVICE_EVENT_VALUES, NULL, watch_data);
}

static void test_raise_clear(void **state)
{
	update(0);
	assert_string_equal(logged(), "");

	update((1u << 4) | (1u << 14));
	assert_string_equal(logged(),
			    "jkbmsd: house-1: alarm raised: cell_ovp\n"
			    "jkbmsd: house-1: alarm raised: discharge_scp\n");

	/* The same bits again, and other kinds of event: nothing. */
	update((1u << 4) | (1u << 14));
	watch_func(&dev, DEVICE_EVENT_STATE, NULL, watch_data);
	watch_func(&dev, DEVICE_EVENT_SETTINGS, NULL, watch_data);
	assert_string_equal(logged(), "");

	/* A reconnect empties the model: no alarms known, none cleared. */
	field_values_reset(&dev.model.v);
	watch_func(&dev, DEVICE_EVENT_VALUES, NULL, watch_data);
	assert_string_equal(logged(), "");
	/* And the first update after it raises nothing already raised. */
	update((1u << 4) | (1u << 14) | (UINT64_C(1) << 30));
	assert_string_equal(logged(),
			    "jkbmsd: house-1: alarm raised: bit_30\n");
}

static void test_flapping(void **state)
{
	int i;

	/* Two changes above; the third is the last of the burst. */
	update(1u << 4);
	assert_string_equal(logged(),
			    "jkbmsd: house-1: alarm cleared: discharge_scp\n"
			    "jkbmsd: house-1: alarm cleared: bit_30\n");
	for (i = 0; i < 6; i++)
		update(i % 2 ? 1u << 4 : 0);
	assert_string_equal(logged(), "");
	/* Still held back, yet the state follows: no stale clear later. */
	log_set_level(LOG_DEBUG);
	update(0);
	assert_string_equal(logged(),
			    "jkbmsd: house-1: alarm cleared: cell_ovp\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raise_clear),
		cmocka_unit_test(test_flapping),
	};

	return cmocka_run_group_tests_name("alarm-log", tests, setup, teardown);
}
