/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Home Assistant MQTT discovery, built from the field and settings
 * tables: one device per BMS and per bank, one entity per field, cell,
 * alarm and setting, each a retained config message. No I/O: every
 * message goes to the emit callback, which publishes and remembers the
 * topic (for removal when a BMS leaves the config).
 */
#pragma once

#include <stdbool.h>

#include "jkbms/bank.h"

struct bms_state;
struct field_values;

typedef void (*ha_emit_func_t)(const char *topic, const char *payload,
			       void *userdata);

struct ha_context {
	const char *base_topic; /* "jkbms" */
	const char *prefix;     /* "homeassistant" */
	const char *gateway;    /* the [daemon] name: the via_device */
	const char *version;    /* origin sw_version */
	ha_emit_func_t emit;
	void *userdata;
};

/* The gateway itself: a connectivity entity on <base>/status. */
void ha_discovery_gateway(const struct ha_context *ctx);
/*
 * A BMS from what its state holds (fields present, cells, variant for
 * the alarm names, device info, settings). writable: settings become
 * number/switch/select/button entities with command topics; otherwise
 * read-only sensors. rssi: the link reports a signal strength.
 */
void ha_discovery_bms(const struct ha_context *ctx, const char *bms,
		      const struct bms_state *s, bool writable, bool rssi);
/* A bank from its aggregated values. */
void ha_discovery_bank(const struct ha_context *ctx, const char *bank,
		       enum bank_topology topology,
		       const struct field_values *v);
