/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The settings write path (DESIGN "The two-password scheme"), the same for
 * every source: guard (settings password or an open authorisation window,
 * lockout after repeated failures) -> validate (settings_validate) ->
 * encode -> send -> re-read the settings -> compare -> audit -> result.
 * Writes to one BMS are serialised. Implemented in src/device/write.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "jkbms/settings.h"

struct device;

enum write_source {
	WRITE_SOURCE_CONTROL,	/* jkbmsctl over the control socket */
	WRITE_SOURCE_MQTT,	/* jkbms/<bms>/set/<key> */
	WRITE_SOURCE_HA,	/* a Home Assistant entity command */
};

struct write_request {
	enum write_source source;
	char origin[64];	/* "uid 1000 pid 4242", or the MQTT client */
	enum setting_id id;
	int64_t value;		/* scaled as in settings_table; 1 for buttons */
	const char *password;	/* settings password; NULL: use an open window */
	bool force;		/* confirmed dangerous command (factory reset) */
};

enum write_outcome {
	WRITE_APPLIED,		/* the BMS holds the new value (read back) */
	WRITE_SENT,		/* sent and acknowledged; nothing to read back */
	WRITE_NOT_APPLIED,	/* sent, but the BMS holds another value */
	WRITE_REFUSED,		/* validation failed; nothing sent */
	WRITE_DENIED,		/* no or wrong password, no window, writes off */
	WRITE_LOCKED,		/* too many failures: writes locked for a while */
	WRITE_FAILED,		/* link down, timeout, busy */
};

struct write_result {
	enum write_outcome outcome;
	enum setting_id id;
	bool has_old, has_held;
	int64_t old_value;	/* before the write */
	int64_t new_value;	/* requested */
	int64_t held_value;	/* what the BMS reported afterwards */
	char message[200];	/* for people: the rule broken, the reason */
	char warning[160];
};

typedef void (*write_done_func_t)(const struct write_result *res,
				  void *userdata);

/*
 * Starts a write; done is called exactly once, possibly before this
 * returns (refusals) or later (after the read-back). Returns 0, or a
 * negative errno if the request itself is malformed (done not called).
 */
int device_write(struct device *dev, const struct write_request *req,
		 write_done_func_t done, void *userdata);
/*
 * Opens an authorisation window for duration_usec after checking the
 * settings password; 0, -EACCES (wrong), -ENOLCK (locked out).
 */
int device_auth_open(struct device *dev, const char *password,
		     uint64_t duration_usec, enum write_source source,
		     const char *origin);
void device_auth_close(struct device *dev);
/* Remaining window in microseconds (0: closed). */
uint64_t device_auth_remaining(const struct device *dev);

const char *write_outcome_name(enum write_outcome o);

/* Every attempt, accepted or refused: journal + history (audit). */
struct audit_record {
	uint64_t realtime_usec;
	const char *bms;
	enum write_source source;
	const char *origin;
	const char *key;		/* setting key, or "auth" */
	char old_value[32];		/* formatted, "" if unknown */
	char new_value[32];
	enum write_outcome outcome;
	const char *message;
};

typedef void (*audit_func_t)(const struct audit_record *rec, void *userdata);
/* Observers of audit records (the history sink); global, few. */
unsigned audit_watch_add(audit_func_t func, void *userdata);
void audit_watch_remove(unsigned id);
