/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Broker name resolution off the event loop: getaddrinfo() runs in a
 * short-lived detached thread that hands the answer back over an eventfd.
 * A request abandoned before it completes is freed by its thread.
 */
#pragma once

#include <stddef.h>

struct mqtt_resolve;
struct sd_event;

#define MQTT_ADDR_MAX 8
#define MQTT_ADDR_LEN 64 /* numeric IPv4 or IPv6 text */

/* err: 0, or a negative errno (-ENOENT: no such host, -EAGAIN...). */
typedef void (*mqtt_resolve_func_t)(int err, const char (*addrs)[MQTT_ADDR_LEN],
				    size_t n, void *userdata);

/*
 * Numeric host: fills addrs[0] and returns 1 without a thread. Otherwise
 * starts a lookup, returns 0 and calls done later from the loop; *ret is
 * the handle for mqtt_resolve_cancel(). Negative errno on failure.
 */
int mqtt_resolve_start(struct sd_event *event, const char *host,
		       mqtt_resolve_func_t done, void *userdata,
		       char (*addrs)[MQTT_ADDR_LEN], struct mqtt_resolve **ret);
/* Forgets a pending lookup: done is not called. NULL-safe, returns NULL. */
struct mqtt_resolve *mqtt_resolve_cancel(struct mqtt_resolve *r);
