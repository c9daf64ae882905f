/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device-info frames (type 0x03), protocols.md 1.10: the strings and
 * counters common to every layout (offsets 6..133), decoded and encoded
 * from one table. Strings are ASCII, NUL-padded; the first byte that is not
 * printable ends one (older firmware puts "0000" after the serial's NUL:
 * BLE-24S-01). FW 19 fills the 16 serial bytes without a NUL (BLE-32S-07).
 * An empty string is not set. The two passwords go to struct jk_secrets,
 * never to the fields. The selects read back from this frame (UART/CAN
 * protocol numbers) are the settings decoder's (settings-frame.c).
 */
#include <errno.h>
#include <string.h>

#include "codec-private.h"

struct text_slot {
	uint8_t field;		/* enum field_id */
	uint8_t len;		/* bytes on the wire */
	uint16_t off;
};

static const struct text_slot text_slots[] = {
	{ FIELD_MODEL, 16, 6 },
	{ FIELD_HARDWARE_VERSION, 8, 22 },
	{ FIELD_SOFTWARE_VERSION, 8, 30 },
	{ FIELD_NAME, 16, 46 },
	{ FIELD_MANUFACTURING_DATE, 8, 78 },	/* YYMMDD */
	{ FIELD_SERIAL_NUMBER, 16, 86 },
};

#define OFF_UPTIME		38	/* u32 s */
#define OFF_POWER_ON_COUNT	42	/* u32 */
#define OFF_CONNECTION_PW	62	/* BLE connection password */
#define OFF_SETTINGS_PW		118	/* settings (setup) password */
#define PW_LEN			16

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

/* Copies the printable prefix of f[off..off+len) into dst; its length. */
static size_t get_text(const uint8_t *f, size_t off, size_t len, char *dst)
{
	size_t i;

	for (i = 0; i < len && printable(f[off + i]); i++)
		dst[i] = (char)f[off + i];
	dst[i] = '\0';
	return i;
}

/* -EINVAL unless s fits in len bytes and is all printable. */
static int put_text(uint8_t *f, size_t off, size_t len, const char *s)
{
	size_t i, n = strnlen(s, len + 1);

	if (n > len)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!printable((uint8_t)s[i]))
			return -EINVAL;
		f[off + i] = (uint8_t)s[i];
	}
	return 0;
}

int jk_device_info_decode(const uint8_t *frame, struct field_values *out,
			  struct jk_secrets *secrets)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(text_slots); i++) {
		const struct text_slot *t = &text_slots[i];

		if (get_text(frame, t->off, t->len, out->text[t->field]))
			bits_set(&out->set, t->field);
	}
	field_set_num(out, FIELD_UPTIME, get_u32(frame, OFF_UPTIME));
	field_set_num(out, FIELD_POWER_ON_COUNT,
		      get_u32(frame, OFF_POWER_ON_COUNT));
	get_text(frame, OFF_CONNECTION_PW, PW_LEN,
		 secrets->connection_password);
	get_text(frame, OFF_SETTINGS_PW, PW_LEN, secrets->settings_password);
	return 0;
}

static int put_count(uint8_t *f, size_t off, const struct field_values *v,
		     enum field_id id)
{
	if (!field_has(v, id))
		return 0;
	if (v->num[id] < 0 || v->num[id] > UINT32_MAX)
		return -EINVAL;
	put_u32(f, off, (uint32_t)v->num[id]);
	return 0;
}

/*
 * Fields not set in info stay zero (an empty string); NULL secrets leave
 * both passwords empty. The variant does not change this part of the
 * frame.
 */
int jk_frame_encode_device_info(const struct field_values *info,
				const struct jk_secrets *secrets,
				enum jk_variant variant, uint8_t counter,
				uint8_t out[JK_FRAME_LEN])
{
	size_t i;
	int r;

	if (!info || !out)
		return -EINVAL;
	jk_frame_begin(out, JK_FRAME_DEVICE_INFO, counter);
	for (i = 0; i < ARRAY_SIZE(text_slots); i++) {
		const struct text_slot *t = &text_slots[i];

		if (!field_has(info, t->field))
			continue;
		r = put_text(out, t->off, t->len, info->text[t->field]);
		if (r < 0)
			return r;
	}
	r = put_count(out, OFF_UPTIME, info, FIELD_UPTIME);
	if (r < 0)
		return r;
	r = put_count(out, OFF_POWER_ON_COUNT, info, FIELD_POWER_ON_COUNT);
	if (r < 0)
		return r;
	if (secrets) {
		r = put_text(out, OFF_CONNECTION_PW, PW_LEN,
			     secrets->connection_password);
		if (r < 0)
			return r;
		r = put_text(out, OFF_SETTINGS_PW, PW_LEN,
			     secrets->settings_password);
		if (r < 0)
			return r;
	}
	jk_frame_finish(out);
	return 0;
}
