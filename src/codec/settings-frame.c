/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The settings a BMS reports back: the settings frame 0x01 of JK02_24S,
 * JK02_32S and JK04 (protocols.md 1.9), and the few settings that live in
 * the device-info frame 0x03 (UART1/CAN protocol at 184/185, UART2 at 218,
 * protocols.md 1.10). No offsets here: each setting's read-back place per
 * variant (source frame, offset, wire type, bit, power of ten) is in
 * settings_table, so decoder and encoder cannot disagree, and the encoder
 * exists for the simulator and for the round-trip test (vectors
 * BLE-24S-04, BLE-32S-09, BLE-32S-12, BLE-32S-13, BLE-32S-14, BLE-04-02).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "codec-private.h"

#define BIT_NONE	0xff

/* JK04 settings frames hold float 1.0 at offset 6 (protocols.md 1.5). */
#define JK04_MARK_OFF	6

static bool ble_variant(enum jk_variant v)
{
	return v == JK_VARIANT_JK02_24S || v == JK_VARIANT_JK02_32S ||
	       v == JK_VARIANT_JK04;
}

/* The read-back place of 'id' if it is in frames from 'src'. */
static const struct setting_place *readback(unsigned id, enum jk_variant v,
					    enum setting_source src)
{
	const struct setting_place *p = &settings_table[id].place[v];
	size_t size = jk_wire_size(p->read_wire);

	if (p->source != src || !size)
		return NULL;
	/* a table row pointing past the payload is ignored, never read */
	if ((size_t)p->offset < JK_FRAME_COUNTER_OFF + 1 ||
	    (size_t)p->offset + size > JK_FRAME_CSUM_OFF)
		return NULL;
	if (p->bit != BIT_NONE &&
	    (p->read_wire == WIRE_F32 || p->bit >= 8 * size))
		return NULL;
	return p;
}

int jk_settings_frame_decode(const uint8_t *frame, enum jk_variant v,
			     struct setting_values *out)
{
	enum setting_source src;
	unsigned id;

	if (!ble_variant(v))
		return -EINVAL;
	switch (frame[JK_FRAME_TYPE_OFF]) {
	case JK_FRAME_SETTINGS:
		src = SOURCE_SETTINGS;
		break;
	case JK_FRAME_DEVICE_INFO:
		src = SOURCE_DEVICE_INFO;
		break;
	default:
		return -EPROTO;
	}

	for (id = 0; id < SETTING__MAX; id++) {
		const struct setting_place *p = readback(id, v, src);
		int64_t value;

		if (!p)
			continue;
		if (p->bit != BIT_NONE) {
			uint64_t word = (uint64_t)jk_wire_get_int(frame,
								  p->offset,
								  p->read_wire);

			value = (int64_t)((word >> p->bit) & 1);
		} else if (jk_setting_get(frame, p->offset, p->read_wire,
					  p->exp, settings_table[id].decimals,
					  &value) < 0) {
			continue;	/* NaN or absurd float: left unset */
		}
		out->val[id] = value;
		bits_set(&out->set, id);
	}
	return 0;
}

/* Writes the settings whose read-back source is 'source' into a frame. */
static int put_settings(const struct setting_values *s, enum jk_variant variant,
			enum setting_source source, uint8_t out[JK_FRAME_LEN])
{
	unsigned id;
	int r;

	for (id = 0; id < SETTING__MAX; id++) {
		const struct setting_place *p;

		if (!bits_test(&s->set, id))
			continue;
		p = readback(id, variant, source);
		if (!p)
			continue;
		if (p->bit != BIT_NONE) {
			uint64_t word = (uint64_t)jk_wire_get_int(out,
								  p->offset,
								  p->read_wire);

			if (s->val[id])
				word |= UINT64_C(1) << p->bit;
			else
				word &= ~(UINT64_C(1) << p->bit);
			jk_wire_put_int(out, p->offset, p->read_wire,
					(int64_t)word);
			continue;
		}
		r = jk_setting_put(out, p->offset, p->read_wire, p->exp,
				   settings_table[id].decimals, s->val[id]);
		if (r < 0)
			return r;
	}
	return 0;
}

int jk_frame_encode_settings(const struct setting_values *s,
			     enum jk_variant variant, uint8_t counter,
			     uint8_t out[JK_FRAME_LEN])
{
	int r;

	if (!ble_variant(variant))
		return -EINVAL;
	jk_frame_begin(out, JK_FRAME_SETTINGS, counter);
	if (variant == JK_VARIANT_JK04)
		put_f32(out, JK04_MARK_OFF, 1.0f);
	r = put_settings(s, variant, SOURCE_SETTINGS, out);
	if (r < 0)
		return r;
	jk_frame_finish(out);
	return 0;
}

int jk_frame_put_device_settings(const struct setting_values *s,
				 enum jk_variant variant,
				 uint8_t frame[JK_FRAME_LEN])
{
	int r;

	if (!ble_variant(variant) || frame[JK_FRAME_TYPE_OFF] !=
					     JK_FRAME_DEVICE_INFO)
		return -EINVAL;
	r = put_settings(s, variant, SOURCE_DEVICE_INFO, frame);
	if (r < 0)
		return r;
	jk_frame_finish(frame);
	return 0;
}
