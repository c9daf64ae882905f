/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON of values (src/util/values-json.c): numbers printed exactly from
 * the scaled integers (negative values, decimals 0..6, int64 extremes),
 * and the per-type rules of values_to_json and settings_to_json.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "jkbms/fields.h"
#include "jkbms/settings.h"
#include "jkbms/variant.h"

#include "util/values-json.h"

struct fmt {
	int64_t raw;
	unsigned decimals;
	const char *text;
};

static const struct fmt fmts[] = {
	{ 3281, 3, "3.281" },
	{ 3280, 3, "3.280" },
	{ 0, 0, "0" },
	{ 0, 3, "0.000" },
	{ 5, 3, "0.005" },
	{ -5, 3, "-0.005" },
	{ -12219, 3, "-12.219" },
	{ -220, 1, "-22.0" },
	{ 1000, 3, "1.000" },
	{ 78735, 3, "78.735" },
	{ 12345, 0, "12345" },
	{ 12345, 1, "1234.5" },
	{ 12345, 2, "123.45" },
	{ 12345, 3, "12.345" },
	{ 12345, 4, "1.2345" },
	{ 12345, 5, "0.12345" },
	{ 12345, 6, "0.012345" },
	{ -12345, 0, "-12345" },
	{ -12345, 1, "-1234.5" },
	{ -12345, 2, "-123.45" },
	{ -12345, 3, "-12.345" },
	{ -12345, 4, "-1.2345" },
	{ -12345, 5, "-0.12345" },
	{ -12345, 6, "-0.012345" },
	{ 3033129, 6, "3.033129" },
	{ 1, 6, "0.000001" },
	{ -1, 6, "-0.000001" },
	{ -1, 0, "-1" },
	{ INT64_MAX, 0, "9223372036854775807" },
	{ INT64_MAX, 3, "9223372036854775.807" },
	{ INT64_MAX, 6, "9223372036854.775807" },
	{ INT64_MIN, 0, "-9223372036854775808" },
	{ INT64_MIN, 1, "-922337203685477580.8" },
	{ INT64_MIN, 6, "-9223372036854.775808" },
	{ INT64_MIN, 19, "-0.9223372036854775808" },
	{ INT64_MIN, 22, "-0.0009223372036854775808" },
	{ INT64_MIN + 1, 0, "-9223372036854775807" },
};

static void test_number_format(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char buf[64];
		int r;

		r = json_number_format(fmts[i].raw, fmts[i].decimals, buf,
				       sizeof(buf));
		assert_int_equal(r, (int)strlen(fmts[i].text));
		assert_string_equal(buf, fmts[i].text);
	}
}

static void test_number_format_limits(void **state)
{
	char buf[8];

	/* "-12.345" is 7 characters: 8 bytes fit, 7 do not */
	assert_int_equal(json_number_format(-12345, 3, buf, 8), 7);
	assert_string_equal(buf, "-12.345");
	assert_int_equal(json_number_format(-12345, 3, buf, 7), -ENOBUFS);
	assert_int_equal(json_number_format(0, 0, buf, 1), -ENOBUFS);
	assert_int_equal(json_number_format(0, 0, buf, 2), 1);
	assert_int_equal(json_number_format(0, 0, NULL, 0), -ENOBUFS);
	assert_int_equal(json_number_format(1, 31, buf, sizeof(buf)), -EINVAL);
}

static void assert_json(struct json_object *o, const char *want)
{
	const char *got = json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	assert_string_equal(got, want);
	json_object_put(o);
}

static void test_number_json(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		assert_json(json_number_new(fmts[i].raw, fmts[i].decimals),
			    fmts[i].text);
	/* the double beside the text is the nearest one */
	{
		struct json_object *o = json_number_new(3281, 3);

		assert_true(json_object_get_double(o) == 3.281);
		json_object_put(o);
	}
}

static void test_values_live(void **state)
{
	static struct field_values v;

	memset(&v, 0, sizeof(v));
	v.ncells = 3;
	v.cell_voltage[0] = 3281;
	v.cell_voltage[1] = 3280;
	v.cell_voltage[2] = 3279;
	v.cell_resistance[0] = 100;
	v.cell_resistance[1] = 108;
	v.cell_resistance[2] = 1;
	bits_set(&v.set, FIELD_CELL_VOLTAGE);
	bits_set(&v.set, FIELD_CELL_RESISTANCE);
	field_set_num(&v, FIELD_VOLTAGE, 9840);
	field_set_num(&v, FIELD_CURRENT, -12219);
	field_set_num(&v, FIELD_SOC, 85);
	field_set_num(&v, FIELD_TEMPERATURE_1, -5);
	field_set_num(&v, FIELD_BALANCING, BALANCING_CHARGING);
	field_set_num(&v, FIELD_CHARGE_MOSFET, 1);
	field_set_num(&v, FIELD_DISCHARGE_MOSFET, 0);
	field_set_num(&v, FIELD_ALARM_BITS, (1 << 19) | 1);
	field_set_num(&v, FIELD_ALARMS, (1 << 19) | 1);
	field_set_num(&v, FIELD_ENERGY_CHARGED, 1234567);
	/* info fields stay out of the live document */
	strcpy(v.text[FIELD_MODEL], "JK-B2A24S20P");
	bits_set(&v.set, FIELD_MODEL);

	assert_json(values_to_json(&v, F_LIVE),
		    "{\"cell_voltage\":[3.281,3.280,3.279],"
		    "\"cell_resistance\":[0.100,0.108,0.001],"
		    "\"voltage\":9.840,\"current\":-12.219,\"soc\":85,"
		    "\"temperature_1\":-0.5,\"balancing\":\"charging\","
		    "\"charge_mosfet\":true,\"discharge_mosfet\":false,"
		    "\"alarm_bits\":524289,"
		    "\"alarms\":[\"wire_resistance\",\"default_password\"],"
		    "\"energy_charged\":1.234567}");

	/* on jk02_24s bit 19 does not exist: its generic name */
	field_set_num(&v, FIELD_VARIANT, JK_VARIANT_JK02_24S);
	field_set_num(&v, FIELD_BALANCING, 7);
	assert_json(values_to_json(&v, F_LIVE | F_INFO),
		    "{\"cell_voltage\":[3.281,3.280,3.279],"
		    "\"cell_resistance\":[0.100,0.108,0.001],"
		    "\"voltage\":9.840,\"current\":-12.219,\"soc\":85,"
		    "\"temperature_1\":-0.5,\"balancing\":7,"
		    "\"charge_mosfet\":true,\"discharge_mosfet\":false,"
		    "\"alarm_bits\":524289,"
		    "\"alarms\":[\"wire_resistance\",\"bit_19\"],"
		    "\"energy_charged\":1.234567,\"model\":\"JK-B2A24S20P\","
		    "\"variant\":\"jk02_24s\"}");
}

static void test_values_info(void **state)
{
	static struct field_values v;

	memset(&v, 0, sizeof(v));
	/* a 16-byte string without its NUL stays in its field */
	memset(v.text[FIELD_SERIAL_NUMBER], '7', FIELD_TEXT_MAX);
	bits_set(&v.set, FIELD_SERIAL_NUMBER);
	strcpy(v.text[FIELD_NAME], "a\"b/c");
	bits_set(&v.set, FIELD_NAME);
	field_set_num(&v, FIELD_UPTIME, 269100);
	field_set_num(&v, FIELD_VARIANT, JK_VARIANT_JK04);
	field_set_num(&v, FIELD_SOC, 50);	/* live: not in info */

	assert_json(values_to_json(&v, F_INFO),
		    "{\"serial_number\":\"777777777777777777777777\","
		    "\"name\":\"a\\\"b/c\",\"uptime\":269100,"
		    "\"variant\":\"jk04\"}");
	/* nothing set: an empty object */
	memset(&v, 0, sizeof(v));
	assert_json(values_to_json(&v, F_LIVE | F_INFO), "{}");
}

static void test_settings(void **state)
{
	static struct setting_values s;

	memset(&s, 0, sizeof(s));
#define SET(id, x) (s.val[SETTING_##id] = (x), bits_set(&s.set, SETTING_##id))
	SET(CELL_UVP, 2600);
	SET(MAX_CHARGE_CURRENT, 100000);
	SET(CHARGE_UTP, -200);
	SET(CELL_COUNT, 8);
	SET(CHARGE_SWITCH, 1);
	SET(BALANCE_SWITCH, 0);
	SET(SCP_DELAY, 1500);
	SET(HEATING_START_TEMPERATURE, -50);
	SET(VOLTAGE_CALIBRATION, 3033129);
	SET(UART1_PROTOCOL, 3);
	SET(CAN_PROTOCOL, 99);
	SET(RESTART, 0);
#undef SET
	assert_json(settings_to_json(&s),
		    "{\"cell_uvp\":2.600,\"max_charge_current\":100.000,"
		    "\"charge_utp\":-20.0,\"cell_count\":8,"
		    "\"charge_switch\":true,\"balance_switch\":false,"
		    "\"scp_delay\":1500,\"heating_start_temperature\":-5.0,"
		    "\"voltage_calibration\":3.033129,"
		    "\"uart1_protocol\":\"protocol_3\",\"can_protocol\":99}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number_format),
		cmocka_unit_test(test_number_format_limits),
		cmocka_unit_test(test_number_json),
		cmocka_unit_test(test_values_live),
		cmocka_unit_test(test_values_info),
		cmocka_unit_test(test_settings),
	};

	return cmocka_run_group_tests_name("values-json", tests, NULL, NULL);
}
