/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The field table (fields.def) and the value container every layer passes
 * around. Values are scaled integers (value * 10^decimals), so JSON, SQLite
 * and CSV print them exactly and the codecs never touch floating point on
 * the hot path.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jkbms/bits.h"

#define JK_CELLS_MAX	32
#define FIELD_TEXT_MAX	24	/* device-info strings are 16 bytes + NUL */

enum field_id {
#define FIELD(id, ...) FIELD_##id,
#include "jkbms/fields.def"
#undef FIELD
	FIELD__MAX,
};

enum field_type {
	FIELD_TYPE_NUM,
	FIELD_TYPE_BOOL,
	FIELD_TYPE_ENUM,
	FIELD_TYPE_TEXT,
	FIELD_TYPE_CELLS,
	FIELD_TYPE_ALARMS,
};

enum field_flag {
	F_LIVE = 1 << 0,
	F_INFO = 1 << 1,
	F_HISTORY = 1 << 2,
	F_DERIVED = 1 << 3,
	F_BANK = 1 << 4,
	F_BANK_ONLY = 1 << 5,
	F_DIAG = 1 << 6,
	F_PERSIST = 1 << 7,
};

struct field_desc {
	const char *key;
	const char *label;
	enum field_type type;
	const char *unit;		/* NULL: dimensionless */
	uint8_t decimals;
	uint8_t precision;
	const char *device_class;	/* Home Assistant, NULL: none */
	const char *state_class;	/* Home Assistant, NULL: none */
	unsigned flags;
	const char *const *enum_names;	/* ENUM: NULL-terminated, by value */
};

extern const struct field_desc field_table[FIELD__MAX];

/* ENUM values. */
enum balancing_state {
	BALANCING_OFF,
	BALANCING_CHARGING,
	BALANCING_DISCHARGING,
};

/* Looks a field up by key; -ENOENT if none. */
int field_from_key(const char *key);

/*
 * One set of values: what a frame decoded to, or a BMS's whole state.
 * 'set' says which fields hold a value; nothing else is meaningful.
 * NUM/BOOL/ENUM live in num[], TEXT in text[], CELLS in the two arrays
 * (first ncells entries, cell 1 first; voltage in mV, resistance in mOhm).
 */
struct field_values {
	struct bits set;
	int64_t num[FIELD__MAX];
	uint8_t ncells;
	int32_t cell_voltage[JK_CELLS_MAX];
	int32_t cell_resistance[JK_CELLS_MAX];
	char text[FIELD__MAX][FIELD_TEXT_MAX];
};

static inline bool field_has(const struct field_values *v, enum field_id id)
{
	return bits_test(&v->set, (unsigned)id);
}

static inline void field_set_num(struct field_values *v, enum field_id id,
				 int64_t value)
{
	v->num[id] = value;
	bits_set(&v->set, (unsigned)id);
}

/* Clears the set without touching the storage (cheap on hot paths). */
static inline void field_values_reset(struct field_values *v)
{
	bits_zero(&v->set);
	v->ncells = 0;
}
