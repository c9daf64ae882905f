/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The write path against a simulated BMS on a real event loop (the sim
 * driver, no daemon): what jkbmsctl cannot reach. Home Assistant writes
 * (WRITE_SOURCE_HA) outside a window only with "writes = always" and the
 * right password in the file; MQTT is not HA; the audit observers get
 * every attempt and never a password; malformed requests; a device freed
 * with writes pending answers them; the names.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <systemd/sd-event.h>

#include "jkbms/conf.h"
#include "jkbms/device.h"
#include "jkbms/log.h"
#include "jkbms/state.h"
#include "jkbms/util.h"
#include "jkbms/write.h"

struct fixture {
	sd_event *event;
	struct conf *conf;
	struct device *dev;
	char secret[64];
};

struct done {
	int calls;
	struct write_result res;
};

static void on_done(const struct write_result *res, void *userdata)
{
	struct done *d = userdata;

	d->calls++;
	d->res = *res;
}

/* Runs the loop until *flag or about 10 s have passed. */
static void run_until(sd_event *e, const int *flag, bool (*cond)(void *),
		      void *arg)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if ((flag && *flag) || (cond && cond(arg)))
			return;
		assert_true(sd_event_run(e, 10 * USEC_PER_MSEC) >= 0);
	}
}

static bool online(void *arg)
{
	return device_is_online(arg);
}

/* A sim BMS with 'extra' config lines; the password file holds pw. */
static void setup_bms(struct fixture *f, const char *extra, const char *pw)
{
	char text[1024];
	unsigned n = 0;
	FILE *fp;
	int fd;

	snprintf(f->secret, sizeof(f->secret), "/tmp/test-write.XXXXXX");
	fd = mkstemp(f->secret);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fprintf(fp, "%s\n", pw);
	fclose(fp);
	snprintf(text, sizeof(text),
		 "[bms a]\ntransport = sim\ncells = 16\nprofile = idle\n"
		 "settings_password_file = %s\n%s",
		 f->secret, extra);
	f->conf = conf_load("test.conf", text, stderr, &n);
	assert_non_null(f->conf);
	assert_int_equal(sd_event_new(&f->event), 0);
	f->dev = device_new(&f->conf->bms[0], f->event);
	assert_int_equal(device_start(f->dev), 0);
	run_until(f->event, NULL, online, f->dev);
	assert_true(device_is_online(f->dev));
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	device_free(f->dev);
	conf_free(f->conf);
	sd_event_unref(f->event);
	unlink(f->secret);
	free(f);
	return 0;
}

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct fixture));
	return *state ? 0 : -1;
}

static void write_switch(struct fixture *f, enum write_source src,
			 const char *password, struct done *d)
{
	struct write_request req = {
		.source = src,
		.id = SETTING_CHARGE_SWITCH,
		.value = 0,
		.password = password,
	};

	snprintf(req.origin, sizeof(req.origin), "test");
	memset(d, 0, sizeof(*d));
	assert_int_equal(device_write(f->dev, &req, on_done, d), 0);
	run_until(f->event, &d->calls, NULL, NULL);
	assert_int_equal(d->calls, 1);
}

static void test_ha_needs_always(void **state)
{
	struct fixture *f = *state;
	struct done d;

	setup_bms(f, "writes = yes\n", "123456");
	write_switch(f, WRITE_SOURCE_HA, NULL, &d);
	assert_int_equal(d.res.outcome, WRITE_DENIED);
	assert_non_null(strstr(d.res.message, "no settings password"));
}

static void test_ha_always(void **state)
{
	struct fixture *f = *state;
	struct done d;

	setup_bms(f, "writes = always\n", "123456");
	write_switch(f, WRITE_SOURCE_HA, NULL, &d);
	assert_int_equal(d.res.outcome, WRITE_APPLIED);
	assert_true(d.res.has_old && d.res.old_value == 1);
	assert_true(d.res.has_held && d.res.held_value == 0);
}

static void test_ha_always_wrong_file(void **state)
{
	struct fixture *f = *state;
	struct done d;

	setup_bms(f, "writes = always\n", "999999");
	write_switch(f, WRITE_SOURCE_HA, NULL, &d);
	assert_int_equal(d.res.outcome, WRITE_DENIED);
	assert_non_null(strstr(d.res.message, "not the one the BMS reports"));
}

static void test_mqtt_is_not_ha(void **state)
{
	struct fixture *f = *state;
	struct done d;

	setup_bms(f, "writes = always\n", "123456");
	write_switch(f, WRITE_SOURCE_MQTT, NULL, &d);
	assert_int_equal(d.res.outcome, WRITE_DENIED);
	write_switch(f, WRITE_SOURCE_MQTT, "123456", &d);
	assert_int_equal(d.res.outcome, WRITE_APPLIED);
}

static struct {
	int n;
	bool leaked;
	enum write_outcome last;
	char key[32], origin[64];
} seen;

static void on_audit(const struct audit_record *rec, void *userdata)
{
	const char *fields[] = { rec->bms,       rec->origin,    rec->key,
				 rec->old_value, rec->new_value, rec->message };
	size_t i;

	seen.n++;
	seen.last = rec->outcome;
	snprintf(seen.key, sizeof(seen.key), "%s", rec->key);
	snprintf(seen.origin, sizeof(seen.origin), "%s", rec->origin);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strstr(fields[i], "123456") || strstr(fields[i], "s3cr"))
			seen.leaked = true;
	assert_true(rec->realtime_usec > 0);
}

static void test_audit_watch(void **state)
{
	struct fixture *f = *state;
	struct done d;
	unsigned id;

	setup_bms(f, "", "123456");
	memset(&seen, 0, sizeof(seen));
	id = audit_watch_add(on_audit, NULL);
	assert_true(id > 0);
	write_switch(f, WRITE_SOURCE_MQTT, "s3cr3t", &d);
	assert_int_equal(d.res.outcome, WRITE_DENIED);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.last, WRITE_DENIED);
	assert_string_equal(seen.key, "charge_switch");
	assert_string_equal(seen.origin, "test");
	write_switch(f, WRITE_SOURCE_MQTT, "123456", &d);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.last, WRITE_APPLIED);
	assert_int_equal(device_auth_open(f->dev, "123456", 5 * USEC_PER_SEC,
					  WRITE_SOURCE_MQTT, "client-1"),
			 0);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.key, "auth");
	assert_string_equal(seen.origin, "client-1");
	assert_true(device_auth_remaining(f->dev) > 4 * USEC_PER_SEC);
	device_auth_close(f->dev);
	assert_int_equal(device_auth_remaining(f->dev), 0);
	assert_false(seen.leaked);
	audit_watch_remove(id);
	write_switch(f, WRITE_SOURCE_MQTT, "123456", &d);
	assert_int_equal(seen.n, 3);
}

static void test_malformed(void **state)
{
	struct fixture *f = *state;
	struct write_request req = { .source = WRITE_SOURCE__MAX };
	struct done d = { 0 };

	setup_bms(f, "", "123456");
	assert_int_equal(device_write(f->dev, &req, on_done, &d), -EINVAL);
	req.source = WRITE_SOURCE_CONTROL;
	req.id = SETTING__MAX;
	assert_int_equal(device_write(f->dev, &req, on_done, &d), -EINVAL);
	req.id = SETTING_CELL_OVP;
	assert_int_equal(device_write(f->dev, &req, NULL, &d), -EINVAL);
	assert_int_equal(
		device_auth_open(f->dev, NULL, 0, WRITE_SOURCE_CONTROL, "x"),
		-EINVAL);
	assert_int_equal(d.calls, 0);
}

static void test_freed_with_writes_pending(void **state)
{
	struct fixture *f = *state;
	struct write_request req = {
		.source = WRITE_SOURCE_CONTROL,
		.id = SETTING_CHARGE_OCP_DELAY,
		.password = "123456",
	};
	struct done d[3] = { 0 };
	int i;

	setup_bms(f, "", "123456");
	for (i = 0; i < 3; i++) {
		req.value = 31 + i;
		assert_int_equal(device_write(f->dev, &req, on_done, &d[i]), 0);
	}
	f->dev = device_free(f->dev);
	for (i = 0; i < 3; i++) {
		assert_int_equal(d[i].calls, 1);
		assert_int_equal(d[i].res.outcome, WRITE_FAILED);
	}
}

static void test_auth_before_online(void **state)
{
	struct fixture *f = *state;
	char text[256];
	unsigned n = 0;

	snprintf(f->secret, sizeof(f->secret), "/nonexistent");
	snprintf(text, sizeof(text), "[bms a]\ntransport = sim\n");
	f->conf = conf_load("test.conf", text, stderr, &n);
	assert_non_null(f->conf);
	assert_int_equal(sd_event_new(&f->event), 0);
	f->dev = device_new(&f->conf->bms[0], f->event);
	assert_int_equal(device_auth_open(f->dev, "123456", 0,
					  WRITE_SOURCE_CONTROL, "x"),
			 -ENOTCONN);
	assert_int_equal(device_write_lockout_remaining(f->dev), 0);
}

static void test_names(void **state)
{
	assert_string_equal(write_outcome_name(WRITE_APPLIED), "applied");
	assert_string_equal(write_outcome_name(WRITE_NOT_APPLIED),
			    "not-applied");
	assert_string_equal(write_outcome_name(WRITE_FAILED), "failed");
	assert_null(write_outcome_name(WRITE_OUTCOME__MAX));
	assert_string_equal(write_source_name(WRITE_SOURCE_HA), "ha");
	assert_null(write_source_name(WRITE_SOURCE__MAX));
	assert_true(write_outcome_ok(WRITE_APPLIED));
	assert_true(write_outcome_ok(WRITE_SENT));
	assert_false(write_outcome_ok(WRITE_NOT_APPLIED));
	assert_false(write_outcome_ok(WRITE_DENIED));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ha_needs_always),
		T(test_ha_always),
		T(test_ha_always_wrong_file),
		T(test_mqtt_is_not_ha),
		T(test_audit_watch),
		T(test_malformed),
		T(test_freed_with_writes_pending),
		T(test_auth_before_online),
		cmocka_unit_test(test_names),
	};

	log_open(LOG_TARGET_STDERR);
	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
