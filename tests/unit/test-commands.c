/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BLE command frames (src/codec/command.c) against every command frame of
 * vectors/README.md section G: zero-filler frames byte for byte, app frames
 * with random filler through jk_cmd_check and jk_cmd_decode_setting; then
 * the encoding rules (two's complement, powers of ten, ranges) and a round
 * trip of every setting on every variant.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/frame.h"
#include "jkbms/settings.h"

#define V24	JK_VARIANT_JK02_24S
#define V32	JK_VARIANT_JK02_32S
#define V04	JK_VARIANT_JK04
#define HEAT_START	SETTING_HEATING_START_TEMPERATURE

static void from_hex(const char *hex, uint8_t *out, size_t len)
{
	size_t i;

	assert_int_equal(strlen(hex), 2 * len);
	for (i = 0; i < len; i++) {
		unsigned b;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
}

static void assert_frame(const uint8_t *got, const char *hex,
			 const char *what)
{
	uint8_t want[JK_CMD_LEN];

	from_hex(hex, want, JK_CMD_LEN);
	if (memcmp(got, want, JK_CMD_LEN)) {
		char buf[2 * JK_CMD_LEN + 1];
		size_t i;

		for (i = 0; i < JK_CMD_LEN; i++)
			snprintf(buf + 2 * i, 3, "%02X", got[i]);
		fail_msg("%s: got %s, want %s", what, buf, hex);
	}
}

/* CMD-01: zero-padded requests and the C8 acknowledge. */
static void test_requests_and_ack(void **state)
{
	uint8_t out[JK_CMD_LEN];

	jk_cmd_encode_request(out, JK_REQ_CELL_INFO);
	assert_frame(out, "AA5590EB96000000000000000000000000000010", "0x96");
	jk_cmd_encode_request(out, JK_REQ_DEVICE_INFO);
	assert_frame(out, "AA5590EB97000000000000000000000000000011", "0x97");
	/* protocols.md 1.2 zero-padded example */
	jk_cmd_encode_request(out, JK_REQ_LOGBOOK);
	assert_frame(out, "AA5590EBA100000000000000000000000000001B", "0xA1");
	jk_ack_encode(out);
	assert_frame(out, "AA5590EBC8010100000000000000000000000044", "ack");
}

struct exact {
	enum jk_variant variant;
	enum setting_id id;
	int64_t value;
	const char *hex;
	const char *what;
};

/* Section G zero-filler setting writes, byte for byte. */
static const struct exact exact_frames[] = {
	/* CMD-02: mpp-solar, JK02 24S register map */
	{ V24, SETTING_CELL_OVP, 3650,
	  "AA5590EB0404420E0000000000000000000000D2", "setCellOVP3.65" },
	{ V24, SETTING_CHARGE_SWITCH, 1,
	  "AA5590EB1D04010000000000000000000000009C", "setChargingOn" },
	{ V24, SETTING_CHARGE_SWITCH, 0,
	  "AA5590EB1D04000000000000000000000000009B", "setChargingOff" },
	{ V24, SETTING_DISCHARGE_SWITCH, 1,
	  "AA5590EB1E04010000000000000000000000009D", "setDischargingOn" },
	{ V24, SETTING_DISCHARGE_SWITCH, 0,
	  "AA5590EB1E04000000000000000000000000009C", "setDischargingOff" },
	/* CMD-03: esphome JK02_32S */
	{ V32, SETTING_EMERGENCY_TRIGGER, 1,
	  "AA5590EB310401000000000000000000000000B0", "0x31 on" },
	{ V32, SETTING_EMERGENCY_TRIGGER, 0,
	  "AA5590EB310400000000000000000000000000AF", "0x31 off" },
	{ V32, SETTING_DRY_CONTACT_INTERMITTENT, 1,
	  "AA5590EB320401000000000000000000000000B1", "0x32 on" },
	{ V32, SETTING_DISCHARGE_OCP2, 0,
	  "AA5590EB330400000000000000000000000000B1", "0x33 off" },
	{ V32, SETTING_DISCHARGE_OCP3, 1,
	  "AA5590EB340401000000000000000000000000B3", "0x34 on" },
	{ V32, SETTING_GPS_LOCKED_CHARGING, 1,
	  "AA5590EB350401000000000000000000000000B4", "0x35 on" },
	{ V32, SETTING_GPS_LOCKED_DISCHARGING, 1,
	  "AA5590EB360401000000000000000000000000B5", "0x36 on" },
	{ V32, SETTING_PORT_RS485, 0,
	  "AA5590EB2A0400000000000000000000000000A8", "0x2A CAN" },
	{ V32, SETTING_PORT_RS485, 1,
	  "AA5590EB2A0401000000000000000000000000A9", "0x2A RS485" },
	{ V32, SETTING_SMART_SLEEP_TIME, 23,
	  "AA5590EB390117000000000000000000000000CB", "0x39 23 h" },
	{ V32, SETTING_UART1_PROTOCOL, 1,
	  "AA5590EBA5020100000000000000000000000022", "0xA5 UART1 1" },
	{ V32, SETTING_CAN_PROTOCOL, 2,
	  "AA5590EBA6020200000000000000000000000024", "0xA6 CAN 2" },
	/* CMD-04: esphome JK04, floats carry the SI value */
	{ V04, SETTING_POWER_OFF_VOLTAGE, 3100,
	  "AA5590EB200466664640000000000000000000F0", "0x20 3.100 V" },
	{ V04, SETTING_POWER_OFF_VOLTAGE, 3200,
	  "AA5590EB2004CDCC4C40000000000000000000C3", "0x20 3.2 V" },
	{ V04, SETTING_BALANCE_TRIGGER_DELTA, 8,
	  "AA5590EB64046F12033C000000000000000000A2", "0x64 0.008 V" },
	{ V04, SETTING_BALANCE_TRIGGER_DELTA, 10,
	  "AA5590EB64040AD7233C00000000000000000022", "0x64 0.010 V" },
	{ V04, SETTING_MAX_BALANCE_CURRENT, 4500,
	  "AA5590EB680400009040000000000000000000B6", "0x68 4.5 A" },
	{ V04, SETTING_CELL_COUNT, 16,
	  "AA5590EB1C0210000000000000000000000000A8", "0x1C 16 cells" },
	{ V04, SETTING_BALANCE_SWITCH, 1,
	  "AA5590EB6C0101000000000000000000000000E8", "0x6C on" },
	{ V04, SETTING_VOLTAGE_CALIBRATION, 3031334,
	  "AA5590EB440460014240000000000000000000A5", "0x44 Vref 3.031334" },
	{ V04, SETTING_BALANCE_START_VOLTAGE, 1000,
	  "AA5590EB58040000803F00000000000000000095", "0x58 1.00 V" },
};

static void test_exact_frames(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(exact_frames) / sizeof(exact_frames[0]); i++) {
		const struct exact *e = &exact_frames[i];
		uint8_t out[JK_CMD_LEN];
		enum setting_id id;
		int64_t value;

		assert_int_equal(jk_cmd_encode_setting(out, e->variant, e->id,
						       e->value), 0);
		assert_frame(out, e->hex, e->what);
		/* and back, as the simulator reads it */
		assert_int_equal(jk_cmd_decode_setting(out, e->variant, &id,
						       &value), 0);
		assert_int_equal(id, e->id);
		assert_int_equal(value, e->value);
	}
}

/* CMD-03 0xB5 emergency duration: a register without a setting. */
static void test_raw_register(void **state)
{
	static const uint8_t minutes = 31;
	uint8_t out[JK_CMD_LEN], reg, len;
	enum setting_id id;
	int64_t value;

	jk_cmd_encode(out, 0xB5, &minutes, 1);
	assert_frame(out, "AA5590EBB5011F0000000000000000000000004F",
		     "0xB5 31 min");
	assert_int_equal(jk_cmd_check(out, JK_CMD_LEN, &reg, &len), 0);
	assert_int_equal(reg, 0xB5);
	assert_int_equal(len, 1);
	assert_int_equal(jk_cmd_decode_setting(out, V32, &id, &value),
			 -EOPNOTSUPP);
}

struct app {
	enum jk_variant variant;
	const char *hex;
	uint8_t reg, len;
	int id;			/* -1: no setting has this register */
	int64_t value;
};

/* App frames with random filler: CMD-02 setBalanceStart, CMD-03, CMD-05. */
static const struct app app_frames[] = {
	{ V24, "AA5590EB2604C409000023B2CD312D28F26B04FA", 0x26, 4,
	  SETTING_BALANCE_START_VOLTAGE, 2500 },
	{ V32, "AA5590EB310401000000606B59D559E16CC1B9C9", 0x31, 4,
	  SETTING_EMERGENCY_TRIGGER, 1 },
	{ V32, "AA5590EB2A0400000000119D1BC4C1A58591A95A", 0x2A, 4,
	  SETTING_PORT_RS485, 0 },
	{ V32, "AA5590EB2A0401000000C2A965DE027F42C3C3A0", 0x2A, 4,
	  SETTING_PORT_RS485, 1 },
	{ V32, "AA5590EB390117BB2E15630E3CDCA43A7A0620D0", 0x39, 1,
	  SETTING_SMART_SLEEP_TIME, 23 },
	{ V32, "AA5590EBB5011FB5C48CDD6C11323DE2B4B459C0", 0xB5, 1, -1, 0 },
	{ V04, "AA5590EB9700B44CB1791A3FA86121C638DE6F09", 0x97, 0, -1, 0 },
	{ V04, "AA5590EB1C02110004D2E36FB8C5D4912EC07E1F", 0x1C, 2,
	  SETTING_CELL_COUNT, 17 },
	{ V04, "AA5590EB2004CDCC4C402C0EAEDFA413B82A4366", 0x20, 4,
	  SETTING_POWER_OFF_VOLTAGE, 3200 },
	{ V04, "AA5590EB6804000090409DA3C98226FBF6539A45", 0x68, 4,
	  SETTING_MAX_BALANCE_CURRENT, 4500 },
	{ V32, "AA5590EB6C043F2C1F0B41E1B6E41A882EBCE2A9", 0x6C, 4,
	  SETTING_SET_CLOCK, 0x0B1F2C3F },
	{ V32, "AA5590EB37010322B867F2779A4869510A4C0859", 0x37, 1,
	  SETTING_HEATING_START_TEMPERATURE, 30 },
	{ V32, "AA5590EB380107AFE7A60171728860581AFCFB2B", 0x38, 1,
	  SETTING_HEATING_STOP_TEMPERATURE, 70 },
};

static void test_app_frames(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(app_frames) / sizeof(app_frames[0]); i++) {
		const struct app *a = &app_frames[i];
		uint8_t cmd[JK_CMD_LEN], reg = 0, len = 0, again[JK_CMD_LEN];
		enum setting_id id;
		int64_t value;
		int r;

		from_hex(a->hex, cmd, JK_CMD_LEN);
		assert_int_equal(jk_cmd_check(cmd, JK_CMD_LEN, &reg, &len), 0);
		assert_int_equal(reg, a->reg);
		assert_int_equal(len, a->len);
		r = jk_cmd_decode_setting(cmd, a->variant, &id, &value);
		if (a->id < 0) {
			assert_int_equal(r, -EOPNOTSUPP);
			continue;
		}
		assert_int_equal(r, 0);
		assert_int_equal(id, a->id);
		assert_int_equal(value, a->value);
		/* ours differs only in the filler: same value bytes */
		assert_int_equal(jk_cmd_encode_setting(again, a->variant, id,
						       value), 0);
		assert_memory_equal(again, cmd, 6 + (size_t)a->len);
	}
}

static void test_check_rejects(void **state)
{
	uint8_t cmd[JK_CMD_LEN + 4], reg, len;

	jk_cmd_encode_request(cmd, JK_REQ_CELL_INFO);
	assert_int_equal(jk_cmd_check(cmd, JK_CMD_LEN - 1, &reg, &len),
			 -EAGAIN);
	assert_int_equal(jk_cmd_check(NULL, 0, &reg, &len), -EAGAIN);
	/* longer input: the first 20 bytes are the frame ("AT\r\n" after) */
	memcpy(cmd + JK_CMD_LEN, "AT\r\n", 4);
	assert_int_equal(jk_cmd_check(cmd, sizeof(cmd), &reg, &len), 0);
	assert_int_equal(reg, 0x96);
	assert_int_equal(len, 0);

	cmd[19] ^= 1;
	assert_int_equal(jk_cmd_check(cmd, JK_CMD_LEN, &reg, &len), -EBADMSG);
	cmd[19] ^= 1;
	cmd[0] = 0x55;
	assert_int_equal(jk_cmd_check(cmd, JK_CMD_LEN, &reg, &len), -EBADMSG);

	/* value length beyond the 13 value bytes */
	jk_cmd_encode(cmd, 0x01, NULL, 0);
	cmd[5] = 14;
	cmd[19] = (uint8_t)(cmd[19] + 14);
	assert_int_equal(jk_cmd_check(cmd, JK_CMD_LEN, &reg, &len), -EBADMSG);
	/* a BMS -> host frame is not a command */
	memcpy(cmd, "\x55\xAA\xEB\x90", 4);
	assert_int_equal(jk_cmd_check(cmd, JK_CMD_LEN, &reg, &len), -EBADMSG);
}

static void test_encode_rules(void **state)
{
	uint8_t out[JK_CMD_LEN];
	static const uint8_t big[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
					 12, 13, 14, 15, 16 };

	/* negative values as two's complement: -22.0 C is 24 FF FF FF */
	assert_int_equal(jk_cmd_encode_setting(out, V32, SETTING_CHARGE_UTP,
					       -220), 0);
	assert_frame(out, "AA5590EB180424FFFFFF000000000000000000B7",
		     "charge UTP -22.0");
	/* s8 whole degrees, exp -1: -5.0 C is FB */
	assert_int_equal(jk_cmd_encode_setting(out, V32, HEAT_START,
					       -50), 0);
	assert_frame(out, "AA5590EB3701FB000000000000000000000000AD",
		     "heating start -5 C");
	/* not a whole degree: cannot be sent */
	assert_int_equal(jk_cmd_encode_setting(out, V32, HEAT_START,
					       35), -EINVAL);
	/* s8 range */
	assert_int_equal(jk_cmd_encode_setting(out, V32, HEAT_START,
					       1280), -EINVAL);
	/* u8 range, and no negative value on an unsigned wire */
	assert_int_equal(jk_cmd_encode_setting(out, V32,
					       SETTING_SMART_SLEEP_TIME, 256),
			 -EINVAL);
	assert_int_equal(jk_cmd_encode_setting(out, V32, SETTING_CELL_OVP, -1),
			 -EINVAL);
	/* a switch is 0 or 1 */
	assert_int_equal(jk_cmd_encode_setting(out, V32,
					       SETTING_CHARGE_SWITCH, 2),
			 -EINVAL);
	/* buttons: length 0 */
	assert_int_equal(jk_cmd_encode_setting(out, V32, SETTING_RESTART, 0),
			 0);
	assert_frame(out, "AA5590EB660000000000000000000000000000E0",
		     "restart");
	/* JK02 voltage calibration: whole mV */
	assert_int_equal(jk_cmd_encode_setting(out, V32,
					       SETTING_VOLTAGE_CALIBRATION,
					       53224000), 0);
	assert_frame(out, "AA5590EB6404E8CF000000000000000000000099",
		     "voltage calibration 53.224 V");
	assert_int_equal(jk_cmd_encode_setting(out, V32,
					       SETTING_VOLTAGE_CALIBRATION,
					       53224500), -EINVAL);
	/* not on this variant, or not a BLE variant at all */
	assert_int_equal(jk_cmd_encode_setting(out, V24,
					       SETTING_HEATING_SWITCH, 1),
			 -EOPNOTSUPP);
	assert_int_equal(jk_cmd_encode_setting(out, V04, SETTING_CELL_OVP,
					       3650), -EOPNOTSUPP);
	assert_int_equal(jk_cmd_encode_setting(out, JK_VARIANT_SERIAL,
					       SETTING_CELL_OVP, 3650),
			 -EOPNOTSUPP);
	assert_int_equal(jk_cmd_encode_setting(out, JK_VARIANT_AUTO,
					       SETTING_CELL_OVP, 3650),
			 -EINVAL);
	assert_int_equal(jk_cmd_encode_setting(out, V32, SETTING__MAX, 0),
			 -EINVAL);
	/* raw frames clamp the value to its 13 bytes */
	jk_cmd_encode(out, 0x9F, big, sizeof(big));
	assert_int_equal(out[5], 13);
	assert_memory_equal(out + 6, big, 13);
	assert_int_equal(jk_cmd_check(out, JK_CMD_LEN, NULL, NULL), 0);
}

static void test_decode_rules(void **state)
{
	uint8_t cmd[JK_CMD_LEN];
	enum setting_id id;
	int64_t value;

	/* signed per the table, sign-extended from the length sent */
	from_hex("AA5590EB180424FFFFFF000000000000000000B7", cmd, JK_CMD_LEN);
	assert_int_equal(jk_cmd_decode_setting(cmd, V32, &id, &value), 0);
	assert_int_equal(id, SETTING_CHARGE_UTP);
	assert_int_equal(value, -220);
	/* a 4-byte write where the table has 1 (esphome's 0x01 doubt) */
	jk_cmd_encode(cmd, 0x39, (const uint8_t *)"\x05\x00\x00\x00", 4);
	assert_int_equal(jk_cmd_decode_setting(cmd, V32, &id, &value), 0);
	assert_int_equal(id, SETTING_SMART_SLEEP_TIME);
	assert_int_equal(value, 5);
	/* a length no wire has */
	jk_cmd_encode(cmd, 0x39, (const uint8_t *)"\x05\x00\x00", 3);
	assert_int_equal(jk_cmd_decode_setting(cmd, V32, &id, &value),
			 -EPROTO);
	/* a float must be 4 bytes, and a number */
	jk_cmd_encode(cmd, 0x20, (const uint8_t *)"\xCD\xCC", 2);
	assert_int_equal(jk_cmd_decode_setting(cmd, V04, &id, &value),
			 -EPROTO);
	jk_cmd_encode(cmd, 0x20, (const uint8_t *)"\x00\x00\xC0\x7F", 4);
	assert_int_equal(jk_cmd_decode_setting(cmd, V04, &id, &value),
			 -ERANGE);
	/* the same register means different settings per variant */
	jk_cmd_encode(cmd, 0x21, (const uint8_t *)"\xDC\x05\x00\x00", 4);
	assert_int_equal(jk_cmd_decode_setting(cmd, V32, &id, &value), 0);
	assert_int_equal(id, SETTING_SCP_DELAY);
	assert_int_equal(value, 1500);
	assert_int_equal(jk_cmd_decode_setting(cmd, V24, &id, &value), 0);
	assert_int_equal(id, SETTING_VOLTAGE_CALIBRATION);
	assert_int_equal(value, 1500000);
	/* a request is no setting; a bad frame is refused first */
	jk_cmd_encode_request(cmd, JK_REQ_DEVICE_INFO);
	assert_int_equal(jk_cmd_decode_setting(cmd, V32, &id, &value),
			 -EOPNOTSUPP);
	cmd[19] ^= 0xff;
	assert_int_equal(jk_cmd_decode_setting(cmd, V32, &id, &value),
			 -EBADMSG);
	assert_int_equal(jk_cmd_decode_setting(cmd, JK_VARIANT_AUTO, &id,
					       &value), -EINVAL);
}

/* A value of 'id' that its place can carry, near 'want'. */
static int64_t encodable(const struct setting_desc *d,
			 const struct setting_place *p, int64_t want)
{
	int64_t unit = 1;
	int e;

	for (e = p->exp; e < 0; e++)
		unit *= 10;
	if (d->step > 1 && d->step % unit == 0)
		unit = d->step;
	return want / unit * unit;
}

/* Every setting on every BLE variant: min, max and middle round trip. */
static void test_round_trip_all(void **state)
{
	unsigned id, n = 0;
	int v;

	for (v = V24; v <= V04; v++) {
		for (id = 0; id < SETTING__MAX; id++) {
			const struct setting_desc *d = &settings_table[id];
			const struct setting_place *p = &d->place[v];
			int64_t tries[3];
			int k;

			if (!p->reg)
				continue;
			tries[0] = encodable(d, p, d->min);
			tries[1] = encodable(d, p, d->max);
			tries[2] = encodable(d, p,
					     d->min + (d->max - d->min) / 2);
			for (k = 0; k < 3; k++) {
				uint8_t out[JK_CMD_LEN];
				enum setting_id got;
				int64_t value;

				if (d->kind == SETTING_KIND_BUTTON)
					tries[k] = 0;
				if (jk_cmd_encode_setting(out,
							  (enum jk_variant)v,
							  (enum setting_id)id,
							  tries[k]) != 0)
					fail_msg("%s on variant %d: %lld not "
						 "encoded", d->key, v,
						 (long long)tries[k]);
				assert_int_equal(out[4], p->reg);
				assert_int_equal(out[5], p->len);
				assert_int_equal(jk_cmd_decode_setting(out,
						(enum jk_variant)v, &got,
						&value), 0);
				assert_int_equal(got, id);
				assert_int_equal(value, tries[k]);
				n++;
			}
		}
	}
	assert_true(n > 100);
}

/* Within one variant no two settings share a write register. */
static void test_registers_unique(void **state)
{
	unsigned a, b;
	int v;

	for (v = V24; v <= V04; v++)
		for (a = 0; a < SETTING__MAX; a++)
			for (b = a + 1; b < SETTING__MAX; b++) {
				uint8_t ra = settings_table[a].place[v].reg;

				if (ra && ra == settings_table[b].place[v].reg)
					fail_msg("variant %d: %s and %s share "
						 "register 0x%02X", v,
						 settings_table[a].key,
						 settings_table[b].key, ra);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests_and_ack),
		cmocka_unit_test(test_exact_frames),
		cmocka_unit_test(test_raw_register),
		cmocka_unit_test(test_app_frames),
		cmocka_unit_test(test_check_rejects),
		cmocka_unit_test(test_encode_rules),
		cmocka_unit_test(test_decode_rules),
		cmocka_unit_test(test_round_trip_all),
		cmocka_unit_test(test_registers_unique),
	};

	return cmocka_run_group_tests_name("commands", tests, NULL, NULL);
}
