/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration key table: one entry per key, with its section, type,
 * range, default, target in struct conf and help text. Parsing, defaults,
 * range checks, conf_print and the man page's key list all iterate it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jkbms/conf.h"

enum conf_section_kind {
	SECTION_DAEMON,
	SECTION_MQTT,
	SECTION_HISTORY,
	SECTION_RS485,
	SECTION_BMS,
	SECTION_BANK,
	SECTION__MAX,
};

enum conf_type {
	CONF_STRING,      /* text, one line, not empty */
	CONF_PATH,        /* absolute path */
	CONF_BOOL,        /* yes|no, true|false, on|off, 1|0 */
	CONF_UINT,        /* decimal, min ... max */
	CONF_DURATION,    /* 500ms, 5s, 10m, 1h, 7d; stored / scale */
	CONF_ENUM,        /* one of names[] */
	CONF_LIST,        /* comma list of names[]: "a,b" */
	CONF_MEMBERS,     /* comma list of BMS names: char ** + count */
	CONF_SECRET,      /* inline password, min ... max characters */
	CONF_SECRET_FILE, /* a 0600 file whose first line is the secret */
	CONF_ADDRESS,     /* MAC (ble) or Modbus address 1 ... 247 */
	CONF_VARIANT,     /* auto or a protocol variant name */
	CONF_DECIMAL,     /* fixed point, stored * scale (Ah -> mAh) */
	CONF_REAL,        /* decimal number kept as a double */
};

/* Extra syntax checks of a CONF_STRING value. */
enum conf_check {
	CHECK_NONE,
	CHECK_WORD,    /* no white space */
	CHECK_TOPIC,   /* MQTT topic without wildcards */
	CHECK_ADAPTER, /* hci0, hci1 ... */
	CHECK_NAME,    /* a section NAME: [a-z0-9_-]{1,32} */
	CHECK_ASCII,   /* printable ASCII only (BMS passwords) */
};

struct conf_name {
	const char *name;
	int value;
};

#define TRANSPORT_BIT(t) (1u << (t))
#define TRANSPORTS_ALL   ((1u << TRANSPORT__MAX) - 1)

struct conf_key {
	enum conf_section_kind section;
	const char *key;
	enum conf_type type;
	size_t offset; /* in the section's struct */
	size_t size;   /* of that member */
	/* CONF_MEMBERS: the count; CONF_SECRET_FILE: where the secret goes */
	size_t offset2;
	const char *def;     /* default, parsed as a value; or NULL */
	const char *doc_def; /* default as the man page says it */
	uint64_t min, max;   /* UINT, DURATION (us), DECIMAL, SECRET */
	double fmin, fmax;   /* REAL */
	uint64_t scale;      /* DURATION: us per stored unit */
	enum conf_check check;
	const struct conf_name *names; /* ENUM, LIST */
	const char *pair;              /* SECRET <-> SECRET_FILE: the other */
	unsigned transports;           /* [bms]: where it applies; 0: all */
	unsigned required;             /* [bms]: transports that need it */
	bool required_always;          /* other sections: must be given */
	const char *help;
};

extern const struct conf_key conf_keys[];
extern const size_t conf_keys_count;

extern const struct conf_name conf_transport_names[];
extern const struct conf_name conf_debug_names[];

/* "daemon", "bms" ...; SECTION__MAX if unknown. */
enum conf_section_kind conf_section_from_name(const char *s);
const char *conf_section_name(enum conf_section_kind k);
/* [bms NAME], [bank NAME], [rs485 NAME] are named, the others are not. */
bool conf_section_named(enum conf_section_kind k);

/* Index of the key in conf_keys[], or -ENOENT. */
int conf_key_find(enum conf_section_kind k, const char *key);
/* Does the key apply to a [bms] of this transport (always for others)? */
bool conf_key_applies(const struct conf_key *k, enum conf_transport t);
bool conf_key_required(const struct conf_key *k, enum conf_transport t);
/* Is the protocol variant (or JK_VARIANT_AUTO) valid for the transport? */
bool conf_variant_allowed(enum conf_transport t, int variant);

const char *conf_name_of(const struct conf_name *names, int value);
int conf_name_lookup(const struct conf_name *names, const char *s, int *ret);
