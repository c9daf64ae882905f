/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the frame decoders. The input's first 300 bytes (zero
 * padded) become a frame with the magic set and the checksum fixed, so
 * every input reaches the decoder of its type byte; it is decoded with
 * every variant, including AUTO and out-of-range values. What decodes
 * cleanly must survive the encoders: decode(encode(decode(f))) equals
 * decode(f) for cell info, device info and logbook frames. Seeds:
 * tests/fuzz/corpus/frame-decode/ (every 300-byte vector frame).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/fields.h"
#include "jkbms/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct jk_decoded dec, again;

static bool same_values(const struct field_values *a,
			const struct field_values *b)
{
	unsigned i;

	if (memcmp(&a->set, &b->set, sizeof(a->set)) || a->ncells != b->ncells)
		return false;
	for (i = 0; i < a->ncells; i++)
		if (a->cell_voltage[i] != b->cell_voltage[i] ||
		    a->cell_resistance[i] != b->cell_resistance[i])
			return false;
	for (i = 0; i < FIELD__MAX; i++) {
		if (!field_has(a, (enum field_id)i))
			continue;
		if (field_table[i].type == FIELD_TYPE_TEXT) {
			if (strcmp(a->text[i], b->text[i]))
				return false;
		} else if (field_table[i].type != FIELD_TYPE_CELLS &&
			   a->num[i] != b->num[i]) {
			return false;
		}
	}
	return true;
}

static void round_trip(enum jk_variant v)
{
	uint8_t out[JK_FRAME_LEN];
	int r = -1;

	switch (dec.type) {
	case JK_FRAME_CELL_INFO:
		r = jk_frame_encode_cell_info(&dec.fields, v, dec.counter, out);
		break;
	case JK_FRAME_DEVICE_INFO:
		r = jk_frame_encode_device_info(&dec.fields, &dec.secrets, v,
						dec.counter, out);
		break;
	case JK_FRAME_LOGBOOK:
		r = jk_frame_encode_logbook(&dec.logbook, dec.counter, out);
		break;
	case JK_FRAME_SETTINGS:
		return;	/* the settings fuzzer's */
	}
	if (r != 0)
		abort();
	if (jk_frame_decode(out, JK_FRAME_LEN, v, &again) != 0)
		abort();
	if (again.type != dec.type || again.counter != dec.counter ||
	    !same_values(&dec.fields, &again.fields))
		abort();
	if (dec.type == JK_FRAME_DEVICE_INFO &&
	    (strcmp(dec.secrets.connection_password,
		    again.secrets.connection_password) ||
	     strcmp(dec.secrets.settings_password,
		    again.secrets.settings_password)))
		abort();
	if (dec.type == JK_FRAME_LOGBOOK &&
	    (dec.logbook.count != again.logbook.count ||
	     dec.logbook.n != again.logbook.n ||
	     memcmp(dec.logbook.entry, again.logbook.entry,
		    dec.logbook.n * sizeof(dec.logbook.entry[0]))))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t frame[JK_FRAME_LEN] = { 0 };
	unsigned sum = 0;
	size_t i;
	int v, r;

	memcpy(frame, data, size < JK_FRAME_LEN ? size : JK_FRAME_LEN);
	frame[0] = 0x55;
	frame[1] = 0xAA;
	frame[2] = 0xEB;
	frame[3] = 0x90;
	for (i = 0; i < JK_FRAME_LEN - 1; i++)
		sum += frame[i];
	frame[JK_FRAME_LEN - 1] = (uint8_t)sum;

	jk_variant_from_frame(frame, JK_FRAME_LEN);
	for (v = JK_VARIANT_AUTO - 1; v <= JK_VARIANT__MAX; v++) {
		r = jk_frame_decode(frame, JK_FRAME_LEN, (enum jk_variant)v,
				    &dec);
		if (r > 0)
			abort();
		if (r == 0)
			round_trip((enum jk_variant)v);
	}
	/* a short or long buffer is refused before it is read */
	if (jk_frame_decode(frame, JK_FRAME_LEN - 1, JK_VARIANT_JK02_32S,
			    &dec) != -EAGAIN)
		abort();
	return 0;
}
