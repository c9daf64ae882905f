/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MQTT sink's session: the client built from [mqtt] (rebuilt when a
 * reload changes it), what happens on connect (gateway status online,
 * subscriptions, everything published again, discovery an earlier run
 * left for removed devices emptied), Home Assistant's
 * "online" (announce again after a random delay, so a restarted Home
 * Assistant is not flooded by every gateway at once), and jkbmsd --mqtt.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/conf.h"
#include "jkbms/log.h"
#include "jkbms/util.h"

#include "daemon/manager.h"
#include "sink/mqtt-client.h"
#include "sink/mqtt-private.h"
#include "sink/mqtt.h"

static void on_connected(struct mqtt_client *c, void *userdata)
{
	struct mqtt *q = userdata;
	char topic[320];

	mqtt_client_publish_str(c, q->status_topic, "online", true);
	snprintf(topic, sizeof(topic), "%s/+/set/#", q->base);
	mqtt_client_subscribe(c, topic);
	snprintf(topic, sizeof(topic), "%s/+/auth", q->base);
	mqtt_client_subscribe(c, topic);
	if (q->discovery) {
		snprintf(topic, sizeof(topic), "%s/status", q->prefix);
		mqtt_client_subscribe(c, topic);
	}
	mqtt_stale_start(q);
	mqtt_publish_all(q, true);
	q->connected = true;
	if (q->state_cb)
		q->state_cb(q->state_data);
}

static int on_ha_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct mqtt *q = userdata;

	log_info("mqtt: Home Assistant is online, announcing again");
	mqtt_publish_all(q, true);
	return 0;
}

static void on_message(struct mqtt_client *c, const char *topic,
		       const void *payload, size_t len, bool retained,
		       void *userdata)
{
	struct mqtt *q = userdata;
	size_t plen = strlen(q->prefix);
	uint64_t delay;

	if (q->discovery && !strncmp(topic, q->prefix, plen) &&
	    !strcmp(topic + plen, "/status")) {
		if (len != 6 || memcmp(payload, "online", 6))
			return;
		/* HA restarts; many clients answer: spread them out. */
		delay = 500 * USEC_PER_MSEC +
			mqtt_random(q) % (2 * USEC_PER_SEC);
		if (!q->ha_timer) {
			if (sd_event_add_time_relative(q->event, &q->ha_timer,
						       CLOCK_MONOTONIC, delay,
						       0, on_ha_timer, q) < 0)
				return;
		} else {
			sd_event_source_set_time_relative(q->ha_timer, delay);
		}
		sd_event_source_set_enabled(q->ha_timer, SD_EVENT_ONESHOT);
		return;
	}
	if (q->discovery && mqtt_stale_message(q, topic, payload, len))
		return;
	mqtt_command(q, topic, payload, len, retained);
}

static void on_disconnected(struct mqtt_client *c, void *userdata)
{
	struct mqtt *q = userdata;
	size_t i;

	for (i = 0; i < q->n_nodes; i++)
		if (q->nodes[i]->defer)
			sd_event_source_set_enabled(q->nodes[i]->defer,
						    SD_EVENT_OFF);
	q->connected = false;
	if (q->state_cb)
		q->state_cb(q->state_data);
}

const char *mqtt_state(const struct mqtt *q)
{
	if (!q || !q->client)
		return NULL;
	return q->connected ? "connected" : "disconnected";
}

void mqtt_set_state_callback(struct mqtt *q, mqtt_state_func_t func,
			     void *userdata)
{
	if (!q)
		return;
	q->state_cb = func;
	q->state_data = userdata;
}

static const struct mqtt_client_ops client_ops = {
	.connected = on_connected,
	.disconnected = on_disconnected,
	.message = on_message,
};

/* What a reload must reconnect for; the password only as a hash. */
static char *fingerprint(const struct conf *c)
{
	const struct conf_mqtt *m = &c->mqtt;
	uint64_t pw = UINT64_C(14695981039346656037);
	const char *p;

	if (!m->enabled)
		return NULL;
	for (p = m->password ? m->password : ""; *p; p++)
		pw = (pw ^ (unsigned char)*p) * UINT64_C(1099511628211);
	return xasprintf(
		"%s|%u|%s|%s|%llx|%d|%d|%s|%s|%s|%u|%d|%u|%s|%s|%s|"
		"%d|%d|%llu|%llu|%s",
		m->host, m->port, m->client_id ?: "", m->username ?: "",
		(unsigned long long)pw, m->tls, m->tls_insecure,
		m->cafile ?: "", m->certfile ?: "", m->keyfile ?: "",
		m->keepalive, m->protocol, m->qos, m->base_topic,
		m->discovery_prefix, c->daemon.name ?: "", m->discovery,
		m->retain_state, (unsigned long long)m->publish_interval_usec,
		(unsigned long long)m->bank_interval_usec, PACKAGE_VERSION);
}

static void stop_client(struct mqtt *q)
{
	size_t i;

	q->client = mqtt_client_free(q->client, q->status_topic, "offline");
	for (i = 0; i < q->n_nodes; i++)
		mqtt_node_free(q->nodes[i]);
	free(q->nodes);
	q->nodes = NULL;
	q->n_nodes = 0;
	q->ha_timer = sd_event_source_disable_unref(q->ha_timer);
	mqtt_stale_free(q);
	free(q->base);
	free(q->prefix);
	free(q->gateway);
	free(q->status_topic);
	q->base = q->prefix = q->gateway = q->status_topic = NULL;
}

static void start_client(struct mqtt *q, const struct conf *c)
{
	const struct conf_mqtt *m = &c->mqtt;
	struct mqtt_client_config cc = {
		.host = m->host,
		.port = m->port,
		.client_id = m->client_id,
		.username = m->username,
		.password = m->password,
		.tls = m->tls,
		.tls_insecure = m->tls_insecure,
		.cafile = m->cafile,
		.certfile = m->certfile,
		.keyfile = m->keyfile,
		.keepalive = m->keepalive,
		.v5 = m->protocol == CONF_MQTT_V5,
		.will_payload = "offline",
		.qos = m->qos,
	};

	q->base = xstrdup(m->base_topic);
	q->prefix = xstrdup(m->discovery_prefix);
	q->gateway = xstrdup(c->daemon.name ? c->daemon.name : "jkbmsd");
	q->status_topic = xasprintf("%s/status", q->base);
	q->discovery = m->discovery;
	q->retain_state = m->retain_state;
	q->state_interval = m->publish_interval_usec;
	q->bank_interval = m->bank_interval_usec;
	cc.will_topic = q->status_topic;
	log_info("mqtt: publishing to %s:%u under %s/%s", m->host, m->port,
		 q->base,
		 q->discovery ? ", with Home Assistant discovery" : "");
	if (mqtt_client_new(q->event, &cc, &client_ops, q, &q->client) < 0)
		log_error("mqtt: not publishing");
	mqtt_sync_nodes(q);
}

void mqtt_reconfigure(struct mqtt *q)
{
	const struct conf *c = manager_conf(q->m);
	char *fp = fingerprint(c);

	if (fp && q->fingerprint && !strcmp(fp, q->fingerprint)) {
		free(fp);
		mqtt_sync_nodes(q);
		mqtt_publish_all(q, false);
		return;
	}
	if (q->fingerprint)
		log_info("mqtt: [mqtt] changed, %s",
			 fp ? "reconnecting" : "stopping");
	stop_client(q);
	free(q->fingerprint);
	q->fingerprint = fp;
	if (fp)
		start_client(q, c);
}

struct mqtt *mqtt_new(struct sd_event *event, struct manager *m)
{
	struct mqtt *q = xcalloc(1, sizeof(*q));

	q->event = sd_event_ref(event);
	q->m = m;
	q->rnd = (uint32_t)now_usec() | 1;
	q->watch = manager_watch_add(m, mqtt_on_manager, q);
	mqtt_reconfigure(q);
	return q;
}

struct mqtt *mqtt_free(struct mqtt *q)
{
	if (!q)
		return NULL;
	manager_watch_remove(q->m, q->watch);
	mqtt_command_detach(q);
	stop_client(q);
	free(q->fingerprint);
	sd_event_unref(q->event);
	free(q);
	return NULL;
}

int mqtt_conf_override(struct conf *c, const char *spec)
{
	_cleanup_free_ char *host = NULL;
	const char *colon, *end;
	unsigned long port = 0;
	char *tail;

	if (spec[0] == '[') {
		end = strchr(spec, ']');
		if (!end || end == spec + 1)
			return -EINVAL;
		host = xstrndup(spec + 1, (size_t)(end - spec - 1));
		colon = end[1] == ':' ? end + 1 : NULL;
		if (!colon && end[1])
			return -EINVAL;
	} else {
		colon = strrchr(spec, ':');
		if (colon && strchr(spec, ':') != colon)
			colon = NULL; /* a bare IPv6 address */
		host = colon ? xstrndup(spec, (size_t)(colon - spec))
			     : xstrdup(spec);
	}
	if (!host[0] || strpbrk(host, " \t/#+"))
		return -EINVAL;
	if (colon) {
		errno = 0;
		port = strtoul(colon + 1, &tail, 10);
		if (errno || *tail || !colon[1] || port < 1 || port > 65535)
			return -EINVAL;
	}
	c->mqtt.enabled = true;
	free(c->mqtt.host);
	c->mqtt.host = TAKE_PTR(host);
	if (port)
		c->mqtt.port = (unsigned)port;
	return 0;
}
