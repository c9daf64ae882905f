/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of src/conf: the value parsers at and beyond their edges, the
 * key table's own consistency (every default parses, pairs point at each
 * other), and conf_load()/conf_print() on texts, password files and the
 * demo. The golden files of tests/config cover the messages.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "jkbms/conf.h"
#include "jkbms/log.h"

#include "conf/conf-keys.h"
#include "conf/conf-private.h"
#include "conf/conf-value.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_u64(void **state)
{
	uint64_t v;

	assert_int_equal(conf_parse_u64("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(conf_parse_u64("007", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(conf_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(conf_parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(conf_parse_u64("", &v), -EINVAL);
	assert_int_equal(conf_parse_u64("-1", &v), -EINVAL);
	assert_int_equal(conf_parse_u64("+1", &v), -EINVAL);
	assert_int_equal(conf_parse_u64(" 1", &v), -EINVAL);
	assert_int_equal(conf_parse_u64("1 ", &v), -EINVAL);
	assert_int_equal(conf_parse_u64("0x10", &v), -EINVAL);
}

static void test_bool(void **state)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	static const char *const bad[] = { "", "Yes", "y", "2", "enabled" };
	size_t i;
	bool b;

	for (i = 0; i < N(yes); i++) {
		b = false;
		assert_int_equal(conf_parse_bool(yes[i], &b), 0);
		assert_true(b);
	}
	for (i = 0; i < N(no); i++) {
		b = true;
		assert_int_equal(conf_parse_bool(no[i], &b), 0);
		assert_false(b);
	}
	for (i = 0; i < N(bad); i++)
		assert_int_equal(conf_parse_bool(bad[i], &b), -EINVAL);
}

static const struct {
	const char *text;
	int r;
	uint64_t usec;
} durations[] = {
	{ "500ms", 0, 500 * USEC_PER_MSEC },
	{ "5s", 0, 5 * USEC_PER_SEC },
	{ "10m", 0, 10 * USEC_PER_MINUTE },
	{ "1h", 0, USEC_PER_HOUR },
	{ "2d", 0, 2 * USEC_PER_DAY },
	{ "7d", 0, 7 * USEC_PER_DAY },
	{ "90", 0, 90 * USEC_PER_SEC },
	{ "0", 0, 0 },
	{ "250us", 0, 250 },
	{ "1h 30m", 0, 90 * USEC_PER_MINUTE },
	{ "1h30m", 0, 90 * USEC_PER_MINUTE },
	{ "1m\t1s", 0, 61 * USEC_PER_SEC },
	{ "18446744073709551615us", 0, UINT64_MAX },
	{ "18446744073709551616us", -ERANGE, 0 },
	{ "18446744073709552ms", -ERANGE, 0 },
	{ "213503982335d", -ERANGE, 0 },
	{ "18446744073709551615us 1us", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ " 5s", -EINVAL, 0 },
	{ "5 s", -EINVAL, 0 },
	{ "5x", -EINVAL, 0 },
	{ "5sec", -EINVAL, 0 },
	{ "5min", -EINVAL, 0 },
	{ "5S", -EINVAL, 0 },
	{ "1.5s", -EINVAL, 0 },
	{ "-5s", -EINVAL, 0 },
	{ "s", -EINVAL, 0 },
	{ "5s5", -EINVAL, 0 },
	{ "5s ", 0, 5 * USEC_PER_SEC },
};

static void test_duration(void **state)
{
	size_t i;

	for (i = 0; i < N(durations); i++) {
		uint64_t v = 12345;
		int r = conf_parse_duration(durations[i].text, &v);

		if (r != durations[i].r)
			fail_msg("\"%s\": %d, expected %d", durations[i].text,
				 r, durations[i].r);
		if (r == 0 && v != durations[i].usec)
			fail_msg("\"%s\": %llu us", durations[i].text,
				 (unsigned long long)v);
	}
}

static void test_duration_format(void **state)
{
	static const struct {
		uint64_t usec;
		const char *text;
	} t[] = {
		{ 0, "0" },
		{ 1, "1us" },
		{ 1500, "1500us" },
		{ 50 * USEC_PER_MSEC, "50ms" },
		{ 1500 * USEC_PER_MSEC, "1500ms" },
		{ 60 * USEC_PER_SEC, "1m" },
		{ 90 * USEC_PER_SEC, "90s" },
		{ 36 * USEC_PER_HOUR, "36h" },
		{ 730 * USEC_PER_DAY, "730d" },
		{ UINT64_MAX, "18446744073709551615us" },
	};
	char buf[CONF_NUMBER_MAX];
	size_t i;

	for (i = 0; i < N(t); i++) {
		uint64_t back;

		assert_string_equal(
			conf_format_duration(t[i].usec, buf, sizeof(buf)),
			t[i].text);
		assert_int_equal(conf_parse_duration(buf, &back), 0);
		assert_true(back == t[i].usec);
	}
}

static void test_decimal(void **state)
{
	char buf[CONF_NUMBER_MAX];
	uint64_t v;

	assert_int_equal(conf_parse_decimal("280", 1000, &v), 0);
	assert_int_equal(v, 280000);
	assert_int_equal(conf_parse_decimal("40.5", 1000, &v), 0);
	assert_int_equal(v, 40500);
	assert_int_equal(conf_parse_decimal("0.001", 1000, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(conf_parse_decimal("1.050", 1000, &v), 0);
	assert_int_equal(v, 1050);
	assert_int_equal(conf_parse_decimal("1.0001", 1000, &v), -EINVAL);
	assert_int_equal(conf_parse_decimal("1.", 1000, &v), -EINVAL);
	assert_int_equal(conf_parse_decimal(".5", 1000, &v), -EINVAL);
	assert_int_equal(conf_parse_decimal("1,5", 1000, &v), -EINVAL);
	assert_int_equal(conf_parse_decimal("1e3", 1000, &v), -EINVAL);
	assert_int_equal(conf_parse_decimal("5", 1, &v), 0);
	assert_int_equal(conf_parse_decimal("5.0", 1, &v), -EINVAL);
	assert_int_equal(conf_parse_decimal("18446744073709551", 1000, &v), 0);
	assert_int_equal(conf_parse_decimal("18446744073709552", 1000, &v),
			 -ERANGE);
	assert_string_equal(conf_format_decimal(280000, 1000, buf, sizeof(buf)),
			    "280");
	assert_string_equal(conf_format_decimal(40500, 1000, buf, sizeof(buf)),
			    "40.5");
	assert_string_equal(conf_format_decimal(1, 1000, buf, sizeof(buf)),
			    "0.001");
	assert_string_equal(conf_format_decimal(1050, 1000, buf, sizeof(buf)),
			    "1.05");
}

static void test_mac(void **state)
{
	char mac[CONF_MAC_LEN + 1];

	assert_int_equal(conf_parse_mac("c8:47:8c:0a:Bb:ff", mac), 0);
	assert_string_equal(mac, "C8:47:8C:0A:BB:FF");
	assert_int_equal(conf_parse_mac("C8:47:8C:0A:BB", mac), -EINVAL);
	assert_int_equal(conf_parse_mac("C8:47:8C:0A:BB:FF:", mac), -EINVAL);
	assert_int_equal(conf_parse_mac("C8-47-8C-0A-BB-FF", mac), -EINVAL);
	assert_int_equal(conf_parse_mac("C8:47:8C:0A:BB:FG", mac), -EINVAL);
	assert_int_equal(conf_parse_mac("C847:8C:0A:BB:FF:", mac), -EINVAL);
	assert_int_equal(conf_parse_mac("", mac), -EINVAL);
}

static void test_names(void **state)
{
	assert_true(conf_name_valid("house-1"));
	assert_true(conf_name_valid("a"));
	assert_true(conf_name_valid("abcdefghijklmnopqrstuvwxyz_-0123"));
	assert_false(conf_name_valid("abcdefghijklmnopqrstuvwxyz_-01234"));
	assert_false(conf_name_valid(""));
	assert_false(conf_name_valid("House"));
	assert_false(conf_name_valid("a b"));
	assert_false(conf_name_valid("a/b"));
	assert_false(conf_name_valid("a.b"));
	assert_false(conf_name_valid("a+"));

	assert_true(conf_topic_valid("jkbms"));
	assert_true(conf_topic_valid("site/jkbms"));
	assert_false(conf_topic_valid(""));
	assert_false(conf_topic_valid("/jkbms"));
	assert_false(conf_topic_valid("jkbms/"));
	assert_false(conf_topic_valid("a//b"));
	assert_false(conf_topic_valid("a/+/b"));
	assert_false(conf_topic_valid("a/#"));
	assert_false(conf_topic_valid("a b"));
}

union any_section {
	struct conf_daemon daemon;
	struct conf_mqtt mqtt;
	struct conf_history history;
	struct conf_rs485 rs485;
	struct conf_bms bms;
	struct conf_bank bank;
};

static size_t section_size(enum conf_section_kind k)
{
	switch (k) {
	case SECTION_DAEMON:
		return sizeof(struct conf_daemon);
	case SECTION_MQTT:
		return sizeof(struct conf_mqtt);
	case SECTION_HISTORY:
		return sizeof(struct conf_history);
	case SECTION_RS485:
		return sizeof(struct conf_rs485);
	case SECTION_BMS:
		return sizeof(struct conf_bms);
	case SECTION_BANK:
		return sizeof(struct conf_bank);
	case SECTION__MAX:
		break;
	}
	return 0;
}

static enum conf_transport first_transport(const struct conf_key *k)
{
	int t;

	for (t = 0; t < TRANSPORT__MAX; t++) {
		if (conf_key_applies(k, (enum conf_transport)t))
			return (enum conf_transport)t;
	}
	return TRANSPORT__MAX;
}

static void test_table(void **state)
{
	size_t i, j;

	assert_true(conf_keys_count > 40);
	for (i = 0; i < conf_keys_count; i++) {
		const struct conf_key *k = &conf_keys[i];

		assert_true(k->section < SECTION__MAX);
		assert_non_null(k->key);
		assert_non_null(k->help);
		assert_true(k->offset + k->size <= section_size(k->section));
		assert_true(k->size == 1 || k->size == 4 || k->size == 8);
		assert_int_equal(conf_key_find(k->section, k->key), (int)i);
		for (j = 0; j < i; j++)
			assert_false(k->section == conf_keys[j].section &&
				     !strcmp(k->key, conf_keys[j].key));
		if (k->type == CONF_ENUM || k->type == CONF_LIST)
			assert_non_null(k->names);
		if (k->type == CONF_DURATION || k->type == CONF_DECIMAL ||
		    k->type == CONF_REAL)
			assert_true(k->scale > 0);
		if (k->type == CONF_UINT || k->type == CONF_DURATION ||
		    k->type == CONF_DECIMAL || k->type == CONF_REAL ||
		    k->type == CONF_SECRET)
			assert_true(k->min <= k->max);
		if (k->type == CONF_SECRET || k->type == CONF_SECRET_FILE) {
			int p = conf_key_find(k->section, k->pair);

			assert_true(p >= 0);
			assert_string_equal(conf_keys[p].pair, k->key);
			assert_int_equal(conf_keys[p].type,
					 k->type == CONF_SECRET
						 ? CONF_SECRET_FILE
						 : CONF_SECRET);
		}
		if (k->type == CONF_SECRET_FILE)
			assert_int_equal(
				conf_keys[conf_key_find(k->section, k->pair)]
					.offset,
				k->offset2);
		/* an absent [daemon] ... has nothing to say it is missing */
		if (k->required_always)
			assert_true(conf_section_named(k->section));
		if (k->section != SECTION_BMS)
			assert_int_equal(k->transports | k->required, 0);
		else
			assert_true(first_transport(k) < TRANSPORT__MAX);
	}
	assert_int_equal(conf_section_from_name("bms"), SECTION_BMS);
	assert_int_equal(conf_section_from_name("bmss"), SECTION__MAX);
	assert_string_equal(conf_transport_name(TRANSPORT_CANDUMP), "candump");
	assert_null(conf_transport_name(TRANSPORT__MAX));
}

/* Every default goes through its own parser, at every transport. */
static void test_defaults(void **state)
{
	size_t i;
	int t;

	for (i = 0; i < conf_keys_count; i++) {
		const struct conf_key *k = &conf_keys[i];

		if (!k->def)
			continue;
		for (t = 0; t < TRANSPORT__MAX; t++) {
			union any_section u;
			char why[256] = "";
			int r;

			if (!conf_key_applies(k, (enum conf_transport)t))
				continue;
			memset(&u, 0, sizeof(u));
			r = conf_value_set(k, &u, k->def,
					   (enum conf_transport)t, why,
					   sizeof(why));
			if (r < 0)
				fail_msg("default of %s: %s", k->key, why);
			conf_value_free(k, &u);
		}
	}
}

/* "debug =" takes what jkbmsd -d takes. */
static void test_debug_names(void **state)
{
	const struct conf_name *n;

	for (n = conf_debug_names; n->name; n++) {
		unsigned mask = 0;

		if (log_parse_categories(n->name, &mask) < 0)
			fail_msg("jkbmsd -d does not know \"%s\"", n->name);
		assert_int_not_equal(mask, 0);
	}
}

static void test_variants(void **state)
{
	assert_true(conf_variant_allowed(TRANSPORT_SERIAL, JK_VARIANT_AUTO));
	assert_true(conf_variant_allowed(TRANSPORT_BLE, JK_VARIANT_JK04));
	assert_false(conf_variant_allowed(TRANSPORT_BLE, JK_VARIANT_SERIAL));
	assert_true(
		conf_variant_allowed(TRANSPORT_MODBUS, JK_VARIANT_JK02_32S));
	assert_false(
		conf_variant_allowed(TRANSPORT_MODBUS, JK_VARIANT_JK02_24S));
	assert_true(conf_variant_allowed(TRANSPORT_SIM, JK_VARIANT_JK02_24S));
	assert_false(conf_variant_allowed(TRANSPORT_SIM, JK_VARIANT_JK04));
	assert_false(conf_variant_allowed(TRANSPORT__MAX, JK_VARIANT_CAN));
}

/* Loads text, with the errors in *ret_errors (freed by the caller). */
static struct conf *load_text(const char *text, unsigned *ret_n,
			      char **ret_errors)
{
	size_t size;
	FILE *f = open_memstream(ret_errors, &size);
	struct conf *c;

	assert_non_null(f);
	c = conf_load("t.conf", text, f, ret_n);
	fclose(f);
	return c;
}

static void expect_error(const char *text, const char *msg)
{
	unsigned n = 0;
	char *errors = NULL;
	struct conf *c = load_text(text, &n, &errors);

	assert_null(c);
	assert_int_equal(n, 1);
	if (!strstr(errors, msg))
		fail_msg("errors \"%s\" lack \"%s\"", errors, msg);
	free(errors);
}

static void test_load(void **state)
{
	unsigned n = 99;
	char *errors = NULL;
	const struct conf_bms *b;
	struct conf *c;

	c = load_text("[daemon]\nlog_level = debug\ndebug = mqtt,ble\n"
		      "control_socket = /tmp/x/control\n"
		      "[rs485 bus]\ndevice = /dev/ttyS0\nmode = listen\n"
		      "[bms a]\ntransport = ble\naddress = c8:47:8c:00:00:01\n"
		      "password = 1234\nsettings_password = 999999\n"
		      "[bms m]\naddress = 07\nbus = bus\ntransport = modbus\n"
		      "[bank x]\nmembers = m , a\ntopology = series",
		      &n, &errors);
	assert_non_null(c);
	assert_int_equal(n, 0);
	assert_string_equal(errors, "");
	assert_string_equal(c->path, "t.conf");
	assert_int_equal(c->daemon.log_level, LOG_DEBUG);
	assert_string_equal(c->daemon.debug, "mqtt,ble");
	assert_false(c->daemon.control_socket_is_default);
	assert_string_equal(c->mqtt.client_id, "jkbmsd");
	assert_int_equal(c->mqtt.port, 1883);
	assert_int_equal(c->mqtt.keepalive, 60);
	assert_true(c->history.flush_interval_usec == 60 * USEC_PER_SEC);
	assert_int_equal(c->n_rs485, 1);
	assert_true(c->rs485[0].listen);
	assert_int_equal(c->rs485[0].baud, 115200);
	assert_true(c->rs485[0].frame_gap_usec == 50 * USEC_PER_MSEC);

	b = conf_find_bms(c, "a");
	assert_non_null(b);
	assert_int_equal(b->transport, TRANSPORT_BLE);
	assert_string_equal(b->address, "C8:47:8C:00:00:01");
	assert_string_equal(b->adapter, "hci0");
	assert_int_equal(b->variant, JK_VARIANT_AUTO);
	assert_string_equal(b->password, "1234");
	assert_true(b->password_is_default);
	assert_string_equal(b->settings_password, "999999");
	assert_false(b->settings_password_is_default);
	assert_null(b->password_file);
	assert_true(b->poll_interval_usec == 5 * USEC_PER_SEC);
	assert_int_equal(b->writes, WRITES_YES);
	assert_int_equal(b->line, 8);

	b = conf_find_bms(c, "m");
	assert_non_null(b);
	assert_int_equal(b->modbus_address, 7);
	assert_string_equal(b->address, "7");
	assert_string_equal(b->bus, "bus");
	assert_string_equal(b->password, "1234");
	assert_true(b->password_is_default);
	assert_string_equal(b->settings_password, "123456");
	assert_true(b->settings_password_is_default);
	assert_null(conf_find_bms(c, "x"));

	assert_int_equal(c->n_banks, 1);
	assert_int_equal(c->banks[0].topology, BANK_SERIES);
	assert_int_equal(c->banks[0].n_members, 2);
	assert_string_equal(c->banks[0].members[0], "m");
	assert_string_equal(c->banks[0].members[1], "a");
	assert_ptr_equal(conf_bank_of(c, "a"), &c->banks[0]);
	assert_ptr_equal(conf_find_bank(c, "x"), &c->banks[0]);
	assert_null(conf_find_bank(c, "a"));
	free(errors);
	assert_null(conf_free(c));
	assert_null(conf_free(NULL));
}

static void test_empty(void **state)
{
	unsigned n = 99;
	struct conf *c = conf_load("e.conf", "", NULL, &n);

	assert_non_null(c);
	assert_int_equal(n, 0);
	assert_int_equal(c->n_bms + c->n_banks + c->n_rs485, 0);
	assert_string_equal(c->daemon.name, "jkbmsd");
	assert_string_equal(c->daemon.control_socket, CONF_DEFAULT_SOCKET);
	assert_true(c->daemon.control_socket_is_default);
	assert_int_equal(c->daemon.log_level, LOG_INFO);
	assert_string_equal(c->daemon.debug, "");
	assert_false(c->mqtt.enabled);
	assert_string_equal(c->mqtt.host, "127.0.0.1");
	assert_string_equal(c->mqtt.base_topic, "jkbms");
	assert_string_equal(c->mqtt.discovery_prefix, "homeassistant");
	assert_true(c->mqtt.discovery);
	assert_null(c->mqtt.username);
	assert_null(c->mqtt.password);
	assert_true(c->history.enabled);
	assert_string_equal(c->history.path,
			    LOCALSTATEDIR "/lib/jkbmsd/history.db");
	/* issue 5: raw samples for 30 days, aggregates forever (0) */
	assert_true(c->history.raw_retention_usec == 30 * USEC_PER_DAY);
	assert_true(c->history.aggregate_retention_usec == 0);
	conf_free(c);
}

static void test_errors(void **state)
{
	char line[256];
	unsigned n = 0;
	char *errors = NULL;
	struct conf *c;

	/* The longest line that fits libinih's buffer, and one more. */
	memset(line, 0, sizeof(line));
	strcpy(line, "[daemon]\n#");
	memset(line + 10, 'x', 196);
	c = conf_load("t.conf", line, NULL, &n);
	assert_non_null(c);
	conf_free(c);
	strcat(line, "\r\n");
	c = conf_load("t.conf", line, NULL, &n);
	assert_non_null(c);
	conf_free(c);
	strcpy(line + strlen(line) - 2, "x\r\n");
	expect_error(line, "t.conf:2: line too long (198 characters, "
			   "allowed: at most 197)");

	expect_error("[bms a]\ntransport = sim\ncells = 7\n",
		     "t.conf:3: [bms a] cells: 7 is out of range "
		     "(allowed: 8..25)\n");
	expect_error("[bms a]\ntransport = sim\n[bms a]\n",
		     "t.conf:3: [bms a]: duplicate section (first on line 1)");
	expect_error("[mqtt]\nport = 1\nport = 2\n",
		     "t.conf:3: [mqtt] port: duplicate key (first on line 2)");
	expect_error("[bank b]\nmembers = x\n",
		     "t.conf:2: [bank b] members: no [bms x] section");
	expect_error("[bms a]\ntransport = ble\n",
		     "t.conf:1: [bms a] "
		     "address: missing (required for transport ble)");
	expect_error("[bms a]\ntransport = sim\nsettings_password = é\n",
		     "settings_password: has a character that is not allowed");

	c = load_text("x = 1\n[a]\n[daemon]\nname = \n[mqtt]\nport = 0\n"
		      "[bms b]\n",
		      &n, &errors);
	assert_null(c);
	assert_int_equal(n, 5);
	assert_string_equal(
		errors,
		"t.conf:1: x: key outside any section (allowed: after a "
		"[section] line)\n"
		"t.conf:2: [a]: unknown section (allowed: daemon, mqtt, "
		"history, rs485 NAME, bms NAME, bank NAME)\n"
		"t.conf:4: [daemon] name: empty value (allowed: text without "
		"blanks, at most 64 characters)\n"
		"t.conf:6: [mqtt] port: 0 is out of range (allowed: "
		"1..65535)\n"
		"t.conf:7: [bms b] transport: missing (allowed: ble, serial, "
		"modbus, can, candump, sim)\n");
	free(errors);
}

static void test_nul(void **state)
{
	static const char text[] = "[daemon]\nname = a\0b\nlog_level = x\n";
	size_t size;
	char *errors = NULL;
	FILE *f = open_memstream(&errors, &size);
	unsigned n = 0;

	assert_null(conf_load_buffer("t.conf", text, sizeof(text) - 1, f, &n));
	fclose(f);
	assert_int_equal(n, 2);
	assert_non_null(strstr(errors, "t.conf:2: control character 0x00"));
	assert_non_null(strstr(errors, "t.conf:3: [daemon] log_level"));
	free(errors);
}

/* A huge input ends with an error, long before memory does. */
static void test_too_big(void **state)
{
	size_t i, len = 2 * 1024 * 1024;
	char *text = malloc(len + 1);
	unsigned n = 0;

	assert_non_null(text);
	for (i = 0; i < len; i += 2)
		memcpy(text + i, "#\n", 2);
	text[len] = '\0';
	assert_null(conf_load("t.conf", text, NULL, &n));
	assert_int_equal(n, 1);
	memset(text, 'x', len);
	assert_null(conf_load("t.conf", text, NULL, &n));
	assert_int_equal(n, 1);
	free(text);
}

static void test_missing_file(void **state)
{
	size_t size;
	char *errors = NULL;
	FILE *f = open_memstream(&errors, &size);
	unsigned n = 0;

	assert_null(conf_load("/nonexistent/jkbmsd.conf", NULL, f, &n));
	fclose(f);
	assert_int_equal(n, 1);
	assert_string_equal(errors, "/nonexistent/jkbmsd.conf: cannot open: "
				    "No such file or directory\n");
	free(errors);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_password_files(void **state)
{
	char dir[] = "/tmp/test-conf.XXXXXX";
	char pw[64], fifo[64], conf[128], text[512];
	char *errors = NULL;
	unsigned n = 0;
	struct conf *c;

	assert_non_null(mkdtemp(dir));
	snprintf(pw, sizeof(pw), "%s/pw", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(conf, sizeof(conf), "%s/jkbmsd.conf", dir);
	write_file(pw, "s3cret\r\nignored\n", 0600);
	snprintf(text, sizeof(text),
		 "[bms a]\ntransport = sim\npassword_file = %s\n"
		 "[mqtt]\nusername = u\npassword_file = %s\n",
		 pw, pw);
	/* from a file too, not only from text */
	write_file(conf, text, 0644);
	c = conf_load(conf, NULL, NULL, &n);
	assert_non_null(c);
	assert_string_equal(c->path, conf);
	assert_string_equal(c->bms[0].password, "s3cret");
	assert_string_equal(c->bms[0].password_file, pw);
	assert_false(c->bms[0].password_is_default);
	assert_string_equal(c->mqtt.password, "s3cret");
	assert_string_equal(c->mqtt.password_file, pw);
	conf_free(c);

	assert_int_equal(chmod(pw, 0640), 0);
	c = load_text(text, &n, &errors);
	assert_null(c);
	assert_int_equal(n, 2);
	snprintf(conf, sizeof(conf), "%s has mode 0640", pw);
	assert_non_null(strstr(errors, conf));
	assert_non_null(strstr(errors, "t.conf:3: [bms a] password_file: "));
	assert_non_null(strstr(errors, "t.conf:6: [mqtt] password_file: "));
	assert_non_null(strstr(errors, "group or others have access "
				       "(allowed: 0600 or stricter)\n"));
	free(errors);
	snprintf(conf, sizeof(conf), "%s/jkbmsd.conf", dir);
	assert_int_equal(chmod(pw, 0604), 0);
	c = conf_load("t.conf", text, NULL, &n);
	assert_null(c);
	assert_int_equal(n, 2);
	assert_int_equal(chmod(pw, 0400), 0);
	c = conf_load("t.conf", text, NULL, &n);
	assert_non_null(c);
	conf_free(c);

	/* a FIFO must not block the parser */
	assert_int_equal(mkfifo(fifo, 0600), 0);
	snprintf(text, sizeof(text),
		 "[bms a]\ntransport = sim\npassword_file = %s\n", fifo);
	expect_error(text, "is not a regular file");

	unlink(fifo);
	unlink(pw);
	unlink(conf);
	rmdir(dir);
}

static char *print_to_string(const struct conf *c, unsigned flags)
{
	size_t size;
	char *s = NULL;
	FILE *f = open_memstream(&s, &size);

	assert_non_null(f);
	conf_print_flags(c, f, flags);
	fclose(f);
	return s;
}

static void test_print_round_trip(void **state)
{
	static const char text[] =
		"[mqtt]\nenabled = yes\nusername = u\npassword = p;w\n"
		"[bms a]\ntransport = sim\npassword = 4321\n"
		"time_scale = 0.125\ncapacity = 12.345\n"
		"[bms b]\ntransport = ble\naddress = AA:BB:CC:DD:EE:FF\n"
		"variant = jk04\n"
		"[bank k]\nmembers = b,a\n";
	struct conf *c1, *c2;
	char *p1, *p2, *hidden;
	unsigned n;

	c1 = conf_load("t.conf", text, NULL, &n);
	assert_non_null(c1);
	assert_true(c1->bms[0].sim.time_scale == 0.125);
	assert_true(c1->bms[0].sim.capacity_mah == 12345);
	p1 = print_to_string(c1, CONF_PRINT_SECRETS);
	c2 = conf_load("p.conf", p1, NULL, &n);
	assert_non_null(c2);
	p2 = print_to_string(c2, CONF_PRINT_SECRETS);
	assert_string_equal(p1, p2);
	assert_string_equal(c2->mqtt.password, "p;w");
	assert_string_equal(c2->bms[0].password, "4321");

	hidden = print_to_string(c1, 0);
	assert_null(strstr(hidden, "4321"));
	assert_null(strstr(hidden, "p;w"));
	assert_non_null(strstr(hidden, "# password = (hidden)\n"));
	conf_free(c2);
	c2 = conf_load("h.conf", hidden, NULL, &n);
	assert_non_null(c2); /* hidden secrets still give valid INI */
	conf_free(c2);
	free(hidden);
	free(p1);
	free(p2);
	conf_free(c1);
}

static void test_demo(void **state)
{
	const struct conf_bms *b;
	unsigned n = 99;
	struct conf *c = conf_load("<demo>", conf_demo_text, NULL, &n);
	size_t i;

	assert_non_null(c);
	assert_int_equal(n, 0);
	assert_false(c->mqtt.enabled);
	assert_false(c->history.enabled);
	assert_true(c->daemon.control_socket_is_default);
	assert_int_equal(c->n_banks, 2);
	assert_int_equal(c->n_bms, 3);
	for (i = 0; i < c->n_bms; i++) {
		assert_int_equal(c->bms[i].transport, TRANSPORT_SIM);
		assert_non_null(conf_bank_of(c, c->bms[i].name));
	}
	assert_string_equal(c->banks[0].name, "house");
	assert_int_equal(c->banks[0].topology, BANK_PARALLEL);
	assert_int_equal(c->banks[0].n_members, 2);

	b = conf_find_bms(c, "house-1");
	assert_non_null(b);
	assert_int_equal(b->sim.chemistry, SIM_LFP);
	assert_int_equal(b->sim.cells, 16);
	assert_true(b->sim.capacity_mah == 280000);
	assert_int_equal(b->sim.profile, SIM_PROFILE_SOLAR);
	b = conf_find_bms(c, "house-2");
	assert_non_null(b);
	assert_true(b->sim.imbalance_pct > 0);
	assert_int_not_equal(b->sim.seed,
			     conf_find_bms(c, "house-1")->sim.seed);
	assert_int_not_equal(b->variant, conf_find_bms(c, "house-1")->variant);
	b = conf_find_bms(c, "shed-1");
	assert_non_null(b);
	assert_int_equal(b->sim.chemistry, SIM_LIION);
	assert_int_equal(b->sim.cells, 8);
	assert_true(b->sim.capacity_mah == 100000);
	assert_int_equal(b->sim.profile, SIM_PROFILE_ABUSE);
	assert_ptr_equal(conf_bank_of(c, "shed-1"), conf_find_bank(c, "shed"));
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_duration_format),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_debug_names),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_password_files),
		cmocka_unit_test(test_print_round_trip),
		cmocka_unit_test(test_demo),
	};

	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
