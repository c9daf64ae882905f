/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging for the daemon layers (STYLE 3.6). Library layers (codec, model)
 * never log. Backend: the journal with structured fields when stderr is
 * the journal or --log=journal, plain "jkbmsd: <bms>: message" lines on
 * stderr otherwise. Errors are passed as negative errno and returned, so
 * "return log_error_errno(r, "...: %m");" reads like systemd; %m prints
 * the error passed in.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

#include "jkbms/log-ids.h"

enum log_target {
	LOG_TARGET_AUTO, /* journal if stderr is the journal */
	LOG_TARGET_JOURNAL,
	LOG_TARGET_STDERR,
};

/* Debug categories (-d ble,mqtt; config "debug ="). */
enum log_cat {
	LOG_CAT_DEVICE = 1 << 0,
	LOG_CAT_FRAME = 1 << 1, /* frames as hex */
	LOG_CAT_BLE = 1 << 2,
	LOG_CAT_SERIAL = 1 << 3,
	LOG_CAT_MODBUS = 1 << 4,
	LOG_CAT_CAN = 1 << 5,
	LOG_CAT_MQTT = 1 << 6,
	LOG_CAT_HISTORY = 1 << 7,
	LOG_CAT_CONTROL = 1 << 8,
	LOG_CAT_SIM = 1 << 9,
	LOG_CAT_CONFIG = 1 << 10,
	LOG_CAT_ALL = (1 << 11) - 1,
};

/* What a device message carries into the journal; NULL members omitted. */
struct log_ctx {
	const char *bms;
	const char *bank;
	const char *transport;
	const char *address;
	const char *alarm; /* JKBMS_ALARM: alarm events only */
};

/* Parses "auto", "journal", "stderr"; -EINVAL otherwise. */
int log_target_from_string(const char *s, enum log_target *ret);
void log_open(enum log_target target);
bool log_to_journal(void);
/* Maximum syslog priority written (LOG_INFO by default). */
void log_set_level(int prio);
int log_get_level(void);

/* "ble,mqtt", "all", "" -> mask; -EINVAL naming no category. */
int log_parse_categories(const char *s, unsigned *ret_mask);
/* mask -> "ble,mqtt" ("" for none), truncated to size; returns buf. */
char *log_format_categories(unsigned mask, char *buf, size_t size);
void log_set_debug(unsigned mask);
unsigned log_get_debug(void);
/* SIGUSR2: debug off if any category is on, else back on (all if none). */
void log_toggle_debug(void);
bool log_debug_enabled(unsigned cat);

/*
 * The one writer. err is 0 or a negative errno (ERRNO= and %m);
 * message_id may be NULL. Returns err, or 0.
 */
int log_full(int prio, int err, const char *message_id,
	     const struct log_ctx *ctx, const char *file, int line,
	     const char *func, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

#define log_at(prio, ...) \
	log_full(prio, 0, NULL, NULL, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define log_error(...)   log_at(LOG_ERR, __VA_ARGS__)
#define log_warning(...) log_at(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)  log_at(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)    log_at(LOG_INFO, __VA_ARGS__)
#define log_debug(...)   log_at(LOG_DEBUG, __VA_ARGS__)
#define log_errno(prio, r, ...) \
	log_full(prio, r, NULL, NULL, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define log_error_errno(r, ...)   log_errno(LOG_ERR, r, __VA_ARGS__)
#define log_warning_errno(r, ...) log_errno(LOG_WARNING, r, __VA_ARGS__)
/* Debug message of a category: cheap when the category is off. */
#define log_debug_cat(cat, ...) \
	(log_debug_enabled(cat) ? log_debug(__VA_ARGS__) : 0)

/* Device messages: "jkbmsd: <bms>: ..." plus JKBMS_* journal fields. */
#define dev_log(ctx, prio, ...) \
	log_full(prio, 0, NULL, ctx, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define dev_log_errno(ctx, prio, r, ...) \
	log_full(prio, r, NULL, ctx, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define dev_log_id(ctx, prio, id, ...) \
	log_full(prio, 0, id, ctx, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define dev_log_debug(ctx, cat, ...) \
	(log_debug_enabled(cat) ? dev_log(ctx, LOG_DEBUG, __VA_ARGS__) : 0)

/*
 * Flapping damper for repeated messages (bgpd log_statechange): within a
 * window the first LOG_DAMP_BURST messages pass, the rest are counted.
 * Returns true if this one should be logged at its normal priority;
 * *ret_suppressed is how many were held back since the last logged one.
 */
#define LOG_DAMP_BURST       3
#define LOG_DAMP_WINDOW_USEC (UINT64_C(600) * 1000000)

struct log_damp {
	uint64_t window_start;
	unsigned count;
	unsigned suppressed;
};

bool log_damp_check(struct log_damp *d, uint64_t now_usec,
		    unsigned *ret_suppressed);
