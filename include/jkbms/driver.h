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
	/* Send bytes to the BMS (command frames); -EAGAIN: busy. */
	int (*write)(struct device *dev, const uint8_t *data, size_t len);
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
