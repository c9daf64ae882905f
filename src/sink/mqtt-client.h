/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An MQTT connection on the daemon's sd-event loop: libmosquitto without
 * its thread, the broker name resolved off the loop, reconnect with
 * backoff and jitter, TLS with the host name checked. Knows nothing of
 * BMSs: the publisher (mqtt.c) hears of connects and messages through
 * the ops below.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mqtt_client;
struct sd_event;

struct mqtt_client_config {
	const char *host;
	unsigned port;
	const char *client_id;
	const char *username; /* NULL: none */
	const char *password; /* NULL: none */
	bool tls;
	bool tls_insecure;
	const char *cafile; /* NULL: the system's CAs */
	const char *certfile;
	const char *keyfile;
	unsigned keepalive;     /* seconds */
	bool v5;                /* MQTT 5, else 3.1.1 */
	const char *will_topic; /* retained last will, NULL: none */
	const char *will_payload;
	unsigned qos;
};

struct mqtt_client_ops {
	/* The broker accepted us: subscribe and publish everything. */
	void (*connected)(struct mqtt_client *c, void *userdata);
	/* The connection is gone (after connected only). */
	void (*disconnected)(struct mqtt_client *c, void *userdata);
	void (*message)(struct mqtt_client *c, const char *topic,
			const void *payload, size_t len, bool retained,
			void *userdata);
};

/* Copies the config; starts connecting at once. */
int mqtt_client_new(struct sd_event *event,
		    const struct mqtt_client_config *cfg,
		    const struct mqtt_client_ops *ops, void *userdata,
		    struct mqtt_client **ret);
/*
 * Publishes final_payload retained on final_topic (if connected and both
 * are given), disconnects cleanly (no last will) and frees. Waits at most
 * a second for the broker to take what is queued. NULL-safe.
 */
struct mqtt_client *mqtt_client_free(struct mqtt_client *c,
				     const char *final_topic,
				     const char *final_payload);

bool mqtt_client_connected(const struct mqtt_client *c);
/* -ENOTCONN while not connected; other negative errno on failure. */
int mqtt_client_publish(struct mqtt_client *c, const char *topic,
			const void *payload, size_t len, bool retain);
int mqtt_client_publish_str(struct mqtt_client *c, const char *topic,
			    const char *payload, bool retain);
int mqtt_client_subscribe(struct mqtt_client *c, const char *pattern);
/* Messages published since start (for the bench and tests). */
uint64_t mqtt_client_published(const struct mqtt_client *c);
