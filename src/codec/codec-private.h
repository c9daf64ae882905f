/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the codec files: little-endian access to a byte buffer
 * at an offset, the 8-bit additive checksum, and the entry points one codec
 * file calls in another. Not installed, not used outside src/codec.
 */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "jkbms/frame.h"
#include "jkbms/settings.h"
#include "jkbms/variant.h"

static inline uint8_t get_u8(const uint8_t *b, size_t off)
{
	return b[off];
}

static inline int8_t get_s8(const uint8_t *b, size_t off)
{
	return (int8_t)b[off];
}

/*
 * On a little-endian host a 16/32-bit field is one unaligned load (memcpy);
 * elsewhere the bytes are assembled. Decoding a frame reads ~100 of them.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define JK_HOST_LE 1
#else
#define JK_HOST_LE 0
#endif

static inline uint16_t get_u16(const uint8_t *b, size_t off)
{
	uint16_t v;

	if (JK_HOST_LE) {
		memcpy(&v, b + off, sizeof(v));
		return v;
	}
	return (uint16_t)(b[off] | (unsigned)b[off + 1] << 8);
}

static inline int16_t get_s16(const uint8_t *b, size_t off)
{
	return (int16_t)get_u16(b, off);
}

static inline uint32_t get_u32(const uint8_t *b, size_t off)
{
	uint32_t v;

	if (JK_HOST_LE) {
		memcpy(&v, b + off, sizeof(v));
		return v;
	}
	return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 |
	       (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
}

static inline int32_t get_s32(const uint8_t *b, size_t off)
{
	return (int32_t)get_u32(b, off);
}

static inline float get_f32(const uint8_t *b, size_t off)
{
	uint32_t u = get_u32(b, off);
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

static inline void put_u8(uint8_t *b, size_t off, uint8_t v)
{
	b[off] = v;
}

static inline void put_s8(uint8_t *b, size_t off, int8_t v)
{
	b[off] = (uint8_t)v;
}

static inline void put_u16(uint8_t *b, size_t off, uint16_t v)
{
	b[off] = (uint8_t)(v & 0xff);
	b[off + 1] = (uint8_t)(v >> 8);
}

static inline void put_s16(uint8_t *b, size_t off, int16_t v)
{
	put_u16(b, off, (uint16_t)v);
}

static inline void put_u32(uint8_t *b, size_t off, uint32_t v)
{
	b[off] = (uint8_t)(v & 0xff);
	b[off + 1] = (uint8_t)((v >> 8) & 0xff);
	b[off + 2] = (uint8_t)((v >> 16) & 0xff);
	b[off + 3] = (uint8_t)(v >> 24);
}

static inline void put_s32(uint8_t *b, size_t off, int32_t v)
{
	put_u32(b, off, (uint32_t)v);
}

static inline void put_f32(uint8_t *b, size_t off, float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	put_u32(b, off, u);
}

/* The four 16-bit lanes of a checksum accumulator, added. */
static inline unsigned jk_lanes_sum(uint64_t acc)
{
	return (unsigned)((acc & 0xFFFF) + (acc >> 16 & 0xFFFF) +
			  (acc >> 32 & 0xFFFF) + (acc >> 48));
}

/*
 * 8-bit additive checksum: the sum of b[0..len-1] modulo 256. Eight bytes
 * at a time: the even and odd bytes of each word add up in four 16-bit
 * lanes (at most 510 per word), emptied every 128 words before a lane can
 * overflow. Byte order does not matter to a sum of bytes.
 */
static inline uint8_t jk_checksum(const uint8_t *b, size_t len)
{
	const uint64_t lanes = UINT64_C(0x00FF00FF00FF00FF);
	uint64_t acc, w;
	unsigned sum = 0;
	size_t i = 0, end;

	while (len - i >= 8) {
		end = len - i >= 8 * 128 ? i + 8 * 128 : i + (len - i) / 8 * 8;
		for (acc = 0; i < end; i += 8) {
			memcpy(&w, b + i, sizeof(w));
			acc += (w & lanes) + ((w >> 8) & lanes);
		}
		sum += jk_lanes_sum(acc);
	}
	for (; i < len; i++)
		sum += b[i];
	return (uint8_t)(sum & 0xff);
}

/* Frame header "55 AA EB 90" of BMS -> host frames. */
#define JK_FRAME_MAGIC0	0x55
#define JK_FRAME_MAGIC1	0xAA
#define JK_FRAME_MAGIC2	0xEB
#define JK_FRAME_MAGIC3	0x90
#define JK_FRAME_TYPE_OFF	4
#define JK_FRAME_COUNTER_OFF	5
#define JK_FRAME_CSUM_OFF	(JK_FRAME_LEN - 1)

/* Command header "AA 55 90 EB" of host -> BMS frames and acks. */
#define JK_CMD_MAGIC0	0xAA
#define JK_CMD_MAGIC1	0x55
#define JK_CMD_MAGIC2	0x90
#define JK_CMD_MAGIC3	0xEB
#define JK_ACK_REG	0xC8

/* Writes magic, type, counter and zero filler; the checksum is left out. */
static inline void jk_frame_begin(uint8_t out[JK_FRAME_LEN], uint8_t type,
				  uint8_t counter)
{
	memset(out, 0, JK_FRAME_LEN);
	out[0] = JK_FRAME_MAGIC0;
	out[1] = JK_FRAME_MAGIC1;
	out[2] = JK_FRAME_MAGIC2;
	out[3] = JK_FRAME_MAGIC3;
	out[JK_FRAME_TYPE_OFF] = type;
	out[JK_FRAME_COUNTER_OFF] = counter;
}

/* Sets byte 299 to the checksum of bytes 0..298. */
static inline void jk_frame_finish(uint8_t out[JK_FRAME_LEN])
{
	out[JK_FRAME_CSUM_OFF] = jk_checksum(out, JK_FRAME_CSUM_OFF);
}

/* True for the three layouts of the "55 AA EB 90" frames (protocols.md 1.5). */
static inline bool jk_variant_is_ble(enum jk_variant v)
{
	return v == JK_VARIANT_JK02_24S || v == JK_VARIANT_JK02_32S ||
	       v == JK_VARIANT_JK04;
}

/*
 * The error for a variant that has no "55 AA EB 90" layout: -EOPNOTSUPP for
 * the other transports' variants, -EINVAL for AUTO or an out-of-range value.
 */
static inline int jk_variant_error(enum jk_variant v)
{
	if (v == JK_VARIANT_SERIAL || v == JK_VARIANT_PB_MODBUS ||
	    v == JK_VARIANT_CAN)
		return -EOPNOTSUPP;
	return -EINVAL;
}

/*
 * settings-frame.c: decodes the settings whose read-back source is this
 * frame's type (0x01: SOURCE_SETTINGS, 0x03: SOURCE_DEVICE_INFO) into *out
 * (not reset: the caller did). 0 or a negative errno.
 */
int jk_settings_frame_decode(const uint8_t *frame, enum jk_variant v,
			     struct setting_values *out);

/* cell-info.c */
int jk_cell_info_decode(const uint8_t *frame, enum jk_variant v,
			struct field_values *out);
/* device-info.c */
int jk_device_info_decode(const uint8_t *frame, struct field_values *out,
			  struct jk_secrets *secrets);
/* logbook.c */
int jk_logbook_decode(const uint8_t *frame, struct jk_logbook *out);

/*
 * command.c: one encoding per setting, shared by command frames and the
 * settings frame. A scaled value goes on the wire as value * 10^exp for
 * integer wires (a negative exp must divide exactly: -EINVAL), or as the SI
 * float value / 10^decimals for WIRE_F32; -EINVAL if it does not fit.
 * jk_setting_get is the inverse (integer wires rounded half away from zero
 * when exp > 0; -ERANGE for a NaN or huge float).
 */
size_t jk_wire_size(enum wire_type wire);
int64_t jk_wire_get_int(const uint8_t *b, size_t off, enum wire_type wire);
void jk_wire_put_int(uint8_t *b, size_t off, enum wire_type wire, int64_t w);
int jk_setting_put(uint8_t *b, size_t off, enum wire_type wire, int8_t exp,
		   uint8_t decimals, int64_t value);
int jk_setting_get(const uint8_t *b, size_t off, enum wire_type wire,
		   int8_t exp, uint8_t decimals, int64_t *ret);
