/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The settings table: keys (a contract), ranges, and every place checked
 * for consistency and against real frames: settings read back from the
 * captured settings / device-info / serial frames of vectors/README.md,
 * and command frames of section G rebuilt from the places (and decoded
 * back through them). The little encoder and readers here are written
 * from protocols.md, independently of src/codec, so the table is checked
 * against the captures and not against itself.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/settings.h"
#include "jkbms/variant.h"

#define N_PLACES (JK_VARIANT_SERIAL + 1)

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

static size_t hex_decode(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned hi, lo;

	for (; hex[0] && hex[1] && n < max; hex += 2) {
		hi = (unsigned)(hex[0] <= '9' ? hex[0] - '0'
					      : hex[0] - 'A' + 10);
		lo = (unsigned)(hex[1] <= '9' ? hex[1] - '0'
					      : hex[1] - 'A' + 10);
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	return n;
}

static unsigned wire_width(enum wire_type w)
{
	switch (w) {
	case WIRE_NONE:
		return 0;
	case WIRE_U8:
	case WIRE_S8:
		return 1;
	case WIRE_U16:
	case WIRE_S16:
		return 2;
	case WIRE_U32:
	case WIRE_S32:
	case WIRE_F32:
		return 4;
	}
	return 99;
}

static bool wire_signed(enum wire_type w)
{
	return w == WIRE_S8 || w == WIRE_S16 || w == WIRE_S32;
}

static int64_t pow10i(unsigned n)
{
	int64_t p = 1;

	while (n--)
		p *= 10;
	return p;
}

static int64_t round_f(double x)
{
	return (int64_t)(x < 0 ? x - 0.5 : x + 0.5);
}

/* An integer of width w at b, little- or big-endian, sign-extended. */
static int64_t get_int(const uint8_t *b, enum wire_type w, bool big)
{
	unsigned n = wire_width(w), i;
	uint64_t u = 0;

	for (i = 0; i < n; i++)
		u |= (uint64_t)b[big ? n - 1 - i : i] << (8 * i);
	if (wire_signed(w) && (u >> (8 * n - 1) & 1))
		u |= ~UINT64_C(0) << (8 * n);
	return (int64_t)u;
}

/* Wire integer back to the table's scaled value (value = wire / 10^exp). */
static int64_t unscale(int64_t wire, int exp)
{
	return exp >= 0 ? wire / pow10i((unsigned)exp)
			: wire * pow10i((unsigned)-exp);
}

static int64_t read_value(const uint8_t *b, const struct setting_place *p,
			  enum setting_id id, bool big)
{
	uint32_t u;
	float f;

	if (p->read_wire == WIRE_F32) {
		u = (uint32_t)get_int(b, WIRE_U32, false);
		memcpy(&f, &u, sizeof(f));
		return round_f((double)f *
			       (double)pow10i(settings_table[id].decimals));
	}
	if (p->bit != 0xff)
		return get_int(b, p->read_wire, big) >> p->bit & 1;
	return unscale(get_int(b, p->read_wire, big), p->exp);
}

/* BLE-24S-04 SETTINGS + C8 ack */
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

/* BLE-32S-01 DEVICE_INFO */
static const char info_32s_01[] =
	"55AAEB90036B4A4B5F5042324131365331355000000031342E58410000003134"
	"2E323000000088A30100940000004A4B5F504232413136533135500000003132"
	"3334000000000000000000000000323331313138000033303932353732313334"
	"003030303000496E707574205573657264617461000031323334353700000000"
	"000000000000496E7075742055736572646174610000FEFFFFFFAFE901020000"
	"0000901F00000000C0D8E7FE1F00000100000000000000000104CF0300000000"
	"00000000000000000000DF0700000000000000000000000000000B0000000000"
	"00000000000000000000000B00010000000000000000090000000B0000000000"
	"000000000000805100000A5001000000000000000000000000000000000000FE"
	"9FE9FE0300000000000000DE";

/* BLE-32S-03 DEVICE_INFO */
static const char info_32s_03[] =
	"55AAEB9003A54A4B5F5042324131365331355000000031354100000000003135"
	"2E3338000000884B76011D0000004A4B5F5042324131366E6577000000003132"
	"3334000000000000000000000000323430353136000034303131303438303532"
	"3000303030000000000000000000000000000000000031323334353700000000"
	"00000000000000000000000000000000000000000000FEFFFFFF8FE91D020000"
	"0000901F00000000C0D8E7FE3F00000100000000000000000004FF6700000000"
	"00000000000000000000FF0F00000000000000000000000000000F0000000000"
	"00000000000000000000000B000128000000230000000A0000000F0000000000"
	"000000000000100E00000850011E0000000000000000000000000000000000FE"
	"9FE9FF0F000000000000004B";

/* BLE-32S-06 dev */
static const char info_32s_06[] =
	"55AAEB9003214A4B5F5042324131365332305000000031354100000000003135"
	"2E33380000002048010005000000343130313834393235353500500000003132"
	"3334000000000000000000000000323530323130000034313031383439323535"
	"3500303030004A4B2D424D530000000000000000000037313230330000000000"
	"0000000000004A4B2D424D5300000000000000000000FEFFFFFF8FE91D020000"
	"0000901F00000000C0D8E7FE3F00000100000000000000000002FF6700000000"
	"00000000000000000000FF0F000000000000000000000000000001FF67000000"
	"0000000000000000000009080001640000005F0000003C000000320000000000"
	"000000000000100E00000A50011E0000000000000000000000000000000000FE"
	"9FE9FF0F00000000000000F1";

/* BLE-32S-09 SETTINGS */
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

/* BLE-32S-14 SETTINGS */
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

/* BLE-04-02 SETTINGS */
static const char settings_jk04_02[] =
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

/* SER-01 response */
static const char serial_01[] =
	"4E57011B00000000060001792A010EED020EFA030EF7040EEC050EF8060EFA07"
	"0EF1080EF8090EE30A0EFA0B0EF10C0EFB0D0EFB0E0EF280001D81001E82001C"
	"8314EF8480D0850F860287000489000000008A000E8B00008C00078E16268F10"
	"AE900FD2910FA0920005930BEA940C1C95000596012C9700079800039900059A"
	"00059B0CE49C00089D019E005A9F0046A00064A10064A20014A30046A40046A5"
	"FFECA6FFF6A7FFECA8FFF6A90EAA0000000EAB01AC01AD0411AE01AF01B0000A"
	"B114B231323334353600000000B300B4496E707574205573B532313031B60000"
	"E200B748362E585F5F53362E312E33535F5FB800B900000000BA425433303732"
	"303230313230303030323030353231303031C0010000000068000054D1";

/* SER-02 response */
static const char serial_02[] =
	"4E57011B00000000030001792A010F90020F91030F94040F8E050F92060F9107"
	"0F91080F91090F930A0F8E0B0F910C0F900D0F900E0F8D80002181001C82001E"
	"8315CA8481C58564860287001989000016DA8A000E8B00008C00038E16B28F10"
	"F4901036911004920005930C1C940C8095000596012C97006E98012C9900559A"
	"001E9B0BB89C00329D019E005A9F0046A00064A10064A20014A3003CA4003CA5"
	"0001A60003A7FFECA8FFF6A90EAA000000EAAB01AC01AD0437AE01AF01B0000A"
	"B114B231323334353600000000B300B4496E707574205573B532333036B60001"
	"82E3B731312E58575F5331312E3236315F5FB800B9000000EABA496E70757420"
	"5573657264614A4B5F423141323053313550C0010000000068000051D6";

/* SER-05 response */
static const char serial_05[] =
	"4E570106000000000600017915010ED2020ED2030ED2040ED2050EDB060EDB07"
	"0EDB80001C81001C82001C830A62840000855A860287000089000000058A0007"
	"8B00008C00038E0B7C8F07B6901068911054920003930B04940B229500039601"
	"2C9700C898012C9900199A001E9B0BB89C000A9D019E00649F0050A00046A100"
	"3CA20014A30046A40046A5FFECA6FFF6A7FFECA8FFF6A907AA00000075AB01AC"
	"01AD03CCAE01AF01B0000AB114B231323334353600000000B300B4496E707574"
	"205573B532343037B600000819B731312E58415F5331312E35315F5F5FB800B9"
	"00000075BA496E707574205573657264614A4B5F423141385332305000C00100"
	"0000006800004D89";

static void test_keys(void **state)
{
	int i, j;

	for (i = 0; i < SETTING__MAX; i++) {
		assert_non_null(settings_table[i].key);
		assert_non_null(settings_table[i].label);
		assert_true(is_snake(settings_table[i].key));
		assert_int_equal(setting_from_key(settings_table[i].key), i);
		for (j = i + 1; j < SETTING__MAX; j++)
			assert_string_not_equal(settings_table[i].key,
						settings_table[j].key);
	}
	assert_int_equal(setting_from_key("no_such_setting"), -ENOENT);
	assert_int_equal(setting_from_key(NULL), -ENOENT);
	assert_int_equal(setting_from_key("CELL_UVP"), -ENOENT);
}

/* DESIGN "Names that leave the process": the settings list, exactly. */
static const char *const design_keys[] = {
	"cell_uvp",
	"cell_uvpr",
	"cell_ovp",
	"cell_ovpr",
	"power_off_voltage",
	"balance_trigger_delta",
	"balance_start_voltage",
	"max_balance_current",
	"max_charge_current",
	"charge_ocp_delay",
	"charge_ocp_release",
	"max_discharge_current",
	"discharge_ocp_delay",
	"discharge_ocp_release",
	"scp_release",
	"charge_otp",
	"charge_otp_release",
	"discharge_otp",
	"discharge_otp_release",
	"charge_utp",
	"charge_utp_release",
	"mos_otp",
	"mos_otp_release",
	"cell_count",
	"capacity",
	"charge_switch",
	"discharge_switch",
	"balance_switch",
};

static void test_design_keys(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(design_keys) / sizeof(design_keys[0]); i++)
		assert_true(setting_from_key(design_keys[i]) >= 0);
}

/* Units and decimals by one habit; ranges well-formed. */
static void test_units_and_ranges(void **state)
{
	const struct setting_desc *d;
	int i, n;

	for (i = 0; i < SETTING__MAX; i++) {
		d = &settings_table[i];
		assert_true(d->min <= d->max);
		assert_true(d->step >= 1);
		assert_int_equal(d->min % d->step, 0);
		assert_int_equal((d->max - d->min) % d->step, 0);
		if (d->unit && !strcmp(d->unit, "V"))
			/* JK04's float Vref has microvolts (CMD-04) */
			assert_int_equal(d->decimals,
					 i == SETTING_VOLTAGE_CALIBRATION ? 6
									  : 3);
		else if (d->unit && !strcmp(d->unit, "A"))
			assert_int_equal(d->decimals, 3);
		else if (d->unit && !strcmp(d->unit, "Ah"))
			assert_int_equal(d->decimals, 3);
		else if (d->unit && !strcmp(d->unit, "°C"))
			assert_int_equal(d->decimals, 1);
		else
			assert_int_equal(d->decimals, 0);
		switch (d->kind) {
		case SETTING_KIND_SWITCH:
			assert_int_equal(d->min, 0);
			assert_int_equal(d->max, 1);
			assert_null(d->unit);
			break;
		case SETTING_KIND_SELECT:
			assert_non_null(d->options);
			for (n = 0; d->options[n]; n++)
				assert_true(is_snake(d->options[n]));
			assert_int_equal(d->min, 0);
			assert_int_equal(d->max, n - 1);
			break;
		case SETTING_KIND_BUTTON:
			assert_null(d->unit);
			assert_null(d->options);
			break;
		case SETTING_KIND_NUMBER:
			assert_null(d->options);
			break;
		}
		if (d->kind != SETTING_KIND_SELECT)
			assert_null(d->options);
	}
	/* manual: 1-5 V cells, a 5 A balancer, fixed MOS limits */
	assert_int_equal(settings_table[SETTING_CELL_OVP].min, 1000);
	assert_int_equal(settings_table[SETTING_CELL_OVP].max, 5000);
	assert_int_equal(settings_table[SETTING_MAX_BALANCE_CURRENT].max, 5000);
	assert_int_equal(settings_table[SETTING_CELL_COUNT].max, 32);
	assert_true(settings_table[SETTING_MOS_OTP].flags & S_READONLY);
	assert_true(settings_table[SETTING_MOS_OTP_RELEASE].flags & S_READONLY);
	assert_true(settings_table[SETTING_FACTORY_RESET].flags & S_DANGEROUS);
	assert_true(settings_table[SETTING_SHUTDOWN].flags & S_DANGEROUS);
	assert_true(settings_table[SETTING_PRESET_LFP].flags & S_DANGEROUS);
	assert_true(settings_table[SETTING_PRESET_LIION].flags & S_DANGEROUS);
	assert_true(settings_table[SETTING_PRESET_LTO].flags & S_DANGEROUS);
	assert_false(settings_table[SETTING_CELL_OVP].flags &
		     (S_READONLY | S_DANGEROUS));
}

static void test_places_consistent(void **state)
{
	const struct setting_desc *d;
	const struct setting_place *p;
	int i, v, n;

	for (i = 0; i < SETTING__MAX; i++) {
		d = &settings_table[i];
		for (v = 0; v < N_PLACES; v++) {
			p = &d->place[v];
			if (p->reg == 0 && p->source == SOURCE_NONE) {
				assert_false(setting_on_variant(i, v));
				assert_int_equal(p->len, 0);
				continue;
			}
			assert_true(setting_on_variant(i, v));
			assert_ptr_equal(setting_get_place(i, v), p);
			assert_int_not_equal(p->reg, 0);
			assert_int_equal(p->len, wire_width(p->wire));
			if (d->kind == SETTING_KIND_BUTTON) {
				assert_int_equal(p->wire, WIRE_NONE);
				assert_int_equal(p->source, SOURCE_NONE);
			} else {
				assert_int_not_equal(p->wire, WIRE_NONE);
			}
			if (p->source == SOURCE_NONE) {
				assert_int_equal(p->read_wire, WIRE_NONE);
				assert_int_equal(p->offset, 0);
			} else {
				assert_int_not_equal(p->read_wire, WIRE_NONE);
			}
			if (p->bit != 0xff) {
				assert_int_equal(d->kind, SETTING_KIND_SWITCH);
				assert_true(p->bit <
					    8 * wire_width(p->read_wire));
				assert_int_not_equal(p->read_wire, WIRE_F32);
			}
			if (p->wire == WIRE_F32 || p->read_wire == WIRE_F32 ||
			    d->kind == SETTING_KIND_SWITCH ||
			    d->kind == SETTING_KIND_SELECT)
				assert_int_equal(p->exp, 0);
			if (v == JK_VARIANT_SERIAL) {
				/* the record of the same data ID */
				assert_int_equal(p->offset, p->reg);
				assert_int_equal(p->read_wire, p->wire);
				assert_int_equal(p->source, SOURCE_SETTINGS);
			} else if (p->source != SOURCE_NONE) {
				/* inside a 300-byte frame, after the header */
				assert_true(p->offset >= 6);
				n = (int)wire_width(p->read_wire);
				assert_true(p->offset + n <= 299);
			}
			if (v == JK_VARIANT_JK04 &&
			    d->kind == SETTING_KIND_NUMBER &&
			    i != SETTING_CELL_COUNT)
				assert_int_equal(p->wire, WIRE_F32);
			if (v != JK_VARIANT_JK04) {
				assert_int_not_equal(p->wire, WIRE_F32);
				assert_int_not_equal(p->read_wire, WIRE_F32);
			}
		}
	}
}

/* One register per setting and one read-back slot per setting. */
static void test_places_unique(void **state)
{
	const struct setting_place *a, *b;
	int i, j, v;

	for (v = 0; v < N_PLACES; v++) {
		for (i = 0; i < SETTING__MAX; i++) {
			a = &settings_table[i].place[v];
			if (!setting_on_variant(i, v))
				continue;
			for (j = i + 1; j < SETTING__MAX; j++) {
				b = &settings_table[j].place[v];
				if (!setting_on_variant(j, v))
					continue;
				assert_int_not_equal(a->reg, b->reg);
				if (a->source == SOURCE_NONE ||
				    a->source != b->source)
					continue;
				if (a->offset == b->offset)
					assert_int_not_equal(a->bit, b->bit);
			}
		}
	}
}

static void test_variants(void **state)
{
	int i;

	for (i = 0; i < SETTING__MAX; i++) {
		assert_false(setting_on_variant(i, JK_VARIANT_CAN));
		assert_false(setting_on_variant(i, JK_VARIANT_AUTO));
		assert_false(setting_on_variant(i, JK_VARIANT__MAX));
		/* PB Modbus: what the 32S frames hold */
		assert_int_equal(
			setting_on_variant(i, JK_VARIANT_PB_MODBUS),
			settings_table[i].place[JK_VARIANT_JK02_32S].source !=
				SOURCE_NONE);
		if (setting_on_variant(i, JK_VARIANT_PB_MODBUS))
			assert_ptr_equal(
				setting_get_place(i, JK_VARIANT_PB_MODBUS),
				&settings_table[i].place[JK_VARIANT_JK02_32S]);
	}
	assert_false(setting_on_variant(SETTING__MAX, JK_VARIANT_JK02_32S));
	assert_false(
		setting_on_variant((enum setting_id) - 1, JK_VARIANT_JK02_32S));
	assert_true(setting_on_variant(SETTING_CELL_OVP, JK_VARIANT_JK02_24S));
	assert_false(setting_on_variant(SETTING_SOC_100_VOLTAGE,
					JK_VARIANT_JK02_24S));
	assert_true(
		setting_on_variant(SETTING_BALANCE_SWITCH, JK_VARIANT_JK04));
	assert_false(setting_on_variant(SETTING_CELL_OVP, JK_VARIANT_JK04));
	assert_true(
		setting_on_variant(SETTING_CHARGE_SWITCH, JK_VARIANT_SERIAL));
	assert_false(setting_on_variant(SETTING_FACTORY_RESET,
					JK_VARIANT_PB_MODBUS));
}

struct expect {
	enum setting_id id;
	int64_t value;
};

#define END                     \
	{                       \
		SETTING__MAX, 0 \
	}

static void check_frame(const char *hex, enum jk_variant v,
			enum setting_source source, const struct expect *e)
{
	const struct setting_place *p;
	uint8_t frame[300];

	assert_int_equal(hex_decode(hex, frame, sizeof(frame)), 300);
	assert_int_equal(frame[4], source == SOURCE_SETTINGS ? 0x01 : 0x03);
	for (; e->id != SETTING__MAX; e++) {
		p = setting_get_place(e->id, v);
		assert_non_null(p);
		assert_int_equal(p->source, source);
		if (read_value(frame + p->offset, p, e->id, false) != e->value)
			fail_msg("%s: read %lld, want %lld",
				 settings_table[e->id].key,
				 (long long)read_value(frame + p->offset, p,
						       e->id, false),
				 (long long)e->value);
	}
}

/* BLE-24S-04, values "decoded by us" and batmon's switches. */
static void test_frame_24s(void **state)
{
	static const struct expect e[] = {
		{ SETTING_CELL_COUNT, 8 },
		{ SETTING_SMART_SLEEP_VOLTAGE, 600 },
		{ SETTING_CELL_UVP, 2600 },
		{ SETTING_CELL_UVPR, 2650 },
		{ SETTING_CELL_OVP, 3500 },
		{ SETTING_CELL_OVPR, 3350 },
		{ SETTING_BALANCE_TRIGGER_DELTA, 10 },
		{ SETTING_POWER_OFF_VOLTAGE, 2500 },
		{ SETTING_MAX_CHARGE_CURRENT, 100000 },
		{ SETTING_CHARGE_OCP_DELAY, 30 },
		{ SETTING_CHARGE_OCP_RELEASE, 60 },
		{ SETTING_MAX_DISCHARGE_CURRENT, 120000 },
		{ SETTING_DISCHARGE_OCP_DELAY, 300 },
		{ SETTING_DISCHARGE_OCP_RELEASE, 60 },
		{ SETTING_SCP_RELEASE, 60 },
		{ SETTING_MAX_BALANCE_CURRENT, 2000 },
		{ SETTING_CHARGE_OTP, 420 },
		{ SETTING_CHARGE_OTP_RELEASE, 400 },
		{ SETTING_DISCHARGE_OTP, 420 },
		{ SETTING_DISCHARGE_OTP_RELEASE, 400 },
		{ SETTING_CHARGE_UTP, 0 },
		{ SETTING_CHARGE_UTP_RELEASE, 50 },
		{ SETTING_MOS_OTP, 900 },
		{ SETTING_MOS_OTP_RELEASE, 700 },
		{ SETTING_CAPACITY, 275000 },
		{ SETTING_SCP_DELAY, 1500 },
		{ SETTING_BALANCE_START_VOLTAGE, 3000 },
		{ SETTING_CHARGE_SWITCH, 1 },
		{ SETTING_DISCHARGE_SWITCH, 1 },
		{ SETTING_BALANCE_SWITCH, 1 },
		END,
	};

	check_frame(settings_24s_04, JK_VARIANT_JK02_24S, SOURCE_SETTINGS, e);
}

/* BLE-32S-09 (batmon issue #365) and BLE-32S-14 (PB 14.20 app session). */
static void test_frame_32s(void **state)
{
	static const struct expect e09[] = {
		{ SETTING_CELL_COUNT, 4 },
		{ SETTING_CELL_UVP, 2950 },
		{ SETTING_CELL_UVPR, 3100 },
		{ SETTING_CELL_OVP, 3450 },
		{ SETTING_CELL_OVPR, 3400 },
		{ SETTING_BALANCE_TRIGGER_DELTA, 10 },
		{ SETTING_SOC_100_VOLTAGE, 3440 },
		{ SETTING_SOC_0_VOLTAGE, 3000 },
		{ SETTING_MAX_CHARGE_CURRENT, 150000 },
		{ SETTING_MAX_DISCHARGE_CURRENT, 150000 },
		{ SETTING_CHARGE_UTP, -200 },
		{ SETTING_CHARGE_UTP_RELEASE, -100 },
		{ SETTING_MOS_OTP, 1000 },
		{ SETTING_MOS_OTP_RELEASE, 800 },
		{ SETTING_CAPACITY, 320000 },
		{ SETTING_SCP_DELAY, 1500 },
		{ SETTING_BALANCE_START_VOLTAGE, 3350 },
		{ SETTING_HEATING_START_TEMPERATURE, 600 },
		{ SETTING_HEATING_STOP_TEMPERATURE, 500 },
		{ SETTING_SMART_SLEEP_TIME, 24 },
		{ SETTING_CHARGE_SWITCH, 1 },
		{ SETTING_DISCHARGE_SWITCH, 1 },
		{ SETTING_BALANCE_SWITCH, 1 },
		END,
	};
	static const struct expect e14[] = {
		{ SETTING_CELL_COUNT, 16 },
		{ SETTING_CELL_UVP, 2800 },
		{ SETTING_CELL_UVPR, 2999 },
		{ SETTING_CELL_OVP, 3649 },
		{ SETTING_CELL_OVPR, 3449 },
		{ SETTING_BALANCE_TRIGGER_DELTA, 3 },
		{ SETTING_SOC_100_VOLTAGE, 3450 },
		{ SETTING_SOC_0_VOLTAGE, 2801 },
		{ SETTING_CHARGE_VOLTAGE_REQUEST, 3459 },
		{ SETTING_FLOAT_VOLTAGE_REQUEST, 3400 },
		{ SETTING_MAX_CHARGE_CURRENT, 52000 },
		{ SETTING_MAX_DISCHARGE_CURRENT, 52000 },
		{ SETTING_CAPACITY, 2000 },
		{ SETTING_BALANCE_START_VOLTAGE, 3450 },
		{ SETTING_PRECHARGE_TIME, 5 },
		END,
	};

	check_frame(settings_32s_09, JK_VARIANT_JK02_32S, SOURCE_SETTINGS, e09);
	check_frame(settings_32s_14, JK_VARIANT_JK02_32S, SOURCE_SETTINGS, e14);
	/* the same layout serves PB Modbus */
	check_frame(settings_32s_14, JK_VARIANT_PB_MODBUS, SOURCE_SETTINGS,
		    e14);
}

/* BLE-32S-01/03/06: protocol indexes in device info. */
static void test_frame_32s_info(void **state)
{
	static const struct expect e01[] = {
		{ SETTING_UART1_PROTOCOL, 1 },
		{ SETTING_CAN_PROTOCOL, 4 },
		{ SETTING_UART2_PROTOCOL, 11 },
		END,
	};
	static const struct expect e03[] = {
		{ SETTING_CAN_PROTOCOL, 4 },
		{ SETTING_UART2_PROTOCOL, 15 },
		END,
	};
	static const struct expect e06[] = {
		{ SETTING_CAN_PROTOCOL, 2 },
		{ SETTING_UART2_PROTOCOL, 1 },
		END,
	};

	check_frame(info_32s_01, JK_VARIANT_JK02_32S, SOURCE_DEVICE_INFO, e01);
	check_frame(info_32s_03, JK_VARIANT_JK02_32S, SOURCE_DEVICE_INFO, e03);
	check_frame(info_32s_06, JK_VARIANT_JK02_32S, SOURCE_DEVICE_INFO, e06);
}

/* BLE-04-02, esphome's assertions. */
static void test_frame_jk04(void **state)
{
	static const struct expect e[] = {
		{ SETTING_CELL_COUNT, 16 },
		{ SETTING_POWER_OFF_VOLTAGE, 3200 },
		{ SETTING_BALANCE_TRIGGER_DELTA, 8 },
		{ SETTING_MAX_BALANCE_CURRENT, 4500 },
		{ SETTING_VOLTAGE_CALIBRATION, 3033129 },
		{ SETTING_BALANCE_START_VOLTAGE, 4250 },
		{ SETTING_BALANCE_SWITCH, 1 },
		END,
	};

	check_frame(settings_jk04_02, JK_VARIANT_JK04, SOURCE_SETTINGS, e);
}

/* Record widths of the "4E 57" data IDs (protocols.md 3.2). */
static int serial_width(const uint8_t *rec)
{
	switch (rec[0]) {
	case 0x79:
		return 1 + rec[1];
	case 0x85:
	case 0x86:
	case 0x9D:
	case 0xA9:
	case 0xAB:
	case 0xAC:
	case 0xAE:
	case 0xAF:
	case 0xB1:
	case 0xB3:
	case 0xB8:
	case 0xBB:
	case 0xBC:
	case 0xBD:
	case 0xC0:
		return 1;
	case 0x89:
	case 0xAA:
	case 0xB5:
	case 0xB6:
	case 0xB9:
		return 4;
	case 0xB2:
		return 10;
	case 0xB4:
		return 8;
	case 0xB7:
		return 15;
	case 0xBA:
		return 24;
	default:
		if ((rec[0] >= 0x80 && rec[0] <= 0xA8) || rec[0] == 0xAD ||
		    rec[0] == 0xB0 || rec[0] == 0xBE || rec[0] == 0xBF)
			return 2;
		return -1;
	}
}

static void check_serial(const char *hex, const struct expect *e)
{
	const struct setting_place *p;
	uint8_t frame[400];
	size_t len = hex_decode(hex, frame, sizeof(frame)), off;
	int w, found;

	assert_true(len > 20);
	for (; e->id != SETTING__MAX; e++) {
		p = setting_get_place(e->id, JK_VARIANT_SERIAL);
		assert_non_null(p);
		found = 0;
		/* records from byte 11 up to the record number (3.1) */
		for (off = 11; off < len - 9; off += 1 + (size_t)w) {
			w = serial_width(frame + off);
			assert_true(w > 0);
			if (frame[off] != p->offset)
				continue;
			assert_int_equal(w, p->len);
			assert_int_equal(
				read_value(frame + off + 1, p, e->id, true),
				e->value);
			found = 1;
		}
		if (!found)
			fail_msg("%s: no record 0x%02X",
				 settings_table[e->id].key, p->offset);
	}
}

/* SER-01 (esphome 14S), SER-02 (mpp-solar), SER-05 (jkbms-esp32). */
static void test_frame_serial(void **state)
{
	static const struct expect e01[] = {
		{ SETTING_CELL_OVP, 4050 },
		{ SETTING_CELL_OVPR, 4000 },
		{ SETTING_CELL_UVP, 3050 },
		{ SETTING_CELL_UVPR, 3100 },
		{ SETTING_MAX_DISCHARGE_CURRENT, 7000 },
		{ SETTING_DISCHARGE_OCP_DELAY, 3 },
		{ SETTING_MAX_CHARGE_CURRENT, 5000 },
		{ SETTING_CHARGE_OCP_DELAY, 5 },
		{ SETTING_BALANCE_START_VOLTAGE, 3300 },
		{ SETTING_BALANCE_TRIGGER_DELTA, 8 },
		{ SETTING_BALANCE_SWITCH, 1 },
		{ SETTING_MOS_OTP, 900 },
		{ SETTING_MOS_OTP_RELEASE, 700 },
		{ SETTING_CHARGE_OTP, 700 },
		{ SETTING_DISCHARGE_OTP, 700 },
		{ SETTING_CHARGE_UTP, -200 },
		{ SETTING_CHARGE_UTP_RELEASE, -100 },
		{ SETTING_DISCHARGE_UTP, -200 },
		{ SETTING_DISCHARGE_UTP_RELEASE, -100 },
		{ SETTING_CELL_COUNT, 14 },
		{ SETTING_CAPACITY, 14000 },
		{ SETTING_CHARGE_SWITCH, 1 },
		{ SETTING_DISCHARGE_SWITCH, 1 },
		{ SETTING_CURRENT_CALIBRATION, 1041 },
		END,
	};
	static const struct expect e02[] = {
		{ SETTING_BALANCE_SWITCH, 1 },
		{ SETTING_CHARGE_UTP, 10 },
		{ SETTING_CHARGE_UTP_RELEASE, 30 },
		{ SETTING_CAPACITY, 234000 },
		{ SETTING_CELL_COUNT, 14 },
		{ SETTING_CHARGE_SWITCH, 1 },
		{ SETTING_DISCHARGE_SWITCH, 1 },
		END,
	};
	static const struct expect e05[] = {
		{ SETTING_CELL_OVP, 4200 },
		{ SETTING_CELL_UVP, 2820 },
		{ SETTING_CAPACITY, 117000 },
		END,
	};

	check_serial(serial_01, e01);
	check_serial(serial_02, e02);
	check_serial(serial_05, e05);
}

/* Section G: write commands. exact: zero filler, all 20 bytes compare. */
static const struct cmd_vector {
	const char *hex;
	enum jk_variant v;
	enum setting_id id;
	int64_t value;
	bool exact;
} cmd_vectors[] = {
	/* CMD-02, mpp-solar (24S register map) */
	{ "AA5590EB0404420E0000000000000000000000D2", JK_VARIANT_JK02_24S,
	  SETTING_CELL_OVP, 3650, true },
	{ "AA5590EB1D04010000000000000000000000009C", JK_VARIANT_JK02_24S,
	  SETTING_CHARGE_SWITCH, 1, true },
	{ "AA5590EB1D04000000000000000000000000009B", JK_VARIANT_JK02_24S,
	  SETTING_CHARGE_SWITCH, 0, true },
	{ "AA5590EB1E04010000000000000000000000009D", JK_VARIANT_JK02_24S,
	  SETTING_DISCHARGE_SWITCH, 1, true },
	{ "AA5590EB1E04000000000000000000000000009C", JK_VARIANT_JK02_24S,
	  SETTING_DISCHARGE_SWITCH, 0, true },
	{ "AA5590EB2604C409000023B2CD312D28F26B04FA", JK_VARIANT_JK02_24S,
	  SETTING_BALANCE_START_VOLTAGE, 2500, false },
	/* CMD-03, esphome JK02_32S */
	{ "AA5590EB310401000000000000000000000000B0", JK_VARIANT_JK02_32S,
	  SETTING_EMERGENCY_TRIGGER, 1, true },
	{ "AA5590EB310400000000000000000000000000AF", JK_VARIANT_JK02_32S,
	  SETTING_EMERGENCY_TRIGGER, 0, true },
	{ "AA5590EB320401000000000000000000000000B1", JK_VARIANT_JK02_32S,
	  SETTING_DRY_CONTACT_INTERMITTENT, 1, true },
	{ "AA5590EB330400000000000000000000000000B1", JK_VARIANT_JK02_32S,
	  SETTING_DISCHARGE_OCP2, 0, true },
	{ "AA5590EB340401000000000000000000000000B3", JK_VARIANT_JK02_32S,
	  SETTING_DISCHARGE_OCP3, 1, true },
	{ "AA5590EB350401000000000000000000000000B4", JK_VARIANT_JK02_32S,
	  SETTING_GPS_LOCKED_CHARGING, 1, true },
	{ "AA5590EB360401000000000000000000000000B5", JK_VARIANT_JK02_32S,
	  SETTING_GPS_LOCKED_DISCHARGING, 1, true },
	{ "AA5590EB2A0400000000000000000000000000A8", JK_VARIANT_JK02_32S,
	  SETTING_PORT_RS485, 0, true },
	{ "AA5590EB2A0401000000000000000000000000A9", JK_VARIANT_JK02_32S,
	  SETTING_PORT_RS485, 1, true },
	{ "AA5590EB390117000000000000000000000000CB", JK_VARIANT_JK02_32S,
	  SETTING_SMART_SLEEP_TIME, 23, true },
	{ "AA5590EBA5020100000000000000000000000022", JK_VARIANT_JK02_32S,
	  SETTING_UART1_PROTOCOL, 1, true },
	{ "AA5590EBA6020200000000000000000000000024", JK_VARIANT_JK02_32S,
	  SETTING_CAN_PROTOCOL, 2, true },
	/* CMD-04, esphome JK04 */
	{ "AA5590EB200466664640000000000000000000F0", JK_VARIANT_JK04,
	  SETTING_POWER_OFF_VOLTAGE, 3100, true },
	{ "AA5590EB2004CDCC4C40000000000000000000C3", JK_VARIANT_JK04,
	  SETTING_POWER_OFF_VOLTAGE, 3200, true },
	{ "AA5590EB64046F12033C000000000000000000A2", JK_VARIANT_JK04,
	  SETTING_BALANCE_TRIGGER_DELTA, 8, true },
	{ "AA5590EB64040AD7233C00000000000000000022", JK_VARIANT_JK04,
	  SETTING_BALANCE_TRIGGER_DELTA, 10, true },
	{ "AA5590EB680400009040000000000000000000B6", JK_VARIANT_JK04,
	  SETTING_MAX_BALANCE_CURRENT, 4500, true },
	{ "AA5590EB1C0210000000000000000000000000A8", JK_VARIANT_JK04,
	  SETTING_CELL_COUNT, 16, true },
	{ "AA5590EB6C0101000000000000000000000000E8", JK_VARIANT_JK04,
	  SETTING_BALANCE_SWITCH, 1, true },
	{ "AA5590EB440460014240000000000000000000A5", JK_VARIANT_JK04,
	  SETTING_VOLTAGE_CALIBRATION, 3031334, true },
	{ "AA5590EB58040000803F00000000000000000095", JK_VARIANT_JK04,
	  SETTING_BALANCE_START_VOLTAGE, 1000, true },
	/* CMD-05, official-app captures with random filler */
	{ "AA5590EB1C02110004D2E36FB8C5D4912EC07E1F", JK_VARIANT_JK04,
	  SETTING_CELL_COUNT, 17, false },
	{ "AA5590EB2004CDCC4C402C0EAEDFA413B82A4366", JK_VARIANT_JK04,
	  SETTING_POWER_OFF_VOLTAGE, 3200, false },
	{ "AA5590EB6804000090409DA3C98226FBF6539A45", JK_VARIANT_JK04,
	  SETTING_MAX_BALANCE_CURRENT, 4500, false },
	{ "AA5590EB6C043F2C1F0B41E1B6E41A882EBCE2A9", JK_VARIANT_JK02_32S,
	  SETTING_SET_CLOCK, 0x0B1F2C3F, false },
	{ "AA5590EB37010322B867F2779A4869510A4C0859", JK_VARIANT_JK02_32S,
	  SETTING_HEATING_START_TEMPERATURE, 30, false },
	{ "AA5590EB380107AFE7A60171728860581AFCFB2B", JK_VARIANT_JK02_32S,
	  SETTING_HEATING_STOP_TEMPERATURE, 70, false },
	/*
	 * Register notes in esphome's components/jk_bms_ble/number/
	 * __init__.py (not a vector: compared up to the value only).
	 */
	{ "AA5590EB6404983A0000000000000000000000", JK_VARIANT_JK02_32S,
	  SETTING_VOLTAGE_CALIBRATION, 15000000, false },
	{ "AA5590EB210442D10000000000000000000000", JK_VARIANT_JK02_24S,
	  SETTING_VOLTAGE_CALIBRATION, 53570000, false },
	{ "AA5590EB2104D0070000000000000000000000", JK_VARIANT_JK02_32S,
	  SETTING_SCP_DELAY, 2000, false },
	{ "AA5590EB220404100000000000000000000000", JK_VARIANT_JK02_32S,
	  SETTING_BALANCE_START_VOLTAGE, 4100, false },
	{ "AA5590EB180424FFFFFF000000000000000000", JK_VARIANT_JK02_32S,
	  SETTING_CHARGE_UTP, -220, false },
	{ "AA5590EB1C0406000000000000000000000000", JK_VARIANT_JK02_32S,
	  SETTING_CELL_COUNT, 6, false },
	{ "AA5590EB2004B0360000000000000000000000", JK_VARIANT_JK02_32S,
	  SETTING_CAPACITY, 14000, false },
	/* BLE-32S-14: the app wrote precharge 4 s then 5 s */
	{ "AA5590EB25040400000000000000000000000000", JK_VARIANT_JK02_32S,
	  SETTING_PRECHARGE_TIME, 4, false },
};

/* protocols.md 1.2 and 2: a zero-filled 20-byte write from a place. */
static void encode(uint8_t out[20], const struct setting_place *p,
		   enum setting_id id, int64_t value)
{
	int64_t wire = value;
	unsigned i, sum = 0;
	uint32_t u;
	float f;

	memset(out, 0, 20);
	out[0] = 0xAA, out[1] = 0x55, out[2] = 0x90, out[3] = 0xEB;
	out[4] = p->reg;
	out[5] = p->len;
	if (p->wire == WIRE_F32) {
		f = (float)((double)value /
			    (double)pow10i(settings_table[id].decimals));
		memcpy(&u, &f, sizeof(u));
		wire = u;
	} else if (p->exp >= 0) {
		wire = value * pow10i((unsigned)p->exp);
	} else {
		wire = value / pow10i((unsigned)-p->exp);
	}
	for (i = 0; i < p->len; i++)
		out[6 + i] = (uint8_t)((uint64_t)wire >> (8 * i));
	for (i = 0; i < 19; i++)
		sum += out[i];
	out[19] = (uint8_t)sum;
}

static void test_commands(void **state)
{
	const struct cmd_vector *c;
	const struct setting_place *p;
	uint8_t want[20], got[20];
	struct setting_place as_read;
	size_t i;

	for (i = 0; i < sizeof(cmd_vectors) / sizeof(cmd_vectors[0]); i++) {
		c = &cmd_vectors[i];
		p = setting_get_place(c->id, c->v);
		assert_non_null(p);
		assert_true(hex_decode(c->hex, want, 20) >= 6u + p->len);
		assert_int_equal(want[4], p->reg);
		assert_int_equal(want[5], p->len);
		/* decode the value back through the place's write side */
		as_read = *p;
		as_read.read_wire = p->wire;
		as_read.bit = 0xff;
		if (read_value(want + 6, &as_read, c->id, false) != c->value)
			fail_msg("%s: vector %zu decodes to %lld",
				 settings_table[c->id].key, i,
				 (long long)read_value(want + 6, &as_read,
						       c->id, false));
		encode(got, p, c->id, c->value);
		if (c->exact)
			assert_memory_equal(got, want, 20);
		else
			assert_memory_equal(got, want, 6 + p->len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_design_keys),
		cmocka_unit_test(test_units_and_ranges),
		cmocka_unit_test(test_places_consistent),
		cmocka_unit_test(test_places_unique),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_frame_24s),
		cmocka_unit_test(test_frame_32s),
		cmocka_unit_test(test_frame_32s_info),
		cmocka_unit_test(test_frame_jk04),
		cmocka_unit_test(test_frame_serial),
		cmocka_unit_test(test_commands),
	};

	return cmocka_run_group_tests_name("settings-table", tests, NULL, NULL);
}
