/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Home Assistant discovery payloads from a hand-made BMS state: every
 * message valid JSON under the right topic, classes and units from the
 * field table, one sensor per cell, alarms, settings read-only or with
 * command topics, banks and the gateway.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "jkbms/settings.h"
#include "jkbms/state.h"

#include "sink/ha-discovery.h"

#define MSG_MAX 600

struct capture {
	size_t n;
	char *topic[MSG_MAX];
	struct json_object *json[MSG_MAX];
};

static struct capture cap;

static void emit(const char *topic, const char *payload, void *userdata)
{
	struct capture *c = userdata;

	assert_true(c->n < MSG_MAX);
	c->topic[c->n] = strdup(topic);
	c->json[c->n] = json_tokener_parse(payload);
	assert_non_null(c->json[c->n]);
	c->n++;
}

static void reset(void)
{
	size_t i;

	for (i = 0; i < cap.n; i++) {
		free(cap.topic[i]);
		json_object_put(cap.json[i]);
	}
	cap.n = 0;
}

static const struct ha_context ctx = {
	.base_topic = "jkbms",
	.prefix = "homeassistant",
	.gateway = "gw",
	.version = "0.0",
	.emit = emit,
	.userdata = &cap,
};

static const char *get(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *find(const char *unique_id, const char **topic)
{
	size_t i;

	for (i = 0; i < cap.n; i++) {
		const char *u = get(cap.json[i], "unique_id");

		if (u && !strcmp(u, unique_id)) {
			if (topic)
				*topic = cap.topic[i];
			return cap.json[i];
		}
	}
	return NULL;
}

static size_t count_prefix(const char *prefix)
{
	size_t i, n = 0;

	for (i = 0; i < cap.n; i++) {
		const char *u = get(cap.json[i], "unique_id");

		if (u && !strncmp(u, prefix, strlen(prefix)))
			n++;
	}
	return n;
}

static void make_state(struct bms_state *s)
{
	unsigned i;

	state_init(s, JK_VARIANT_JK02_32S);
	s->v.ncells = 4;
	for (i = 0; i < 4; i++) {
		s->v.cell_voltage[i] = 3300 + (int32_t)i;
		s->v.cell_resistance[i] = 50;
	}
	bits_set(&s->v.set, FIELD_CELL_VOLTAGE);
	bits_set(&s->v.set, FIELD_CELL_RESISTANCE);
	field_set_num(&s->v, FIELD_VOLTAGE, 13206);
	field_set_num(&s->v, FIELD_SOC, 55);
	field_set_num(&s->v, FIELD_SOH, 100);
	field_set_num(&s->v, FIELD_ENERGY_CHARGED, 1234567);
	field_set_num(&s->v, FIELD_CHARGE_MOSFET, 1);
	field_set_num(&s->v, FIELD_BALANCING, BALANCING_OFF);
	field_set_num(&s->v, FIELD_ALARM_BITS, 0);
	field_set_num(&s->v, FIELD_ALARMS, 0);
	snprintf(s->v.text[FIELD_MODEL], FIELD_TEXT_MAX, "BD6A20S10P");
	bits_set(&s->v.set, FIELD_MODEL);
	snprintf(s->v.text[FIELD_SOFTWARE_VERSION], FIELD_TEXT_MAX, "11.48");
	bits_set(&s->v.set, FIELD_SOFTWARE_VERSION);
	s->settings.val[SETTING_CELL_OVP] = 3650;
	bits_set(&s->settings.set, SETTING_CELL_OVP);
	s->settings.val[SETTING_CHARGE_SWITCH] = 1;
	bits_set(&s->settings.set, SETTING_CHARGE_SWITCH);
}

static void test_fields(void **state)
{
	struct bms_state s;
	struct json_object *e, *dev, *avail;
	const char *topic;
	size_t i, j;

	make_state(&s);
	ha_discovery_bms(&ctx, "house-1", &s, false, true);
	assert_true(cap.n > 20);

	e = find("jkbms_house-1_soc", &topic);
	assert_non_null(e);
	assert_string_equal(topic,
			    "homeassistant/sensor/jkbms_house-1/soc/config");
	assert_string_equal(get(e, "device_class"), "battery");
	assert_string_equal(get(e, "unit_of_measurement"), "%");
	assert_string_equal(get(e, "state_topic"), "jkbms/house-1/state");
	assert_string_equal(get(e, "availability_mode"), "all");
	assert_true(json_object_object_get_ex(e, "availability", &avail));
	assert_int_equal(json_object_array_length(avail), 2);
	assert_true(json_object_object_get_ex(e, "device", &dev));
	assert_string_equal(get(dev, "model"), "BD6A20S10P");
	assert_string_equal(get(dev, "sw_version"), "11.48");
	assert_string_equal(get(dev, "via_device"), "jkbmsd_gw");
	assert_string_equal(get(dev, "manufacturer"), "Jikong");

	e = find("jkbms_house-1_energy_charged", NULL);
	assert_non_null(e);
	assert_string_equal(get(e, "device_class"), "energy");
	assert_string_equal(get(e, "state_class"), "total_increasing");
	assert_string_equal(get(e, "unit_of_measurement"), "kWh");

	assert_int_equal(count_prefix("jkbms_house-1_cell_voltage_"), 4);
	assert_int_equal(count_prefix("jkbms_house-1_cell_resistance_"), 4);
	e = find("jkbms_house-1_cell_voltage_4", NULL);
	assert_string_equal(get(e, "value_template"),
			    "{{ value_json.cell_voltage[3] }}");
	e = find("jkbms_house-1_cell_resistance_1", NULL);
	assert_string_equal(get(e, "entity_category"), "diagnostic");
	assert_string_equal(
		get(find("jkbms_house-1_soh", NULL), "entity_category"),
		"diagnostic");

	e = find("jkbms_house-1_charge_mosfet", &topic);
	assert_non_null(strstr(topic, "/binary_sensor/"));
	assert_string_equal(get(e, "device_class"), "power");
	e = find("jkbms_house-1_balancing", NULL);
	assert_string_equal(get(e, "device_class"), "enum");
	e = find("jkbms_house-1_rssi", NULL);
	assert_string_equal(get(e, "device_class"), "signal_strength");
	assert_string_equal(get(e, "unit_of_measurement"), "dBm");
	assert_string_equal(get(e, "entity_category"), "diagnostic");
	assert_string_equal(get(e, "state_topic"), "jkbms/house-1/link");

	/* Alarms: the list and one problem sensor per alarm name. */
	assert_non_null(find("jkbms_house-1_alarms", NULL));
	e = find("jkbms_house-1_alarm_cell_ovp", &topic);
	assert_non_null(e);
	assert_string_equal(get(e, "device_class"), "problem");
	assert_true(count_prefix("jkbms_house-1_alarm_") > 10);
	/* and one for any alarm */
	e = find("jkbms_house-1_problem", &topic);
	assert_non_null(e);
	assert_string_equal(topic,
			    "homeassistant/binary_sensor/jkbms_house-1/problem/config");
	assert_string_equal(get(e, "device_class"), "problem");
	assert_non_null(strstr(get(e, "value_template"), "alarms"));

	/* Fields the BMS does not report get no entity. */
	assert_null(find("jkbms_house-1_temperature_5", NULL));
	/* Unique ids are unique. */
	for (i = 0; i < cap.n; i++)
		for (j = i + 1; j < cap.n; j++)
			assert_string_not_equal(get(cap.json[i], "unique_id"),
						get(cap.json[j], "unique_id"));
	reset();
}

static void test_settings_read_only(void **state)
{
	struct bms_state s;
	struct json_object *e;
	const char *topic;

	make_state(&s);
	ha_discovery_bms(&ctx, "b", &s, false, false);
	e = find("jkbms_b_setting_cell_ovp", &topic);
	assert_non_null(e);
	assert_string_equal(
		topic, "homeassistant/sensor/jkbms_b/setting_cell_ovp/config");
	assert_null(get(e, "command_topic"));
	assert_string_equal(get(e, "unit_of_measurement"), "V");
	e = find("jkbms_b_setting_charge_switch", &topic);
	assert_non_null(strstr(topic, "/binary_sensor/"));
	/* No signal strength where the link has none. */
	assert_null(find("jkbms_b_rssi", NULL));
	/* No buttons without a write path; unknown settings not shown. */
	assert_null(find("jkbms_b_setting_restart", NULL));
	assert_null(find("jkbms_b_setting_cell_uvp", NULL));
	reset();
}

static void test_settings_writable(void **state)
{
	struct bms_state s;
	struct json_object *e;
	const char *topic;

	make_state(&s);
	ha_discovery_bms(&ctx, "b", &s, true, false);
	e = find("jkbms_b_setting_cell_ovp", &topic);
	assert_string_equal(
		topic, "homeassistant/number/jkbms_b/setting_cell_ovp/config");
	assert_string_equal(get(e, "command_topic"), "jkbms/b/set/cell_ovp");
	assert_string_equal(get(e, "min"), "1.000");
	assert_string_equal(get(e, "step"), "0.001");
	e = find("jkbms_b_setting_charge_switch", &topic);
	assert_non_null(strstr(topic, "/switch/"));
	assert_string_equal(get(e, "payload_off"), "off");
	e = find("jkbms_b_setting_restart", &topic);
	assert_non_null(e);
	assert_non_null(strstr(topic, "/button/"));
	/* Dangerous commands are never offered to Home Assistant. */
	assert_null(find("jkbms_b_setting_factory_reset", NULL));
	reset();
}

static void test_bank_and_gateway(void **state)
{
	struct field_values v;
	struct json_object *e, *avail;

	field_values_reset(&v);
	field_set_num(&v, FIELD_VOLTAGE, 52000);
	field_set_num(&v, FIELD_MEMBER_COUNT, 2);
	field_set_num(&v, FIELD_CELL_COUNT, 16); /* not a bank field */
	field_set_num(&v, FIELD_ALARM_BITS, 0);
	field_set_num(&v, FIELD_ALARMS, 0);
	ha_discovery_bank(&ctx, "house", BANK_PARALLEL, &v);
	e = find("jkbms_bank_house_voltage", NULL);
	assert_non_null(e);
	assert_string_equal(get(e, "state_topic"), "jkbms/bank/house/state");
	assert_true(json_object_object_get_ex(e, "availability", &avail));
	assert_int_equal(json_object_array_length(avail), 1);
	assert_non_null(find("jkbms_bank_house_member_count", NULL));
	assert_null(find("jkbms_bank_house_cell_count", NULL));
	/* a bank's alarms: the list and "any alarm", not one per name */
	assert_non_null(find("jkbms_bank_house_alarms", NULL));
	e = find("jkbms_bank_house_problem", NULL);
	assert_non_null(e);
	assert_string_equal(get(e, "device_class"), "problem");
	assert_null(find("jkbms_bank_house_alarm_cell_ovp", NULL));
	reset();

	ha_discovery_gateway(&ctx);
	assert_int_equal(cap.n, 1);
	assert_string_equal(get(cap.json[0], "device_class"), "connectivity");
	assert_string_equal(get(cap.json[0], "state_topic"), "jkbms/status");
	reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_settings_read_only),
		cmocka_unit_test(test_settings_writable),
		cmocka_unit_test(test_bank_and_gateway),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
