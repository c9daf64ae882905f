/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The settings write path (DESIGN "The two-password scheme"), the same for
 * every source: guard (settings password or an open authorisation window,
 * lockout after repeated failures) -> validate (settings_validate) ->
 * encode -> send -> re-read the settings -> compare -> audit -> result.
 * Writes to one BMS are serialised. Implemented in src/device/write*.c,
 * the audit records in src/device/audit.c.
 *
 * Passwords: the write path compares them (constant time) and forgets
 * them before device_write()/device_auth_open() return; it never stores,
 * logs or publishes one. Callers wipe their own copies (explicit_bzero)
 * right after the call.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "jkbms/settings.h"

struct device;

enum write_source {
	WRITE_SOURCE_CONTROL, /* jkbmsctl over the control socket */
	WRITE_SOURCE_MQTT,    /* jkbms/<bms>/set/<key> */
	WRITE_SOURCE_HA,      /* a Home Assistant entity command */
	WRITE_SOURCE__MAX,
};

struct write_request {
	enum write_source source;
	char origin[64]; /* "uid 1000 pid 4242", or the MQTT client */
	enum setting_id id;
	int64_t value; /* scaled as in settings_table; ignored for buttons */
	/*
	 * The settings password; NULL: an open window (or, for
	 * WRITE_SOURCE_HA only, "writes = always" in the BMS's config).
	 */
	const char *password;
	/*
	 * The user confirmed a dangerous command (S_DANGEROUS in the table:
	 * presets, shutdown, factory reset); without it they are refused.
	 */
	bool force;
};

/*
 * SETTING_PRESET_LIION/LFP/LTO on a variant without the BMS's own preset
 * command (all but JK02_32S) are written as the manual's appendix values,
 * one setting after the other, validated as a whole before the first is
 * sent and read back together; the result then names the preset and says
 * how many settings were written (or the first one the BMS did not take).
 */

enum write_outcome {
	WRITE_APPLIED,     /* the BMS holds the new value (read back) */
	WRITE_SENT,        /* sent and acknowledged; nothing to read back */
	WRITE_NOT_APPLIED, /* sent, but the BMS holds another value */
	WRITE_REFUSED,     /* validation failed; nothing sent */
	WRITE_DENIED,      /* no or wrong password, no window, writes off */
	WRITE_LOCKED,      /* too many failures: writes locked for a while */
	WRITE_FAILED,      /* link down, timeout, queue full */
	WRITE_OUTCOME__MAX,
};

struct write_result {
	enum write_outcome outcome;
	enum setting_id id;
	bool has_old, has_held;
	int64_t old_value;  /* before the write */
	int64_t new_value;  /* requested */
	int64_t held_value; /* what the BMS reported afterwards */
	char message[200];  /* for people: the rule broken, the reason */
	char warning[160];
};

typedef void (*write_done_func_t)(const struct write_result *res,
				  void *userdata);

/*
 * Starts a write; done is called exactly once, possibly before this
 * returns (refusals) or later (after the read-back). Returns 0, or a
 * negative errno if the request itself is malformed (done not called):
 * -EINVAL for an unknown setting id or source.
 */
int device_write(struct device *dev, const struct write_request *req,
		 write_done_func_t done, void *userdata);
/*
 * Opens an authorisation window for duration_usec (capped at
 * WRITE_AUTH_MAX_USEC) after checking the settings password; 0, -EACCES
 * (wrong), -ENOLCK (locked out), -EPERM (writes = no), -ENOTCONN (the BMS
 * has not reported its settings password yet). Audited like a write (key
 * "auth"). A wrong password counts towards the lockout.
 */
int device_auth_open(struct device *dev, const char *password,
		     uint64_t duration_usec, enum write_source source,
		     const char *origin);
void device_auth_close(struct device *dev);
/* Remaining window in microseconds (0: closed). */
uint64_t device_auth_remaining(const struct device *dev);
/* Remaining lockout in microseconds (0: writes not locked). */
uint64_t device_write_lockout_remaining(const struct device *dev);

#define WRITE_AUTH_DEFAULT_USEC (UINT64_C(600) * 1000000)
#define WRITE_AUTH_MAX_USEC     (UINT64_C(86400) * 1000000)
/* Writes waiting behind the one in progress, per BMS. */
#define WRITE_QUEUE_MAX         32

/* "applied", "sent", "not-applied", "refused", "denied", "locked", "failed" */
const char *write_outcome_name(enum write_outcome o);
/* "control", "mqtt", "ha" */
const char *write_source_name(enum write_source s);
/* The outcomes that mean success: APPLIED and SENT. */
bool write_outcome_ok(enum write_outcome o);

/* Every attempt, accepted or refused: journal + history (audit). */
struct audit_record {
	uint64_t realtime_usec;
	const char *bms;
	enum write_source source;
	const char *origin;
	const char *key;    /* setting key, or "auth" */
	char old_value[32]; /* formatted, "" if unknown */
	char new_value[32];
	enum write_outcome outcome;
	const char *message;
};

typedef void (*audit_func_t)(const struct audit_record *rec, void *userdata);
/* Observers of audit records (the history sink); global, few. */
unsigned audit_watch_add(audit_func_t func, void *userdata);
void audit_watch_remove(unsigned id);
