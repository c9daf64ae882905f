/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BLE command frames, host -> BMS (protocols.md 1.2 and 2): 20 bytes
 * "AA 55 90 EB", register, value length, value little-endian, filler,
 * checksum = sum of bytes 0..18 mod 256 at byte 19. We always write zero
 * filler; the app writes random filler, which the checksum covers, so a
 * frame is checked by its sum and never by its filler (vectors CMD-02,
 * CMD-05).
 *
 * Setting writes are driven by settings_table[id].place[variant]: register,
 * length, wire type and the power of ten between the scaled value and the
 * wire (protocols.md 2.1, 2.2). The same value <-> bytes helpers serve the
 * settings-frame codec (settings-frame.c), so a setting has one encoding.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "codec-private.h"

#define CMD_REG_OFF	4
#define CMD_LEN_OFF	5
#define CMD_VALUE_OFF	6
#define CMD_VALUE_MAX	(JK_CMD_LEN - 1 - CMD_VALUE_OFF)	/* 13 */
#define CMD_CSUM_OFF	(JK_CMD_LEN - 1)

/* 10^0 .. 10^18: every power that fits an int64_t. */
static const int64_t pow10_table[] = {
	INT64_C(1),
	INT64_C(10),
	INT64_C(100),
	INT64_C(1000),
	INT64_C(10000),
	INT64_C(100000),
	INT64_C(1000000),
	INT64_C(10000000),
	INT64_C(100000000),
	INT64_C(1000000000),
	INT64_C(10000000000),
	INT64_C(100000000000),
	INT64_C(1000000000000),
	INT64_C(10000000000000),
	INT64_C(100000000000000),
	INT64_C(1000000000000000),
	INT64_C(10000000000000000),
	INT64_C(100000000000000000),
	INT64_C(1000000000000000000),
};

#define POW10_MAX	18

void jk_cmd_encode(uint8_t out[JK_CMD_LEN], uint8_t reg, const uint8_t *value,
		   uint8_t len)
{
	if (len > CMD_VALUE_MAX)
		len = CMD_VALUE_MAX;
	memset(out, 0, JK_CMD_LEN);
	out[0] = JK_CMD_MAGIC0;
	out[1] = JK_CMD_MAGIC1;
	out[2] = JK_CMD_MAGIC2;
	out[3] = JK_CMD_MAGIC3;
	out[CMD_REG_OFF] = reg;
	out[CMD_LEN_OFF] = len;
	if (len && value)
		memcpy(out + CMD_VALUE_OFF, value, len);
	out[CMD_CSUM_OFF] = jk_checksum(out, CMD_CSUM_OFF);
}

void jk_cmd_encode_request(uint8_t out[JK_CMD_LEN], enum jk_request req)
{
	jk_cmd_encode(out, (uint8_t)req, NULL, 0);
}

/* "AA 55 90 EB C8 01 01 00..00 44" (protocols.md 1.2, vector CMD-01). */
void jk_ack_encode(uint8_t out[JK_CMD_LEN])
{
	static const uint8_t one = 0x01;

	jk_cmd_encode(out, JK_ACK_REG, &one, 1);
}

/*
 * Looks at the first 20 bytes: -EAGAIN if there are fewer, -EBADMSG for a
 * wrong magic or checksum or a value length beyond 13. Never the filler.
 */
int jk_cmd_check(const uint8_t *cmd, size_t len, uint8_t *ret_reg,
		 uint8_t *ret_len)
{
	if (!cmd || len < JK_CMD_LEN)
		return -EAGAIN;
	if (cmd[0] != JK_CMD_MAGIC0 || cmd[1] != JK_CMD_MAGIC1 ||
	    cmd[2] != JK_CMD_MAGIC2 || cmd[3] != JK_CMD_MAGIC3)
		return -EBADMSG;
	if (jk_checksum(cmd, CMD_CSUM_OFF) != cmd[CMD_CSUM_OFF])
		return -EBADMSG;
	if (cmd[CMD_LEN_OFF] > CMD_VALUE_MAX)
		return -EBADMSG;
	if (ret_reg)
		*ret_reg = cmd[CMD_REG_OFF];
	if (ret_len)
		*ret_len = cmd[CMD_LEN_OFF];
	return 0;
}

/* Bytes a wire type occupies; 0 for WIRE_NONE. */
size_t jk_wire_size(enum wire_type wire)
{
	switch (wire) {
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
	return 0;
}

static bool wire_fits(enum wire_type wire, int64_t w)
{
	switch (wire) {
	case WIRE_U8:
		return w >= 0 && w <= UINT8_MAX;
	case WIRE_S8:
		return w >= INT8_MIN && w <= INT8_MAX;
	case WIRE_U16:
		return w >= 0 && w <= UINT16_MAX;
	case WIRE_S16:
		return w >= INT16_MIN && w <= INT16_MAX;
	case WIRE_U32:
		return w >= 0 && w <= UINT32_MAX;
	case WIRE_S32:
		return w >= INT32_MIN && w <= INT32_MAX;
	case WIRE_NONE:
	case WIRE_F32:
		break;
	}
	return false;
}

/* value * 10^exp; a negative exp must divide exactly. */
static int scale_to_wire(int64_t value, int8_t exp, int64_t *ret)
{
	int64_t p;

	if (exp > POW10_MAX || exp < -POW10_MAX)
		return -EINVAL;
	if (exp >= 0) {
		p = pow10_table[exp];
		if (value > INT64_MAX / p || value < INT64_MIN / p)
			return -EINVAL;
		*ret = value * p;
		return 0;
	}
	p = pow10_table[-exp];
	if (value % p)
		return -EINVAL;
	*ret = value / p;
	return 0;
}

/* wire / 10^exp, rounded half away from zero when exp > 0. */
static int scale_from_wire(int64_t wire, int8_t exp, int64_t *ret)
{
	int64_t p, q, r;

	if (exp > POW10_MAX || exp < -POW10_MAX)
		return -ERANGE;
	if (exp < 0) {
		p = pow10_table[-exp];
		if (wire > INT64_MAX / p || wire < INT64_MIN / p)
			return -ERANGE;
		*ret = wire * p;
		return 0;
	}
	p = pow10_table[exp];
	q = wire / p;
	r = wire % p;
	if (r >= 0 ? r >= p - r : -r >= p + r)
		q += wire < 0 ? -1 : 1;
	*ret = q;
	return 0;
}

static void put_int(uint8_t *b, size_t off, enum wire_type wire, int64_t w)
{
	switch (wire) {
	case WIRE_U8:
		put_u8(b, off, (uint8_t)w);
		break;
	case WIRE_S8:
		put_s8(b, off, (int8_t)w);
		break;
	case WIRE_U16:
		put_u16(b, off, (uint16_t)w);
		break;
	case WIRE_S16:
		put_s16(b, off, (int16_t)w);
		break;
	case WIRE_U32:
		put_u32(b, off, (uint32_t)w);
		break;
	case WIRE_S32:
		put_s32(b, off, (int32_t)w);
		break;
	case WIRE_NONE:
	case WIRE_F32:
		break;
	}
}

int64_t jk_wire_get_int(const uint8_t *b, size_t off, enum wire_type wire)
{
	switch (wire) {
	case WIRE_U8:
		return get_u8(b, off);
	case WIRE_S8:
		return get_s8(b, off);
	case WIRE_U16:
		return get_u16(b, off);
	case WIRE_S16:
		return get_s16(b, off);
	case WIRE_U32:
		return get_u32(b, off);
	case WIRE_S32:
		return get_s32(b, off);
	case WIRE_NONE:
	case WIRE_F32:
		break;
	}
	return 0;
}

void jk_wire_put_int(uint8_t *b, size_t off, enum wire_type wire, int64_t w)
{
	put_int(b, off, wire, w);
}

/*
 * JK04 floats carry the SI value (protocols.md 2.2): value / 10^decimals.
 * The division is done in double, exact for every scaled value we hold,
 * then rounded once to float: 3200 (3.200 V) gives CD CC 4C 40 (CMD-04).
 */
static int float_from_value(int64_t value, uint8_t decimals, float *ret)
{
	if (decimals > POW10_MAX)
		return -EINVAL;
	*ret = (float)((double)value / (double)pow10_table[decimals]);
	return 0;
}

static int value_from_float(float f, uint8_t decimals, int64_t *ret)
{
	bool neg;
	double x;
	int64_t v;

	if (decimals > POW10_MAX || f != f)
		return -ERANGE;
	/* exact up to 12 decimals: 24 bits of float times 5^12 (28 bits) */
	x = (double)f * (double)pow10_table[decimals];
	neg = x < 0;
	if (neg)
		x = -x;
	/* 2^62: far beyond any setting, and safe to convert */
	if (x >= 4611686018427387904.0)
		return -ERANGE;
	/* half away from zero, without adding 0.5 to a large double */
	v = (int64_t)x;
	if (x - (double)v >= 0.5)
		v++;
	*ret = neg ? -v : v;
	return 0;
}

int jk_setting_put(uint8_t *b, size_t off, enum wire_type wire, int8_t exp,
		   uint8_t decimals, int64_t value)
{
	int64_t w;
	float f;
	int r;

	if (wire == WIRE_NONE)
		return 0;
	if (wire == WIRE_F32) {
		r = float_from_value(value, decimals, &f);
		if (r < 0)
			return r;
		put_f32(b, off, f);
		return 0;
	}
	r = scale_to_wire(value, exp, &w);
	if (r < 0)
		return r;
	if (!wire_fits(wire, w))
		return -EINVAL;
	put_int(b, off, wire, w);
	return 0;
}

int jk_setting_get(const uint8_t *b, size_t off, enum wire_type wire,
		   int8_t exp, uint8_t decimals, int64_t *ret)
{
	if (wire == WIRE_NONE) {
		*ret = 0;
		return 0;
	}
	if (wire == WIRE_F32)
		return value_from_float(get_f32(b, off), decimals, ret);
	return scale_from_wire(jk_wire_get_int(b, off, wire), exp, ret);
}

static const struct setting_place *place_of(enum setting_id id,
					    enum jk_variant v)
{
	const struct setting_place *p;

	if ((unsigned)id >= SETTING__MAX || v < JK_VARIANT_JK02_24S ||
	    v > JK_VARIANT_JK04)
		return NULL;
	p = &settings_table[id].place[v];
	if (!p->reg)
		return NULL;
	return p;
}

int jk_cmd_encode_setting(uint8_t out[JK_CMD_LEN], enum jk_variant v,
			  enum setting_id id, int64_t value)
{
	const struct setting_place *p;
	uint8_t buf[CMD_VALUE_MAX] = { 0 };
	int r;

	if ((unsigned)id >= SETTING__MAX || v < JK_VARIANT_JK02_24S ||
	    v >= JK_VARIANT__MAX)
		return -EINVAL;
	p = place_of(id, v);
	if (!p)
		return -EOPNOTSUPP;
	if (p->len > CMD_VALUE_MAX ||
	    (p->wire != WIRE_NONE && jk_wire_size(p->wire) > p->len))
		return -EINVAL;
	/*
	 * Buttons carry no value; a switch is 0/1 in its own register even
	 * when the read-back is one bit of a word (protocols.md 2.1, 0x27..).
	 */
	if (settings_table[id].kind == SETTING_KIND_SWITCH &&
	    value != 0 && value != 1)
		return -EINVAL;
	r = jk_setting_put(buf, 0, p->wire, p->exp, settings_table[id].decimals,
			   value);
	if (r < 0)
		return r;
	/* -22.0 C as s32 is 24 FF FF FF: sign-extend into a longer field */
	if ((p->wire == WIRE_S8 || p->wire == WIRE_S16) && value < 0 &&
	    jk_wire_size(p->wire) < p->len)
		memset(buf + jk_wire_size(p->wire), 0xff,
		       p->len - jk_wire_size(p->wire));
	jk_cmd_encode(out, p->reg, buf, p->len);
	return 0;
}

/* Little-endian integer of 'len' bytes, sign-extended if 'sign'. */
static int64_t get_le(const uint8_t *b, uint8_t len, bool sign)
{
	uint64_t u = 0;
	uint8_t i;

	for (i = 0; i < len; i++)
		u |= (uint64_t)b[i] << (8 * i);
	if (sign && len && len < 8 && (u >> (8 * len - 1)) & 1)
		u |= ~UINT64_C(0) << (8 * len);
	return (int64_t)u;
}

static bool wire_signed(enum wire_type wire)
{
	return wire == WIRE_S8 || wire == WIRE_S16 || wire == WIRE_S32;
}

/*
 * The setting written to this register on variant v (the simulator's side
 * of jk_cmd_encode_setting): -EOPNOTSUPP when no setting has the register
 * (requests, acks, registers outside the table), -EPROTO for a length the
 * wire cannot have, -ERANGE for a NaN float. Buttons decode to 0.
 */
int jk_cmd_decode_setting(const uint8_t cmd[JK_CMD_LEN], enum jk_variant v,
			  enum setting_id *ret_id, int64_t *ret_value)
{
	const struct setting_place *p = NULL;
	uint8_t reg, len;
	int64_t value;
	unsigned i;
	int r;

	if (v < JK_VARIANT_JK02_24S || v >= JK_VARIANT__MAX)
		return -EINVAL;
	r = jk_cmd_check(cmd, JK_CMD_LEN, &reg, &len);
	if (r < 0)
		return r;
	for (i = 0; i < SETTING__MAX; i++) {
		p = place_of((enum setting_id)i, v);
		if (p && p->reg == reg)
			break;
	}
	if (i == SETTING__MAX || !p)
		return -EOPNOTSUPP;

	if (p->wire == WIRE_NONE) {
		value = 0;
	} else if (p->wire == WIRE_F32) {
		if (len != 4)
			return -EPROTO;
		r = jk_setting_get(cmd, CMD_VALUE_OFF, WIRE_F32, p->exp,
				   settings_table[i].decimals, &value);
		if (r < 0)
			return r;
	} else {
		/*
		 * Read the length the sender gave (1, 2 or 4 bytes; esphome
		 * and the app disagree on some registers, protocols.md 2.1),
		 * signed as the table says.
		 */
		if (len != 1 && len != 2 && len != 4)
			return -EPROTO;
		r = scale_from_wire(get_le(cmd + CMD_VALUE_OFF, len,
					   wire_signed(p->wire)),
				    p->exp, &value);
		if (r < 0)
			return r;
	}
	if (ret_id)
		*ret_id = (enum setting_id)i;
	if (ret_value)
		*ret_value = value;
	return 0;
}
