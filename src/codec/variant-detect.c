/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which of the three BLE layouts a BMS speaks (protocols.md 1.5). First the
 * software version of the device-info frame: major >= 11 is JK02_32S (the
 * rule of aiobmsble and batmon; BLE-32S-05 is SW 11.48 on a B-series
 * board). Below 11 the frames themselves tell JK04 from JK02_24S: a JK04
 * settings frame carries float 1.0 at 6 (BLE-04-02), a JK04 cell frame
 * float volts at 6, 10, ... (BLE-04-01/02), a JK02 cell frame u16 mV with
 * a contiguous cell mask at 54 (24S) or 70 (32S). When a frame does not
 * tell, the answer is JK_VARIANT_AUTO, never a guess.
 */
#include <stdbool.h>

#include "codec-private.h"

/* Longest major number we parse ("19" today). */
#define MAJOR_DIGITS_MAX 3

enum jk_variant jk_variant_from_software(const char *sw)
{
	unsigned major = 0, digits = 0;

	if (!sw)
		return JK_VARIANT_AUTO;
	while (*sw == ' ')
		sw++;
	if (*sw == 'V' || *sw == 'v')
		sw++;
	for (; *sw >= '0' && *sw <= '9'; sw++) {
		if (++digits > MAJOR_DIGITS_MAX)
			return JK_VARIANT_AUTO;
		major = major * 10 + (unsigned)(*sw - '0');
	}
	/* "10.07", "3.3.0", "8.0.3M", a bare "11"; not "11A" or "" */
	if (!digits || (*sw != '.' && *sw != '\0'))
		return JK_VARIANT_AUTO;
	return major >= 11 ? JK_VARIANT_JK02_32S : JK_VARIANT_JK02_24S;
}

/* JK04 cells are float volts; 0.5 .. 6 V covers every chemistry. */
static bool plausible_cell_f32(float v)
{
	return v >= 0.5f && v <= 6.0f;
}

#define JK02_CELL_MAX_MV 6000

/*
 * The frame read as a JK02 cell frame with 'slots' u16 cells at 6 and the
 * cell mask at mask_off: the mask is 2^n - 1 with 1 <= n <= slots, the n
 * cells are within a cell's range and every slot after them is 0. A 24S
 * frame read as 32S fails on its own mask (slots 25/26), a 32S frame read
 * as 24S on its cells 25/26 (its mask slot is zero below 25 cells).
 */
static bool jk02_cells_consistent(const uint8_t *f, unsigned slots,
				  size_t mask_off)
{
	uint32_t mask = get_u32(f, mask_off);
	unsigned n = 0, i;

	if (!mask || (mask & (mask + 1)))
		return false;
	while (n < 32 && (mask >> n) & 1)
		n++;
	if (n > slots)
		return false;
	for (i = 0; i < slots; i++) {
		uint16_t mv = get_u16(f, 6 + 2 * i);

		if (i < n ? mv > JK02_CELL_MAX_MV : mv != 0)
			return false;
	}
	return true;
}

static enum jk_variant from_cell_info(const uint8_t *f)
{
	bool s24, s32;
	float c2;

	c2 = get_f32(f, 10);
	if (plausible_cell_f32(get_f32(f, 6)) &&
	    (c2 == 0.0f || plausible_cell_f32(c2)))
		return JK_VARIANT_JK04;
	s24 = jk02_cells_consistent(f, 24, 54);
	s32 = jk02_cells_consistent(f, 32, 70);
	if (s24 != s32)
		return s24 ? JK_VARIANT_JK02_24S : JK_VARIANT_JK02_32S;
	return JK_VARIANT_AUTO;
}

enum jk_variant jk_variant_from_frame(const uint8_t *frame, size_t len)
{
	if (jk_frame_check(frame, len) < 0)
		return JK_VARIANT_AUTO;
	switch ((enum jk_frame_type)frame[JK_FRAME_TYPE_OFF]) {
	case JK_FRAME_SETTINGS:
		/* float 1.0 "00 00 80 3F"; JK02 has a voltage in mV here */
		if (get_u32(frame, 6) == 0x3F800000u)
			return JK_VARIANT_JK04;
		return JK_VARIANT_AUTO;
	case JK_FRAME_CELL_INFO:
		return from_cell_info(frame);
	case JK_FRAME_DEVICE_INFO:
	case JK_FRAME_LOGBOOK:
		break;
	}
	return JK_VARIANT_AUTO;
}
