/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: settings read back from settings frames (type 0x01) and
 * device-info frames (0x03) on every variant, through the public
 * jk_frame_decode and the encoder. Whatever a settings frame decodes to
 * must encode and decode to the same values (decode(encode(x)) == x).
 * Seeds: tests/fuzz/corpus/settings-frame/ (the settings and device-info
 * frames of the vectors).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/frame.h"
#include "jkbms/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct jk_decoded dec, again;

static void same_or_abort(const struct setting_values *a,
			  const struct setting_values *b)
{
	unsigned id;

	for (id = 0; id < SETTING__MAX; id++) {
		if (settings_table[id].place[dec.variant].source !=
		    SOURCE_SETTINGS)
			continue;
		/* unset in a (a NaN float): the encoder wrote zeros there */
		if (!bits_test(&a->set, id))
			continue;
		if (!bits_test(&b->set, id) || a->val[id] != b->val[id])
			abort();
	}
}

static void one(const uint8_t frame[JK_FRAME_LEN])
{
	uint8_t out[JK_FRAME_LEN];
	int v;

	for (v = JK_VARIANT_AUTO; v <= JK_VARIANT__MAX; v++) {
		if (jk_frame_decode(frame, JK_FRAME_LEN, (enum jk_variant)v,
				    &dec) < 0)
			continue;
		if (dec.type != JK_FRAME_SETTINGS)
			continue;
		if (jk_frame_encode_settings(&dec.settings, (enum jk_variant)v,
					     frame[5], out) < 0)
			abort();
		if (jk_frame_decode(out, JK_FRAME_LEN, (enum jk_variant)v,
				    &again) < 0)
			abort();
		same_or_abort(&dec.settings, &again.settings);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t frame[JK_FRAME_LEN] = { 0 };
	unsigned sum = 0;
	size_t i;

	memcpy(frame, data, size < JK_FRAME_LEN ? size : JK_FRAME_LEN);
	one(frame);		/* as given: mostly a bad checksum */
	frame[0] = 0x55;
	frame[1] = 0xAA;
	frame[2] = 0xEB;
	frame[3] = 0x90;
	/* settings or device info, whatever the input says */
	frame[4] = (frame[4] & 1) ? 0x01 : 0x03;
	for (i = 0; i < JK_FRAME_LEN - 1; i++)
		sum += frame[i];
	frame[JK_FRAME_LEN - 1] = (uint8_t)sum;
	one(frame);
	return 0;
}
