/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by ble.c (links) and ble-adapter.c (per-adapter queue, discovery). */
#pragma once

#include <systemd/sd-event.h>

#include "transport/ble.h"
#include "transport/bluez.h"

struct ble_adapter;

#define BLE_CALL_TIMEOUT_MS 10000
#define BLE_WRITES_MAX      4

/* Where a link is in its attempt (ble.c's comment has the chain). */
enum ble_step {
	STEP_IDLE,
	STEP_WAIT,
	STEP_DISCOVER,
	STEP_QUEUED,
	STEP_DISCONNECT,
	STEP_CONNECT,
	STEP_RESOLVE,
	STEP_PAIR,
	STEP_NOTIFY,
	STEP_UP,
};

struct ble_link {
	sd_event *event;
	struct bluez *bluez;
	struct ble_adapter *adapter;
	unsigned watch;
	char *address;
	char *pin;
	bool pair;
	uint64_t connect_timeout_usec;
	const struct log_ctx *log;
	const struct ble_link_ops *ops;
	void *userdata;

	enum ble_step step;
	bool discovering; /* holds a discovery reference */
	bool paired_once; /* pairing tried in this attempt */
	unsigned inprogress;
	char *dev_path;
	char *notify_path;
	char *write_path;
	bool write_no_rsp;
	struct bluez_call *call;
	struct bluez_call *writes[BLE_WRITES_MAX];
	struct log_damp write_damp; /* failed writes in the journal */
	sd_event_source *timer;

	struct ble_link *next; /* all links, for the agent */
};

/* ble.c: shared with ble-gatt.c */
void ble_set_str(char **dst, const char *s);
void ble_link_arm(struct ble_link *l, uint64_t usec);
void ble_link_call_void(struct ble_link *l, const char *path, const char *iface,
			const char *method);
void ble_link_remove_device(struct ble_link *l);
/* Ends the attempt and tells the owner; l must not be used after. */
void ble_link_fail(struct ble_link *l, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ble-gatt.c: services resolved -> characteristics, pairing, notify. */
void ble_gatt_resolve(struct ble_link *l);

/* Consecutive failed connects on one adapter before a power cycle. */
#define BLE_POWER_CYCLE_AFTER 4

struct ble_adapter *ble_adapter_get(struct bluez *b, struct sd_event *event,
				    const char *name);
void ble_adapter_put(struct ble_adapter *a);
const char *ble_adapter_path(const struct ble_adapter *a);
const char *ble_adapter_name(const struct ble_adapter *a);

/* Waits for the adapter's connect slot: ble_link_turn(l) when it is l's. */
void ble_adapter_enqueue(struct ble_adapter *a, struct ble_link *l);
/* Leaves the queue or gives the slot back; idempotent. */
void ble_adapter_leave(struct ble_adapter *a, struct ble_link *l);
/* Discovery wanted (counted): on with the LE filter, off at zero. */
void ble_adapter_discovery(struct ble_adapter *a, bool on);
/* Outcome of a connect: failures in a row lead to a power cycle. */
void ble_adapter_result(struct ble_adapter *a, bool ok);

/* ble.c: the adapter gives l the connect slot. */
void ble_link_turn(struct ble_link *l);
/* ble.c: how many links on the adapter are up. */
unsigned ble_adapter_links_up(const struct ble_adapter *a);
