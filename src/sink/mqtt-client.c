/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libmosquitto on sd-event (STYLE 3.4): the socket is an io source for
 * EPOLLIN, with EPOLLOUT added only while mosquitto_want_write() says so
 * (a writable socket with nothing to write would spin the loop); a one
 * second timer runs mosquitto_loop_misc() for keepalive. libmosquitto's
 * own reconnect would block in getaddrinfo(), so the client resolves the
 * name itself (mqtt-resolve.c), connects to the numeric addresses one by
 * one and, when all failed or the link dropped, waits a backoff with
 * jitter before resolving again. The socket changes on every connect, so
 * the io source is made anew each time.
 *
 *   RESOLVING -> CONNECTING -connack-> CONNECTED
 *   any failure -> BACKOFF -timer-> RESOLVING (or the next address)
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <mosquitto.h>
#include <systemd/sd-event.h>

#include "jkbms/log.h"
#include "jkbms/util.h"

#include "sink/mqtt-client.h"
#include "sink/mqtt-resolve.h"
#include "sink/mqtt-tls.h"

#define MISC_USEC            (1 * USEC_PER_SEC)
#define CONNECT_TIMEOUT_USEC (10 * USEC_PER_SEC)
#define BACKOFF_BASE_USEC    (500 * USEC_PER_MSEC)
#define BACKOFF_MAX_USEC     (60 * USEC_PER_SEC)
#define CLOSE_WAIT_MSEC      1000

enum client_state {
	CLIENT_RESOLVING,
	CLIENT_CONNECTING,
	CLIENT_CONNECTED,
	CLIENT_BACKOFF,
	CLIENT_CLOSING,
};

struct mqtt_client {
	sd_event *event;
	struct mosquitto *mosq;
	void *ssl_ctx;
	struct mqtt_client_config cfg; /* strings owned */
	const struct mqtt_client_ops *ops;
	void *userdata;

	enum client_state state;
	sd_event_source *io;
	sd_event_source *misc;
	sd_event_source *timer; /* connect deadline, backoff */
	struct mqtt_resolve *resolve;
	char addrs[MQTT_ADDR_MAX][MQTT_ADDR_LEN];
	size_t n_addrs, next_addr;
	unsigned attempt;
	uint32_t rnd;
	struct log_damp damp;
	bool quiet;
	uint64_t published;
};

static void reconnect_later(struct mqtt_client *c, const char *why);
static void connect_next(struct mqtt_client *c);
static void start_resolve(struct mqtt_client *c);

static uint32_t next_rnd(struct mqtt_client *c)
{
	uint32_t x = c->rnd;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	c->rnd = x ? x : 0x9e3779b9u;
	return c->rnd;
}

/* base * 2^attempt capped at max, spread by +-25%. */
static uint64_t backoff_usec(struct mqtt_client *c)
{
	uint64_t d = BACKOFF_BASE_USEC;
	unsigned i;

	for (i = 0; i < c->attempt && d < BACKOFF_MAX_USEC; i++)
		d *= 2;
	if (d > BACKOFF_MAX_USEC)
		d = BACKOFF_MAX_USEC;
	if (c->attempt < 32)
		c->attempt++;
	return d - d / 4 + (uint64_t)next_rnd(c) % (d / 2 + 1);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata);

static void arm_timer(struct mqtt_client *c, uint64_t usec)
{
	int r;

	if (!c->timer) {
		r = sd_event_add_time_relative(c->event, &c->timer,
					       CLOCK_MONOTONIC, usec, 0,
					       on_timer, c);
	} else {
		r = sd_event_source_set_time_relative(c->timer, usec);
		if (r >= 0)
			r = sd_event_source_set_enabled(c->timer,
							SD_EVENT_ONESHOT);
	}
	if (r < 0)
		log_error_errno(r, "mqtt: cannot arm a timer: %m");
}

static void update_events(struct mqtt_client *c)
{
	uint32_t ev = EPOLLIN;

	if (!c->io)
		return;
	if (mosquitto_want_write(c->mosq))
		ev |= EPOLLOUT;
	sd_event_source_set_io_events(c->io, ev);
}

static const char *error_text(int rc)
{
	static char buf[224];
	int e = errno;
	const char *v;

	/*
	 * A failed TLS read or write comes back as EPROTO, a lost
	 * connection or MOSQ_ERR_TLS; what OpenSSL said (logged by
	 * libmosquitto since this attempt began) is the reason.
	 */
	v = mqtt_tls_take_error();
	if (v && rc != MOSQ_ERR_TLS) {
		snprintf(buf, sizeof(buf), "TLS failed: %s", v);
		return buf;
	}
	if (rc == MOSQ_ERR_ERRNO)
		return strerror(e);
	if (rc == MOSQ_ERR_TLS) {
		snprintf(buf, sizeof(buf), "TLS handshake failed: %s",
			 v ? v : "protocol error");
		return buf;
	}
	return mosquitto_strerror(rc);
}

static void on_library_log(struct mosquitto *mosq, void *userdata, int level,
			   const char *line)
{
	if (level & MOSQ_LOG_ERR)
		mqtt_tls_note_library_error(line);
	log_debug_cat(LOG_CAT_MQTT, "mqtt: libmosquitto: %s", line);
}

/*
 * With a callback set, libmosquitto formats a line for every packet: it
 * is set while connecting (a TLS failure's reason comes this way) and
 * with -d mqtt, not for every publish of a session.
 */
static void library_log(struct mqtt_client *c, bool connecting)
{
	mosquitto_log_callback_set(c->mosq,
				   connecting || log_debug_enabled(LOG_CAT_MQTT)
					   ? on_library_log
					   : NULL);
}

/* Drops the socket's io source (mosquitto owns and closes the fd). */
static void drop_io(struct mqtt_client *c)
{
	c->io = sd_event_source_disable_unref(c->io);
}

/*
 * The connection failed or dropped. Idempotent: libmosquitto may report
 * one failure both through on_disconnect and a return code.
 */
static void lost(struct mqtt_client *c, const char *why)
{
	bool was_connected = c->state == CLIENT_CONNECTED;

	if (c->state != CLIENT_CONNECTING && c->state != CLIENT_CONNECTED)
		return;
	drop_io(c);
	if (was_connected) {
		/* A fresh address list on the next attempt. */
		c->n_addrs = 0;
		c->state = CLIENT_BACKOFF;
		if (c->ops->disconnected)
			c->ops->disconnected(c, c->userdata);
	}
	reconnect_later(c, why);
}

static void on_connect(struct mosquitto *mosq, void *userdata, int rc)
{
	struct mqtt_client *c = userdata;
	char why[160];

	if (c->state != CLIENT_CONNECTING)
		return;
	if (rc != 0) {
		const char *text = mosquitto_connack_string(rc);
		size_t len;

		/* "Connection Refused: not authorised." -> "not authorised" */
		if (!strncmp(text, "Connection Refused: ", 20))
			text += 20;
		len = strlen(text);
		if (len && text[len - 1] == '.')
			len--;
		snprintf(why, sizeof(why),
			 "the broker refused the connection: %.*s%s", (int)len,
			 text,
			 rc == 4 || rc == 5 || rc == 134 || rc == 135
				 ? " (check username and password)"
				 : "");
		/* No other address will think differently. */
		c->next_addr = c->n_addrs;
		lost(c, why);
		return;
	}
	c->state = CLIENT_CONNECTED;
	c->attempt = 0;
	c->quiet = false;
	library_log(c, false);
	if (c->timer)
		sd_event_source_set_enabled(c->timer, SD_EVENT_OFF);
	log_full(LOG_NOTICE, 0, LOG_ID_BROKER_STATE, NULL, __FILE__, __LINE__,
		 __func__, "mqtt: connected to %s:%u%s", c->cfg.host,
		 c->cfg.port, c->cfg.tls ? " (TLS)" : "");
	c->ops->connected(c, c->userdata);
	update_events(c);
}

static void on_disconnect(struct mosquitto *mosq, void *userdata, int rc)
{
	struct mqtt_client *c = userdata;

	lost(c, rc == 0 ? "disconnected" : error_text(rc));
}

static void on_message(struct mosquitto *mosq, void *userdata,
		       const struct mosquitto_message *msg)
{
	struct mqtt_client *c = userdata;

	if (c->state != CLIENT_CONNECTED || !c->ops->message)
		return;
	c->ops->message(c, msg->topic, msg->payload,
			msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0,
			msg->retain, c->userdata);
}

static int on_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct mqtt_client *c = userdata;
	int rc;

	if (revents & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		rc = mosquitto_loop_read(c->mosq, 1);
		if (rc != MOSQ_ERR_SUCCESS) {
			lost(c, error_text(rc));
			return 0;
		}
	}
	if (c->io == s && (revents & EPOLLOUT)) {
		rc = mosquitto_loop_write(c->mosq, 1);
		if (rc != MOSQ_ERR_SUCCESS) {
			lost(c, error_text(rc));
			return 0;
		}
	}
	if (c->io == s)
		update_events(c);
	return 0;
}

static int on_misc(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct mqtt_client *c = userdata;
	int rc;

	sd_event_source_set_time_relative(s, MISC_USEC);
	if (c->state != CLIENT_CONNECTED)
		return 0;
	rc = mosquitto_loop_misc(c->mosq);
	if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) {
		lost(c, error_text(rc));
		return 0;
	}
	if (rc == MOSQ_ERR_NO_CONN) {
		lost(c, "keepalive timed out");
		return 0;
	}
	update_events(c);
	return 0;
}

static void reconnect_later(struct mqtt_client *c, const char *why)
{
	char t[32];
	uint64_t delay;
	unsigned suppressed = 0;

	drop_io(c);
	c->state = CLIENT_BACKOFF;
	if (c->next_addr < c->n_addrs) {
		/* Another address of the same name: try it right away. */
		log_debug_cat(LOG_CAT_MQTT, "mqtt: %s:%u: %s, next address",
			      c->cfg.host, c->cfg.port, why);
		arm_timer(c, 0);
		return;
	}
	delay = backoff_usec(c);
	c->n_addrs = 0;
	if (c->attempt == 1)
		c->quiet = !log_damp_check(&c->damp, now_usec(), &suppressed);
	log_full(c->quiet ? LOG_DEBUG : LOG_ERR, 0, LOG_ID_BROKER_STATE, NULL,
		 __FILE__, __LINE__, __func__,
		 "mqtt: broker %s:%u: %s; retrying in %s%s", c->cfg.host,
		 c->cfg.port, why, format_duration(t, sizeof(t), delay),
		 suppressed ? " (earlier failures not logged)" : "");
	arm_timer(c, delay);
}

static void connect_next(struct mqtt_client *c)
{
	const char *addr = c->addrs[c->next_addr++];
	int fd, rc;

	c->state = CLIENT_CONNECTING;
	mqtt_tls_take_error(); /* nothing from an earlier attempt */
	library_log(c, true);
	log_debug_cat(LOG_CAT_MQTT, "mqtt: connecting to %s port %u", addr,
		      c->cfg.port);
	rc = mosquitto_connect_bind_async(c->mosq, addr, (int)c->cfg.port,
					  (int)c->cfg.keepalive, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		char why[128];

		snprintf(why, sizeof(why), "cannot connect to %s: %s", addr,
			 error_text(rc));
		lost(c, why);
		return;
	}
	fd = mosquitto_socket(c->mosq);
	if (fd < 0) {
		lost(c, "no socket");
		return;
	}
	rc = sd_event_add_io(c->event, &c->io, fd, EPOLLIN | EPOLLOUT, on_io,
			     c);
	if (rc < 0) {
		lost(c, strerror(-rc));
		return;
	}
	update_events(c);
	/* CONNECT is queued until the TCP connect completes. */
	sd_event_source_set_io_events(c->io, EPOLLIN | EPOLLOUT);
	arm_timer(c, CONNECT_TIMEOUT_USEC);
}

static void on_resolved(int err, const char (*addrs)[MQTT_ADDR_LEN], size_t n,
			void *userdata)
{
	struct mqtt_client *c = userdata;
	char why[128];

	c->resolve = NULL;
	if (err < 0) {
		snprintf(why, sizeof(why), "cannot resolve the name: %s",
			 err == -ENOENT ? "no such host" : strerror(-err));
		c->state = CLIENT_CONNECTING; /* so lost() acts */
		lost(c, why);
		return;
	}
	memcpy(c->addrs, addrs, n * sizeof(*addrs));
	c->n_addrs = n;
	c->next_addr = 0;
	connect_next(c);
}

static void start_resolve(struct mqtt_client *c)
{
	char why[128];
	int r;

	c->state = CLIENT_RESOLVING;
	r = mqtt_resolve_start(c->event, c->cfg.host, on_resolved, c, c->addrs,
			       &c->resolve);
	if (r == 1) {
		c->n_addrs = 1;
		c->next_addr = 0;
		connect_next(c);
	} else if (r < 0) {
		snprintf(why, sizeof(why), "cannot resolve the name: %s",
			 strerror(-r));
		c->state = CLIENT_CONNECTING;
		lost(c, why);
	}
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct mqtt_client *c = userdata;

	switch (c->state) {
	case CLIENT_CONNECTING:
		lost(c, "connect timed out");
		break;
	case CLIENT_BACKOFF:
		if (c->next_addr < c->n_addrs)
			connect_next(c);
		else
			start_resolve(c);
		break;
	case CLIENT_RESOLVING:
	case CLIENT_CONNECTED:
	case CLIENT_CLOSING:
		break;
	}
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int setup(struct mqtt_client *c)
{
	const struct mqtt_client_config *cfg = &c->cfg;
	char err[256];
	int rc;

	c->mosq = mosquitto_new(cfg->client_id, true, c);
	if (!c->mosq)
		return log_error_errno(-ENOMEM, "mqtt: cannot create a client");
	mosquitto_int_option(c->mosq, MOSQ_OPT_PROTOCOL_VERSION,
			     cfg->v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
	mosquitto_int_option(c->mosq, MOSQ_OPT_TCP_NODELAY, 1);
	mosquitto_connect_callback_set(c->mosq, on_connect);
	mosquitto_disconnect_callback_set(c->mosq, on_disconnect);
	mosquitto_message_callback_set(c->mosq, on_message);
	if (cfg->username) {
		rc = mosquitto_username_pw_set(c->mosq, cfg->username,
					       cfg->password);
		if (rc != MOSQ_ERR_SUCCESS)
			goto fail;
	}
	if (cfg->will_topic) {
		rc = mosquitto_will_set(c->mosq, cfg->will_topic,
					(int)strlen(cfg->will_payload),
					cfg->will_payload, (int)cfg->qos, true);
		if (rc != MOSQ_ERR_SUCCESS)
			goto fail;
	}
	if (cfg->tls) {
		c->ssl_ctx = mqtt_tls_context_new(cfg, err, sizeof(err));
		if (!c->ssl_ctx) {
			log_error("mqtt: %s", err);
			return -EINVAL;
		}
		mosquitto_int_option(c->mosq, MOSQ_OPT_SSL_CTX_WITH_DEFAULTS,
				     0);
		rc = mosquitto_void_option(c->mosq, MOSQ_OPT_SSL_CTX,
					   c->ssl_ctx);
		if (rc != MOSQ_ERR_SUCCESS)
			goto fail;
	}
	return 0;

fail:
	log_error("mqtt: cannot set up the client: %s", mosquitto_strerror(rc));
	return -EINVAL;
}

int mqtt_client_new(struct sd_event *event,
		    const struct mqtt_client_config *cfg,
		    const struct mqtt_client_ops *ops, void *userdata,
		    struct mqtt_client **ret)
{
	static bool lib_ready;
	struct mqtt_client *c;
	const char *p;
	int r;

	if (!lib_ready) {
		mosquitto_lib_init();
		lib_ready = true;
	}
	c = xcalloc(1, sizeof(*c));
	c->event = sd_event_ref(event);
	c->ops = ops;
	c->userdata = userdata;
	c->cfg = *cfg;
	c->cfg.host = xstrdup(cfg->host);
	c->cfg.client_id = dup_or_null(cfg->client_id);
	c->cfg.username = dup_or_null(cfg->username);
	c->cfg.password = dup_or_null(cfg->password);
	c->cfg.cafile = dup_or_null(cfg->cafile);
	c->cfg.certfile = dup_or_null(cfg->certfile);
	c->cfg.keyfile = dup_or_null(cfg->keyfile);
	c->cfg.will_topic = dup_or_null(cfg->will_topic);
	c->cfg.will_payload = dup_or_null(cfg->will_payload);
	c->rnd = 2166136261u ^ (uint32_t)now_usec();
	for (p = cfg->client_id ? cfg->client_id : ""; *p; p++)
		c->rnd = (c->rnd ^ (uint8_t)*p) * 16777619u;
	if (!c->rnd)
		c->rnd = 1;

	r = setup(c);
	if (r >= 0)
		r = sd_event_add_time_relative(event, &c->misc, CLOCK_MONOTONIC,
					       MISC_USEC, 0, on_misc, c);
	if (r >= 0)
		r = sd_event_source_set_enabled(c->misc, SD_EVENT_ON);
	if (r < 0) {
		mqtt_client_free(c, NULL, NULL);
		return r;
	}
	start_resolve(c);
	*ret = c;
	return 0;
}

/* Gives the broker up to CLOSE_WAIT_MSEC to take what is queued. */
static void flush(struct mqtt_client *c)
{
	int fd = mosquitto_socket(c->mosq);
	uint64_t end = now_usec() + CLOSE_WAIT_MSEC * USEC_PER_MSEC;
	struct pollfd pfd;
	int n = 0;

	while (fd >= 0 && mosquitto_want_write(c->mosq) && n++ < 100) {
		uint64_t now = now_usec();

		if (now >= end)
			break;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, (int)((end - now) / USEC_PER_MSEC) + 1) <= 0)
			break;
		if (mosquitto_loop_write(c->mosq, 1) != MOSQ_ERR_SUCCESS)
			break;
		fd = mosquitto_socket(c->mosq);
	}
}

static void free_cfg(struct mqtt_client_config *cfg)
{
	free((char *)cfg->host);
	free((char *)cfg->client_id);
	if (cfg->password)
		explicit_bzero((char *)cfg->password, strlen(cfg->password));
	free((char *)cfg->username);
	free((char *)cfg->password);
	free((char *)cfg->cafile);
	free((char *)cfg->certfile);
	free((char *)cfg->keyfile);
	free((char *)cfg->will_topic);
	free((char *)cfg->will_payload);
}

struct mqtt_client *mqtt_client_free(struct mqtt_client *c,
				     const char *final_topic,
				     const char *final_payload)
{
	if (!c)
		return NULL;
	if (c->state == CLIENT_CONNECTED) {
		if (final_topic && final_payload)
			mqtt_client_publish_str(c, final_topic, final_payload,
						true);
		c->state = CLIENT_CLOSING;
		mosquitto_disconnect(c->mosq);
		flush(c);
	}
	c->state = CLIENT_CLOSING;
	c->resolve = mqtt_resolve_cancel(c->resolve);
	drop_io(c);
	sd_event_source_disable_unref(c->misc);
	sd_event_source_disable_unref(c->timer);
	if (c->mosq)
		mosquitto_destroy(c->mosq);
	mqtt_tls_context_free(c->ssl_ctx);
	free_cfg(&c->cfg);
	sd_event_unref(c->event);
	free(c);
	return NULL;
}

bool mqtt_client_connected(const struct mqtt_client *c)
{
	return c && c->state == CLIENT_CONNECTED;
}

int mqtt_client_publish(struct mqtt_client *c, const char *topic,
			const void *payload, size_t len, bool retain)
{
	int rc;

	if (!mqtt_client_connected(c))
		return -ENOTCONN;
	rc = mosquitto_publish(c->mosq, NULL, topic, (int)len, payload,
			       (int)c->cfg.qos, retain);
	if (rc != MOSQ_ERR_SUCCESS) {
		log_debug_cat(LOG_CAT_MQTT, "mqtt: cannot publish %s: %s",
			      topic, error_text(rc));
		return rc == MOSQ_ERR_NO_CONN ? -ENOTCONN : -EIO;
	}
	c->published++;
	update_events(c);
	return 0;
}

int mqtt_client_publish_str(struct mqtt_client *c, const char *topic,
			    const char *payload, bool retain)
{
	return mqtt_client_publish(c, topic, payload, strlen(payload), retain);
}

int mqtt_client_subscribe(struct mqtt_client *c, const char *pattern)
{
	int rc;

	if (!mqtt_client_connected(c))
		return -ENOTCONN;
	rc = mosquitto_subscribe(c->mosq, NULL, pattern, (int)c->cfg.qos);
	if (rc != MOSQ_ERR_SUCCESS)
		return log_error_errno(-EIO, "mqtt: cannot subscribe to %s: %s",
				       pattern, mosquitto_strerror(rc));
	update_events(c);
	return 0;
}

uint64_t mqtt_client_published(const struct mqtt_client *c)
{
	return c ? c->published : 0;
}
