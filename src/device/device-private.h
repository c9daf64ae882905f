/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The device object, shared by device.c and device-frames.c. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <systemd/sd-event.h>

#include "jkbms/device.h"
#include "jkbms/frame.h"
#include "jkbms/log.h"
#include "jkbms/state.h"
#include "jkbms/watchlist.h"

struct driver;

/* alarm-log.c: the alarm bits last logged, and their flapping damper. */
struct alarm_log {
	uint64_t bits;
	struct log_damp damp;
};
struct write_state;

/* Timeouts of the state machine. */
#define DEVICE_CONNECT_TIMEOUT_USEC   (UINT64_C(30) * 1000000)
#define DEVICE_HANDSHAKE_STEP_USEC    (UINT64_C(5) * 1000000)
#define DEVICE_HANDSHAKE_TRIES        3
#define DEVICE_DATA_TIMEOUT_USEC      (UINT64_C(10) * 1000000)
#define DEVICE_BACKOFF_BASE_USEC      (UINT64_C(2) * 1000000)
#define DEVICE_BACKOFF_MAX_USEC       (UINT64_C(300) * 1000000)
#define DEVICE_AUTH_BACKOFF_BASE_USEC (UINT64_C(30) * 1000000)
#define DEVICE_AUTH_BACKOFF_MAX_USEC  (UINT64_C(1800) * 1000000)
#define DEVICE_STABLE_USEC            (UINT64_C(60) * 1000000)
#define DEVICE_DEFAULT_PASSWORD       "1234"

struct device {
	const struct conf_bms *cfg;
	char *name;
	char *bank;
	const struct driver *driver;
	void *driver_data;
	sd_event *event;
	struct log_ctx log;

	enum device_state state;
	char reason[256];
	bool started;
	bool quiet; /* this connection cycle is damped */
	bool auth_said; /* the password mismatch is in the journal already */
	struct log_damp damp;
	struct watchlist watches;

	sd_event_source *timer; /* deadlines and backoff */
	unsigned attempt;       /* consecutive failures */
	unsigned tries;         /* handshake requests sent */
	uint32_t rnd;

	/* The frame pipeline. */
	struct jk_reasm reasm;
	struct jk_decoded decoded; /* scratch, too big for the stack */
	struct bms_state model;
	enum jk_variant variant; /* in use; AUTO until known */
	bool variant_confirmed;
	bool settings_stale; /* decoded before the variant was known */
	bool have_info;      /* device info seen, password good */
	bool have_cells;

	struct device_link_stats link;
	struct alarm_log alarm_log;

	/* The settings write path (write*.c), created on first use. */
	struct write_state *writes;
};

/* device.c */
void device_fail(struct device *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void device_auth_failed(struct device *dev);
void device_went_online(struct device *dev);
void device_send_request(struct device *dev, enum jk_request req);
void device_arm_timer(struct device *dev, uint64_t usec);
void device_notify(struct device *dev, enum device_event ev,
		   const struct bits *changed);

/* alarm-log.c: registers the observer that logs alarm changes. */
void alarm_log_init(struct device *dev);

/* device-frames.c */
void device_handle_frame(struct device *dev, const uint8_t *frame);
