/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Value syntax of the configuration: numbers, booleans, durations with
 * units, fixed-point decimals, MAC addresses, names and MQTT topics. Each
 * parser returns 0, -EINVAL (bad syntax) or -ERANGE (too large); each
 * formatter prints what its parser reads back to the same value.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jkbms/util.h"

#define CONF_NAME_MAX   32 /* [bms NAME], [bank NAME] ... */
#define CONF_MAC_LEN    17 /* AA:BB:CC:DD:EE:FF */
#define CONF_NUMBER_MAX 32 /* room for any formatted number */

#define USEC_PER_MINUTE (60 * USEC_PER_SEC)
#define USEC_PER_HOUR   (60 * USEC_PER_MINUTE)
#define USEC_PER_DAY    (24 * USEC_PER_HOUR)

/* Digits only, no sign, no base prefix. */
int conf_parse_u64(const char *s, uint64_t *ret);
int conf_parse_bool(const char *s, bool *ret);
const char *conf_format_bool(bool b);

/*
 * One or more <number><unit> parts, optionally separated by blanks
 * ("1h 30m"), units us, ms, s, m, h, d; a bare number is seconds.
 */
int conf_parse_duration(const char *s, uint64_t *ret_usec);
/* The largest unit that divides the value exactly: "7d", "90s", "500ms". */
char *conf_format_duration(uint64_t usec, char *buf, size_t size);

/* "280", "2.5": value * scale, scale a power of ten (at most 10^9). */
int conf_parse_decimal(const char *s, uint64_t scale, uint64_t *ret);
char *conf_format_decimal(uint64_t v, uint64_t scale, char *buf, size_t size);

/* AA:BB:CC:DD:EE:FF in either case; returns it in upper case. */
int conf_parse_mac(const char *s, char ret[CONF_MAC_LEN + 1]);

/* [a-z0-9_-]{1,32}: names of BMSs, banks and buses (topics, journal). */
bool conf_name_valid(const char *s);
/* No white space. */
bool conf_word_valid(const char *s);
/* MQTT topic levels: not empty, no '+', '#', no empty level. */
bool conf_topic_valid(const char *s);
