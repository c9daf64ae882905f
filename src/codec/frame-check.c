/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks every "55 AA EB 90" frame passes before a decoder reads it
 * (protocols.md 1.4): length 300, magic, additive checksum at byte 299, and
 * a type the codec knows.
 */
#include <errno.h>

#include "codec-private.h"

const char *jk_frame_type_name(enum jk_frame_type t)
{
	switch (t) {
	case JK_FRAME_SETTINGS:
		return "settings";
	case JK_FRAME_CELL_INFO:
		return "cell_info";
	case JK_FRAME_DEVICE_INFO:
		return "device_info";
	case JK_FRAME_LOGBOOK:
		return "logbook";
	}
	return NULL;
}

/*
 * 0, -EAGAIN when shorter than a frame, -EBADMSG for a wrong length, magic
 * or checksum, -EPROTO for a good frame of an unknown type.
 */
int jk_frame_check(const uint8_t *frame, size_t len)
{
	if (!frame)
		return -EINVAL;
	if (len < JK_FRAME_LEN)
		return -EAGAIN;
	if (len > JK_FRAME_LEN)
		return -EBADMSG;
	if (frame[0] != JK_FRAME_MAGIC0 || frame[1] != JK_FRAME_MAGIC1 ||
	    frame[2] != JK_FRAME_MAGIC2 || frame[3] != JK_FRAME_MAGIC3)
		return -EBADMSG;
	if (frame[JK_FRAME_CSUM_OFF] != jk_checksum(frame, JK_FRAME_CSUM_OFF))
		return -EBADMSG;
	if (!jk_frame_type_name((enum jk_frame_type)frame[JK_FRAME_TYPE_OFF]))
		return -EPROTO;
	return 0;
}
