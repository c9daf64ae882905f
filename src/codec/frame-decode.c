/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jk_frame_decode: checks a "55 AA EB 90" frame and hands it to the decoder
 * of its type. Resets only what a decoder fills (the bitsets, the cell
 * count, the logbook count), never whole structs: this runs twice a second
 * per BMS and the struct is kilobytes.
 */
#include <errno.h>

#include "codec-private.h"

int jk_frame_decode(const uint8_t *frame, size_t len, enum jk_variant variant,
		    struct jk_decoded *out)
{
	int r, r2;

	if (!out)
		return -EINVAL;
	r = jk_frame_check(frame, len);
	if (r < 0)
		return r;
	out->type = (enum jk_frame_type)frame[JK_FRAME_TYPE_OFF];
	out->variant = variant;
	out->counter = frame[JK_FRAME_COUNTER_OFF];
	field_values_reset(&out->fields);
	bits_zero(&out->settings.set);
	out->logbook.count = 0;
	out->logbook.n = 0;

	switch (out->type) {
	case JK_FRAME_CELL_INFO:
		return jk_cell_info_decode(frame, variant, &out->fields);
	case JK_FRAME_SETTINGS:
		if (!jk_variant_is_ble(variant))
			return jk_variant_error(variant);
		return jk_settings_frame_decode(frame, variant, &out->settings);
	case JK_FRAME_DEVICE_INFO:
		r = jk_device_info_decode(frame, &out->fields, &out->secrets);
		/* the settings read back from here need the layout */
		if (!jk_variant_is_ble(variant))
			return r;
		r2 = jk_settings_frame_decode(frame, variant, &out->settings);
		return r < 0 ? r : r2;
	case JK_FRAME_LOGBOOK:
		return jk_logbook_decode(frame, &out->logbook);
	}
	return -EPROTO;
}
