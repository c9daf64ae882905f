/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who may write (DESIGN "The two-password scheme", manual 5.3.3): the
 * settings password given with a request, or an authorisation window
 * opened with it, like the app's "Authorization Settings"; Home Assistant
 * entities on their own only where the config says "writes = always".
 *
 * The password is compared in constant time with the one the BMS reported
 * in its device info, or, where the transport carries none, with the
 * configured one. Wrong passwords are counted per BMS: settings_max_
 * failures of them within settings_failure_window lock its writes for
 * settings_lockout. No password is kept: the BMS's own passcode stays in
 * the write state (wiped when it goes), a request's is only compared.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jkbms/conf.h"
#include "jkbms/util.h"

#include "device/device-private.h"
#include "device/write-private.h"

void write_guard_wipe(struct write_state *ws)
{
	explicit_bzero(ws->reported, sizeof(ws->reported));
	ws->have_reported = false;
}

void write_note_secrets(struct device *dev, const struct jk_secrets *s)
{
	struct write_state *ws = write_state_get(dev);

	write_guard_wipe(ws);
	if (!s->settings_password[0])
		return; /* this transport does not carry it: the config's */
	memcpy(ws->reported, s->settings_password, sizeof(ws->reported));
	ws->reported[sizeof(ws->reported) - 1] = '\0';
	ws->have_reported = true;
	/* DESIGN: default passwords get a warning (never the password) */
	if (!ws->warned_default &&
	    streq_consttime(ws->reported, WRITE_DEFAULT_PASSWORD)) {
		ws->warned_default = true;
		dev_log(&dev->log, LOG_WARNING,
			"the BMS's settings password is the factory default: "
			"anyone connected to it can change its settings with "
			"the app; set a new one in the app");
	}
}

/*
 * The password to compare with: the BMS's own, else (a BMS whose frames
 * carry none) the configured one; -ENOTCONN before device info was seen.
 */
static int reference(const struct write_state *ws, const char **ret)
{
	const struct device *dev = ws->dev;

	if (ws->have_reported) {
		*ret = ws->reported;
		return 0;
	}
	if (!dev->have_info || !dev->cfg->settings_password)
		return -ENOTCONN;
	*ret = dev->cfg->settings_password;
	return 0;
}

static uint64_t lock_remaining(const struct write_state *ws, uint64_t now)
{
	return ws->locked_until > now ? ws->locked_until - now : 0;
}

/* A wrong password; true when it locked the writes. */
static bool count_failure(struct write_state *ws, uint64_t now)
{
	const struct conf_bms *cfg = ws->dev->cfg;
	unsigned max = cfg->settings_max_failures, i, j = 0;
	char a[32], b[32];

	if (max < 1)
		max = 1;
	if (max > WRITE_FAILURES_MAX)
		max = WRITE_FAILURES_MAX;
	/* forget failures older than the window */
	for (i = 0; i < ws->n_failures; i++)
		if (now - ws->failures[i] < cfg->settings_failure_window_usec)
			ws->failures[j++] = ws->failures[i];
	ws->n_failures = j;
	if (ws->n_failures == WRITE_FAILURES_MAX) {
		memmove(ws->failures, ws->failures + 1,
			(WRITE_FAILURES_MAX - 1) * sizeof(ws->failures[0]));
		ws->n_failures--;
	}
	ws->failures[ws->n_failures++] = now;
	if (ws->n_failures < max) {
		/* journalctl MESSAGE_ID=<auth failure> finds each one. */
		log_full(LOG_WARNING, 0, LOG_ID_AUTH_FAILED, &ws->dev->log,
			 __FILE__, __LINE__, __func__,
			 "wrong settings password (%u of %u within %s before "
			 "writes are locked)",
			 ws->n_failures, max,
			 format_duration(a, sizeof(a),
					 cfg->settings_failure_window_usec));
		return false;
	}
	ws->n_failures = 0;
	ws->locked_until = now + cfg->settings_lockout_usec;
	ws->window_until = 0;
	log_full(LOG_WARNING, 0, LOG_ID_AUTH_FAILED, &ws->dev->log, __FILE__,
		 __LINE__, __func__,
		 "%u wrong settings passwords within %s: writes locked for %s",
		 max,
		 format_duration(a, sizeof(a),
				 cfg->settings_failure_window_usec),
		 format_duration(b, sizeof(b), cfg->settings_lockout_usec));
	return true;
}

/* 0: the password is right; -EACCES wrong; -ENOTCONN not known yet. */
static int check_password(struct write_state *ws, const char *password,
			  uint64_t now, bool *ret_locked)
{
	const char *ref;
	int r;

	*ret_locked = false;
	r = reference(ws, &ref);
	if (r < 0)
		return r;
	if (streq_consttime(password, ref))
		return 0;
	*ret_locked = count_failure(ws, now);
	return -EACCES;
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

int write_guard(struct write_state *ws, const struct write_request *req,
		struct write_result *res)
{
	const struct conf_bms *cfg = ws->dev->cfg;
	uint64_t now = now_usec(), left;
	const char *ref;
	bool locked;
	char t[32];
	int r;

	if (cfg->writes == WRITES_NO) {
		say(res, WRITE_DENIED,
		    "writes to this BMS are off (writes = no in its config)");
		return -EACCES;
	}
	left = lock_remaining(ws, now);
	if (left) {
		say(res, WRITE_LOCKED,
		    "writes are locked for %s after repeated wrong settings "
		    "passwords",
		    format_duration(t, sizeof(t), left));
		return -EACCES;
	}
	if (req->password) {
		r = check_password(ws, req->password, now, &locked);
		if (r == -ENOTCONN) {
			say(res, WRITE_FAILED,
			    "the BMS has not reported its settings password "
			    "yet: it is not online");
			return -EACCES;
		}
		if (r < 0) {
			say(res, locked ? WRITE_LOCKED : WRITE_DENIED,
			    "wrong settings password%s",
			    locked ? "; writes are now locked" : "");
			return -EACCES;
		}
		return 0;
	}
	if (ws->window_until > now)
		return 0;
	if (req->source == WRITE_SOURCE_HA && cfg->writes == WRITES_ALWAYS) {
		/* our own copy of the password must still be the BMS's */
		if (ws->have_reported && cfg->settings_password &&
		    reference(ws, &ref) == 0 &&
		    !streq_consttime(cfg->settings_password, ref)) {
			say(res, WRITE_DENIED,
			    "the configured settings password is not the "
			    "one the BMS reports");
			return -EACCES;
		}
		return 0;
	}
	say(res, WRITE_DENIED,
	    "%s: give the settings password with the request or open an "
	    "authorisation window (jkbmsctl auth)",
	    ws->window_until ? "the authorisation window has expired"
			     : "no settings password and no authorisation "
			       "window");
	return -EACCES;
}

int device_auth_open(struct device *dev, const char *password,
		     uint64_t duration_usec, enum write_source source,
		     const char *origin)
{
	struct write_state *ws = write_state_get(dev);
	enum write_outcome o = WRITE_APPLIED;
	uint64_t now = now_usec(), left;
	char t[32], msg[128];
	bool locked = false;
	int r = 0;

	if (!password || (unsigned)source >= WRITE_SOURCE__MAX)
		return -EINVAL;
	if (duration_usec == 0)
		duration_usec = WRITE_AUTH_DEFAULT_USEC;
	if (duration_usec > WRITE_AUTH_MAX_USEC)
		duration_usec = WRITE_AUTH_MAX_USEC;
	left = lock_remaining(ws, now);
	if (dev->cfg->writes == WRITES_NO) {
		o = WRITE_DENIED, r = -EPERM;
		snprintf(msg, sizeof(msg), "writes are off (writes = no)");
	} else if (left) {
		o = WRITE_LOCKED, r = -ENOLCK;
		snprintf(msg, sizeof(msg), "writes are locked for %s",
			 format_duration(t, sizeof(t), left));
	} else {
		r = check_password(ws, password, now, &locked);
		if (r == -ENOTCONN) {
			o = WRITE_FAILED;
			snprintf(msg, sizeof(msg),
				 "the BMS has not reported its settings "
				 "password yet: it is not online");
		} else if (r < 0) {
			o = locked ? WRITE_LOCKED : WRITE_DENIED;
			snprintf(msg, sizeof(msg), "wrong settings password%s",
				 locked ? "; writes are now locked" : "");
		} else {
			ws->window_until = now + duration_usec;
			snprintf(msg, sizeof(msg),
				 "authorisation window open for %s",
				 format_duration(t, sizeof(t), duration_usec));
		}
	}
	format_duration(t, sizeof(t), duration_usec);
	audit_emit(dev, source, origin, "auth", "", r == 0 ? t : "", o, msg);
	return r;
}

void device_auth_close(struct device *dev)
{
	write_state_get(dev)->window_until = 0;
}

uint64_t device_auth_remaining(const struct device *dev)
{
	uint64_t now = now_usec();

	if (!dev->writes || dev->writes->window_until <= now)
		return 0;
	return dev->writes->window_until - now;
}

uint64_t device_write_lockout_remaining(const struct device *dev)
{
	if (!dev->writes)
		return 0;
	return lock_remaining(dev->writes, now_usec());
}
