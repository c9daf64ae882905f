/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The settings table: every writable parameter once, with its range and
 * its place in each protocol variant. Validation, encoding, read-back,
 * discovery and jkbmsctl set all iterate it. Values are scaled integers
 * (value * 10^decimals in unit), like fields.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "jkbms/bits.h"
#include "jkbms/variant.h"

enum setting_id {
#define SETTING(id) SETTING_##id,
#include "jkbms/settings.def"
#undef SETTING
	SETTING__MAX,
};

enum setting_kind {
	SETTING_KIND_NUMBER,
	SETTING_KIND_SWITCH,
	SETTING_KIND_SELECT,
	SETTING_KIND_BUTTON,
};

/* How a value is laid out on the wire. */
enum wire_type {
	WIRE_NONE,
	WIRE_U8,
	WIRE_S8,
	WIRE_U16,
	WIRE_S16,
	WIRE_U32,
	WIRE_S32,
	WIRE_F32,
};

/* Where the read-back value of a setting is found. */
enum setting_source {
	SOURCE_NONE,		/* write-only: buttons, calibrations */
	SOURCE_SETTINGS,	/* settings frame (0x01) */
	SOURCE_DEVICE_INFO,	/* device-info frame (0x03) */
};

enum setting_flag {
	S_READONLY = 1 << 0,	/* shown, never written (manual: fixed) */
	S_DANGEROUS = 1 << 1,	/* factory reset, shutdown: needs --force */
	S_NO_HA = 1 << 2,	/* not announced to Home Assistant */
};

/*
 * A setting's place in one variant. reg == 0 and source == SOURCE_NONE
 * means "not on this variant". For integer wires the wire value is
 * value * 10^exp (exp may be negative); WIRE_F32 carries the SI value.
 * bit != 0xff: the setting is bit 'bit' of the integer at 'offset'
 * (written as 0/1 to its own register).
 * SERIAL ("4E 57"): reg is the data ID; the value is read back from the
 * record of the same ID in the read-all reply (source SOURCE_SETTINGS,
 * offset = the ID, read_wire = the record's width, big-endian there).
 */
struct setting_place {
	uint8_t reg;		/* BLE register, or serial data ID */
	uint8_t len;		/* bytes written: 0 (button), 1, 2, 4 */
	enum wire_type wire;	/* write encoding */
	enum setting_source source;
	uint16_t offset;	/* read-back offset in the source frame */
	enum wire_type read_wire; /* read-back encoding at offset */
	uint8_t bit;		/* 0xff: whole value */
	int8_t exp;
};

struct setting_desc {
	const char *key;
	const char *label;
	const char *unit;	/* NULL: dimensionless */
	uint8_t decimals;
	enum setting_kind kind;
	int64_t min, max, step;	/* scaled like the value */
	unsigned flags;
	const char *const *options; /* SELECT: NULL-terminated names by index */
	/* JK02_24S, JK02_32S, JK04, SERIAL (the "4E 57" data IDs) */
	struct setting_place place[JK_VARIANT_SERIAL + 1];
};

extern const struct setting_desc settings_table[SETTING__MAX];

/* -ENOENT if no setting has this key. */
int setting_from_key(const char *key);

/*
 * The setting's place on a variant, NULL if it has none. PB_MODBUS gets
 * the JK02_32S place of what the 32S frames hold (register = block base +
 * offset - 6, protocols.md 4.3); CAN and AUTO have none.
 */
const struct setting_place *setting_get_place(enum setting_id id,
					      enum jk_variant v);
/* True when the setting exists on this variant (setting_get_place()). */
bool setting_on_variant(enum setting_id id, enum jk_variant v);

struct setting_values {
	struct bits set;
	int64_t val[SETTING__MAX];
};
