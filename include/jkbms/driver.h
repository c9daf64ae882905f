/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The driver contract (STYLE 3.3): a driver binds a transport to a device
 * and is what a [bms] section's "transport =" names. The device calls the
 * ops; the driver answers through the device_link_* and device_feed
 * functions below, always from the event loop.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jkbms/conf.h"

struct device;
struct log_ctx;
struct sd_event;

struct driver {
	const char *name;              /* "sim", "jk-ble", ... */
	enum conf_transport transport; /* the config value it serves */
	/* Allocate and free the driver's private part of a device. */
	int (*create)(struct device *dev);
	void (*destroy)(struct device *dev);
	/*
	 * Begin connecting. Asynchronous: the driver later calls
	 * device_link_up() or device_link_down(). A negative return is an
	 * immediate failure (the device backs off).
	 */
	int (*start)(struct device *dev);
	/* Disconnect; idempotent; no callbacks from inside stop. */
	void (*stop)(struct device *dev);
	/*
	 * Send bytes to the BMS (command frames); -EAGAIN: busy. The
	 * settings write path (src/device/write.c) sends every setting write
	 * and button through this op, one 20-byte command frame per call,
	 * at least 100 ms apart, then re-requests 0x96 (or 0x97) to read the
	 * value back, and counts the C8 acks for buttons. Return 0 once the
	 * frame is queued for the air (write without response is fine),
	 * -ENOTCONN while the link is down; never call device_link_down()
	 * from inside write (defer it): the write path then reports the
	 * link loss itself.
	 */
	int (*write)(struct device *dev, const uint8_t *data, size_t len);
	/*
	 * Longest wait from start to link up; 0: the device's default. A
	 * driver that bounds each of its own steps (BLE: scan, queue,
	 * connect, services) sets a generous safety net here.
	 */
	uint64_t connect_timeout_usec;
};

/* The driver of a transport, NULL if this build has none (registry.c). */
const struct driver *driver_find(enum conf_transport transport);
const struct driver *driver_find_name(const char *name);

/* For drivers: their device's context. */
void *device_driver_data(const struct device *dev);
void device_set_driver_data(struct device *dev, void *data);
struct sd_event *device_event(const struct device *dev);
const struct log_ctx *device_log_ctx(const struct device *dev);

/* For drivers: what happened on the link. */
void device_link_up(struct device *dev);
void device_link_down(struct device *dev, int err, const char *reason);
/* Bytes from the BMS, split anywhere (BLE notifications, tty reads). */
void device_feed(struct device *dev, const uint8_t *data, size_t len);
/* Signal strength seen by the radio (BLE), in dBm. */
void device_link_rssi(struct device *dev, int rssi);
