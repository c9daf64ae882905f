/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device-info frames (src/codec/device-info.c) against every device-info
 * frame of vectors/README.md sections A-C, the logbook frame of section D
 * (logbook.c), and the round trips of both encoders.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/fields.h"
#include "jkbms/frame.h"
#include "jkbms/settings.h"
#include "codec-test.h"

struct dev_case {
	const char *name;
	const char *hex;
	/* NULL: not checked; "": must be absent (empty on the wire) */
	const char *model, *hw, *sw, *name_, *mfg, *serial;
	const char *conn_pw, *settings_pw;
	int64_t uptime, power_on;	/* -1: not checked */
};

static const struct dev_case cases[] = {
	{ "BLE-24S-01", VEC_BLE_24S_01_DEVICE_INFO, "JK-B2A24S20P", "10.XG",
	  "10.07", "JK-B2A24S20P", "220511", "2041803028", "1234", "123456",
	  269100, 1 },
	/* aiobmsble reads only bytes 86-93 of the serial: "20328160" */
	{ "BLE-24S-03", VEC_BLE_24S_03_DEVICE_INFO, "JK-B2A20S20P", "10.XG",
	  "10.08", "JK-BMS-A", "220701", "2032816012", "1234", "123456",
	  57468900, 17 },
	{ "BLE-24S-04", VEC_BLE_24S_04_DEVICE_INFO, "JK-B2A24S20P", "10.X-W",
	  "10.02", "JK pw123456", "220606", "1120303218", "1234", "123456",
	  3131100, 6 },
	{ "BLE-24S-07", VEC_BLE_24S_07_DEVICE_INFO, "JK-B2A24S", "3.0",
	  "3.2.3", "Power Wall 1", "", "", "1234", "", 4552200, 4 },
	{ "BLE-32S-01", VEC_BLE_32S_01_DEVICE_INFO, "JK_PB2A16S15P", "14.XA",
	  "14.20", "JK_PB2A16S15P", "231118", "3092572134", "1234", "123457",
	  107400, 148 },
	{ "BLE-32S-02", VEC_BLE_32S_02_DEVICE_INFO, "JK_PB2A16S15P", "14.XA",
	  "14.20", NULL, NULL, NULL, NULL, NULL, 124500, 156 },
	{ "BLE-32S-03", VEC_BLE_32S_03_DEVICE_INFO, "JK_PB2A16S15P", "15A",
	  "15.38", "JK_PB2A16new", "240516", "40110480520", "1234", "123457",
	  -1, -1 },
	/* aiobmsble: serial "404092C2" (bytes 86-93) */
	{ "BLE-32S-05", VEC_BLE_32S_05_DEVICE_INFO, "JK_B2A8S20P", "11.XA",
	  "11.48", "12v420a", "240704", "404092C2262", NULL, "140703", -1,
	  7 },
	{ "BLE-32S-06", VEC_BLE_32S_06_DEVICE_INFO, "JK_PB2A16S20P", "15A",
	  "15.38", "41018492555", "250210", "41018492555", "1234", "71203",
	  -1, -1 },
	/* FW 19: the serial fills its 16 bytes (15 here, then NUL) */
	{ "BLE-32S-07", VEC_BLE_32S_07_DEVICE_INFO, "JK_PB2A16S20P", "19A",
	  "19.05", "Baterie 1", NULL, "503214849000643", NULL, "31415927",
	  -1, -1 },
	{ "BLE-32S-12", VEC_BLE_32S_12_DEVICE_INFO, "JK_PB2A16S20P", "15A",
	  "15.41", "BB02", "240914", "40119491480", "1234", "136913", -1,
	  -1 },
	{ "BLE-32S-13", VEC_BLE_32S_13_DEVICE_INFO, "JK_PB2A16S15P", "15.XA",
	  "15.10", "ATR BMS", "240510", "31213480085", "1234", "4096", -1,
	  -1 },
	{ "BLE-32S-14", VEC_BLE_32S_14_DEVICE_INFO, "JK_PB2A16S15P", "14.XA",
	  "14.20", "JK_PB2A16S15P", "231118", "3092572134", "1234", "123457",
	  -1, -1 },
	{ "BLE-04-01", VEC_BLE_04_01_DEVICE_INFO, "JK-B2A16S", "3.0", "3.3.0",
	  "BMS", "", "", "1234", "", 36867600, 19 },
	{ "BLE-04-02", VEC_BLE_04_02_DEVICE_INFO, "JK-B5A24S", "8.X", "8.0.3M",
	  "JK-B5A24S", "", "", "1234", "", -1, 10 },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static struct jk_decoded dec, dec2;

static void check_text(const struct dev_case *c, enum field_id id,
		       const char *want)
{
	const struct field_values *f = &dec.fields;

	if (!want)
		return;
	if (!*want) {
		if (field_has(f, id))
			fail_msg("%s: %s = \"%s\", want absent", c->name,
				 field_table[id].key, f->text[id]);
		return;
	}
	if (!field_has(f, id))
		fail_msg("%s: %s absent", c->name, field_table[id].key);
	if (strcmp(f->text[id], want))
		fail_msg("%s: %s = \"%s\", want \"%s\"", c->name,
			 field_table[id].key, f->text[id], want);
}

static void decode_case(const struct dev_case *c, enum jk_variant v)
{
	uint8_t frame[JK_FRAME_LEN];

	vec_frame(c->hex, frame);
	assert_int_equal(jk_frame_decode(frame, JK_FRAME_LEN, v, &dec), 0);
	assert_int_equal(dec.type, JK_FRAME_DEVICE_INFO);
}

static void test_vectors(void **state)
{
	size_t i;

	for (i = 0; i < N_CASES; i++) {
		const struct dev_case *c = &cases[i];
		const struct field_values *f = &dec.fields;

		decode_case(c, JK_VARIANT_AUTO);
		check_text(c, FIELD_MODEL, c->model);
		check_text(c, FIELD_HARDWARE_VERSION, c->hw);
		check_text(c, FIELD_SOFTWARE_VERSION, c->sw);
		check_text(c, FIELD_NAME, c->name_);
		check_text(c, FIELD_MANUFACTURING_DATE, c->mfg);
		check_text(c, FIELD_SERIAL_NUMBER, c->serial);
		if (c->conn_pw)
			assert_string_equal(dec.secrets.connection_password,
					    c->conn_pw);
		if (c->settings_pw)
			assert_string_equal(dec.secrets.settings_password,
					    c->settings_pw);
		if (c->uptime >= 0)
			assert_int_equal(f->num[FIELD_UPTIME], c->uptime);
		if (c->power_on >= 0)
			assert_int_equal(f->num[FIELD_POWER_ON_COUNT],
					 c->power_on);
		assert_true(field_has(f, FIELD_UPTIME));
		assert_true(field_has(f, FIELD_POWER_ON_COUNT));
		/* the variant is the caller's; no cell values, no secrets */
		assert_false(field_has(f, FIELD_VARIANT));
		assert_false(field_has(f, FIELD_VOLTAGE));
		assert_int_equal(f->ncells, 0);
	}
}

static void test_all_vectors_covered(void **state)
{
	size_t i, j, n = 0;

	for (i = 0; i < N_VECTORS; i++) {
		if (!vec_is_frame(&ble_vectors[i]) ||
		    strcmp(ble_vectors[i].what, "DEVICE_INFO"))
			continue;
		n++;
		for (j = 0; j < N_CASES; j++)
			if (cases[j].hex == ble_vectors[i].hex)
				break;
		if (j == N_CASES)
			fail_msg("%s has no case", ble_vectors[i].id);
	}
	assert_int_equal(n, N_CASES);
}

/* The same strings whatever the variant (6..133 is common). */
static void test_any_variant(void **state)
{
	static const enum jk_variant vs[] = {
		JK_VARIANT_JK02_24S, JK_VARIANT_JK02_32S, JK_VARIANT_JK04,
		JK_VARIANT_SERIAL, JK_VARIANT_PB_MODBUS, JK_VARIANT_CAN,
	};
	size_t i;

	for (i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		decode_case(&cases[0], vs[i]);
		assert_int_equal(dec.variant, vs[i]);
		check_text(&cases[0], FIELD_SOFTWARE_VERSION, cases[0].sw);
		assert_string_equal(dec.secrets.settings_password, "123456");
	}
}

/*
 * The dispatcher also hands a device-info frame to the settings decoder:
 * BLE-32S-01 reads back UART1 protocol 1, CAN 4, UART2 11 (1.10); with no
 * BLE variant there is no layout and no setting.
 */
static void test_settings_read_back(void **state)
{
	decode_case(&cases[4], JK_VARIANT_JK02_32S);
	assert_true(bits_test(&dec.settings.set, SETTING_UART1_PROTOCOL));
	assert_int_equal(dec.settings.val[SETTING_UART1_PROTOCOL], 1);
	assert_true(bits_test(&dec.settings.set, SETTING_CAN_PROTOCOL));
	assert_int_equal(dec.settings.val[SETTING_CAN_PROTOCOL], 4);
	assert_true(bits_test(&dec.settings.set, SETTING_UART2_PROTOCOL));
	assert_int_equal(dec.settings.val[SETTING_UART2_PROTOCOL], 11);
	decode_case(&cases[4], JK_VARIANT_AUTO);
	assert_false(bits_any(&dec.settings.set));
	assert_string_equal(dec.fields.text[FIELD_SOFTWARE_VERSION], "14.20");
}

/* Non-printable bytes end a string; a full field has no NUL. */
static void test_strings(void **state)
{
	uint8_t frame[JK_FRAME_LEN];

	vec_frame(VEC_BLE_24S_01_DEVICE_INFO, frame);
	memcpy(frame + 46, "Battery\x01xyz", 11);	/* name */
	memcpy(frame + 6, "ABCDEFGHIJKLMNOP", 16);	/* model, 16 */
	frame[22] = 0x80;				/* hardware */
	frame[JK_FRAME_LEN - 1] = 0;
	for (size_t i = 0; i < JK_FRAME_LEN - 1; i++)
		frame[JK_FRAME_LEN - 1] += frame[i];
	assert_int_equal(jk_frame_decode(frame, JK_FRAME_LEN,
					 JK_VARIANT_JK02_24S, &dec),
			 0);
	assert_string_equal(dec.fields.text[FIELD_NAME], "Battery");
	assert_string_equal(dec.fields.text[FIELD_MODEL], "ABCDEFGHIJKLMNOP");
	assert_false(field_has(&dec.fields, FIELD_HARDWARE_VERSION));
	/* the hardware string must not run into the software one */
	assert_string_equal(dec.fields.text[FIELD_SOFTWARE_VERSION], "10.07");
}

static void assert_same(const struct jk_decoded *a, const struct jk_decoded *b)
{
	unsigned i;

	assert_memory_equal(&a->fields.set, &b->fields.set,
			    sizeof(a->fields.set));
	for (i = 0; i < FIELD__MAX; i++) {
		if (!field_has(&a->fields, (enum field_id)i))
			continue;
		if (field_table[i].type == FIELD_TYPE_TEXT)
			assert_string_equal(a->fields.text[i],
					    b->fields.text[i]);
		else
			assert_int_equal(a->fields.num[i], b->fields.num[i]);
	}
	assert_string_equal(a->secrets.connection_password,
			    b->secrets.connection_password);
	assert_string_equal(a->secrets.settings_password,
			    b->secrets.settings_password);
}

static void test_round_trip(void **state)
{
	uint8_t out[JK_FRAME_LEN];
	size_t i;

	for (i = 0; i < N_CASES; i++) {
		decode_case(&cases[i], JK_VARIANT_AUTO);
		assert_int_equal(jk_frame_encode_device_info(&dec.fields,
							     &dec.secrets,
							     JK_VARIANT_AUTO,
							     dec.counter, out),
				 0);
		assert_int_equal(jk_frame_check(out, JK_FRAME_LEN), 0);
		assert_int_equal(jk_frame_decode(out, JK_FRAME_LEN,
						 JK_VARIANT_AUTO, &dec2),
				 0);
		assert_int_equal(dec2.counter, dec.counter);
		assert_same(&dec, &dec2);
	}
}

static void test_encode(void **state)
{
	static struct field_values v;
	struct jk_secrets s = { "1234", "0123456789ABCDEF" };
	uint8_t out[JK_FRAME_LEN];

	field_values_reset(&v);
	strcpy(v.text[FIELD_MODEL], "JK-B5A25S-60P");
	bits_set(&v.set, FIELD_MODEL);
	strcpy(v.text[FIELD_SOFTWARE_VERSION], "10.10");
	bits_set(&v.set, FIELD_SOFTWARE_VERSION);
	strcpy(v.text[FIELD_SERIAL_NUMBER], "0123456789ABCDEF");
	bits_set(&v.set, FIELD_SERIAL_NUMBER);
	field_set_num(&v, FIELD_UPTIME, 4294967295);
	assert_int_equal(jk_frame_encode_device_info(&v, &s,
						     JK_VARIANT_JK02_24S, 7,
						     out),
			 0);
	assert_int_equal(jk_frame_decode(out, JK_FRAME_LEN,
					 JK_VARIANT_JK02_24S, &dec),
			 0);
	assert_int_equal(dec.counter, 7);
	assert_string_equal(dec.fields.text[FIELD_MODEL], "JK-B5A25S-60P");
	assert_string_equal(dec.fields.text[FIELD_SERIAL_NUMBER],
			    "0123456789ABCDEF");
	assert_string_equal(dec.secrets.settings_password,
			    "0123456789ABCDEF");
	assert_int_equal(dec.fields.num[FIELD_UPTIME], 4294967295);
	assert_int_equal(dec.fields.num[FIELD_POWER_ON_COUNT], 0);
	assert_false(field_has(&dec.fields, FIELD_NAME));
	assert_int_equal(jk_variant_from_software(
				 dec.fields.text[FIELD_SOFTWARE_VERSION]),
			 JK_VARIANT_JK02_24S);

	/* NULL secrets: both passwords empty */
	assert_int_equal(jk_frame_encode_device_info(&v, NULL,
						     JK_VARIANT_JK02_32S, 0,
						     out),
			 0);
	assert_int_equal(jk_frame_decode(out, JK_FRAME_LEN,
					 JK_VARIANT_AUTO, &dec),
			 0);
	assert_string_equal(dec.secrets.connection_password, "");

	/* too long for its 8 bytes; not printable; negative count */
	strcpy(v.text[FIELD_SOFTWARE_VERSION], "10.10.100");
	assert_int_equal(jk_frame_encode_device_info(&v, &s,
						     JK_VARIANT_JK02_24S, 0,
						     out),
			 -EINVAL);
	strcpy(v.text[FIELD_SOFTWARE_VERSION], "10.\n");
	assert_int_equal(jk_frame_encode_device_info(&v, &s,
						     JK_VARIANT_JK02_24S, 0,
						     out),
			 -EINVAL);
	strcpy(v.text[FIELD_SOFTWARE_VERSION], "10.10");
	field_set_num(&v, FIELD_POWER_ON_COUNT, -1);
	assert_int_equal(jk_frame_encode_device_info(&v, &s,
						     JK_VARIANT_JK02_24S, 0,
						     out),
			 -EINVAL);
	field_set_num(&v, FIELD_POWER_ON_COUNT, 1);
	memset(s.connection_password, 'x', sizeof(s.connection_password));
	assert_int_equal(jk_frame_encode_device_info(&v, &s,
						     JK_VARIANT_JK02_24S, 0,
						     out),
			 -EINVAL);
	assert_int_equal(jk_frame_encode_device_info(NULL, &s,
						     JK_VARIANT_JK02_24S, 0,
						     out),
			 -EINVAL);
}

/* BLE-LOG-01: four entries, 5 bytes each from offset 11. */
static void test_logbook(void **state)
{
	static const struct {
		uint32_t time;
		uint8_t code;
	} want[] = {
		{ 0, 0x01 },		/* Boot */
		{ 238, 0x44 },		/* Factory setting LFP */
		{ 2514095, 0x1B },	/* Charge low temperature protection */
		{ 2514136, 0x1C },	/* ... released */
	};
	uint8_t frame[JK_FRAME_LEN], out[JK_FRAME_LEN];
	unsigned i;

	vec_frame(VEC_BLE_LOG_01_LOGBOOK, frame);
	assert_int_equal(jk_frame_decode(frame, JK_FRAME_LEN,
					 JK_VARIANT_JK02_32S, &dec),
			 0);
	assert_int_equal(dec.type, JK_FRAME_LOGBOOK);
	assert_int_equal(dec.logbook.count, 4);
	assert_int_equal(dec.logbook.n, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(dec.logbook.entry[i].time, want[i].time);
		assert_int_equal(dec.logbook.entry[i].code, want[i].code);
	}
	assert_false(bits_any(&dec.fields.set));

	/* round trip */
	assert_int_equal(jk_frame_encode_logbook(&dec.logbook, 0x1F, out), 0);
	assert_int_equal(jk_frame_decode(out, JK_FRAME_LEN,
					 JK_VARIANT_JK02_32S, &dec2),
			 0);
	assert_int_equal(dec2.logbook.count, 4);
	assert_int_equal(dec2.logbook.n, 4);
	assert_memory_equal(dec2.logbook.entry, dec.logbook.entry,
			    4 * sizeof(dec.logbook.entry[0]));
	/* the entries themselves sit where the BMS put them */
	assert_memory_equal(out + 6, frame + 6, 4);
	assert_memory_equal(out + 11, frame + 11, 4 * 5);

	/* a count above what fits: the first 57 */
	dec.logbook.count = 1000;
	dec.logbook.n = JK_LOGBOOK_MAX;
	for (i = 0; i < JK_LOGBOOK_MAX; i++) {
		dec.logbook.entry[i].time = 1000000u * i;
		dec.logbook.entry[i].code = (uint8_t)(0x64 + i);
	}
	assert_int_equal(jk_frame_encode_logbook(&dec.logbook, 0, out), 0);
	assert_int_equal(jk_frame_decode(out, JK_FRAME_LEN,
					 JK_VARIANT_JK02_32S, &dec2),
			 0);
	assert_int_equal(dec2.logbook.count, 1000);
	assert_int_equal(dec2.logbook.n, JK_LOGBOOK_MAX);
	assert_int_equal(dec2.logbook.entry[56].time, 56000000u);
	assert_int_equal(dec2.logbook.entry[56].code, 0x64 + 56);
	dec.logbook.n = 3;
	assert_int_equal(jk_frame_encode_logbook(&dec.logbook, 0, out),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_all_vectors_covered),
		cmocka_unit_test(test_any_variant),
		cmocka_unit_test(test_settings_read_back),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_logbook),
	};

	return cmocka_run_group_tests_name("device-info", tests, NULL, NULL);
}
