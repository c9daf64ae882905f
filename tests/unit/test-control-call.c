/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The life of a control call (control.c + control-call.h) on a real
 * socket and a real sd-event loop, with a command table of this test's
 * own: answers now and later, replies in request order while a call is
 * pending, peer credentials, a client that vanishes before the late
 * answer, and the socket freed under a pending call.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <systemd/sd-event.h>

#include "daemon/control-call.h"
#include "daemon/control.h"
#include "jkbms/util.h"

#define LOOP_MAX_MS 5000

static sd_event *event;
static struct control *control;
static char dir[] = "/tmp/test-control-call.XXXXXX";
static char path[sizeof(dir) + 16];
/* Never dereferenced by the socket: handlers only get it back. */
static struct manager *fake_manager = (struct manager *)&event;

static unsigned n_now;             /* "now" handlers run */
static struct control_call *held;  /* "hold": answered by the test */
static struct control_call *later; /* "later": answered by a timer */
static unsigned later_seq;

static void handle_now(struct control_call *call)
{
	struct json_object *o = json_object_new_object();

	n_now++;
	assert_ptr_equal(control_call_manager(call), fake_manager);
	assert_true(control_call_connected(call));
	json_object_object_add(o, "n", json_object_new_int((int)n_now));
	control_call_reply(call, o);
}

static int on_later(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct json_object *o = json_object_new_object();
	struct control_call *call = later;

	later = NULL;
	json_object_object_add(o, "seq", json_object_new_int((int)++later_seq));
	control_call_reply(call, o);
	return 0;
}

static void handle_later(struct control_call *call)
{
	assert_null(later);
	later = call;
	assert_int_equal(sd_event_add_time_relative(event, NULL,
						    CLOCK_MONOTONIC, 20000, 0,
						    on_later, NULL),
			 0);
}

static void handle_hold(struct control_call *call)
{
	assert_null(held);
	held = call;
}

static void handle_fail(struct control_call *call)
{
	control_call_error(call, "bad %s", control_call_string(call, "what"));
}

static void handle_who(struct control_call *call)
{
	struct json_object *o = json_object_new_object();

	assert_null(control_call_string(call, "missing"));
	assert_null(control_call_string(call, "n"));
	assert_non_null(control_call_args(call));
	json_object_object_add(o, "uid",
			       json_object_new_int64(control_call_uid(call)));
	json_object_object_add(o, "pid",
			       json_object_new_int64(control_call_pid(call)));
	json_object_object_add(
		o, "priv",
		json_object_new_boolean(control_call_privileged(call)));
	/* A handler that says "ok" itself keeps its own. */
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	control_call_reply(call, o);
}

const struct control_command control_commands[] = {
	{ "now", handle_now, "" },   { "later", handle_later, "" },
	{ "hold", handle_hold, "" }, { "fail", handle_fail, "" },
	{ "who", handle_who, "" },   { NULL, NULL, NULL },
};

static int client_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void client_send(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL),
			 (ssize_t)strlen(s));
}

/* Runs the loop until cond() holds or LOOP_MAX_MS; returns cond(). */
static bool run_until(bool (*cond)(void *), void *arg)
{
	uint64_t end = now_usec() + LOOP_MAX_MS * USEC_PER_MSEC;

	while (!cond(arg) && now_usec() < end)
		assert_true(sd_event_run(event, 10000) >= 0);
	return cond(arg);
}

struct reader {
	int fd;
	char buf[8192];
	size_t len;
	bool eof;
};

static bool reader_has(void *arg)
{
	struct reader *rd = arg;
	struct pollfd p = { .fd = rd->fd, .events = POLLIN };
	ssize_t n;

	if (memchr(rd->buf, '\n', rd->len) || rd->eof)
		return true;
	if (poll(&p, 1, 0) <= 0)
		return false;
	n = recv(rd->fd, rd->buf + rd->len, sizeof(rd->buf) - rd->len - 1,
		 MSG_DONTWAIT);
	if (n == 0)
		rd->eof = true;
	if (n > 0)
		rd->len += (size_t)n;
	return memchr(rd->buf, '\n', rd->len) || rd->eof;
}

/* The next reply line as JSON (the caller puts it), NULL at the end. */
static struct json_object *next_reply(struct reader *rd)
{
	struct json_object *o;
	char *nl;
	size_t n;

	assert_true(run_until(reader_has, rd));
	nl = memchr(rd->buf, '\n', rd->len);
	if (!nl)
		return NULL;
	*nl = '\0';
	o = json_tokener_parse(rd->buf);
	assert_non_null(o);
	n = (size_t)(nl - rd->buf) + 1;
	memmove(rd->buf, nl + 1, rd->len - n);
	rd->len -= n;
	return o;
}

static int64_t reply_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return json_object_get_int64(v);
}

static bool reply_ok(struct json_object *o)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(o, "ok", &v));
	return json_object_get_boolean(v);
}

static int setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ctl", dir);
	assert_int_equal(sd_event_new(&event), 0);
	assert_int_equal(control_new(event, fake_manager, path, &control), 0);
	n_now = 0;
	later_seq = 0;
	return 0;
}

static int teardown(void **state)
{
	control = control_free(control);
	event = sd_event_unref(event);
	rmdir(dir);
	strcpy(dir + strlen(dir) - 6, "XXXXXX");
	return 0;
}

static void test_now_and_errors(void **state)
{
	struct reader rd = { .fd = client_connect() };
	struct json_object *o;

	client_send(rd.fd, "{\"cmd\":\"now\"}\n");
	o = next_reply(&rd);
	/* "ok" is added, and first. */
	assert_string_equal(
		json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		"{\"ok\":true,\"n\":1}");
	json_object_put(o);

	client_send(rd.fd, "{\"cmd\":\"fail\",\"what\":\"thing\"}\n"
			   "{\"cmd\":\"nope\"}\n{\"cmd\":\"now\"}\n");
	o = next_reply(&rd);
	assert_false(reply_ok(o));
	assert_string_equal(
		json_object_get_string(json_object_object_get(o, "error")),
		"bad thing");
	json_object_put(o);
	o = next_reply(&rd);
	assert_false(reply_ok(o));
	assert_string_equal(
		json_object_get_string(json_object_object_get(o, "error")),
		"unknown command 'nope'");
	json_object_put(o);
	o = next_reply(&rd);
	assert_true(reply_ok(o));
	assert_int_equal(reply_int(o, "n"), 2);
	json_object_put(o);
	close(rd.fd);
}

static void test_credentials(void **state)
{
	struct reader rd = { .fd = client_connect() };
	struct json_object *o;

	client_send(rd.fd, "{\"cmd\":\"who\",\"n\":3}\n");
	o = next_reply(&rd);
	assert_true(reply_ok(o));
	assert_int_equal(reply_int(o, "uid"), getuid());
	assert_int_equal(reply_int(o, "pid"), getpid());
	/* Our own uid is the daemon's: privileged. */
	assert_true(json_object_get_boolean(json_object_object_get(o, "priv")));
	json_object_put(o);
	close(rd.fd);
}

/*
 * Pipelined requests around two late answers: the replies come in the
 * order of the requests, and no request after a pending one is even
 * handled before that one is answered.
 */
static void test_order(void **state)
{
	struct reader rd = { .fd = client_connect() };
	struct json_object *o;

	client_send(rd.fd, "{\"cmd\":\"later\"}\n{\"cmd\":\"now\"}\n"
			   "{\"cmd\":\"later\"}\n{\"cmd\":\"now\"}\n");
	o = next_reply(&rd);
	assert_int_equal(reply_int(o, "seq"), 1);
	json_object_put(o);
	o = next_reply(&rd);
	assert_int_equal(reply_int(o, "n"), 1);
	json_object_put(o);
	o = next_reply(&rd);
	assert_int_equal(reply_int(o, "seq"), 2);
	json_object_put(o);
	o = next_reply(&rd);
	assert_int_equal(reply_int(o, "n"), 2);
	json_object_put(o);
	close(rd.fd);
}

static bool held_set(void *arg)
{
	return held != NULL;
}

static bool n_now_is(void *arg)
{
	return n_now == *(unsigned *)arg;
}

static bool held_disconnected(void *arg)
{
	return !control_call_connected(held);
}

/*
 * A client that goes away while its call is pending: the call stays
 * valid, says it is disconnected, and its late answer is dropped. The
 * client's further requests are not handled; other clients are served.
 */
static void test_vanished(void **state)
{
	struct reader rd = { .fd = client_connect() };
	struct json_object *o;
	unsigned one = 1;
	int fd;

	client_send(rd.fd, "{\"cmd\":\"hold\"}\n{\"cmd\":\"now\"}\n");
	assert_true(run_until(held_set, NULL));
	assert_true(control_call_connected(held));

	/* Meanwhile another client is answered. */
	fd = client_connect();
	client_send(fd, "{\"cmd\":\"now\"}\n");
	assert_true(run_until(n_now_is, &one));
	close(fd);

	close(rd.fd);
	assert_true(run_until(held_disconnected, NULL));
	control_call_reply(held, json_object_new_object());
	held = NULL;
	assert_int_equal(n_now, 1);

	rd.fd = client_connect();
	client_send(rd.fd, "{\"cmd\":\"now\"}\n");
	o = next_reply(&rd);
	assert_int_equal(reply_int(o, "n"), 2);
	json_object_put(o);
	close(rd.fd);
}

/* A client that sends its request and shuts down its sending side. */
static void test_half_close(void **state)
{
	struct reader rd = { .fd = client_connect() };
	struct json_object *o;

	client_send(rd.fd, "{\"cmd\":\"later\"}");
	assert_int_equal(shutdown(rd.fd, SHUT_WR), 0);
	o = next_reply(&rd);
	assert_non_null(o);
	assert_int_equal(reply_int(o, "seq"), 1);
	json_object_put(o);
	assert_null(next_reply(&rd));
	assert_true(rd.eof);
	close(rd.fd);
}

/* The socket freed (daemon exit) under a pending call: answer dropped. */
static void test_freed_under_call(void **state)
{
	int fd = client_connect();

	client_send(fd, "{\"cmd\":\"hold\"}\n");
	assert_true(run_until(held_set, NULL));
	control = control_free(control);
	assert_false(control_call_connected(held));
	control_call_error(held, "too late");
	held = NULL;
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_now_and_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_credentials, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vanished, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_close, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_freed_under_call, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("control-call", tests, NULL, NULL);
}
