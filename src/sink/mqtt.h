/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MQTT sink (DESIGN "MQTT"): every BMS and bank of the manager
 * published under the base topic, Home Assistant discovery, commands on
 * set/<key> and auth through the write path. Follows the manager: a
 * reload that changes [mqtt] reconnects, one that removes a BMS removes
 * its entities.
 */
#pragma once

struct manager;
struct mqtt;
struct sd_event;

/* Always returns a sink; it connects while [mqtt] enabled = yes. */
struct mqtt *mqtt_new(struct sd_event *event, struct manager *m);
/* Publishes the gateway offline, disconnects, frees. NULL-safe. */
struct mqtt *mqtt_free(struct mqtt *q);
/* "connected", "disconnected", or NULL when MQTT is off. */
const char *mqtt_state(const struct mqtt *q);
typedef void (*mqtt_state_func_t)(void *userdata);
/* Called whenever the broker connection comes up or goes down. */
void mqtt_set_state_callback(struct mqtt *q, mqtt_state_func_t func,
			     void *userdata);

struct conf;
/*
 * jkbmsd --mqtt HOST[:PORT] ("[v6addr]:PORT" too): turns [mqtt] on with
 * this broker. -EINVAL if spec is malformed.
 */
int mqtt_conf_override(struct conf *c, const char *spec);
