/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Protocol variant names (DESIGN "Names that leave the process": the
 * "variant" key and the config's variant = ...). The name table is also the
 * enum_names of the "variant" field.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "jkbms/variant.h"

#include "tables-private.h"

const char *const jk_variant_names[JK_VARIANT__MAX + 1] = {
	[JK_VARIANT_JK02_24S] = "jk02_24s",
	[JK_VARIANT_JK02_32S] = "jk02_32s",
	[JK_VARIANT_JK04] = "jk04",
	[JK_VARIANT_SERIAL] = "serial",
	[JK_VARIANT_PB_MODBUS] = "pb_modbus",
	[JK_VARIANT_CAN] = "can",
	[JK_VARIANT__MAX] = NULL,
};

/* ASCII case-insensitive equality: config files say "JK02_32S" too. */
static bool name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

const char *jk_variant_name(enum jk_variant v)
{
	if (v < 0 || v >= JK_VARIANT__MAX)
		return NULL;
	return jk_variant_names[v];
}

int jk_variant_from_name(const char *name, enum jk_variant *ret)
{
	int i;

	if (!name)
		return -EINVAL;
	if (name_eq(name, "auto")) {
		*ret = JK_VARIANT_AUTO;
		return 0;
	}
	for (i = 0; i < JK_VARIANT__MAX; i++) {
		if (name_eq(name, jk_variant_names[i])) {
			*ret = (enum jk_variant)i;
			return 0;
		}
	}
	return -EINVAL;
}
