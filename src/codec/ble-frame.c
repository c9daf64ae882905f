/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reassembly of the 300-byte "55 AA EB 90" frames from a byte stream cut
 * anywhere: BLE notifications of 20 to 244 bytes, or RS485 reads of the PB
 * trigger replies. protocols.md 1.4: scan for the header, check the type at
 * byte 4 as soon as it arrives, wait for 300 bytes, check the additive
 * checksum at byte 299; on failure resync at the next header inside the
 * bytes already buffered, never 300 bytes further, so a truncated frame
 * cannot swallow the good one behind it. What lies between frames (the C8
 * ack, "AT\r\n", the PB Modbus ACK and its stray 00) is skipped and counted.
 * The only memory is struct jk_reasm.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "codec-private.h"

static const uint8_t frame_magic[] = {
	JK_FRAME_MAGIC0, JK_FRAME_MAGIC1, JK_FRAME_MAGIC2, JK_FRAME_MAGIC3,
};

/* The C8 acknowledge: "AA 55 90 EB C8 01 01 00..00 44" (protocols.md 1.2). */
static const uint8_t ack_prefix[] = {
	JK_CMD_MAGIC0, JK_CMD_MAGIC1, JK_CMD_MAGIC2, JK_CMD_MAGIC3, JK_ACK_REG,
};

#define MAGIC_LEN sizeof(frame_magic)

void jk_reasm_init(struct jk_reasm *r)
{
	memset(r, 0, sizeof(*r));
}

static bool type_known(uint8_t type)
{
	return type == JK_FRAME_SETTINGS || type == JK_FRAME_CELL_INFO ||
	       type == JK_FRAME_DEVICE_INFO || type == JK_FRAME_LOGBOOK;
}

/*
 * Drops n bytes that are not part of a good frame. The acks are counted on
 * this skipped stream, in order, whether the bytes were junk from the start
 * or the remains of a rejected candidate.
 */
static void skip(struct jk_reasm *r, const uint8_t *p, size_t n)
{
	size_t i;

	r->bytes_skipped += n;
	for (i = 0; i < n; i++) {
		if (p[i] == ack_prefix[r->ack_match]) {
			if (++r->ack_match == sizeof(ack_prefix)) {
				r->acks++;
				r->ack_match = 0;
			}
		} else {
			r->ack_match = p[i] == ack_prefix[0] ? 1 : 0;
		}
	}
}

/*
 * The candidate in buf is bad: keep from the next header (or header prefix
 * at the very end) after its first byte, drop what comes before it.
 */
static void resync(struct jk_reasm *r)
{
	size_t i, n;

	for (i = 1; i < r->len; i++) {
		n = r->len - i < MAGIC_LEN ? r->len - i : MAGIC_LEN;
		if (!memcmp(r->buf + i, frame_magic, n))
			break;
	}
	skip(r, r->buf, i);
	memmove(r->buf, r->buf + i, r->len - i);
	r->len -= i;
}

/* Rejects the candidate, and each following one whose type is wrong too. */
static void reject(struct jk_reasm *r)
{
	do {
		r->frames_bad++;
		resync(r);
	} while (r->len > JK_FRAME_TYPE_OFF &&
		 !type_known(r->buf[JK_FRAME_TYPE_OFF]));
}

/* One byte while looking for the header (len < 4). */
static void hunt(struct jk_reasm *r, uint8_t b)
{
	if (b == frame_magic[r->len]) {
		r->buf[r->len++] = b;
		return;
	}
	/* No proper suffix of a header prefix starts a header: drop it all. */
	skip(r, r->buf, r->len);
	if (b == frame_magic[0]) {
		r->buf[0] = b;
		r->len = 1;
	} else {
		r->len = 0;
		skip(r, &b, 1);
	}
}

int jk_reasm_next(struct jk_reasm *r, const uint8_t **data, size_t *len,
		  const uint8_t **ret_frame)
{
	const uint8_t *p = *data;
	size_t n = *len, take;
	int ret = -EAGAIN;

	while (n > 0) {
		if (r->len < MAGIC_LEN) {
			hunt(r, *p++);
			n--;
			continue;
		}
		if (r->len == JK_FRAME_TYPE_OFF) {
			r->buf[r->len++] = *p++;
			n--;
			if (!type_known(r->buf[JK_FRAME_TYPE_OFF]))
				reject(r);
			continue;
		}
		take = JK_FRAME_LEN - r->len;
		if (take > n)
			take = n;
		memcpy(r->buf + r->len, p, take);
		r->len += take;
		p += take;
		n -= take;
		if (r->len < JK_FRAME_LEN)
			break;
		if (r->buf[JK_FRAME_CSUM_OFF] !=
		    jk_checksum(r->buf, JK_FRAME_CSUM_OFF)) {
			reject(r);
			continue;
		}
		r->frames_good++;
		r->len = 0;
		r->ack_match = 0;	/* the skipped stream is cut here */
		*ret_frame = r->buf;
		ret = 0;
		break;
	}
	*data = p;
	*len = n;
	return ret;
}
