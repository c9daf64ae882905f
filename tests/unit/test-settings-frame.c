/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The settings frame (src/codec/settings-frame.c): the settings frames of
 * vectors BLE-24S-04, BLE-32S-09, BLE-32S-12, BLE-32S-13, BLE-32S-14
 * (JK02) and BLE-04-02 (JK04) decode to the values vectors/README.md lists,
 * the device-info frame of BLE-32S-12 to its protocol selects, and every
 * decoded set encodes back to a frame that decodes the same.
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

#include "codec/codec-private.h"

#define V24	JK_VARIANT_JK02_24S
#define V32	JK_VARIANT_JK02_32S
#define V04	JK_VARIANT_JK04

/* Frame bytes 0..299 (vector files add the C8 ack or the Modbus ACK). */
/* BLE-24S-04 settings */
static const char settings_24s_04[] =
	"55AAEB9001D358020000280A00005A0A0000AC0D0000160D00000A0000000000"
	"0000000000000000000000000000C4090000A08601001E0000003C000000C0D4"
	"01002C0100003C0000003C000000D0070000A401000090010000A40100009001"
	"0000000000003200000084030000BC0200000800000001000000010000000100"
	"000038320400DC050000B80B0000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"000000000000000000000083";

/* BLE-32S-09 settings */
static const char settings_32s_09[] =
	"55AAEB9001F3AC0D0000860B00001C0C00007A0D0000480D00000A000000700D"
	"0000B80B00000000000000000000C4090000F04902001E0000003C000000F049"
	"02002C0100003C0000003C000000D0070000BC02000058020000BC0200005802"
	"000038FFFFFF9CFFFFFFE8030000200300000400000001000000010000000100"
	"000000E20400DC050000160D0000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"00000000000000000000000000000100000000000000B0710B0000003C3218FE"
	"F9FFFF9F290002000000008E";

/* BLE-32S-12 settings */
static const char settings_32s_12[] =
	"55AAEB900100AC0D00008C0A0000550B0000420E0000740D000005000000750D"
	"0000540B00007A0D0000160D0000C409000060EA0000030000003C000000A086"
	"01002C0100003C00000005000000D00700005E010000400100005E0100004001"
	"0000320000004600000020030000BC0200001000000001000000010000000100"
	"0000C0450400DC050000700D0000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000030000000000000060E316000033000A18FE"
	"FFFFFF9FE99D030000000034";

/* BLE-32S-13 settings */
static const char settings_32s_13[] =
	"55AAEB900105E40C00005A0A0000960A0000420E0000AA0D000005000000AB0D"
	"00008C0A0000AC0D0000480D0000C4090000F04902001E0000003C000000F049"
	"02001E0000003C00000005000000D00700005802000026020000580200002602"
	"00009CFFFFFFCEFFFFFFE8030000200300000800000001000000010000000100"
	"0000605B0300DC050000160D0000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000010000000500000060E3160050033C3218FE"
	"FFFFFF3FE901020000000050";

/* BLE-32S-14 settings */
static const char settings_32s_14[] =
	"55AAEB900107AC0D0000F00A0000B70B0000410E0000790D0000030000007A0D"
	"0000F10A0000830D0000480D0000C409000020CB0000030000003C00000020CB"
	"00002C0100003C00000005000000D0070000BC02000058020000BC0200005802"
	"00003200000064000000E8030000200300001000000001000000010000000100"
	"0000D0070000DC0500007A0D0000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000010000000500000060E3160000003C3218FE"
	"FFFFFFBFE90102000000000E";

/* BLE-04-02 settings */
static const char settings_04_02[] =
	"55AAEB9001720000803F00000000000000000000000000000000000000000000"
	"000010000000CDCC4C4000000000000000000000000000000000000000000000"
	"00000000000000000000C91E4240000000000000000000000000000000000000"
	"0000000088409A9959406F12033C000090400100000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"00000000000000000000006F";

/* BLE-32S-12 device info (ABOUT_RESPONSE) */
static const char about_32s_12[] =
	"55AAEB9003004A4B5F5042324131365332305000000031354100000000003135"
	"2E34310000001C29E50216000000424230320000000000000000000000003132"
	"3334000000000000000000000000323430393134000034303131393439313438"
	"3000303030004A4B2D424D530000000000000000000031333639313300000000"
	"0000000000004A4B2D424D5300000000000000000000FFFFFFFF8FE99D030000"
	"0000901F00000000C0D8E7FE3F00000100000000000000000004FF6700000000"
	"00000000000000000000FF0F000000000000000000000000000001FF67000000"
	"0000000000000000000009080001640000005F0000003C000000320000000000"
	"000000000000002F00000A78011E0000000000000000000000000000000000FE"
	"9FE9FF0F00000000000000F6";

struct expect {
	enum setting_id id;
	int64_t value;
};

#define E(id, v) { SETTING_##id, v }
#define END { SETTING__MAX, 0 }

/* "Further values decoded by us" and the peers' assertions. */
static const struct expect expect_24s_04[] = {
	E(CELL_COUNT, 8), E(SMART_SLEEP_VOLTAGE, 600), E(CELL_UVP, 2600),
	E(CELL_UVPR, 2650), E(CELL_OVP, 3500), E(CELL_OVPR, 3350),
	E(BALANCE_TRIGGER_DELTA, 10), E(POWER_OFF_VOLTAGE, 2500),
	E(MAX_CHARGE_CURRENT, 100000), E(CHARGE_OCP_DELAY, 30),
	E(CHARGE_OCP_RELEASE, 60), E(MAX_DISCHARGE_CURRENT, 120000),
	E(DISCHARGE_OCP_DELAY, 300), E(DISCHARGE_OCP_RELEASE, 60),
	E(SCP_RELEASE, 60), E(MAX_BALANCE_CURRENT, 2000),
	E(CHARGE_OTP, 420), E(CHARGE_OTP_RELEASE, 400),
	E(DISCHARGE_OTP, 420), E(DISCHARGE_OTP_RELEASE, 400),
	E(CHARGE_UTP, 0), E(CHARGE_UTP_RELEASE, 50),
	E(MOS_OTP, 900), E(MOS_OTP_RELEASE, 700), E(CAPACITY, 275000),
	E(SCP_DELAY, 1500), E(BALANCE_START_VOLTAGE, 3000),
	E(CHARGE_SWITCH, 1), E(DISCHARGE_SWITCH, 1), E(BALANCE_SWITCH, 1),
	END
};

static const struct expect expect_32s_09[] = {
	E(CELL_COUNT, 4), E(CELL_UVP, 2950), E(CELL_UVPR, 3100),
	E(CELL_OVP, 3450), E(CELL_OVPR, 3400), E(BALANCE_TRIGGER_DELTA, 10),
	E(SOC_100_VOLTAGE, 3440), E(SOC_0_VOLTAGE, 3000),
	E(MAX_CHARGE_CURRENT, 150000), E(MAX_DISCHARGE_CURRENT, 150000),
	E(CHARGE_UTP, -200), E(CHARGE_UTP_RELEASE, -100),
	E(MOS_OTP, 1000), E(MOS_OTP_RELEASE, 800),
	E(BALANCE_START_VOLTAGE, 3350), E(CAPACITY, 320000),
	E(HEATING_START_TEMPERATURE, 600), E(HEATING_STOP_TEMPERATURE, 500),
	E(SMART_SLEEP_TIME, 24),
	END
};

/* control word 0x3300: bits 8, 9, 12, 13 */
static const struct expect expect_32s_12[] = {
	E(CELL_COUNT, 16), E(SMART_SLEEP_VOLTAGE, 3500), E(CELL_UVP, 2700),
	E(CELL_UVPR, 2901), E(CELL_OVP, 3650), E(CELL_OVPR, 3444),
	E(BALANCE_TRIGGER_DELTA, 5), E(SOC_100_VOLTAGE, 3445),
	E(SOC_0_VOLTAGE, 2900), E(CHARGE_VOLTAGE_REQUEST, 3450),
	E(FLOAT_VOLTAGE_REQUEST, 3350), E(POWER_OFF_VOLTAGE, 2500),
	E(MAX_CHARGE_CURRENT, 60000), E(CHARGE_OCP_DELAY, 3),
	E(CHARGE_OCP_RELEASE, 60), E(MAX_DISCHARGE_CURRENT, 100000),
	E(DISCHARGE_OCP_DELAY, 300), E(DISCHARGE_OCP_RELEASE, 60),
	E(SCP_RELEASE, 5), E(MAX_BALANCE_CURRENT, 2000),
	E(CHARGE_OTP, 350), E(CHARGE_OTP_RELEASE, 320),
	E(DISCHARGE_OTP, 350), E(DISCHARGE_OTP_RELEASE, 320),
	E(CHARGE_UTP, 50), E(CHARGE_UTP_RELEASE, 70),
	E(MOS_OTP, 800), E(MOS_OTP_RELEASE, 700), E(CAPACITY, 280000),
	E(SCP_DELAY, 1500), E(BALANCE_START_VOLTAGE, 3440),
	E(HEATING_START_TEMPERATURE, 0), E(HEATING_STOP_TEMPERATURE, 100),
	E(HEATING_SWITCH, 0), E(DISABLE_TEMP_SENSORS, 0),
	E(TIMED_STORED_DATA, 1), E(CHARGING_FLOAT_MODE, 1),
	E(EMERGENCY_TRIGGER, 0), E(DISCHARGE_OCP2, 1), E(DISCHARGE_OCP3, 1),
	E(GPS_LOCKED_CHARGING, 0),
	END
};

/* control word 0x0350: bits 4, 6, 8, 9 */
static const struct expect expect_32s_13[] = {
	E(CELL_COUNT, 8), E(CELL_UVP, 2650), E(CELL_OVP, 3650),
	E(CELL_OVPR, 3498), E(BALANCE_TRIGGER_DELTA, 5),
	E(SOC_100_VOLTAGE, 3499), E(SOC_0_VOLTAGE, 2700),
	E(CHARGE_VOLTAGE_REQUEST, 3500), E(FLOAT_VOLTAGE_REQUEST, 3400),
	E(MAX_CHARGE_CURRENT, 150000), E(MAX_DISCHARGE_CURRENT, 150000),
	E(CAPACITY, 220000), E(BALANCE_START_VOLTAGE, 3350),
	E(PRECHARGE_TIME, 5), E(HEATING_START_TEMPERATURE, 600),
	E(HEATING_STOP_TEMPERATURE, 500),
	E(DISPLAY_ALWAYS_ON, 1), E(SMART_SLEEP_SWITCH, 1),
	E(TIMED_STORED_DATA, 1), E(CHARGING_FLOAT_MODE, 1),
	E(PORT_RS485, 0), E(HEATING_SWITCH, 0),
	END
};

static const struct expect expect_32s_14[] = {
	E(CELL_COUNT, 16), E(CELL_UVP, 2800), E(CELL_UVPR, 2999),
	E(CELL_OVP, 3649), E(CELL_OVPR, 3449), E(BALANCE_TRIGGER_DELTA, 3),
	E(SOC_100_VOLTAGE, 3450), E(SOC_0_VOLTAGE, 2801),
	E(CHARGE_VOLTAGE_REQUEST, 3459), E(FLOAT_VOLTAGE_REQUEST, 3400),
	E(MAX_CHARGE_CURRENT, 52000), E(MAX_DISCHARGE_CURRENT, 52000),
	E(CAPACITY, 2000), E(BALANCE_START_VOLTAGE, 3450),
	E(PRECHARGE_TIME, 5),
	END
};

/* JK04 floats; the ADC reference reads 3.033129 (fixture value) */
static const struct expect expect_04_02[] = {
	E(CELL_COUNT, 16), E(POWER_OFF_VOLTAGE, 3200),
	E(BALANCE_TRIGGER_DELTA, 8), E(MAX_BALANCE_CURRENT, 4500),
	E(VOLTAGE_CALIBRATION, 3033129), E(BALANCE_START_VOLTAGE, 4250),
	E(BALANCE_SWITCH, 1),
	END
};

/* device info of BLE-32S-12: CAN protocol 4, UART2 1 (UART1 0) */
static const struct expect expect_about_12[] = {
	E(UART1_PROTOCOL, 0), E(CAN_PROTOCOL, 4), E(UART2_PROTOCOL, 1),
	END
};

struct vector {
	const char *name;
	const char *hex;
	enum jk_variant variant;
	const struct expect *expect;
};

static const struct vector vectors[] = {
	{ "BLE-24S-04", settings_24s_04, V24, expect_24s_04 },
	{ "BLE-32S-09", settings_32s_09, V32, expect_32s_09 },
	{ "BLE-32S-12", settings_32s_12, V32, expect_32s_12 },
	{ "BLE-32S-13", settings_32s_13, V32, expect_32s_13 },
	{ "BLE-32S-14", settings_32s_14, V32, expect_32s_14 },
	{ "BLE-04-02", settings_04_02, V04, expect_04_02 },
	{ "BLE-32S-12 device info", about_32s_12, V32, expect_about_12 },
};

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

static int64_t ipow10(unsigned n)
{
	int64_t p = 1;

	while (n--)
		p *= 10;
	return p;
}

static void decode_hex(const struct vector *vec, uint8_t *frame,
		       struct setting_values *s)
{
	from_hex(vec->hex, frame, JK_FRAME_LEN);
	assert_int_equal(jk_frame_check(frame, JK_FRAME_LEN), 0);
	memset(s, 0, sizeof(*s));
	assert_int_equal(jk_settings_frame_decode(frame, vec->variant, s), 0);
}

static void test_vectors_decode(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *vec = &vectors[i];
		uint8_t frame[JK_FRAME_LEN];
		struct setting_values s;
		const struct expect *e;

		decode_hex(vec, frame, &s);
		for (e = vec->expect; e->id != SETTING__MAX; e++) {
			if (!bits_test(&s.set, e->id))
				fail_msg("%s: %s not decoded", vec->name,
					 settings_table[e->id].key);
			if (s.val[e->id] != e->value)
				fail_msg("%s: %s = %lld, want %lld", vec->name,
					 settings_table[e->id].key,
					 (long long)s.val[e->id],
					 (long long)e->value);
		}
	}
}

/* Exactly the settings whose read-back is in this frame, no others. */
static void test_only_own_source(void **state)
{
	size_t i;
	unsigned id;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *vec = &vectors[i];
		uint8_t frame[JK_FRAME_LEN];
		struct setting_values s;
		enum setting_source src;

		decode_hex(vec, frame, &s);
		src = frame[4] == JK_FRAME_SETTINGS ? SOURCE_SETTINGS :
						      SOURCE_DEVICE_INFO;
		for (id = 0; id < SETTING__MAX; id++) {
			const struct setting_place *p =
				&settings_table[id].place[vec->variant];

			assert_int_equal(bits_test(&s.set, id),
					 p->source == src);
		}
	}
}

static void assert_same(const struct setting_values *a,
			const struct setting_values *b, const char *name)
{
	unsigned id;

	for (id = 0; id < SETTING__MAX; id++) {
		if (bits_test(&a->set, id) != bits_test(&b->set, id))
			fail_msg("%s: %s set differs", name,
				 settings_table[id].key);
		if (bits_test(&a->set, id) && a->val[id] != b->val[id])
			fail_msg("%s: %s %lld became %lld", name,
				 settings_table[id].key, (long long)a->val[id],
				 (long long)b->val[id]);
	}
}

/* decode(encode(decode(frame))) == decode(frame) */
static void test_vectors_round_trip(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *vec = &vectors[i];
		uint8_t frame[JK_FRAME_LEN], again[JK_FRAME_LEN];
		struct setting_values s, t;
		size_t k;

		if (vec->hex == about_32s_12)
			continue;	/* device info: codec1's encoder */
		decode_hex(vec, frame, &s);
		assert_int_equal(jk_frame_encode_settings(&s, vec->variant,
							  frame[5], again), 0);
		assert_int_equal(jk_frame_check(again, JK_FRAME_LEN), 0);
		assert_int_equal(again[4], JK_FRAME_SETTINGS);
		assert_int_equal(again[5], frame[5]);
		memset(&t, 0, sizeof(t));
		assert_int_equal(jk_settings_frame_decode(again, vec->variant,
							  &t), 0);
		assert_same(&s, &t, vec->name);
		/* each value sits at the offset it was read from */
		for (k = 0; k < SETTING__MAX; k++) {
			const struct setting_place *p =
				&settings_table[k].place[vec->variant];
			size_t n = jk_wire_size(p->read_wire);

			if (p->source != SOURCE_SETTINGS || p->bit != 0xff)
				continue;
			assert_memory_equal(again + p->offset,
					    frame + p->offset, n);
		}
	}
}

/* Every read-back setting of each variant, at min, max and between. */
static void test_table_round_trip(void **state)
{
	int v, k;

	for (v = V24; v <= V04; v++) {
		for (k = 0; k < 3; k++) {
			struct setting_values s, t;
			uint8_t frame[JK_FRAME_LEN];
			unsigned id;

			memset(&s, 0, sizeof(s));
			for (id = 0; id < SETTING__MAX; id++) {
				const struct setting_desc *d =
					&settings_table[id];
				const struct setting_place *p = &d->place[v];
				int64_t unit = 1, x;
				int e;

				if (p->source != SOURCE_SETTINGS)
					continue;
				for (e = p->exp; e < 0; e++)
					unit *= 10;
				x = k == 0 ? d->min : k == 1 ? d->max :
					d->min + (d->max - d->min) / 3;
				if (p->read_wire == WIRE_U8 && x > 255)
					x = 255;
				/* a float holds 24 bits: stay near 1..5 V */
				if (p->read_wire == WIRE_F32 &&
				    x > 5 * ipow10(d->decimals))
					x = 5 * ipow10(d->decimals);
				s.val[id] = x / unit * unit;
				bits_set(&s.set, id);
			}
			assert_int_equal(jk_frame_encode_settings(&s,
					(enum jk_variant)v, 7, frame), 0);
			memset(&t, 0, sizeof(t));
			assert_int_equal(jk_settings_frame_decode(frame,
					(enum jk_variant)v, &t), 0);
			assert_same(&s, &t,
				    jk_variant_name((enum jk_variant)v));
		}
	}
}

/* The control bits share one word without disturbing each other. */
static void test_control_bits(void **state)
{
	struct setting_values s, t;
	uint8_t frame[JK_FRAME_LEN];
	unsigned id;

	memset(&s, 0, sizeof(s));
	for (id = SETTING_HEATING_SWITCH; id <= SETTING_GPS_LOCKED_DISCHARGING;
	     id++) {
		s.val[id] = (id % 3) == 0;
		bits_set(&s.set, id);
	}
	assert_int_equal(jk_frame_encode_settings(&s, V32, 0, frame), 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(jk_settings_frame_decode(frame, V32, &t), 0);
	for (id = SETTING_HEATING_SWITCH; id <= SETTING_GPS_LOCKED_DISCHARGING;
	     id++) {
		assert_true(bits_test(&t.set, id));
		assert_int_equal(t.val[id], (id % 3) == 0);
	}
	/* 0x3300 of BLE-32S-12 comes back as the same word */
	s.set = (struct bits){ { 0 } };
	for (id = SETTING_HEATING_SWITCH; id <= SETTING_GPS_LOCKED_DISCHARGING;
	     id++) {
		unsigned bit = settings_table[id].place[V32].bit;

		s.val[id] = (0x3300 >> bit) & 1;
		bits_set(&s.set, id);
	}
	assert_int_equal(jk_frame_encode_settings(&s, V32, 0, frame), 0);
	assert_int_equal(frame[282], 0x00);
	assert_int_equal(frame[283], 0x33);
}

static void test_jk04_mark(void **state)
{
	struct setting_values s;
	uint8_t frame[JK_FRAME_LEN];

	memset(&s, 0, sizeof(s));
	assert_int_equal(jk_frame_encode_settings(&s, V04, 0, frame), 0);
	/* float 1.0 at 6: how a JK04 settings frame is recognised (1.5) */
	assert_memory_equal(frame + 6, "\x00\x00\x80\x3F", 4);
	assert_int_equal(jk_variant_from_frame(frame, JK_FRAME_LEN), V04);
}

static void test_errors(void **state)
{
	struct setting_values s;
	uint8_t frame[JK_FRAME_LEN];

	memset(&s, 0, sizeof(s));
	assert_int_equal(jk_frame_encode_settings(&s, JK_VARIANT_SERIAL, 0,
						  frame), -EINVAL);
	assert_int_equal(jk_frame_encode_settings(&s, JK_VARIANT_AUTO, 0,
						  frame), -EINVAL);
	assert_int_equal(jk_frame_encode_settings(&s, V32, 0, frame), 0);
	assert_int_equal(jk_settings_frame_decode(frame, JK_VARIANT_CAN, &s),
			 -EINVAL);
	frame[4] = JK_FRAME_CELL_INFO;
	assert_int_equal(jk_settings_frame_decode(frame, V32, &s), -EPROTO);
	frame[4] = JK_FRAME_LOGBOOK;
	assert_int_equal(jk_settings_frame_decode(frame, V32, &s), -EPROTO);

	/* values the frame cannot carry are refused, not truncated */
	bits_set(&s.set, SETTING_HEATING_START_TEMPERATURE);
	/* 3.5 C: the s8 holds whole degrees */
	s.val[SETTING_HEATING_START_TEMPERATURE] = 35;
	assert_int_equal(jk_frame_encode_settings(&s, V32, 0, frame), -EINVAL);
	s.val[SETTING_HEATING_START_TEMPERATURE] = 2000;
	assert_int_equal(jk_frame_encode_settings(&s, V32, 0, frame), -EINVAL);
	s.val[SETTING_HEATING_START_TEMPERATURE] = -400;
	assert_int_equal(jk_frame_encode_settings(&s, V32, 0, frame), 0);
	assert_int_equal(frame[284], 0xD8);

	/* a NaN float reads back as unset, not as garbage */
	memset(&s, 0, sizeof(s));
	bits_set(&s.set, SETTING_POWER_OFF_VOLTAGE);
	s.val[SETTING_POWER_OFF_VOLTAGE] = 3200;
	assert_int_equal(jk_frame_encode_settings(&s, V04, 0, frame), 0);
	memcpy(frame + 38, "\x00\x00\xC0\x7F", 4);
	memset(&s, 0, sizeof(s));
	assert_int_equal(jk_settings_frame_decode(frame, V04, &s), 0);
	assert_false(bits_test(&s.set, SETTING_POWER_OFF_VOLTAGE));
	assert_true(bits_test(&s.set, SETTING_MAX_BALANCE_CURRENT));
}

/* Through the public decoder: codec1's dispatcher reaches this file. */
static void test_frame_decode(void **state)
{
	static struct jk_decoded d;
	uint8_t frame[JK_FRAME_LEN];

	from_hex(settings_32s_09, frame, JK_FRAME_LEN);
	assert_int_equal(jk_frame_decode(frame, JK_FRAME_LEN, V32, &d), 0);
	assert_int_equal(d.type, JK_FRAME_SETTINGS);
	assert_true(bits_test(&d.settings.set, SETTING_CELL_UVP));
	assert_int_equal(d.settings.val[SETTING_CELL_UVP], 2950);
	from_hex(about_32s_12, frame, JK_FRAME_LEN);
	assert_int_equal(jk_frame_decode(frame, JK_FRAME_LEN, V32, &d), 0);
	assert_int_equal(d.type, JK_FRAME_DEVICE_INFO);
	assert_true(bits_test(&d.settings.set, SETTING_CAN_PROTOCOL));
	assert_int_equal(d.settings.val[SETTING_CAN_PROTOCOL], 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_decode),
		cmocka_unit_test(test_only_own_source),
		cmocka_unit_test(test_vectors_round_trip),
		cmocka_unit_test(test_table_round_trip),
		cmocka_unit_test(test_control_bits),
		cmocka_unit_test(test_jk04_mark),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_frame_decode),
	};

	return cmocka_run_group_tests_name("settings-frame", tests, NULL, NULL);
}
