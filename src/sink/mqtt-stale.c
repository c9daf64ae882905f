/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery an earlier run left behind. A BMS or bank removed from the
 * config while jkbmsd was stopped keeps its retained config topics, and
 * Home Assistant its device, until someone empties them; a reload does
 * it for what this run announced (mqtt-announce.c), this does it for
 * what an earlier run did.
 *
 * On connect the sink asks for the retained voltage sensor of every
 * device (each BMS and bank announces one: one message per device, not
 * the whole discovery tree). A "jkbms_" node that is ours (its entities
 * watch this gateway's status topic) and no longer configured is stale:
 * a subscription to all its config topics brings each of them back, and
 * each is emptied, as are the node's own retained topics.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/log.h"
#include "jkbms/util.h"

#include "daemon/manager.h"
#include "sink/mqtt-client.h"
#include "sink/mqtt-private.h"

#define NODE_PREFIX      "jkbms_"
#define BANK_NODE_PREFIX "jkbms_bank_"
#define PROBE            "sensor/+/voltage/config"
#define PAYLOAD_MAX      16384

void mqtt_stale_free(struct mqtt *q)
{
	size_t i;

	for (i = 0; i < q->n_stale; i++)
		free(q->stale[i]);
	free(q->stale);
	q->stale = NULL;
	q->n_stale = 0;
}

void mqtt_stale_start(struct mqtt *q)
{
	char topic[320];

	mqtt_stale_free(q);
	if (!q->discovery)
		return;
	snprintf(topic, sizeof(topic), "%s/" PROBE, q->prefix);
	mqtt_client_subscribe(q->client, topic);
}

/* The node of <prefix>/<component>/<node>/<object>/config. */
static bool config_node(const struct mqtt *q, const char *topic, char *node,
			size_t size)
{
	size_t plen = strlen(q->prefix);
	const char *n, *obj, *end;

	if (strncmp(topic, q->prefix, plen) || topic[plen] != '/')
		return false;
	n = strchr(topic + plen + 1, '/');
	if (!n)
		return false;
	n++;
	obj = strchr(n, '/');
	if (!obj || (size_t)(obj - n) >= size)
		return false;
	end = strchr(obj + 1, '/');
	if (!end || strcmp(end, "/config"))
		return false;
	memcpy(node, n, (size_t)(obj - n));
	node[obj - n] = '\0';
	return true;
}

static bool is_bank_node(const char *node)
{
	return !strncmp(node, BANK_NODE_PREFIX, strlen(BANK_NODE_PREFIX));
}

static const char *node_name(const char *node)
{
	return node + strlen(is_bank_node(node) ? BANK_NODE_PREFIX
						: NODE_PREFIX);
}

static bool configured(const struct mqtt *q, const char *node)
{
	size_t i;

	if (manager_find_device(q->m, node + strlen(NODE_PREFIX)))
		return true;
	if (!is_bank_node(node))
		return false;
	for (i = 0; i < manager_n_banks(q->m); i++)
		if (!strcmp(manager_bank(q->m, i)->name, node_name(node)))
			return true;
	return false;
}

/* Does the entity watch this gateway's status topic (is it ours)? */
static bool ours(const struct mqtt *q, const void *payload, size_t len)
{
	_cleanup_free_ char *text = NULL;
	struct json_object *o, *avail, *t;
	bool found = false;
	size_t i;

	if (len > PAYLOAD_MAX)
		return false;
	text = xmalloc(len + 1);
	memcpy(text, payload, len);
	text[len] = '\0';
	o = json_tokener_parse(text);
	if (o && json_object_object_get_ex(o, "availability", &avail) &&
	    json_object_is_type(avail, json_type_array))
		for (i = 0; i < json_object_array_length(avail) && !found;
		     i++)
			found = json_object_object_get_ex(
					json_object_array_get_idx(avail, i),
					"topic", &t) &&
				json_object_is_type(t, json_type_string) &&
				!strcmp(json_object_get_string(t),
					q->status_topic);
	json_object_put(o);
	return found;
}

static bool removing(const struct mqtt *q, const char *node)
{
	size_t i;

	for (i = 0; i < q->n_stale; i++)
		if (!strcmp(q->stale[i], node))
			return true;
	return false;
}

static void remove_node(struct mqtt *q, const char *node)
{
	char topic[320];
	bool bank = is_bank_node(node);

	log_notice("mqtt: %s %s is not in the configuration: removing what "
		   "an earlier run announced for it",
		   bank ? "bank" : "BMS", node_name(node));
	q->stale = xrealloc(q->stale, (q->n_stale + 1) * sizeof(*q->stale));
	q->stale[q->n_stale++] = xstrdup(node);
	snprintf(topic, sizeof(topic), "%s/+/%s/+/config", q->prefix, node);
	mqtt_client_subscribe(q->client, topic);
	mqtt_empty_leaves(q, node_name(node), bank);
}

bool mqtt_stale_message(struct mqtt *q, const char *topic,
			const void *payload, size_t len)
{
	char node[128];

	if (!config_node(q, topic, node, sizeof(node)))
		return false;
	/* empty: gone already (or our own removal coming back) */
	if (!len || strncmp(node, NODE_PREFIX, strlen(NODE_PREFIX)) ||
	    configured(q, node))
		return true;
	if (!removing(q, node)) {
		if (!ours(q, payload, len))
			return true;
		remove_node(q, node);
	}
	mqtt_client_publish_str(q->client, topic, "", true);
	return true;
}
