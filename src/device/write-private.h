/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The write path's per-BMS state, shared by write.c (queue, send, read
 * back), write-guard.c (passwords, window, lockout) and audit.c, and the
 * hooks the device calls (device.c, device-frames.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <systemd/sd-event.h>

#include "jkbms/frame.h"
#include "jkbms/settings.h"
#include "jkbms/write.h"

struct device;

/* Pacing and deadlines of one write (protocols.md 2 "Behaviour notes"). */
#define WRITE_PACE_USEC         (100 * UINT64_C(1000)) /* between commands */
#define WRITE_SETTLE_USEC       (250 * UINT64_C(1000)) /* write -> re-read */
#define WRITE_RETRY_USEC        (500 * UINT64_C(1000)) /* second re-read */
#define WRITE_READ_TIMEOUT_USEC (5 * UINT64_C(1000000))
/* Settings frames looked at before a value is reported not applied. */
#define WRITE_READS             2
/* The factory settings password (manual 5.3.3). */
#define WRITE_DEFAULT_PASSWORD  "123456"
#define WRITE_FAILURES_MAX      32 /* settings_max_failures' maximum */

struct write_job {
	struct write_job *next;
	struct write_request req; /* password always NULL here */
	write_done_func_t done;
	void *userdata;
};

enum write_phase {
	WRITE_IDLE,
	WRITE_SENDING,  /* commands go out one per WRITE_PACE_USEC */
	WRITE_SETTLING, /* sent; the BMS gets a moment before the re-read */
	WRITE_READING,  /* re-read requested; waiting for the frame */
};

struct write_state {
	struct device *dev;

	/* write-guard.c */
	uint64_t window_until; /* CLOCK_MONOTONIC; 0: closed */
	uint64_t locked_until; /* CLOCK_MONOTONIC; 0: not locked */
	uint64_t failures[WRITE_FAILURES_MAX]; /* times of wrong passwords */
	unsigned n_failures;
	char reported[JK_PASSCODE_MAX]; /* from device info; never shown */
	bool have_reported;
	bool warned_default; /* the factory settings password, said once */

	/* write.c: the queue and the write in progress */
	struct write_job *head, *tail;
	unsigned queued;
	struct write_job *cur;
	bool pumping;
	enum write_phase phase;
	struct setting_values plan; /* what is sent, and must read back */
	enum setting_id order[SETTING__MAX];
	unsigned n_plan, n_sent, reads;
	enum jk_frame_type read_frame; /* the frame that holds the values */
	uint64_t acks_before;
	sd_event_source *timer;
	struct write_result res;
};

/* write.c: the hooks of the device. */
struct write_state *write_state_get(struct device *dev);
/* Device info passed the connection check: keep the settings password. */
void write_note_secrets(struct device *dev, const struct jk_secrets *s);
/* A frame was decoded and merged into the model. */
void write_on_frame(struct device *dev, enum jk_frame_type type);
/* The device changed state: a write in progress fails when not online. */
void write_on_state(struct device *dev);
/* Fails what is queued and frees the state; from device_free(). */
void write_state_free(struct device *dev);

/* write-guard.c */
/*
 * Checks a request's right to write: 0 (go on), or fills res (outcome
 * DENIED, LOCKED or FAILED, message) and returns -EACCES. Counts a wrong
 * password towards the lockout.
 */
int write_guard(struct write_state *ws, const struct write_request *req,
		struct write_result *res);
void write_guard_wipe(struct write_state *ws);

/* audit.c */
void audit_emit(struct device *dev, enum write_source source,
		const char *origin, const char *key, const char *old_value,
		const char *new_value, enum write_outcome outcome,
		const char *message);
/* "3.650 V", "on": a setting's value for the journal and the audit. */
char *audit_format_value(enum setting_id id, int64_t value, char *buf,
			 size_t size);
