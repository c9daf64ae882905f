/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The settings write path (DESIGN "Data flow": password guard ->
 * validation -> codec encode -> transport -> read back -> audit), one
 * per BMS, serialised: a request is guarded when it arrives (its password
 * is compared and forgotten there), then queued; the one at the head is
 * validated against what the BMS holds at that moment, encoded for the
 * BMS's variant, sent through its driver, and read back by asking for the
 * frame that holds the value (0x96: the settings frame; 0x97: device
 * info) after a short pause (protocols.md 1.3 step 6, 2 "Behaviour
 * notes"). It succeeds only when that frame holds the new value within
 * the encoding's resolution; a BMS that keeps its old value gets one more
 * look before the result says what it holds. Commands and buttons, which
 * nothing reads back, succeed on the BMS's acknowledgement.
 *
 * A preset on a variant without the BMS's own preset command is sent as
 * the appendix values, validated together before the first is sent.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jkbms/driver.h"
#include "jkbms/settings-rules.h"
#include "jkbms/util.h"

#include "device/device-private.h"
#include "device/write-private.h"

static void pump(struct write_state *ws);

struct write_state *write_state_get(struct device *dev)
{
	struct write_state *ws = dev->writes;

	if (!ws) {
		ws = xcalloc(1, sizeof(*ws));
		ws->dev = dev;
		dev->writes = ws;
	}
	return ws;
}

static bool is_preset(enum setting_id id)
{
	return id == SETTING_PRESET_LFP || id == SETTING_PRESET_LIION ||
	       id == SETTING_PRESET_LTO;
}

static void init_result(const struct device *dev,
			const struct write_request *req,
			struct write_result *res)
{
	const struct setting_values *held = &dev->model.settings;

	memset(res, 0, sizeof(*res));
	res->id = req->id;
	res->new_value = settings_table[req->id].kind == SETTING_KIND_BUTTON
				 ? 0
				 : req->value;
	if (bits_test(&held->set, (unsigned)req->id)) {
		res->has_old = true;
		res->old_value = held->val[req->id];
	}
}

static void say(struct write_result *res, enum write_outcome o, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

static void say(struct write_result *res, enum write_outcome o, const char *fmt,
		...)
{
	va_list ap;

	res->outcome = o;
	va_start(ap, fmt);
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	va_end(ap);
}

/* Audit, then the requester: every request ends here exactly once. */
static void complete(struct device *dev, const struct write_request *req,
		     const struct write_result *res, write_done_func_t done,
		     void *userdata)
{
	const struct setting_desc *d = &settings_table[req->id];
	char old[32] = "", new[32] = "press";

	if (res->has_old)
		audit_format_value(req->id, res->old_value, old, sizeof(old));
	if (d->kind != SETTING_KIND_BUTTON)
		audit_format_value(req->id, res->new_value, new, sizeof(new));
	audit_emit(dev, req->source, req->origin, d->key, old, new,
		   res->outcome, res->message);
	done(res, userdata);
}

static void disarm(struct write_state *ws)
{
	if (ws->timer)
		sd_event_source_set_enabled(ws->timer, SD_EVENT_OFF);
}

/* Ends the write in progress with ws->res, then starts the next one. */
static void finish(struct write_state *ws)
{
	struct write_job *job = ws->cur;

	if (!job)
		return;
	ws->cur = NULL;
	ws->phase = WRITE_IDLE;
	disarm(ws);
	complete(ws->dev, &job->req, &ws->res, job->done, job->userdata);
	free(job);
	pump(ws);
}

static void fail(struct write_state *ws, enum write_outcome o, const char *fmt,
		 ...) __attribute__((format(printf, 3, 4)));

static void fail(struct write_state *ws, enum write_outcome o, const char *fmt,
		 ...)
{
	va_list ap;

	ws->res.outcome = o;
	va_start(ap, fmt);
	vsnprintf(ws->res.message, sizeof(ws->res.message), fmt, ap);
	va_end(ap);
	finish(ws);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata);

static void arm(struct write_state *ws, uint64_t usec)
{
	sd_event *e = ws->dev->event;
	int r;

	if (!ws->timer) {
		r = sd_event_add_time_relative(e, &ws->timer, CLOCK_MONOTONIC,
					       usec, USEC_PER_MSEC, on_timer,
					       ws);
	} else {
		r = sd_event_source_set_time_relative(ws->timer, usec);
		if (r >= 0)
			r = sd_event_source_set_enabled(ws->timer,
							SD_EVENT_ONESHOT);
	}
	if (r < 0)
		fail(ws, WRITE_FAILED, "cannot arm a timer: %s", strerror(-r));
}

/* The frame that holds a setting's value, 0 if none does. */
static enum jk_frame_type read_frame_of(const struct setting_place *p)
{
	switch (p->source) {
	case SOURCE_SETTINGS:
		return JK_FRAME_SETTINGS;
	case SOURCE_DEVICE_INFO:
		return JK_FRAME_DEVICE_INFO;
	case SOURCE_NONE:
		break;
	}
	return 0;
}

static void plan_add(struct write_state *ws, enum setting_id id, int64_t value)
{
	ws->plan.val[id] = value;
	bits_set(&ws->plan.set, (unsigned)id);
	ws->order[ws->n_plan++] = id;
}

/* The appendix values of a preset, checked together (refused: -EINVAL). */
static int plan_preset(struct write_state *ws, enum setting_id id)
{
	const struct device *dev = ws->dev;
	struct setting_values vals, merged = dev->model.settings;
	struct write_result *res = &ws->res;
	struct setting_check chk;
	unsigned i;
	int n;

	n = settings_preset_values(id, dev->variant, &vals);
	if (n <= 0) {
		say(res, WRITE_REFUSED, "%s is not available on %s",
		    settings_table[id].key,
		    jk_variant_name(dev->variant) ?: "this BMS");
		return -EINVAL;
	}
	for (i = 0; i < SETTING__MAX; i++) {
		if (!bits_test(&vals.set, i))
			continue;
		merged.val[i] = vals.val[i];
		bits_set(&merged.set, i);
	}
	for (i = 0; i < SETTING__MAX; i++) {
		if (!bits_test(&vals.set, i))
			continue;
		if (settings_validate(i, vals.val[i], dev->variant, &merged,
				      &chk) < 0) {
			say(res, WRITE_REFUSED, "%s: %s",
			    settings_table[id].key, chk.error);
			return -EINVAL;
		}
		if (chk.warning[0] && !res->warning[0])
			snprintf(res->warning, sizeof(res->warning), "%s",
				 chk.warning);
		plan_add(ws, i, vals.val[i]);
	}
	ws->read_frame = JK_FRAME_SETTINGS;
	return 0;
}

/* What to send for the request at the head; -EINVAL when refused. */
static int plan(struct write_state *ws, const struct write_request *req)
{
	const struct device *dev = ws->dev;
	const struct setting_desc *d = &settings_table[req->id];
	const struct field_values *info = &dev->model.v;
	struct write_result *res = &ws->res;
	const struct setting_place *p;
	struct setting_check chk, model;

	bits_zero(&ws->plan.set);
	ws->n_plan = 0;
	ws->read_frame = 0;
	if ((d->flags & S_DANGEROUS) && !req->force) {
		say(res, WRITE_REFUSED,
		    "%s is a dangerous command and needs a confirmation",
		    d->key);
		return -EINVAL;
	}
	if (is_preset(req->id) && !setting_on_variant(req->id, dev->variant))
		return plan_preset(ws, req->id);
	if (settings_validate(req->id, res->new_value, dev->variant,
			      &dev->model.settings, &chk) < 0) {
		say(res, WRITE_REFUSED, "%s", chk.error);
		return -EINVAL;
	}
	if (settings_validate_model(req->id, res->new_value,
				    field_has(info, FIELD_MODEL)
					    ? info->text[FIELD_MODEL]
					    : NULL,
				    &model) < 0) {
		say(res, WRITE_REFUSED, "%s", model.error);
		return -EINVAL;
	}
	if (chk.warning[0])
		snprintf(res->warning, sizeof(res->warning), "%s", chk.warning);
	p = setting_get_place(req->id, dev->variant);
	ws->read_frame = read_frame_of(p);
	plan_add(ws, req->id, res->new_value);
	return 0;
}

static void send_next(struct write_state *ws)
{
	struct device *dev = ws->dev;
	struct write_job *job = ws->cur;
	enum setting_id id = ws->order[ws->n_sent];
	uint8_t cmd[JK_CMD_LEN];
	int r;

	r = jk_cmd_encode_setting(cmd, dev->variant, id, ws->plan.val[id]);
	if (r < 0) {
		fail(ws, WRITE_FAILED, "%s cannot be encoded for %s: %s",
		     settings_table[id].key,
		     jk_variant_name(dev->variant) ?: "this BMS", strerror(-r));
		return;
	}
	if (!dev->driver || !dev->driver->write) {
		fail(ws, WRITE_FAILED, "the %s transport cannot write",
		     device_transport_name(dev));
		return;
	}
	r = dev->driver->write(dev, cmd, sizeof(cmd));
	if (ws->cur != job)
		return; /* the link went down inside the driver */
	if (r < 0) {
		fail(ws, WRITE_FAILED, "not sent%s: %s",
		     ws->n_sent ? " completely" : "", strerror(-r));
		return;
	}
	dev->link.bytes_tx += sizeof(cmd);
	dev_log_debug(&dev->log, LOG_CAT_DEVICE, "write %s sent",
		      settings_table[id].key);
	ws->n_sent++;
	if (ws->n_sent < ws->n_plan) {
		arm(ws, WRITE_PACE_USEC);
		return;
	}
	ws->phase = WRITE_SETTLING;
	arm(ws, WRITE_SETTLE_USEC);
}

static void start(struct write_state *ws)
{
	struct device *dev = ws->dev;
	struct write_job *job = ws->cur;

	init_result(dev, &job->req, &ws->res);
	if (!device_is_online(dev)) {
		fail(ws, WRITE_FAILED, "the BMS is not online (%s: %s)",
		     device_state_name(dev->state), dev->reason);
		return;
	}
	if (plan(ws, &job->req) < 0) {
		finish(ws);
		return;
	}
	ws->n_sent = 0;
	ws->reads = 0;
	ws->acks_before = dev->link.acks;
	ws->phase = WRITE_SENDING;
	send_next(ws);
}

static void pump(struct write_state *ws)
{
	struct write_job *job;

	if (ws->pumping)
		return;
	ws->pumping = true;
	while (!ws->cur && ws->head) {
		job = ws->head;
		ws->head = job->next;
		if (!ws->head)
			ws->tail = NULL;
		ws->queued--;
		job->next = NULL;
		ws->cur = job;
		start(ws);
	}
	ws->pumping = false;
}

int device_write(struct device *dev, const struct write_request *req,
		 write_done_func_t done, void *userdata)
{
	struct write_state *ws;
	struct write_result res;
	struct write_job *job;

	if (!dev || !req || !done || (unsigned)req->id >= SETTING__MAX ||
	    (unsigned)req->source >= WRITE_SOURCE__MAX)
		return -EINVAL;
	ws = write_state_get(dev);
	init_result(dev, req, &res);
	if (write_guard(ws, req, &res) < 0) {
		complete(dev, req, &res, done, userdata);
		return 0;
	}
	if (ws->queued >= WRITE_QUEUE_MAX) {
		say(&res, WRITE_FAILED,
		    "%u writes are already waiting for this BMS", ws->queued);
		complete(dev, req, &res, done, userdata);
		return 0;
	}
	job = xcalloc(1, sizeof(*job));
	job->req = *req;
	job->req.password = NULL;
	job->done = done;
	job->userdata = userdata;
	if (ws->tail)
		ws->tail->next = job;
	else
		ws->head = job;
	ws->tail = job;
	ws->queued++;
	pump(ws);
	return 0;
}

/* Half the step of the value's encoding, so rounding on the wire passes. */
static int64_t tolerance(const struct setting_place *p)
{
	int64_t unit = 1;
	int i;

	if (p->read_wire == WIRE_F32)
		return 1;
	for (i = 0; i < -p->exp; i++)
		unit *= 10;
	return unit / 2;
}

/* The re-read frame arrived: compare what the BMS holds now. */
static void compare(struct write_state *ws)
{
	const struct setting_values *held = &ws->dev->model.settings;
	struct write_result *res = &ws->res;
	const struct setting_place *p;
	enum setting_id id;
	char a[32], b[32];
	int64_t diff;
	unsigned i;

	for (i = 0; i < ws->n_plan; i++) {
		id = ws->order[i];
		p = setting_get_place(id, ws->dev->variant);
		diff = held->val[id] - ws->plan.val[id];
		if (bits_test(&held->set, (unsigned)id) && p &&
		    (diff < 0 ? -diff : diff) <= tolerance(p))
			continue;
		if (ws->reads < WRITE_READS) {
			/* a frame sent before the BMS took it: look again */
			ws->phase = WRITE_SETTLING;
			arm(ws, WRITE_RETRY_USEC);
			return;
		}
		if (!bits_test(&held->set, (unsigned)id)) {
			fail(ws, WRITE_NOT_APPLIED,
			     "%s: the BMS reported no value after the write",
			     settings_table[id].key);
			return;
		}
		if (ws->n_plan == 1) {
			res->has_held = true;
			res->held_value = held->val[id];
		}
		fail(ws, WRITE_NOT_APPLIED, "%s: the BMS holds %s, not %s",
		     settings_table[id].key,
		     audit_format_value(id, held->val[id], a, sizeof(a)),
		     audit_format_value(id, ws->plan.val[id], b, sizeof(b)));
		return;
	}
	id = ws->order[0];
	if (ws->n_plan == 1) {
		res->has_held = true;
		res->held_value = held->val[id];
		fail(ws, WRITE_APPLIED, "the BMS holds %s",
		     audit_format_value(id, held->val[id], a, sizeof(a)));
		return;
	}
	fail(ws, WRITE_APPLIED, "%u settings written and read back",
	     ws->n_plan);
}

/* Sent and settled: ask for the frame that shows the value, or check the
 * acknowledgement of a command nothing reads back. */
static void settled(struct write_state *ws)
{
	struct device *dev = ws->dev;
	bool acked = dev->link.acks > ws->acks_before;

	if (ws->read_frame) {
		ws->reads++;
		ws->phase = WRITE_READING;
		device_send_request(dev, ws->read_frame == JK_FRAME_DEVICE_INFO
						 ? JK_REQ_DEVICE_INFO
						 : JK_REQ_CELL_INFO);
		arm(ws, WRITE_READ_TIMEOUT_USEC);
		return;
	}
	/* buttons may change settings or stop the stream: ask again */
	device_send_request(dev, JK_REQ_CELL_INFO);
	if (acked)
		fail(ws, WRITE_SENT, "acknowledged by the BMS");
	else
		fail(ws, WRITE_FAILED,
		     "sent, but the BMS did not acknowledge it");
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct write_state *ws = userdata;
	char t[32];

	switch (ws->phase) {
	case WRITE_SENDING:
		send_next(ws);
		break;
	case WRITE_SETTLING:
		settled(ws);
		break;
	case WRITE_READING:
		fail(ws, WRITE_FAILED,
		     "no %s frame within %s after the write: the BMS may or "
		     "may not hold the new value",
		     jk_frame_type_name(ws->read_frame),
		     format_duration(t, sizeof(t), WRITE_READ_TIMEOUT_USEC));
		break;
	case WRITE_IDLE:
		break;
	}
	return 0;
}

void write_on_frame(struct device *dev, enum jk_frame_type type)
{
	struct write_state *ws = dev->writes;

	if (!ws || !ws->cur || ws->phase != WRITE_READING ||
	    type != ws->read_frame)
		return;
	compare(ws);
}

void write_on_state(struct device *dev)
{
	struct write_state *ws = dev->writes;

	if (!ws || !ws->cur || dev->state == DEVICE_STATE_ONLINE)
		return;
	fail(ws, WRITE_FAILED, "%s: %s (%s)",
	     ws->n_sent ? "the link was lost after the write was sent; the "
			  "BMS may or may not hold the new value"
			: "the link was lost before the write was sent",
	     device_state_name(dev->state), dev->reason);
}

void write_state_free(struct device *dev)
{
	struct write_state *ws = dev->writes;
	struct write_job *job;

	if (!ws)
		return;
	/* nothing new is queued from here: pump() must not run either */
	ws->pumping = true;
	if (ws->cur)
		fail(ws, WRITE_FAILED, "the BMS was removed");
	while ((job = ws->head)) {
		ws->head = job->next;
		init_result(dev, &job->req, &ws->res);
		say(&ws->res, WRITE_FAILED, "the BMS was removed");
		complete(dev, &job->req, &ws->res, job->done, job->userdata);
		free(job);
	}
	sd_event_source_disable_unref(ws->timer);
	write_guard_wipe(ws);
	explicit_bzero(ws, sizeof(*ws));
	free(ws);
	dev->writes = NULL;
}
