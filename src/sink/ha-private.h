/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by ha-discovery.c and ha-discovery-settings.c. */
#pragma once

#include <stdbool.h>

#include "sink/ha-discovery.h"

struct bms_state;
struct json_object;

/* One Home Assistant device and what each of its entities repeats. */
struct ha_node {
	const struct ha_context *ctx;
	char node_id[96];     /* "jkbms_house-1" */
	char topic_base[160]; /* "jkbms/house-1" */
	struct json_object *device;
	struct json_object *availability;
	char scratch[256];
};

void ha_node_init(struct ha_node *n, const struct ha_context *ctx,
		  const char *node_id, const char *topic_base,
		  const char *avail_topic);
void ha_node_release(struct ha_node *n);
/* name, unique_id, state_topic (topic_base/leaf), value_template. */
struct json_object *ha_entity_new(struct ha_node *n, const char *object,
				  const char *name, const char *leaf,
				  const char *tmpl);
/* Adds device, origin, availability; emits; puts e. */
void ha_emit(struct ha_node *n, const char *component, const char *object,
	     struct json_object *e);
/* NULL / negative precision: left out. */
void ha_set_classes(struct json_object *e, const char *unit,
		    const char *device_class, const char *state_class,
		    int precision);

void ha_discovery_settings(struct ha_node *n, const struct bms_state *s,
			   bool writable);
