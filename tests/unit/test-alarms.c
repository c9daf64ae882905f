/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Alarm names per protocol (protocols.md section 6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/alarms.h"

static bool is_snake(const char *s)
{
	const char *p;

	if (!s || !*s || *s < 'a' || *s > 'z')
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_'))
			return false;
	return true;
}

/* Table 6.1 in bit order. */
static const char *const jk02[] = {
	"wire_resistance",
	"mos_otp",
	"cell_count_mismatch",
	"current_sensor_error",
	"cell_ovp",
	"pack_ovp",
	"charge_ocp",
	"charge_scp",
	"charge_otp",
	"charge_utp",
	"coprocessor_comm_error",
	"cell_uvp",
	"pack_uvp",
	"discharge_ocp",
	"discharge_scp",
	"discharge_otp",
	"charge_mos_fault",
	"discharge_mos_fault",
	"gps_disconnected",
	"default_password",
	"discharge_on_failed",
	"battery_otp",
	"temperature_sensor_fault",
	"plc_module_fault",
	"scp_release_failed",
	"discharge_ocp2",
	"discharge_ocp3",
	"discharge_utp",
	"gps_locked",
};

static void test_jk02(void **state)
{
	static const enum jk_variant wide[] = {
		JK_VARIANT_JK02_32S,
		JK_VARIANT_PB_MODBUS,
		JK_VARIANT_CAN,
	};
	unsigned bit;
	size_t i;

	for (bit = 0; bit < 16; bit++)
		assert_string_equal(alarm_name(JK_VARIANT_JK02_24S, bit),
				    jk02[bit]);
	/* 24S: 16 bits only */
	for (bit = 16; bit < 64; bit++)
		assert_null(alarm_name(JK_VARIANT_JK02_24S, bit));

	for (i = 0; i < sizeof(wide) / sizeof(wide[0]); i++) {
		for (bit = 0; bit < 29; bit++)
			assert_string_equal(alarm_name(wide[i], bit),
					    jk02[bit]);
		for (bit = 29; bit < 70; bit++)
			assert_null(alarm_name(wide[i], bit));
	}
}

static void test_serial(void **state)
{
	static const char *const ser[14] = {
		"low_capacity",     "mos_otp",
		"charge_ovp",       "discharge_uvp",
		"battery_otp",      "charge_ocp",
		"discharge_ocp",    "cell_voltage_difference",
		"battery_box_otp",  "battery_utp",
		"cell_ovp",         "cell_uvp",
		"protection_309_a", "protection_309_b",
	};
	unsigned bit;

	for (bit = 0; bit < 14; bit++)
		assert_string_equal(alarm_name(JK_VARIANT_SERIAL, bit),
				    ser[bit]);
	for (bit = 14; bit < 64; bit++)
		assert_null(alarm_name(JK_VARIANT_SERIAL, bit));
}

static void test_none(void **state)
{
	unsigned bit;

	for (bit = 0; bit < 64; bit++) {
		assert_null(alarm_name(JK_VARIANT_JK04, bit));
		assert_null(alarm_name(JK_VARIANT_AUTO, bit));
		assert_null(alarm_name(JK_VARIANT__MAX, bit));
	}
}

/* Names are snake_case and unique within each table. */
static void test_names_wellformed(void **state)
{
	static const enum jk_variant all[] = {
		JK_VARIANT_JK02_24S,
		JK_VARIANT_JK02_32S,
		JK_VARIANT_SERIAL,
	};
	const char *a, *b;
	unsigned i, j;
	size_t v;

	for (v = 0; v < sizeof(all) / sizeof(all[0]); v++) {
		for (i = 0; i < 64; i++) {
			a = alarm_name(all[v], i);
			if (!a)
				continue;
			assert_true(is_snake(a));
			for (j = i + 1; j < 64; j++) {
				b = alarm_name(all[v], j);
				if (b)
					assert_string_not_equal(a, b);
			}
		}
	}
}

static void test_names_list(void **state)
{
	const char *names[64];
	size_t n;

	/* BLE-32S-09: 0x00080000, "modify password in time" */
	n = alarm_names(JK_VARIANT_JK02_32S, 0x00080000, names, 64);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "default_password");

	n = alarm_names(JK_VARIANT_JK02_32S, 0, names, 64);
	assert_int_equal(n, 0);

	/* in bit order; unnamed bits named by number */
	n = alarm_names(JK_VARIANT_JK02_24S,
			(1u << 0) | (1u << 11) | (1u << 16), names, 64);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "wire_resistance");
	assert_string_equal(names[1], "cell_uvp");
	assert_string_equal(names[2], "bit_16");

	n = alarm_names(JK_VARIANT_JK04, UINT64_C(1) << 63 | 1, names, 64);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "bit_0");
	assert_string_equal(names[1], "bit_63");

	n = alarm_names(JK_VARIANT_JK02_32S, 0xE0000000u, names, 64);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "bit_29");
	assert_string_equal(names[2], "bit_31");

	n = alarm_names(JK_VARIANT_SERIAL, 0x0C01, names, 64);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "low_capacity");
	assert_string_equal(names[1], "cell_ovp");
	assert_string_equal(names[2], "cell_uvp");

	/* every bit */
	n = alarm_names(JK_VARIANT_CAN, UINT64_MAX, names, 64);
	assert_int_equal(n, 64);
	assert_string_equal(names[28], "gps_locked");
	assert_string_equal(names[40], "bit_40");
}

static void test_names_max(void **state)
{
	const char *names[4] = { NULL, NULL, NULL, "untouched" };
	size_t n;

	n = alarm_names(JK_VARIANT_JK02_32S, 0xFF, names, 3);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "wire_resistance");
	assert_string_equal(names[2], "cell_count_mismatch");
	assert_string_equal(names[3], "untouched");
	n = alarm_names(JK_VARIANT_JK02_32S, 0xFF, names, 0);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jk02),
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_names_wellformed),
		cmocka_unit_test(test_names_list),
		cmocka_unit_test(test_names_max),
	};

	return cmocka_run_group_tests_name("alarms", tests, NULL, NULL);
}
