/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared between the table files of libjktables (fields.c, variant.c,
 * settings-table.c): name lists that more than one table points at.
 */
#pragma once

#include "jkbms/variant.h"

/* "jk02_24s" ... by enum jk_variant, NULL-terminated. */
extern const char *const jk_variant_names[JK_VARIANT__MAX + 1];
