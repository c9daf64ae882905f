/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Cell-info frames (type 0x02) of the three BLE layouts, decoded and
 * encoded from one table per layout: each row maps a field to its offset,
 * wire type and range, and the same row drives jk_frame_decode (through
 * jk_cell_info_decode) and jk_frame_encode_cell_info, so the simulator's
 * frames and the daemon's decoder cannot drift apart.
 *
 * Offsets: JK02_24S protocols.md 1.6 (proved by BLE-24S-01/03/04/06),
 * JK02_32S 1.7 (BLE-32S-01..14, the PB RS485 frames of BLE-32S-12/13),
 * JK04 1.8 (BLE-04-01/02). Integer wires already hold the stored unit of
 * fields.def (mV, mA, mAh, 0.1 degC, %, s); JK04 floats are volts, ohms and
 * amperes, scaled by 1000. Derived values (min, max, average, delta,
 * indexes, power, energy, alarm names) are the model's: the decoder never
 * sets them; the encoder fills the BMS-computed copies (average, delta,
 * indexes, power) from the cells so simulated frames look like real ones.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "codec-private.h"

/* Raw temperature of an unplugged sensor: -200.0 degC (1.6 notes). */
#define TEMP_ABSENT	(-2000)

enum slot_kind {
	SLOT_NUM,	/* integer (or scaled float) in the stored unit */
	SLOT_BOOL,	/* nonzero byte: 1 */
	SLOT_TEMP,	/* s16 0.1 degC: -2000 or presence bit clear = absent */
};

struct cell_slot {
	uint8_t field;		/* enum field_id */
	uint8_t kind;		/* enum slot_kind */
	uint8_t wire;		/* enum wire_type */
	int8_t present_bit;	/* TEMP: bit in the presence byte */
	uint16_t off;
	bool zero_absent;	/* TEMP: raw 0 also means absent */
	int32_t lo, hi;		/* stored range; lo == hi: the wire's */
};

struct cell_layout {
	uint8_t cell_slots;	/* cell voltage slots */
	uint8_t cell_wire;	/* WIRE_U16 (mV) or WIRE_F32 (V) */
	uint16_t cells_off;
	uint16_t res_off;	/* resistances, same wire (mOhm or Ohm) */
	uint16_t mask_off;	/* cell-present mask (u32) */
	bool mask_decoded;	/* false: count the leading nonzero cells */
	uint16_t temp_mask_off;	/* temperature presence byte, 0: none */
	/* BMS-computed copies, written by the encoder only */
	uint16_t avg_off, delta_off;	/* cell wire */
	uint16_t max_idx_off;		/* u8 max index, u8 min index after */
	uint16_t power_off;		/* u32 mW, 0: none */
	const struct cell_slot *slots;
	size_t nslots;
};

/* clang-format off */
#define NUM(id, w, o) \
	{ .field = FIELD_##id, .kind = SLOT_NUM, .wire = WIRE_##w, .off = o }
#define NUM_RANGE(id, w, o, l, h) \
	{ .field = FIELD_##id, .kind = SLOT_NUM, .wire = WIRE_##w, \
	  .off = o, .lo = l, .hi = h }
#define BOOL(id, o) \
	{ .field = FIELD_##id, .kind = SLOT_BOOL, .wire = WIRE_U8, .off = o }
#define TEMP(id, o, bit) \
	{ .field = FIELD_##id, .kind = SLOT_TEMP, .wire = WIRE_S16, \
	  .off = o, .present_bit = bit }
#define TEMP_Z(id, o, bit) \
	{ .field = FIELD_##id, .kind = SLOT_TEMP, .wire = WIRE_S16, \
	  .off = o, .present_bit = bit, .zero_absent = true }

/* protocols.md 1.6; presence byte 182: bit0 T1, bit1 T2, bit2 MOS. */
static const struct cell_slot slots_24s[] = {
	NUM(VOLTAGE, U32, 118),
	NUM(CURRENT, S32, 126),		/* + = charging (BLE-24S-03) */
	TEMP(TEMPERATURE_1, 130, 0),
	TEMP(TEMPERATURE_2, 132, 1),
	TEMP(TEMPERATURE_MOS, 134, 2),
	NUM(ALARM_BITS, U16, 136),
	NUM(BALANCE_CURRENT, S16, 138),
	NUM_RANGE(BALANCING, U8, 140, 0, 2),
	NUM_RANGE(SOC, U8, 141, 0, 100),
	NUM(REMAINING_CAPACITY, U32, 142),
	NUM(FULL_CHARGE_CAPACITY, U32, 146),
	NUM(CYCLE_COUNT, U32, 150),
	NUM(CYCLE_CAPACITY, U32, 154),
	NUM_RANGE(SOH, U8, 158, 0, 100),
	NUM(RUNTIME, U32, 162),
	BOOL(CHARGE_MOSFET, 166),
	BOOL(DISCHARGE_MOSFET, 167),
	BOOL(HEATING, 183),
};

/*
 * protocols.md 1.7; presence byte 214: bit0 MOS, bit1..5 T1..T5. T3..T5 at
 * 254/256/258 in the official order. Firmware 11.x sets the presence byte
 * to 0xFF but leaves 256/258 at 0 (BLE-32S-05/09/11, and aiobmsble reads
 * them only from 14.x on): there a raw 0 means absent. A real sensor at
 * exactly 0.0 degC on T4/T5 therefore drops out for that frame.
 */
static const struct cell_slot slots_32s[] = {
	TEMP(TEMPERATURE_MOS, 144, 0),
	NUM(VOLTAGE, U32, 150),
	NUM(CURRENT, S32, 158),		/* + = charging (BLE-32S-03) */
	TEMP(TEMPERATURE_1, 162, 1),
	TEMP(TEMPERATURE_2, 164, 2),
	NUM(ALARM_BITS, U32, 166),
	NUM(BALANCE_CURRENT, S16, 170),
	NUM_RANGE(BALANCING, U8, 172, 0, 2),
	NUM_RANGE(SOC, U8, 173, 0, 100),
	NUM(REMAINING_CAPACITY, S32, 174),
	NUM(FULL_CHARGE_CAPACITY, U32, 178),
	NUM(CYCLE_COUNT, U32, 182),
	NUM(CYCLE_CAPACITY, U32, 186),
	NUM_RANGE(SOH, U8, 190, 0, 100),
	NUM(RUNTIME, U32, 194),
	BOOL(CHARGE_MOSFET, 198),
	BOOL(DISCHARGE_MOSFET, 199),
	BOOL(HEATING, 215),
	TEMP(TEMPERATURE_3, 254, 3),
	TEMP_Z(TEMPERATURE_4, 256, 4),
	TEMP_Z(TEMPERATURE_5, 258, 5),
};

/* protocols.md 1.8: no current, SOC, temperatures or alarms are known. */
static const struct cell_slot slots_jk04[] = {
	NUM_RANGE(BALANCING, U8, 220, 0, 2),
	NUM_RANGE(BALANCE_CURRENT, F32, 222, -1000000, 1000000), /* A */
	NUM(RUNTIME, U32, 286),
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct cell_layout layout_24s = {
	.cell_slots = 24, .cell_wire = WIRE_U16, .cells_off = 6,
	.res_off = 64, .mask_off = 54, .mask_decoded = true,
	.temp_mask_off = 182,
	.avg_off = 58, .delta_off = 60, .max_idx_off = 62, .power_off = 122,
	.slots = slots_24s, .nslots = ARRAY_SIZE(slots_24s),
};

static const struct cell_layout layout_32s = {
	.cell_slots = 32, .cell_wire = WIRE_U16, .cells_off = 6,
	.res_off = 80, .mask_off = 70, .mask_decoded = true,
	.temp_mask_off = 214,
	.avg_off = 74, .delta_off = 76, .max_idx_off = 78, .power_off = 154,
	.slots = slots_32s, .nslots = ARRAY_SIZE(slots_32s),
};

/*
 * JK04: 24 float cells, 0.0 = absent; 25 float resistances (the 25th is
 * always 0). The u32 at 214 looks like a cell mask (1.8, inferred): the
 * encoder writes it, the decoder counts the cells themselves.
 */
static const struct cell_layout layout_jk04 = {
	.cell_slots = 24, .cell_wire = WIRE_F32, .cells_off = 6,
	.res_off = 102, .mask_off = 214, .mask_decoded = false,
	.avg_off = 202, .delta_off = 206, .max_idx_off = 218,
	.slots = slots_jk04, .nslots = ARRAY_SIZE(slots_jk04),
};
/* clang-format on */

/* Cell voltages and resistances: mV and mOhm, u16 on JK02. */
#define CELL_MAX_STORED 65535

static const struct cell_layout *layout_of(enum jk_variant v)
{
	switch (v) {
	case JK_VARIANT_JK02_24S:
		return &layout_24s;
	case JK_VARIANT_JK02_32S:
		return &layout_32s;
	case JK_VARIANT_JK04:
		return &layout_jk04;
	case JK_VARIANT_SERIAL:
	case JK_VARIANT_PB_MODBUS:
	case JK_VARIANT_CAN:
	case JK_VARIANT__MAX:
	case JK_VARIANT_AUTO:
		break;
	}
	return NULL;
}

static int64_t wire_min(enum wire_type w)
{
	switch (w) {
	case WIRE_S8:
		return INT8_MIN;
	case WIRE_S16:
		return INT16_MIN;
	case WIRE_S32:
		return INT32_MIN;
	case WIRE_NONE:
	case WIRE_U8:
	case WIRE_U16:
	case WIRE_U32:
	case WIRE_F32:
		break;
	}
	return 0;
}

static int64_t wire_max(enum wire_type w)
{
	switch (w) {
	case WIRE_U8:
		return UINT8_MAX;
	case WIRE_S8:
		return INT8_MAX;
	case WIRE_U16:
		return UINT16_MAX;
	case WIRE_S16:
		return INT16_MAX;
	case WIRE_U32:
		return UINT32_MAX;
	case WIRE_S32:
		return INT32_MAX;
	case WIRE_NONE:
	case WIRE_F32:
		break;
	}
	return 0;
}

static int64_t get_int(const uint8_t *f, size_t off, enum wire_type w)
{
	switch (w) {
	case WIRE_U8:
		return get_u8(f, off);
	case WIRE_S8:
		return get_s8(f, off);
	case WIRE_U16:
		return get_u16(f, off);
	case WIRE_S16:
		return get_s16(f, off);
	case WIRE_U32:
		return get_u32(f, off);
	case WIRE_S32:
		return get_s32(f, off);
	case WIRE_NONE:
	case WIRE_F32:
		break;
	}
	return 0;
}

/* The caller checked the range. */
static void put_int(uint8_t *f, size_t off, enum wire_type w, int64_t v)
{
	switch (w) {
	case WIRE_U8:
		put_u8(f, off, (uint8_t)v);
		break;
	case WIRE_S8:
		put_s8(f, off, (int8_t)v);
		break;
	case WIRE_U16:
		put_u16(f, off, (uint16_t)v);
		break;
	case WIRE_S16:
		put_s16(f, off, (int16_t)v);
		break;
	case WIRE_U32:
		put_u32(f, off, (uint32_t)v);
		break;
	case WIRE_S32:
		put_s32(f, off, (int32_t)v);
		break;
	case WIRE_NONE:
	case WIRE_F32:
		break;
	}
}

/*
 * An SI float times 1000, rounded to the nearest integer, if it lies in
 * [lo, hi]; NaN and infinities never do.
 */
static bool milli_from_f32(float f, int64_t lo, int64_t hi, int64_t *ret)
{
	double d = (double)f * 1000.0;
	int64_t v;

	if (!(d >= (double)lo - 0.5 && d <= (double)hi + 0.5))
		return false;
	v = d >= 0 ? (int64_t)(d + 0.5) : -(int64_t)(-d + 0.5);
	if (v < lo || v > hi)
		return false;
	*ret = v;
	return true;
}

static float f32_from_milli(int64_t v)
{
	return (float)((double)v / 1000.0);
}

/* Number of set bits contiguous from bit 0. */
static unsigned mask_run(uint32_t m)
{
	return m == UINT32_MAX ? 32 : (unsigned)__builtin_ctz(~m);
}

static void slot_range(const struct cell_slot *s, int64_t *lo, int64_t *hi)
{
	if (s->lo != s->hi) {
		*lo = s->lo;
		*hi = s->hi;
	} else {
		*lo = wire_min((enum wire_type)s->wire);
		*hi = wire_max((enum wire_type)s->wire);
	}
}

static int decode_cells(const uint8_t *f, const struct cell_layout *l,
			struct field_values *out)
{
	unsigned n, i;
	int64_t mv, mohm;
	bool ok = true;

	if (l->mask_decoded) {
		n = mask_run(get_u32(f, l->mask_off));
		if (n > l->cell_slots)
			n = l->cell_slots;
		for (i = 0; i < n; i++) {
			out->cell_voltage[i] =
				get_u16(f, l->cells_off + 2 * i);
			out->cell_resistance[i] =
				get_u16(f, l->res_off + 2 * i);
		}
	} else {
		for (n = 0; n < l->cell_slots; n++)
			if (get_f32(f, l->cells_off + 4 * n) == 0.0f)
				break;
		for (i = 0; i < n; i++) {
			/* a present cell reads at least 1 mV */
			if (!milli_from_f32(get_f32(f, l->cells_off + 4 * i), 1,
					    CELL_MAX_STORED, &mv) ||
			    !milli_from_f32(get_f32(f, l->res_off + 4 * i), 0,
					    CELL_MAX_STORED, &mohm)) {
				ok = false;
				break;
			}
			out->cell_voltage[i] = (int32_t)mv;
			out->cell_resistance[i] = (int32_t)mohm;
		}
	}
	out->ncells = (uint8_t)n;
	field_set_num(out, FIELD_CELL_COUNT, n);
	if (!ok)
		return -ERANGE;
	if (n > 0) {
		bits_set(&out->set, FIELD_CELL_VOLTAGE);
		bits_set(&out->set, FIELD_CELL_RESISTANCE);
	}
	return 0;
}

/* An integer wire is in its own range; a float slot always has lo < hi. */
static int decode_slot(const uint8_t *f, const struct cell_slot *s,
		       unsigned temp_mask, struct field_values *out)
{
	int64_t v;

	switch ((enum slot_kind)s->kind) {
	case SLOT_NUM:
		if (s->wire == WIRE_F32) {
			if (!milli_from_f32(get_f32(f, s->off), s->lo, s->hi,
					    &v))
				return -ERANGE;
		} else {
			v = get_int(f, s->off, (enum wire_type)s->wire);
			if (s->lo != s->hi && (v < s->lo || v > s->hi))
				return -ERANGE;
		}
		break;
	case SLOT_BOOL:
		v = get_u8(f, s->off) != 0;
		break;
	case SLOT_TEMP:
		v = get_s16(f, s->off);
		if (!(temp_mask >> s->present_bit & 1) || v == TEMP_ABSENT ||
		    (s->zero_absent && v == 0))
			return 0;
		break;
	default:
		return 0;
	}
	field_set_num(out, (enum field_id)s->field, v);
	return 0;
}

int jk_cell_info_decode(const uint8_t *frame, enum jk_variant variant,
			struct field_values *out)
{
	const struct cell_layout *l = layout_of(variant);
	unsigned temp_mask;
	size_t i;
	int r, ret;

	if (!l)
		return jk_variant_error(variant);
	ret = decode_cells(frame, l, out);
	temp_mask = l->temp_mask_off ? get_u8(frame, l->temp_mask_off) : 0;
	for (i = 0; i < l->nslots; i++) {
		r = decode_slot(frame, &l->slots[i], temp_mask, out);
		if (r < 0)
			ret = r;
	}
	return ret;
}

/* The BMS's own average, delta, min/max indexes and power. */
static void encode_extras(uint8_t *out, const struct cell_layout *l,
			  const struct field_values *v, unsigned n)
{
	int64_t sum = 0, min = 0, max = 0, power;
	unsigned i, imin = 0, imax = 0;

	for (i = 0; i < n; i++) {
		int32_t c = v->cell_voltage[i];

		sum += c;
		if (i == 0 || c < min) {
			min = c;
			imin = i;
		}
		if (i == 0 || c > max) {
			max = c;
			imax = i;
		}
	}
	if (n > 0) {
		if (l->cell_wire == WIRE_F32) {
			put_f32(out, l->avg_off, f32_from_milli(sum / n));
			put_f32(out, l->delta_off, f32_from_milli(max - min));
		} else {
			put_u16(out, l->avg_off, (uint16_t)(sum / n));
			put_u16(out, l->delta_off, (uint16_t)(max - min));
		}
		put_u8(out, l->max_idx_off, (uint8_t)imax);
		put_u8(out, l->max_idx_off + 1u, (uint8_t)imin);
	}
	if (l->power_off && field_has(v, FIELD_VOLTAGE) &&
	    field_has(v, FIELD_CURRENT)) {
		/* checked ranges: u32 mV times s32 mA fits in int64 */
		power = v->num[FIELD_VOLTAGE] * v->num[FIELD_CURRENT] / 1000;
		if (power < 0)
			power = -power;
		if (power > UINT32_MAX)
			power = UINT32_MAX;
		put_u32(out, l->power_off, (uint32_t)power);
	}
}

static int encode_cells(uint8_t *out, const struct cell_layout *l,
			const struct field_values *v, unsigned *ret_n)
{
	bool res = field_has(v, FIELD_CELL_RESISTANCE);
	unsigned n = field_has(v, FIELD_CELL_VOLTAGE) ? v->ncells : 0;
	unsigned i;

	if (n > l->cell_slots)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		int32_t mv = v->cell_voltage[i];
		int32_t mohm = res ? v->cell_resistance[i] : 0;

		if (mv < 0 || mv > CELL_MAX_STORED || mohm < 0 ||
		    mohm > CELL_MAX_STORED)
			return -EINVAL;
		if (l->cell_wire == WIRE_F32) {
			/* 0.0 V ends the cells of a JK04 frame */
			if (mv == 0)
				return -EINVAL;
			put_f32(out, l->cells_off + 4 * i, f32_from_milli(mv));
			put_f32(out, l->res_off + 4 * i, f32_from_milli(mohm));
		} else {
			put_u16(out, l->cells_off + 2 * i, (uint16_t)mv);
			put_u16(out, l->res_off + 2 * i, (uint16_t)mohm);
		}
	}
	put_u32(out, l->mask_off, n >= 32 ? UINT32_MAX : (1u << n) - 1);
	*ret_n = n;
	return 0;
}

static int encode_slot(uint8_t *out, const struct cell_slot *s,
		       const struct field_values *v, unsigned *temp_mask)
{
	bool has = field_has(v, (enum field_id)s->field);
	int64_t x = has ? v->num[s->field] : 0, lo, hi;

	slot_range(s, &lo, &hi);
	switch ((enum slot_kind)s->kind) {
	case SLOT_NUM:
		if (x < lo || x > hi)
			return -EINVAL;
		if (s->wire == WIRE_F32)
			put_f32(out, s->off, f32_from_milli(x));
		else
			put_int(out, s->off, (enum wire_type)s->wire, x);
		break;
	case SLOT_BOOL:
		put_u8(out, s->off, x != 0);
		break;
	case SLOT_TEMP:
		if (!has) {
			put_s16(out, s->off, TEMP_ABSENT);
			break;
		}
		if (x < lo || x > hi || x == TEMP_ABSENT)
			return -EINVAL;
		put_s16(out, s->off, (int16_t)x);
		*temp_mask |= 1u << s->present_bit;
		break;
	default:
		break;
	}
	return 0;
}

int jk_frame_encode_cell_info(const struct field_values *v,
			      enum jk_variant variant, uint8_t counter,
			      uint8_t out[JK_FRAME_LEN])
{
	const struct cell_layout *l = layout_of(variant);
	unsigned temp_mask = 0, n;
	size_t i;
	int r;

	if (!l)
		return jk_variant_error(variant);
	if (!v || !out)
		return -EINVAL;
	jk_frame_begin(out, JK_FRAME_CELL_INFO, counter);
	r = encode_cells(out, l, v, &n);
	if (r < 0)
		return r;
	for (i = 0; i < l->nslots; i++) {
		r = encode_slot(out, &l->slots[i], v, &temp_mask);
		if (r < 0)
			return r;
	}
	if (l->temp_mask_off)
		put_u8(out, l->temp_mask_off, (uint8_t)temp_mask);
	encode_extras(out, l, v, n);
	jk_frame_finish(out);
	return 0;
}
