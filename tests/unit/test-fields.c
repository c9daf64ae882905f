/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The field table and the variant names: keys are a contract with users
 * (DESIGN "Names that leave the process"), so the test pins them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/fields.h"
#include "jkbms/variant.h"

static bool is_snake(const char *s)
{
	const char *p;

	if (!s || !*s || *s < 'a' || *s > 'z')
		return false;
	for (p = s; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_'))
			return false;
		if (*p == '_' && (p[1] == '_' || p[1] == '\0'))
			return false;
	}
	return true;
}

static void test_keys_unique_and_snake(void **state)
{
	int i, j;

	for (i = 0; i < FIELD__MAX; i++) {
		assert_non_null(field_table[i].key);
		assert_non_null(field_table[i].label);
		assert_true(is_snake(field_table[i].key));
		for (j = i + 1; j < FIELD__MAX; j++)
			assert_string_not_equal(field_table[i].key,
						field_table[j].key);
	}
}

/* DESIGN "Names that leave the process": live and device keys. */
static const char *const design_keys[] = {
	"cell_voltage",
	"cell_resistance",
	"cell_count",
	"cell_voltage_min",
	"cell_voltage_max",
	"cell_voltage_delta",
	"cell_voltage_avg",
	"cell_min_index",
	"cell_max_index",
	"voltage",
	"current",
	"power",
	"soc",
	"soh",
	"remaining_capacity",
	"full_charge_capacity",
	"cycle_count",
	"cycle_capacity",
	"temperature_mos",
	"temperature_1",
	"temperature_2",
	"temperature_3",
	"temperature_4",
	"temperature_5",
	"balancing",
	"balance_current",
	"charge_mosfet",
	"discharge_mosfet",
	"heating",
	"alarm_bits",
	"alarms",
	"runtime",
	"energy_charged",
	"energy_discharged",
	"model",
	"hardware_version",
	"software_version",
	"serial_number",
	"name",
	"manufacturing_date",
	"uptime",
	"power_on_count",
	"variant",
};

static void test_design_keys_present(void **state)
{
	size_t i;
	int id;

	for (i = 0; i < sizeof(design_keys) / sizeof(design_keys[0]); i++) {
		id = field_from_key(design_keys[i]);
		assert_true(id >= 0);
		assert_string_equal(field_table[id].key, design_keys[i]);
	}
}

static void test_from_key(void **state)
{
	int i;

	for (i = 0; i < FIELD__MAX; i++)
		assert_int_equal(field_from_key(field_table[i].key), i);
	assert_int_equal(field_from_key("no_such_field"), -ENOENT);
	assert_int_equal(field_from_key(""), -ENOENT);
	assert_int_equal(field_from_key(NULL), -ENOENT);
	assert_int_equal(field_from_key("Voltage"), -ENOENT);
}

static void test_enum_names(void **state)
{
	const char *const *names;
	int i, n;

	for (i = 0; i < FIELD__MAX; i++) {
		names = field_table[i].enum_names;
		if (field_table[i].type != FIELD_TYPE_ENUM) {
			assert_null(names);
			continue;
		}
		assert_non_null(names);
		for (n = 0; names[n]; n++)
			assert_true(is_snake(names[n]));
		assert_true(n >= 2);
	}
	names = field_table[FIELD_BALANCING].enum_names;
	assert_string_equal(names[BALANCING_OFF], "off");
	assert_string_equal(names[BALANCING_CHARGING], "charging");
	assert_string_equal(names[BALANCING_DISCHARGING], "discharging");
	assert_null(names[3]);

	names = field_table[FIELD_VARIANT].enum_names;
	for (i = 0; i < JK_VARIANT__MAX; i++)
		assert_string_equal(names[i],
				    jk_variant_name((enum jk_variant)i));
	assert_null(names[JK_VARIANT__MAX]);
}

/* Each field belongs to exactly one JSON document. */
static void test_flags(void **state)
{
	unsigned f;
	int i;

	for (i = 0; i < FIELD__MAX; i++) {
		f = field_table[i].flags;
		assert_true(!!(f & F_LIVE) != !!(f & F_INFO));
		if (f & F_BANK_ONLY)
			assert_false(f & F_BANK);
		if (f & F_PERSIST)
			assert_true(f & F_DERIVED);
		if (field_table[i].type == FIELD_TYPE_TEXT)
			assert_int_equal(field_table[i].decimals, 0);
	}
	assert_true(field_table[FIELD_ENERGY_CHARGED].flags & F_PERSIST);
	assert_string_equal(field_table[FIELD_ENERGY_CHARGED].state_class,
			    "total_increasing");
	assert_int_equal(field_table[FIELD_CELL_VOLTAGE].decimals, 3);
	assert_int_equal(field_table[FIELD_POWER].decimals, 3);
	assert_int_equal(field_table[FIELD_ENERGY_CHARGED].decimals, 6);
}

static void test_variant_names(void **state)
{
	static const char *const names[JK_VARIANT__MAX] = {
		[JK_VARIANT_JK02_24S] = "jk02_24s",
		[JK_VARIANT_JK02_32S] = "jk02_32s",
		[JK_VARIANT_JK04] = "jk04",
		[JK_VARIANT_SERIAL] = "serial",
		[JK_VARIANT_PB_MODBUS] = "pb_modbus",
		[JK_VARIANT_CAN] = "can",
	};
	enum jk_variant v;
	int i;

	for (i = 0; i < JK_VARIANT__MAX; i++) {
		assert_string_equal(jk_variant_name((enum jk_variant)i),
				    names[i]);
		v = JK_VARIANT_AUTO;
		assert_int_equal(jk_variant_from_name(names[i], &v), 0);
		assert_int_equal(v, i);
	}
	assert_int_equal(jk_variant_from_name("JK02_32S", &v), 0);
	assert_int_equal(v, JK_VARIANT_JK02_32S);
	assert_int_equal(jk_variant_from_name("auto", &v), 0);
	assert_int_equal(v, JK_VARIANT_AUTO);
	assert_int_equal(jk_variant_from_name("jk02", &v), -EINVAL);
	assert_int_equal(jk_variant_from_name("jk02_24s ", &v), -EINVAL);
	assert_int_equal(jk_variant_from_name("", &v), -EINVAL);
	assert_int_equal(jk_variant_from_name(NULL, &v), -EINVAL);
	assert_null(jk_variant_name(JK_VARIANT_AUTO));
	assert_null(jk_variant_name(JK_VARIANT__MAX));
	assert_null(jk_variant_name((enum jk_variant)100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_unique_and_snake),
		cmocka_unit_test(test_design_keys_present),
		cmocka_unit_test(test_from_key),
		cmocka_unit_test(test_enum_names),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_variant_names),
	};

	return cmocka_run_group_tests_name("fields", tests, NULL, NULL);
}
