/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The MQTT sink's shared state: mqtt.c, mqtt-announce.c, mqtt-command.c. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <systemd/sd-event.h>

#include "jkbms/device.h"

#include "sink/mqtt.h"

struct manager;
struct mqtt;
struct mqtt_client;

/* One BMS or bank as published; looked up by name, never by pointer. */
struct pub_node {
	struct mqtt *q;
	char *name;
	bool bank;
	bool seen;              /* sweep mark of a reload */
	uint64_t last_usec;     /* last state message */
	sd_event_source *defer; /* rate-limited state message */
	char *last_state;       /* payloads as published (dedup) */
	char *last_info;
	char *last_settings;
	int avail; /* -1: not published since connect */
	enum device_state dev_state;
	bool have_dev_state;
	bool have_alarms;
	uint64_t alarms;
	uint64_t ha_sig; /* discovery inputs announced, 0: none */
	char **topics;   /* discovery config topics announced */
	size_t n_topics, cap_topics;
};

struct mqtt {
	sd_event *event;
	struct manager *m;
	unsigned watch;
	struct mqtt_client *client;
	char *fingerprint; /* connection settings, to see a reload's change */
	char *base;
	char *prefix;
	char *gateway;
	char *status_topic;
	bool discovery;
	bool retain_state;
	uint64_t state_interval;
	uint64_t bank_interval;
	struct pub_node **nodes;
	size_t n_nodes;
	sd_event_source *ha_timer; /* re-announce after HA's online */
	uint32_t rnd;
	bool connected;
	char **stale; /* nodes of an earlier run being removed */
	size_t n_stale;
	mqtt_state_func_t state_cb; /* the daemon's STATUS= line */
	void *state_data;
};

/* mqtt.c */
struct pub_node *mqtt_node(struct mqtt *q, const char *name, bool bank);
void mqtt_node_free(struct pub_node *p);
/* Nodes for the manager's BMSs and banks; the others are removed. */
void mqtt_sync_nodes(struct mqtt *q);
void mqtt_on_manager(struct manager *m, struct device *dev,
		     enum device_event ev, void *userdata);
void mqtt_publish_leaf(struct mqtt *q, const char *name, bool bank,
		       const char *leaf, const char *payload, bool retain);
void mqtt_publish_all(struct mqtt *q, bool force);
uint32_t mqtt_random(struct mqtt *q);

/* mqtt-session.c: the client for the current [mqtt] */
void mqtt_reconfigure(struct mqtt *q);

/* mqtt-announce.c */
void mqtt_announce(struct pub_node *p, bool force);
void mqtt_announce_gateway(struct mqtt *q);
/* Empties what a node left retained on the broker. */
void mqtt_unannounce(struct pub_node *p);
/* Empties the retained state topics of a BMS or bank. */
void mqtt_empty_leaves(struct mqtt *q, const char *name, bool bank);
void mqtt_node_forget_topics(struct pub_node *p);

/* mqtt-stale.c: discovery of nodes an earlier run announced */
/* On connect: forget the last session's list, ask for the probes. */
void mqtt_stale_start(struct mqtt *q);
/* A discovery config message: false if topic is not one. */
bool mqtt_stale_message(struct mqtt *q, const char *topic,
			const void *payload, size_t len);
void mqtt_stale_free(struct mqtt *q);

/* mqtt-command.c */
void mqtt_command(struct mqtt *q, const char *topic, const void *payload,
		  size_t len, bool retained);
/* Writes still in flight forget the sink (it is being freed). */
void mqtt_command_detach(struct mqtt *q);
/* Are settings writable from MQTT for this BMS (write path linked)? */
bool mqtt_writable(const struct device *dev);
