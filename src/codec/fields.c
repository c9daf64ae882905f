/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The field table, expanded from fields.def. ENUM fields get their value
 * names here; a new ENUM field without an enum_names_<ID> list below fails
 * to compile, so no ENUM is ever published as a bare number.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "jkbms/fields.h"

#include "tables-private.h"

/* By enum balancing_state (protocols.md 1.6 offset 140, 1.7 offset 172). */
static const char *const enum_names_BALANCING[] = {
	[BALANCING_OFF] = "off",
	[BALANCING_CHARGING] = "charging",
	[BALANCING_DISCHARGING] = "discharging",
	NULL,
};

#define enum_names_VARIANT jk_variant_names

/* Picks the enum_names column from the type column. */
#define NAMES_NUM(id)    NULL
#define NAMES_BOOL(id)   NULL
#define NAMES_TEXT(id)   NULL
#define NAMES_CELLS(id)  NULL
#define NAMES_ALARMS(id) NULL
#define NAMES_ENUM(id)   enum_names_##id

/* clang-format off */
const struct field_desc field_table[FIELD__MAX] = {
#define FIELD(id, k, l, t, u, d, p, dc, sc, f)				\
	[FIELD_##id] = {						\
		.key = k,						\
		.label = l,						\
		.type = FIELD_TYPE_##t,					\
		.unit = u,						\
		.decimals = d,						\
		.precision = p,						\
		.device_class = dc,					\
		.state_class = sc,					\
		.flags = f,						\
		.enum_names = NAMES_##t(id),				\
	},
#include "jkbms/fields.def"
#undef FIELD
};
/* clang-format on */

int field_from_key(const char *key)
{
	int i;

	if (!key)
		return -ENOENT;
	for (i = 0; i < FIELD__MAX; i++)
		if (!strcmp(field_table[i].key, key))
			return i;
	return -ENOENT;
}
