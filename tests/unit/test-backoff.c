/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reconnect backoff: doubling, cap, and the +-25% jitter band. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "jkbms/device.h"

#define S UINT64_C(1000000)

static void test_doubling(void **state)
{
	/* rnd = 2^31: the middle of the band, i.e. the plain value. */
	assert_int_equal(device_backoff_usec(0, 2 * S, 300 * S, 0x80000000u),
			 2 * S);
	assert_int_equal(device_backoff_usec(1, 2 * S, 300 * S, 0x80000000u),
			 4 * S);
	assert_int_equal(device_backoff_usec(4, 2 * S, 300 * S, 0x80000000u),
			 32 * S);
}

static void test_cap(void **state)
{
	assert_int_equal(device_backoff_usec(8, 2 * S, 300 * S, 0x80000000u),
			 300 * S);
	/* No overflow however many attempts. */
	assert_int_equal(device_backoff_usec(1000, 2 * S, 300 * S, 0x80000000u),
			 300 * S);
	assert_int_equal(
		device_backoff_usec(4000000000u, 30 * S, 1800 * S, 0x80000000u),
		1800 * S);
	/* The jitter never takes a delay beyond the cap, only below it. */
	assert_int_equal(device_backoff_usec(8, 2 * S, 300 * S, UINT32_MAX),
			 300 * S);
	assert_int_equal(device_backoff_usec(8, 2 * S, 300 * S, 0), 225 * S);
}

static void test_jitter_band(void **state)
{
	uint32_t rnd = 12345;
	uint64_t lo = UINT64_MAX, hi = 0;
	unsigned i;

	assert_int_equal(device_backoff_usec(2, 2 * S, 300 * S, 0), 6 * S);
	assert_true(device_backoff_usec(2, 2 * S, 300 * S, UINT32_MAX) <
		    10 * S);
	for (i = 0; i < 10000; i++) {
		uint64_t d;

		rnd = rnd * 1664525u + 1013904223u;
		d = device_backoff_usec(3, 2 * S, 300 * S, rnd);
		assert_true(d >= 12 * S);
		assert_true(d < 20 * S);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	/* The band is used, not one value. */
	assert_true(lo < 13 * S);
	assert_true(hi > 19 * S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubling),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_jitter_band),
	};

	return cmocka_run_group_tests_name("backoff", tests, NULL, NULL);
}
