/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One BMS as the daemon sees it: a driver moving bytes, the frame
 * pipeline (reassembly, decode, state model), the connection state
 * machine with backoff, the connection-password check, link health, and
 * the observers (manager, sinks) told about every change.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "jkbms/bits.h"
#include "jkbms/variant.h"

struct bms_state;
struct conf_bms;
struct device;
struct sd_event;

enum device_state {
	DEVICE_STATE_DISABLED,
	DEVICE_STATE_CONNECTING,
	DEVICE_STATE_HANDSHAKE,
	DEVICE_STATE_ONLINE,
	DEVICE_STATE_BACKOFF,
	DEVICE_STATE_AUTH_FAILED,
	DEVICE_STATE__MAX,
};

/* What an observer is told about. */
enum device_event {
	DEVICE_EVENT_STATE,    /* state changed; mask unused */
	DEVICE_EVENT_VALUES,   /* live/info fields in the mask changed */
	DEVICE_EVENT_SETTINGS, /* settings in the mask changed */
};

typedef void (*device_watch_func_t)(struct device *dev, enum device_event ev,
				    const struct bits *changed, void *userdata);

struct device_link_stats {
	uint64_t frames_good;      /* complete frames with a good checksum */
	uint64_t frames_bad;       /* bad checksum or type */
	uint64_t frames_undecoded; /* good frames the decoder refused */
	uint64_t acks;
	uint64_t bytes_rx;
	uint64_t bytes_tx;
	uint64_t bytes_skipped; /* junk between frames */
	uint64_t reconnects;    /* link losses after being up */
	uint64_t auth_failures;
	uint64_t last_frame_usec; /* CLOCK_MONOTONIC, 0: never */
	uint64_t state_usec;      /* when the current state began */
	int rssi;                 /* dBm of the last advertisement; 0: unknown */
};

/*
 * Creates a device for a [bms] section. The config must outlive the
 * device (or be swapped with device_set_config). A transport without a
 * driver in this build gives a device that stays DISABLED and says why.
 */
struct device *device_new(const struct conf_bms *cfg, struct sd_event *event);
/* Stops and frees; NULL-safe; never call from one of its own callbacks. */
struct device *device_free(struct device *dev);

int device_start(struct device *dev);
void device_stop(struct device *dev);

/* An unchanged [bms] section from a reloaded config. */
void device_set_config(struct device *dev, const struct conf_bms *cfg);
/* The bank the BMS belongs to (journal field JKBMS_BANK); may be NULL. */
void device_set_bank(struct device *dev, const char *bank);

unsigned device_watch_add(struct device *dev, device_watch_func_t func,
			  void *userdata);
void device_watch_remove(struct device *dev, unsigned id);

const char *device_name(const struct device *dev);
const struct conf_bms *device_config(const struct device *dev);
const char *device_bank(const struct device *dev);
enum device_state device_get_state(const struct device *dev);
/* Why the device is in its state ("connection password mismatch"...). */
const char *device_reason(const struct device *dev);
/* The values; empty unless authenticated. */
const struct bms_state *device_bms_state(const struct device *dev);
/*
 * Restores persisted energy counters (kWh * 10^6) into the model
 * (state_set_energy) and tells the observers; the history sink's hook.
 */
void device_set_energy(struct device *dev, int64_t charged,
		       int64_t discharged);
const struct device_link_stats *device_link(const struct device *dev);
enum jk_variant device_variant(const struct device *dev);
const char *device_transport_name(const struct device *dev);
/* Live values are current: ONLINE. */
bool device_is_online(const struct device *dev);

/* "disabled", "connecting", "handshake", "online", "backoff", "auth-failed" */
const char *device_state_name(enum device_state s);

/*
 * Reconnect delay for the attempt-th retry (0 first): base * 2^attempt,
 * capped at max, then spread by +-25% with rnd (any 32-bit value). Pure.
 */
uint64_t device_backoff_usec(unsigned attempt, uint64_t base_usec,
			     uint64_t max_usec, uint32_t rnd);
