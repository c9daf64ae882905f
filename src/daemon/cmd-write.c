/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Control commands of the write path (include/jkbms/write.h):
 *
 *   "set"   {"bms", "key", "value", "password"?, "force"?} -> the outcome
 *           after the read-back (an asynchronous reply): "outcome",
 *           "message", "old", "new", "held", "warning"; "ok" only for
 *           applied and sent.
 *   "auth"  {"bms", "password", "duration"?} opens an authorisation
 *           window; {"bms", "close": true} closes it; {"bms"} alone tells
 *           the remaining window and lockout ("remaining", "locked", s).
 *
 * The client's uid and pid (SO_PEERCRED) are the origin in the audit. A
 * password is copied once, compared by the write path, and wiped here
 * together with the request's own copy.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/device.h"
#include "jkbms/settings-rules.h"
#include "jkbms/util.h"
#include "jkbms/write.h"

#include "daemon/control-commands.h"
#include "daemon/manager.h"

#define PASSWORD_MAX 64

/*
 * Moves the request's "password" into buf and wipes it in the request.
 * Returns 1 if there was one, 0 if not, -EINVAL if it is too long.
 */
static int take_password(struct control_call *call, char *buf, size_t size)
{
	struct json_object *o;
	size_t len;
	char *s;

	if (!json_object_object_get_ex(control_call_args(call), "password",
				       &o) ||
	    !json_object_is_type(o, json_type_string))
		return 0;
	/* json-c owns the string; it is ours to wipe before it is freed */
	s = (char *)json_object_get_string(o);
	len = strlen(s);
	if (len >= size) {
		explicit_bzero(s, len);
		return -EINVAL;
	}
	memcpy(buf, s, len + 1);
	explicit_bzero(s, len);
	return 1;
}

static void origin_of(struct control_call *call, char *buf, size_t size)
{
	snprintf(buf, size, "uid %u pid %d", (unsigned)control_call_uid(call),
		 (int)control_call_pid(call));
}

static void add_value(struct json_object *o, const char *name,
		      enum setting_id id, int64_t value)
{
	char buf[64];

	setting_format_value(id, value, buf, sizeof(buf));
	json_object_object_add(o, name, json_object_new_string(buf));
}

static void set_done(const struct write_result *res, void *userdata)
{
	struct control_call *call = userdata;
	const struct setting_desc *d = &settings_table[res->id];
	bool ok = write_outcome_ok(res->outcome);
	struct json_object *reply = json_object_new_object();

	json_object_object_add(reply, "ok", json_object_new_boolean(ok));
	json_object_object_add(reply, "key", json_object_new_string(d->key));
	json_object_object_add(
		reply, "outcome",
		json_object_new_string(write_outcome_name(res->outcome)));
	json_object_object_add(reply, "message",
			       json_object_new_string(res->message));
	if (!ok)
		json_object_object_add(reply, "error",
				       json_object_new_string(res->message));
	if (res->warning[0])
		json_object_object_add(reply, "warning",
				       json_object_new_string(res->warning));
	if (d->unit)
		json_object_object_add(reply, "unit",
				       json_object_new_string(d->unit));
	if (res->has_old)
		add_value(reply, "old", res->id, res->old_value);
	if (d->kind != SETTING_KIND_BUTTON)
		add_value(reply, "new", res->id, res->new_value);
	if (res->has_held)
		add_value(reply, "held", res->id, res->held_value);
	control_call_reply(call, reply);
}

void control_cmd_set(struct control_call *call)
{
	struct write_request req = { .source = WRITE_SOURCE_CONTROL };
	const char *key = control_call_string(call, "key");
	const char *value = control_call_string(call, "value");
	char password[PASSWORD_MAX];
	struct json_object *force;
	struct device *dev;
	int id, r, have;

	have = take_password(call, password, sizeof(password));
	dev = control_call_device(call);
	if (!dev)
		goto out;
	if (have < 0) {
		control_call_error(call, "the password is too long");
		goto out;
	}
	id = setting_from_key(key);
	if (id < 0) {
		control_call_error(call, "unknown setting '%s'",
				   key ? key : "");
		goto out;
	}
	r = setting_parse_value(id, value ? value : "", &req.value);
	if (r < 0) {
		control_call_error(call, "'%s' is not a value for %s%s%s",
				   value ? value : "", settings_table[id].key,
				   settings_table[id].unit ? " in " : "",
				   settings_table[id].unit ?: "");
		goto out;
	}
	req.id = id;
	origin_of(call, req.origin, sizeof(req.origin));
	req.password = have > 0 ? password : NULL;
	if (json_object_object_get_ex(control_call_args(call), "force", &force))
		req.force = json_object_get_boolean(force);
	r = device_write(dev, &req, set_done, call);
	if (r < 0)
		control_call_error(call, "write not started: %s", strerror(-r));
out:
	explicit_bzero(password, sizeof(password));
}

/* "duration": seconds as a number, or a duration text ("10m"). */
static int duration_of(struct control_call *call, uint64_t *ret)
{
	struct json_object *o;

	*ret = WRITE_AUTH_DEFAULT_USEC;
	if (!json_object_object_get_ex(control_call_args(call), "duration", &o))
		return 0;
	if (json_object_is_type(o, json_type_int)) {
		int64_t s = json_object_get_int64(o);

		if (s <= 0 || (uint64_t)s > WRITE_AUTH_MAX_USEC / USEC_PER_SEC)
			return -ERANGE;
		*ret = (uint64_t)s * USEC_PER_SEC;
		return 0;
	}
	if (!json_object_is_type(o, json_type_string) ||
	    parse_duration(json_object_get_string(o), ret) < 0 || !*ret)
		return -EINVAL;
	return *ret > WRITE_AUTH_MAX_USEC ? -ERANGE : 0;
}

static struct json_object *auth_reply(struct device *dev)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "bms",
			       json_object_new_string(device_name(dev)));
	json_object_object_add(
		o, "remaining",
		json_object_new_int64(
			(int64_t)(device_auth_remaining(dev) / USEC_PER_SEC)));
	json_object_object_add(
		o, "locked",
		json_object_new_int64(
			(int64_t)((device_write_lockout_remaining(dev) +
				   USEC_PER_SEC - 1) /
				  USEC_PER_SEC)));
	return o;
}

void control_cmd_auth(struct control_call *call)
{
	char password[PASSWORD_MAX], origin[64], t[32];
	struct json_object *close;
	struct device *dev;
	uint64_t duration;
	int have, r;

	have = take_password(call, password, sizeof(password));
	dev = control_call_device(call);
	if (!dev)
		goto out;
	if (json_object_object_get_ex(control_call_args(call), "close",
				      &close) &&
	    json_object_get_boolean(close)) {
		device_auth_close(dev);
		control_call_reply(call, auth_reply(dev));
		goto out;
	}
	if (have == 0) {
		control_call_reply(call, auth_reply(dev));
		goto out;
	}
	if (have < 0) {
		control_call_error(call, "the password is too long");
		goto out;
	}
	r = duration_of(call, &duration);
	if (r < 0) {
		control_call_error(
			call, "\"duration\" must be a duration up to %s",
			format_duration(t, sizeof(t), WRITE_AUTH_MAX_USEC));
		goto out;
	}
	origin_of(call, origin, sizeof(origin));
	r = device_auth_open(dev, password, duration, WRITE_SOURCE_CONTROL,
			     origin);
	switch (r) {
	case 0:
		control_call_reply(call, auth_reply(dev));
		break;
	case -EACCES:
		control_call_error(call, "wrong settings password");
		break;
	case -ENOLCK:
		control_call_error(
			call,
			"writes are locked for %s after repeated wrong "
			"settings passwords",
			format_duration(t, sizeof(t),
					device_write_lockout_remaining(dev)));
		break;
	case -EPERM:
		control_call_error(call, "writes to this BMS are off "
					 "(writes = no in its config)");
		break;
	case -ENOTCONN:
		control_call_error(call, "the BMS has not reported its "
					 "settings password yet: it is not "
					 "online");
		break;
	default:
		control_call_error(call, "%s", strerror(-r));
		break;
	}
out:
	explicit_bzero(password, sizeof(password));
}
