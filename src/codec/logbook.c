/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logbook frames (type 0x05, the answer to request 0xA1 on JK02_32S),
 * protocols.md 1.11 and BLE-LOG-01: u32 entry count at 6, an unknown byte
 * at 10, then 5-byte entries from 11 (u32 timestamp in seconds, u8 event
 * code). 57 entries fit before the checksum; a larger count decodes the
 * first 57.
 */
#include <errno.h>

#include "codec-private.h"

#define OFF_COUNT	6
#define OFF_ENTRIES	11
#define ENTRY_LEN	5

int jk_logbook_decode(const uint8_t *frame, struct jk_logbook *out)
{
	uint32_t n;
	size_t off;
	uint8_t i;

	out->count = get_u32(frame, OFF_COUNT);
	n = out->count < JK_LOGBOOK_MAX ? out->count : JK_LOGBOOK_MAX;
	for (i = 0; i < n; i++) {
		off = OFF_ENTRIES + (size_t)i * ENTRY_LEN;
		out->entry[i].time = get_u32(frame, off);
		out->entry[i].code = get_u8(frame, off + 4);
	}
	out->n = (uint8_t)n;
	return 0;
}

/* lb->n must be the decoded count: min(lb->count, JK_LOGBOOK_MAX). */
int jk_frame_encode_logbook(const struct jk_logbook *lb, uint8_t counter,
			    uint8_t out[JK_FRAME_LEN])
{
	uint32_t n;
	size_t off;
	uint8_t i;

	if (!lb || !out)
		return -EINVAL;
	n = lb->count < JK_LOGBOOK_MAX ? lb->count : JK_LOGBOOK_MAX;
	if (lb->n != n)
		return -EINVAL;
	jk_frame_begin(out, JK_FRAME_LOGBOOK, counter);
	put_u32(out, OFF_COUNT, lb->count);
	for (i = 0; i < n; i++) {
		off = OFF_ENTRIES + (size_t)i * ENTRY_LEN;
		put_u32(out, off, lb->entry[i].time);
		put_u8(out, off + 4, lb->entry[i].code);
	}
	jk_frame_finish(out);
	return 0;
}
