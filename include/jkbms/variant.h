/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Protocol variants: how a BMS lays out its frames (protocols.md 1.5). */
#pragma once

enum jk_variant {
	JK_VARIANT_JK02_24S,
	JK_VARIANT_JK02_32S,
	JK_VARIANT_JK04,
	JK_VARIANT_SERIAL,
	JK_VARIANT_PB_MODBUS,
	JK_VARIANT_CAN,
	JK_VARIANT__MAX,
	JK_VARIANT_AUTO = -1,	/* not yet known: detect it */
};

/* "jk02_24s" ...; NULL for AUTO or out of range. */
const char *jk_variant_name(enum jk_variant v);
/* Parses a name ("auto" gives JK_VARIANT_AUTO); -EINVAL if unknown. */
int jk_variant_from_name(const char *name, enum jk_variant *ret);
