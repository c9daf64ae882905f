/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Commands from MQTT (DESIGN "MQTT"): <base>/<bms>/set/<key> with the
 * value as text (what jkbmsctl set takes), and <base>/<bms>/auth with the
 * settings password to open an authorisation window (empty: close it).
 * Every message gets an answer on <base>/<bms>/result, a JSON object with
 * "outcome" and a "message" for people; malformed payloads, unknown BMSs,
 * keys and topics are answered there too and change nothing. Writes go
 * through the write path (include/jkbms/write.h), which guards, validates,
 * writes, reads back and audits; passwords are never echoed or logged.
 *
 * The write path lives in the device library. Its symbols are referenced
 * weakly, so a build without it still links and answers "writes not
 * available" (and discovery then shows settings read-only).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/conf.h"
#include "jkbms/log.h"
#include "jkbms/settings-rules.h"
#include "jkbms/util.h"
#include "jkbms/write.h"

#include "daemon/manager.h"
#include "sink/mqtt-client.h"
#include "sink/mqtt-private.h"

#pragma weak device_write
#pragma weak device_auth_open
#pragma weak device_auth_close
#pragma weak write_outcome_name

#define PAYLOAD_MAX      256
#define AUTH_WINDOW_USEC (10 * 60 * USEC_PER_SEC)

/* A write in flight; the sink may be gone when it completes. */
struct pending {
	struct mqtt *q;
	char bms[64];
	char key[48];
	struct pending *next;
};

static struct pending *pending_list;

static bool write_path_linked(void)
{
	return device_write != NULL && device_auth_open != NULL;
}

bool mqtt_writable(const struct device *dev)
{
	return write_path_linked() && device_config(dev)->writes != WRITES_NO;
}

static void result(struct mqtt *q, const char *bms, const char *key,
		   const char *outcome, const char *message,
		   struct json_object *extra)
{
	struct json_object *o = extra ? extra : json_object_new_object();

	if (key)
		json_object_object_add(o, "key", json_object_new_string(key));
	json_object_object_add(o, "outcome", json_object_new_string(outcome));
	if (message && message[0])
		json_object_object_add(o, "message",
				       json_object_new_string(message));
	mqtt_publish_leaf(q, bms, false, "result",
			  json_object_to_json_string_ext(
				  o, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE),
			  false);
	json_object_put(o);
}

static void unlink_pending(struct pending *p)
{
	struct pending **pp;

	for (pp = &pending_list; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			return;
		}
}

static void on_written(const struct write_result *res, void *userdata)
{
	struct pending *p = userdata;
	struct json_object *o;
	char buf[48];

	unlink_pending(p);
	if (!p->q) {
		free(p);
		return;
	}
	o = json_object_new_object();
	if (res->has_old)
		json_object_object_add(
			o, "old",
			json_object_new_string(setting_format_value(
				res->id, res->old_value, buf, sizeof(buf))));
	json_object_object_add(
		o, "value",
		json_object_new_string(setting_format_value(
			res->id, res->new_value, buf, sizeof(buf))));
	if (res->has_held)
		json_object_object_add(
			o, "held",
			json_object_new_string(setting_format_value(
				res->id, res->held_value, buf, sizeof(buf))));
	if (res->warning[0])
		json_object_object_add(o, "warning",
				       json_object_new_string(res->warning));
	result(p->q, p->bms, p->key, write_outcome_name(res->outcome),
	       res->message, o);
	free(p);
}

/* Text payload: printable, bounded, NUL-terminated into buf. */
static bool payload_text(const void *payload, size_t len, char *buf,
			 size_t size)
{
	const unsigned char *b = payload;
	size_t i;

	if (len >= size)
		return false;
	for (i = 0; i < len; i++)
		if (b[i] < 0x20 || b[i] == 0x7f)
			return false;
	if (len)
		memcpy(buf, payload, len);
	buf[len] = '\0';
	return true;
}

static void set(struct mqtt *q, struct device *dev, const char *bms,
		const char *key, const char *text)
{
	struct write_request req = {
		.source = WRITE_SOURCE_HA,
		.password = NULL,
	};
	struct pending *p;
	int id, r;
	char msg[160];

	id = setting_from_key(key);
	if (id < 0) {
		snprintf(msg, sizeof(msg), "unknown setting '%s'", key);
		result(q, bms, key, "error", msg, NULL);
		return;
	}
	r = setting_parse_value(id, text, &req.value);
	if (r < 0) {
		snprintf(msg, sizeof(msg),
			 "cannot read '%s' as a value of %s%s", text, key,
			 r == -ERANGE ? ": out of range or off its step" : "");
		result(q, bms, key, "error", msg, NULL);
		return;
	}
	if (!write_path_linked()) {
		result(q, bms, key, "error",
		       "writes not available in this build", NULL);
		return;
	}
	/* writes = no is refused by the write path, which audits it. */
	req.id = id;
	snprintf(req.origin, sizeof(req.origin), "mqtt");
	p = xcalloc(1, sizeof(*p));
	p->q = q;
	snprintf(p->bms, sizeof(p->bms), "%s", bms);
	snprintf(p->key, sizeof(p->key), "%s", key);
	p->next = pending_list;
	pending_list = p;
	r = device_write(dev, &req, on_written, p);
	if (r < 0) {
		unlink_pending(p);
		free(p);
		snprintf(msg, sizeof(msg), "request refused: %s", strerror(-r));
		result(q, bms, key, "error", msg, NULL);
	}
}

static void auth(struct mqtt *q, struct device *dev, const char *bms,
		 char *password)
{
	struct json_object *o;
	int r;

	if (!write_path_linked()) {
		result(q, bms, "auth", "error",
		       "writes not available in this build", NULL);
		return;
	}
	if (!password[0]) {
		device_auth_close(dev);
		result(q, bms, "auth", "closed", "authorisation window closed",
		       NULL);
		return;
	}
	r = device_auth_open(dev, password, AUTH_WINDOW_USEC, WRITE_SOURCE_MQTT,
			     "mqtt");
	explicit_bzero(password, strlen(password));
	if (r == -EACCES) {
		result(q, bms, "auth", "denied", "wrong settings password",
		       NULL);
	} else if (r == -ENOLCK) {
		result(q, bms, "auth", "locked",
		       "too many failures: writes are locked for a while",
		       NULL);
	} else if (r < 0) {
		result(q, bms, "auth", "error", strerror(-r), NULL);
	} else {
		o = json_object_new_object();
		json_object_object_add(
			o, "remaining",
			json_object_new_int64(
				(int64_t)(AUTH_WINDOW_USEC / USEC_PER_SEC)));
		result(q, bms, "auth", "open", "authorisation window open", o);
	}
}

void mqtt_command(struct mqtt *q, const char *topic, const void *payload,
		  size_t len, bool retained)
{
	size_t blen = strlen(q->base);
	char bms[64], text[PAYLOAD_MAX];
	const char *rest, *slash;
	struct device *dev;

	/* <base>/<bms>/set/<key> or <base>/<bms>/auth (the subscriptions). */
	if (strncmp(topic, q->base, blen) || topic[blen] != '/')
		return;
	rest = topic + blen + 1;
	slash = strchr(rest, '/');
	if (!slash || (size_t)(slash - rest) >= sizeof(bms))
		return;
	memcpy(bms, rest, (size_t)(slash - rest));
	bms[slash - rest] = '\0';
	rest = slash + 1;

	if (retained) {
		/* A retained command would run again on every reconnect. */
		result(q, bms, NULL, "error",
		       "retained command ignored: publish commands without "
		       "the retain flag",
		       NULL);
		return;
	}
	dev = manager_find_device(q->m, bms);
	if (!dev) {
		result(q, bms, NULL, "error",
		       "no such BMS in the configuration", NULL);
		return;
	}
	if (!payload_text(payload, len, text, sizeof(text))) {
		result(q, bms, NULL, "error",
		       "malformed payload: expected up to 255 printable "
		       "characters",
		       NULL);
		return;
	}
	log_debug_cat(LOG_CAT_MQTT, "mqtt: command %s for %s", rest, bms);
	if (!strcmp(rest, "auth")) {
		auth(q, dev, bms, text);
	} else if (!strncmp(rest, "set/", 4) && rest[4] &&
		   !strchr(rest + 4, '/')) {
		char *t = text, *end;

		while (isspace((unsigned char)*t))
			t++;
		end = t + strlen(t);
		while (end > t && isspace((unsigned char)end[-1]))
			*--end = '\0';
		set(q, dev, bms, rest + 4, t);
	} else {
		result(q, bms, NULL, "error",
		       "unknown command topic: use set/<key> or auth", NULL);
	}
	explicit_bzero(text, sizeof(text));
}

void mqtt_command_detach(struct mqtt *q)
{
	struct pending *p;

	for (p = pending_list; p; p = p->next)
		if (p->q == q)
			p->q = NULL;
}
