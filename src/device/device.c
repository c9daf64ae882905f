/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-BMS state machine (STYLE 3.3):
 *
 *   DISABLED -start-> CONNECTING -link up-> HANDSHAKE -cells-> ONLINE
 *   CONNECTING/HANDSHAKE/ONLINE -failure-> BACKOFF -timer-> CONNECTING
 *   HANDSHAKE -password mismatch-> AUTH_FAILED -timer-> CONNECTING
 *
 * Every transition goes through set_state(), which logs it (damped when a
 * link flaps, as bgpd's log_statechange) and tells the observers. One
 * timer serves every state: connect and handshake deadlines, the data
 * timeout while online, and the backoff before the next attempt.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jkbms/conf.h"
#include "jkbms/device.h"
#include "jkbms/driver.h"
#include "jkbms/util.h"

#include "device/device-private.h"
#include "device/write-private.h"

static const char *const state_names[DEVICE_STATE__MAX] = {
	[DEVICE_STATE_DISABLED] = "disabled",
	[DEVICE_STATE_CONNECTING] = "connecting",
	[DEVICE_STATE_HANDSHAKE] = "handshake",
	[DEVICE_STATE_ONLINE] = "online",
	[DEVICE_STATE_BACKOFF] = "backoff",
	[DEVICE_STATE_AUTH_FAILED] = "auth-failed",
};

const char *device_state_name(enum device_state s)
{
	if ((unsigned)s >= DEVICE_STATE__MAX)
		return NULL;
	return state_names[s];
}

static uint32_t next_rnd(struct device *dev)
{
	/* xorshift32: jitter only, not security. */
	uint32_t x = dev->rnd;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	dev->rnd = x ? x : 0x9e3779b9u;
	return dev->rnd;
}

void device_notify(struct device *dev, enum device_event ev,
		   const struct bits *changed)
{
	WATCHLIST_NOTIFY(&dev->watches, device_watch_func_t, dev, ev, changed);
}

/* The journal's MESSAGE_ID of a transition: one per kind of event. */
static const char *state_message_id(enum device_state old,
				    enum device_state new)
{
	if (new == DEVICE_STATE_ONLINE)
		return LOG_ID_LINK_UP;
	if (new == DEVICE_STATE_AUTH_FAILED)
		return LOG_ID_AUTH_FAILED;
	if (old == DEVICE_STATE_ONLINE)
		return LOG_ID_LINK_DOWN;
	return LOG_ID_DEVICE_STATE;
}

static void set_state(struct device *dev, enum device_state new,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_state(struct device *dev, enum device_state new,
		      const char *fmt, ...)
{
	enum device_state old = dev->state;
	unsigned suppressed = 0;
	int prio = LOG_NOTICE;
	char extra[64] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->reason, sizeof(dev->reason), fmt, ap);
	va_end(ap);
	if (old == new)
		return;

	/* Losing a link that was stable for a while is news again. */
	if (old == DEVICE_STATE_ONLINE &&
	    now_usec() - dev->link.state_usec >= DEVICE_STABLE_USEC)
		dev->quiet = false;
	dev->state = new;
	dev->link.state_usec = now_usec();

	/* A new connection attempt decides whether this cycle is damped. */
	if (new == DEVICE_STATE_CONNECTING) {
		dev->quiet = !log_damp_check(&dev->damp, dev->link.state_usec,
					     &suppressed);
		if (!dev->quiet && suppressed)
			snprintf(
				extra, sizeof(extra),
				" (%u flapping connection attempts not logged)",
				suppressed);
	}
	if (dev->quiet && new != DEVICE_STATE_DISABLED)
		prio = LOG_DEBUG;
	/* A password mismatch is said once, not at every retry, until the
	 * password is right again; the retries are in the debug log. */
	if (new == DEVICE_STATE_AUTH_FAILED) {
		prio = dev->auth_said ? LOG_DEBUG : LOG_WARNING;
		dev->auth_said = true;
	}
	if (new == DEVICE_STATE_ONLINE)
		dev->auth_said = false;

	log_full(prio, 0, state_message_id(old, new), &dev->log, __FILE__,
		 __LINE__, __func__, "%s -> %s: %s%s", state_names[old],
		 state_names[new], dev->reason, extra);
	device_notify(dev, DEVICE_EVENT_STATE, NULL);
	/* a write in progress ends with the link */
	write_on_state(dev);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata);

void device_arm_timer(struct device *dev, uint64_t usec)
{
	int r;

	if (!dev->timer) {
		r = sd_event_add_time_relative(dev->event, &dev->timer,
					       CLOCK_MONOTONIC, usec, 0,
					       on_timer, dev);
		if (r < 0)
			log_error_errno(r, "%s: cannot add a timer: %m",
					dev->name);
		return;
	}
	r = sd_event_source_set_time_relative(dev->timer, usec);
	if (r >= 0)
		r = sd_event_source_set_enabled(dev->timer, SD_EVENT_ONESHOT);
	if (r < 0)
		log_error_errno(r, "%s: cannot arm the timer: %m", dev->name);
}

static void disarm_timer(struct device *dev)
{
	if (dev->timer)
		sd_event_source_set_enabled(dev->timer, SD_EVENT_OFF);
}

/* Publishes what the model marked changed since the last call. */
static void flush_changes(struct device *dev)
{
	struct bits settings = dev->model.settings_changed;
	struct bits fields = state_take_changed(&dev->model);

	if (bits_any(&fields))
		device_notify(dev, DEVICE_EVENT_VALUES, &fields);
	if (bits_any(&settings))
		device_notify(dev, DEVICE_EVENT_SETTINGS, &settings);
}

static void stop_driver(struct device *dev)
{
	if (dev->driver && dev->driver->stop)
		dev->driver->stop(dev);
}

static void connect_device(struct device *dev)
{
	int r;

	if (!dev->driver) {
		set_state(dev, DEVICE_STATE_DISABLED,
			  "no driver for transport '%s' in this build",
			  device_transport_name(dev));
		return;
	}
	jk_reasm_init(&dev->reasm);
	dev->have_info = false;
	dev->have_cells = false;
	dev->tries = 0;
	set_state(dev, DEVICE_STATE_CONNECTING, "attempt %u", dev->attempt + 1);
	device_arm_timer(dev, dev->driver->connect_timeout_usec
				      ? dev->driver->connect_timeout_usec
				      : DEVICE_CONNECT_TIMEOUT_USEC);
	r = dev->driver->start(dev);
	if (r < 0 && dev->state == DEVICE_STATE_CONNECTING)
		device_fail(dev, r, "cannot start the %s link: %s",
			    dev->driver->name, strerror(-r));
}

void device_fail(struct device *dev, int err, const char *fmt, ...)
{
	char why[128];
	char delay_text[32];
	uint64_t delay;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);

	if (dev->state == DEVICE_STATE_ONLINE)
		dev->link.reconnects++;
	stop_driver(dev);
	state_clear_live(&dev->model);
	flush_changes(dev);

	delay = device_backoff_usec(dev->attempt++, DEVICE_BACKOFF_BASE_USEC,
				    DEVICE_BACKOFF_MAX_USEC, next_rnd(dev));
	device_arm_timer(dev, delay);
	if (err < 0 && !dev->quiet)
		dev_log_errno(&dev->log, LOG_DEBUG, err, "link error: %m");
	set_state(dev, DEVICE_STATE_BACKOFF, "%s, retrying in %s", why,
		  format_duration(delay_text, sizeof(delay_text), delay));
}

void device_auth_failed(struct device *dev)
{
	char delay_text[32];
	struct bits all;
	uint64_t delay;
	unsigned i;

	dev->link.auth_failures++;
	stop_driver(dev);
	/* Nothing of an unauthenticated BMS is kept or published. */
	state_init(&dev->model, dev->variant);
	bits_zero(&all);
	for (i = 0; i < FIELD__MAX; i++)
		bits_set(&all, i);
	device_notify(dev, DEVICE_EVENT_VALUES, &all);

	delay = device_backoff_usec(
		dev->attempt++, DEVICE_AUTH_BACKOFF_BASE_USEC,
		DEVICE_AUTH_BACKOFF_MAX_USEC, next_rnd(dev));
	device_arm_timer(dev, delay);
	set_state(dev, DEVICE_STATE_AUTH_FAILED,
		  "connection password mismatch: the BMS reports another "
		  "password than the configured one; nothing of it is "
		  "published, retrying in %s",
		  format_duration(delay_text, sizeof(delay_text), delay));
}

void device_went_online(struct device *dev)
{
	dev->attempt = 0;
	set_state(dev, DEVICE_STATE_ONLINE, "receiving cell data (%s)",
		  jk_variant_name(dev->variant) ?: "unknown variant");
	device_arm_timer(dev, DEVICE_DATA_TIMEOUT_USEC);
}

void device_send_request(struct device *dev, enum jk_request req)
{
	uint8_t cmd[JK_CMD_LEN];
	int r;

	jk_cmd_encode_request(cmd, req);
	dev->tries++;
	r = dev->driver->write(dev, cmd, sizeof(cmd));
	if (r < 0) {
		dev_log_debug(&dev->log, LOG_CAT_DEVICE,
			      "request 0x%02X not sent: %s", (unsigned)req,
			      strerror(-r));
		return;
	}
	dev->link.bytes_tx += sizeof(cmd);
	dev_log_debug(&dev->log, LOG_CAT_DEVICE, "request 0x%02X sent",
		      (unsigned)req);
}

static uint64_t data_timeout(const struct device *dev)
{
	uint64_t t = dev->cfg->poll_interval_usec * 5;

	return t > DEVICE_DATA_TIMEOUT_USEC ? t : DEVICE_DATA_TIMEOUT_USEC;
}

static void handshake_step(struct device *dev)
{
	if (dev->tries >= DEVICE_HANDSHAKE_TRIES) {
		device_fail(dev, -ETIMEDOUT, "no %s after %u requests",
			    dev->have_info ? "cell data" : "device info",
			    dev->tries);
		return;
	}
	/* Firmware does not always pair requests and answers: ask again. */
	device_send_request(dev, dev->have_info ? JK_REQ_CELL_INFO
						: JK_REQ_DEVICE_INFO);
	device_arm_timer(dev, DEVICE_HANDSHAKE_STEP_USEC);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct device *dev = userdata;
	uint64_t now = now_usec(), last = dev->link.last_frame_usec;
	char t[32];

	switch (dev->state) {
	case DEVICE_STATE_DISABLED:
		break;
	case DEVICE_STATE_CONNECTING:
		device_fail(dev, -ETIMEDOUT, "connect timed out");
		break;
	case DEVICE_STATE_HANDSHAKE:
		handshake_step(dev);
		break;
	case DEVICE_STATE_ONLINE:
		if (now - last >= data_timeout(dev))
			device_fail(dev, -ETIMEDOUT, "no data for %s",
				    format_duration(t, sizeof(t), now - last));
		else
			device_arm_timer(dev, last + data_timeout(dev) - now);
		break;
	case DEVICE_STATE_BACKOFF:
	case DEVICE_STATE_AUTH_FAILED:
		connect_device(dev);
		break;
	case DEVICE_STATE__MAX:
		break;
	}
	return 0;
}

void device_link_up(struct device *dev)
{
	if (dev->state != DEVICE_STATE_CONNECTING) {
		dev_log_debug(&dev->log, LOG_CAT_DEVICE,
			      "link up in state %s, ignoring",
			      state_names[dev->state]);
		return;
	}
	set_state(dev, DEVICE_STATE_HANDSHAKE,
		  "link up, asking for device info");
	handshake_step(dev);
}

void device_link_down(struct device *dev, int err, const char *reason)
{
	switch (dev->state) {
	case DEVICE_STATE_CONNECTING:
	case DEVICE_STATE_HANDSHAKE:
	case DEVICE_STATE_ONLINE:
		device_fail(dev, err, "%s", reason ? reason : "link lost");
		break;
	case DEVICE_STATE_DISABLED:
	case DEVICE_STATE_BACKOFF:
	case DEVICE_STATE_AUTH_FAILED:
	case DEVICE_STATE__MAX:
		break;
	}
}

void device_link_rssi(struct device *dev, int rssi)
{
	dev->link.rssi = rssi;
}

void device_feed(struct device *dev, const uint8_t *data, size_t len)
{
	struct jk_reasm *r = &dev->reasm;
	uint64_t good = r->frames_good, bad = r->frames_bad, acks = r->acks,
		 skipped = r->bytes_skipped;
	const uint8_t *frame;

	dev->link.bytes_rx += len;
	while (dev->state == DEVICE_STATE_HANDSHAKE ||
	       dev->state == DEVICE_STATE_ONLINE) {
		if (jk_reasm_next(r, &data, &len, &frame) < 0)
			break;
		dev->link.frames_good += r->frames_good - good;
		good = r->frames_good;
		device_handle_frame(dev, frame);
	}
	/* After a failure the reassembler is reset on the next connect. */
	dev->link.frames_good += r->frames_good - good;
	dev->link.frames_bad += r->frames_bad - bad;
	dev->link.acks += r->acks - acks;
	dev->link.bytes_skipped += r->bytes_skipped - skipped;
	flush_changes(dev);
}

/* The journal fields that point into the config (swapped on reload). */
static void set_log_config(struct device *dev)
{
	const struct conf_bms *cfg = dev->cfg;

	dev->log.transport = conf_transport_name(cfg->transport);
	dev->log.address = cfg->address ? cfg->address :
			   cfg->device	  ? cfg->device :
			   cfg->interface ? cfg->interface :
					    cfg->file;
}

struct device *device_new(const struct conf_bms *cfg, struct sd_event *event)
{
	struct device *dev = xcalloc(1, sizeof(*dev));
	const char *p;

	dev->cfg = cfg;
	dev->name = xstrdup(cfg->name);
	dev->event = sd_event_ref(event);
	dev->driver = driver_find(cfg->transport);
	dev->state = DEVICE_STATE_DISABLED;
	snprintf(dev->reason, sizeof(dev->reason), "not started");
	dev->variant = cfg->variant;
	dev->rnd = 2166136261u;
	for (p = cfg->name; *p; p++)
		dev->rnd = (dev->rnd ^ (uint8_t)*p) * 16777619u;
	dev->rnd ^= (uint32_t)now_usec();
	if (!dev->rnd)
		dev->rnd = 1;
	watchlist_init(&dev->watches);
	state_init(&dev->model, cfg->variant);
	jk_reasm_init(&dev->reasm);

	dev->log.bms = dev->name;
	set_log_config(dev);
	alarm_log_init(dev);
	return dev;
}

struct device *device_free(struct device *dev)
{
	if (!dev)
		return NULL;
	device_stop(dev);
	write_state_free(dev);
	if (dev->driver && dev->driver->destroy && dev->driver_data)
		dev->driver->destroy(dev);
	sd_event_source_disable_unref(dev->timer);
	watchlist_clear(&dev->watches);
	sd_event_unref(dev->event);
	free(dev->bank);
	free(dev->name);
	free(dev);
	return NULL;
}

int device_start(struct device *dev)
{
	int r;

	if (dev->started)
		return 0;
	dev->started = true;
	if (!dev->driver) {
		connect_device(dev);
		dev_log(&dev->log, LOG_WARNING, "%s, not started", dev->reason);
		return -EOPNOTSUPP;
	}
	if (dev->cfg->password_is_default)
		dev_log(&dev->log, LOG_WARNING,
			"the connection password is the factory default; "
			"anyone in radio range can read this BMS, set a new "
			"one in the app and in the config");
	if (!dev->driver_data && dev->driver->create) {
		r = dev->driver->create(dev);
		if (r < 0) {
			set_state(dev, DEVICE_STATE_DISABLED,
				  "cannot set up the %s driver: %s",
				  dev->driver->name, strerror(-r));
			return r;
		}
	}
	dev->attempt = 0;
	connect_device(dev);
	return 0;
}

void device_stop(struct device *dev)
{
	if (!dev->started)
		return;
	dev->started = false;
	disarm_timer(dev);
	stop_driver(dev);
	state_clear_live(&dev->model);
	flush_changes(dev);
	set_state(dev, DEVICE_STATE_DISABLED, "stopped");
}

void device_set_config(struct device *dev, const struct conf_bms *cfg)
{
	dev->cfg = cfg;
	set_log_config(dev);
}

void device_set_bank(struct device *dev, const char *bank)
{
	free(dev->bank);
	dev->bank = xstrdup(bank);
	dev->log.bank = dev->bank;
}

unsigned device_watch_add(struct device *dev, device_watch_func_t func,
			  void *userdata)
{
	return watchlist_add(&dev->watches, (watch_func_t)func, userdata, NULL);
}

void device_watch_remove(struct device *dev, unsigned id)
{
	watchlist_remove(&dev->watches, id);
}

const char *device_name(const struct device *dev)
{
	return dev->name;
}

const struct conf_bms *device_config(const struct device *dev)
{
	return dev->cfg;
}

const char *device_bank(const struct device *dev)
{
	return dev->bank;
}

enum device_state device_get_state(const struct device *dev)
{
	return dev->state;
}

const char *device_reason(const struct device *dev)
{
	return dev->reason;
}

const struct bms_state *device_bms_state(const struct device *dev)
{
	return &dev->model;
}

void device_set_energy(struct device *dev, int64_t charged, int64_t discharged)
{
	state_set_energy(&dev->model, charged, discharged);
	flush_changes(dev);
}

const struct device_link_stats *device_link(const struct device *dev)
{
	return &dev->link;
}

enum jk_variant device_variant(const struct device *dev)
{
	return dev->variant;
}

const char *device_transport_name(const struct device *dev)
{
	return conf_transport_name(dev->cfg->transport);
}

bool device_is_online(const struct device *dev)
{
	return dev->state == DEVICE_STATE_ONLINE;
}

void *device_driver_data(const struct device *dev)
{
	return dev->driver_data;
}

void device_set_driver_data(struct device *dev, void *data)
{
	dev->driver_data = data;
}

struct sd_event *device_event(const struct device *dev)
{
	return dev->event;
}

const struct log_ctx *device_log_ctx(const struct device *dev)
{
	return &dev->log;
}
