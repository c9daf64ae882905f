/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One BLE link to one JK BMS through BlueZ: find the device (LE discovery
 * with a filter while it is unknown), connect (one Connect at a time per
 * adapter, with an explicit timeout), wait for the services, pick the
 * FFE1 characteristics by their flags, StartNotify, pair with the
 * configured PIN when asked or refused, and then move bytes. Every
 * failure ends in the down callback with a reason; the device's state
 * machine decides when to try again.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sd_event;
struct ble_link;
struct log_ctx;

struct ble_link_config {
	const char *adapter; /* "hci0" */
	const char *address; /* AA:BB:CC:DD:EE:FF */
	const char *pin;     /* PIN for pairing, NULL: none */
	bool pair;           /* pair before use */
	uint64_t connect_timeout_usec;
	const struct log_ctx *log; /* names the BMS in the journal */
};

struct ble_link_ops {
	void (*up)(void *userdata);
	void (*down)(void *userdata, int err, const char *reason);
	void (*data)(void *userdata, const uint8_t *data, size_t len);
	void (*rssi)(void *userdata, int rssi);
};

/* The strings of cfg are copied. NULL if the system bus is unusable. */
struct ble_link *ble_link_new(struct sd_event *event,
			      const struct ble_link_config *cfg,
			      const struct ble_link_ops *ops, void *userdata);
struct ble_link *ble_link_free(struct ble_link *l);
/* Begins connecting; the outcome comes through ops. */
int ble_link_start(struct ble_link *l);
/* Cancels everything and disconnects; no callbacks from inside. */
void ble_link_stop(struct ble_link *l);
/* Write without response on the write characteristic; -ENOTCONN, -EAGAIN. */
int ble_link_write(struct ble_link *l, const uint8_t *data, size_t len);
bool ble_link_is_up(const struct ble_link *l);

/* The PIN of the link to the device at this D-Bus path (agent.c). */
const char *ble_pin_for_device(const char *device_path);
/* Is the device at this D-Bus path one of the configured BMSs? */
bool ble_device_is_ours(const char *device_path);

/* agent.c: the pairing agent, registered once some link needs it. */
void ble_agent_want(struct sd_event *event);
