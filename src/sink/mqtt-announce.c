/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery bookkeeping of the MQTT sink: when to announce a device again
 * and which retained topics to empty. A node is announced when what its
 * entities depend on changes (fields present, cell count, variant,
 * device info, settings known, writability), summed up in a hash; each
 * announcement remembers its config topics, so entities that went away
 * (fewer cells) and whole devices that left the config are removed with
 * empty retained messages, as Home Assistant expects.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jkbms/state.h"
#include "jkbms/util.h"

#include "daemon/manager.h"
#include "sink/ha-discovery.h"
#include "sink/mqtt-client.h"
#include "sink/mqtt-private.h"

struct announce {
	struct pub_node *p;
	char **topics;
	size_t n, cap;
};

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *b = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * UINT64_C(1099511628211);
	return h;
}

static uint64_t values_sig(uint64_t h, const struct field_values *v)
{
	unsigned i;

	for (i = 0; i < FIELD__MAX; i++)
		if (field_has(v, i))
			h = fnv(h, &i, sizeof(i));
	return fnv(h, &v->ncells, sizeof(v->ncells));
}

static uint64_t bms_sig(const struct bms_state *s, bool writable)
{
	static const enum field_id texts[] = { FIELD_MODEL,
					       FIELD_HARDWARE_VERSION,
					       FIELD_SOFTWARE_VERSION,
					       FIELD_SERIAL_NUMBER };
	uint64_t h = UINT64_C(14695981039346656037);
	unsigned i;

	h = values_sig(h, &s->v);
	h = fnv(h, &s->variant, sizeof(s->variant));
	h = fnv(h, &writable, sizeof(writable));
	for (i = 0; i < ARRAY_SIZE(texts); i++)
		if (field_has(&s->v, texts[i]))
			h = fnv(h, s->v.text[texts[i]],
				strlen(s->v.text[texts[i]]));
	for (i = 0; i < SETTING__MAX; i++)
		if (bits_test(&s->settings.set, i))
			h = fnv(h, &i, sizeof(i));
	return h ? h : 1;
}

static void emit(const char *topic, const char *payload, void *userdata)
{
	struct announce *a = userdata;

	mqtt_client_publish_str(a->p->q->client, topic, payload, true);
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->topics = xrealloc(a->topics, a->cap * sizeof(*a->topics));
	}
	a->topics[a->n++] = xstrdup(topic);
}

static bool listed(char **topics, size_t n, const char *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(topics[i], t))
			return true;
	return false;
}

void mqtt_node_forget_topics(struct pub_node *p)
{
	size_t i;

	for (i = 0; i < p->n_topics; i++)
		free(p->topics[i]);
	free(p->topics);
	p->topics = NULL;
	p->n_topics = p->cap_topics = 0;
}

static void context(struct mqtt *q, struct ha_context *ctx, struct announce *a)
{
	ctx->base_topic = q->base;
	ctx->prefix = q->prefix;
	ctx->gateway = q->gateway;
	ctx->version = PACKAGE_VERSION;
	ctx->emit = emit;
	ctx->userdata = a;
}

/* Swaps in the new topic list and empties those no longer announced. */
static void finish(struct pub_node *p, struct announce *a)
{
	size_t i;

	for (i = 0; i < p->n_topics; i++)
		if (!listed(a->topics, a->n, p->topics[i]))
			mqtt_client_publish_str(p->q->client, p->topics[i], "",
						true);
	mqtt_node_forget_topics(p);
	p->topics = a->topics;
	p->n_topics = a->n;
	p->cap_topics = a->cap;
}

void mqtt_announce(struct pub_node *p, bool force)
{
	struct mqtt *q = p->q;
	struct announce a = { .p = p };
	struct ha_context ctx;
	uint64_t sig;

	if (!q->discovery || !mqtt_client_connected(q->client))
		return;
	context(q, &ctx, &a);
	if (p->bank) {
		const struct bank *b = NULL;
		size_t i;

		for (i = 0; i < manager_n_banks(q->m); i++)
			if (!strcmp(manager_bank(q->m, i)->name, p->name))
				b = manager_bank(q->m, i);
		if (!b)
			return;
		sig = values_sig(UINT64_C(14695981039346656037), &b->values);
		sig = fnv(sig, &b->topology, sizeof(b->topology)) | 1;
		if (sig == p->ha_sig && !force)
			return;
		ha_discovery_bank(&ctx, p->name, b->topology, &b->values);
	} else {
		struct device *dev = manager_find_device(q->m, p->name);
		const struct bms_state *s;
		bool writable, rssi;

		if (!dev)
			return;
		s = device_bms_state(dev);
		/* Nothing known (never authenticated): nothing to show. */
		if (!bits_any(&s->v.set))
			return;
		writable = mqtt_writable(dev);
		rssi = device_link(dev)->rssi != 0;
		sig = bms_sig(s, writable) ^ (rssi ? 0x5a5a : 0);
		if (sig == p->ha_sig && !force)
			return;
		ha_discovery_bms(&ctx, p->name, s, writable, rssi);
	}
	p->ha_sig = sig;
	finish(p, &a);
}

void mqtt_announce_gateway(struct mqtt *q)
{
	struct announce a = { 0 };
	struct pub_node dummy = { .q = q };
	struct ha_context ctx;
	size_t i;

	if (!q->discovery || !mqtt_client_connected(q->client))
		return;
	a.p = &dummy;
	context(q, &ctx, &a);
	ha_discovery_gateway(&ctx);
	for (i = 0; i < a.n; i++)
		free(a.topics[i]);
	free(a.topics);
}

void mqtt_empty_leaves(struct mqtt *q, const char *name, bool bank)
{
	static const char *const leaves[] = { "availability", "info",
					      "settings", "state" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(leaves); i++)
		mqtt_publish_leaf(q, name, bank, leaves[i], "", true);
}

void mqtt_unannounce(struct pub_node *p)
{
	struct mqtt *q = p->q;
	size_t i;

	if (!mqtt_client_connected(q->client))
		return;
	for (i = 0; i < p->n_topics; i++)
		mqtt_client_publish_str(q->client, p->topics[i], "", true);
	mqtt_node_forget_topics(p);
	mqtt_empty_leaves(q, p->name, p->bank);
}
