/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libdbus on sd-event against a private dbus-daemon in a temp dir: many
 * asynchronous round trips, messages large enough to need the write
 * watch, a call that times out through a libdbus timeout, the bus going
 * away (the process must not exit), and detach/attach. Every loop is
 * bounded by a deadline timer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <dbus/dbus.h>
#include <systemd/sd-event.h>

#include "transport/dbus-event.h"

#define PATH      "/test"
#define IFACE     "org.jkbmsd.Test"
#define DEADLINE  (UINT64_C(10) * 1000000)
#define BIG_BYTES (4 * 1024 * 1024)

struct fixture {
	char dir[64];
	pid_t daemon;
	char address[512];
	sd_event *event;
	DBusConnection *server, *client;
	struct dbus_event *de_server, *de_client;
	const char *server_name;
	unsigned replies, errors;
	const char *last_error;
	bool timed_out;
};

static int start_daemon(struct fixture *f)
{
	char conf[128];
	int p[2];
	FILE *c;
	ssize_t n;
	size_t got = 0;

	snprintf(f->dir, sizeof(f->dir), "/tmp/test-dbus-event.XXXXXX");
	if (!mkdtemp(f->dir))
		return -errno;
	snprintf(conf, sizeof(conf), "%s/bus.conf", f->dir);
	c = fopen(conf, "w");
	if (!c)
		return -errno;
	fprintf(c,
		"<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus "
		"Configuration 1.0//EN\" "
		"\"http://www.freedesktop.org/standards/dbus/1.0/"
		"busconfig.dtd\">\n"
		"<busconfig><type>session</type>"
		"<listen>unix:dir=%s</listen>"
		"<policy context=\"default\"><allow send_destination=\"*\"/>"
		"<allow own=\"*\"/><allow receive_sender=\"*\"/></policy>"
		"<limit name=\"max_message_size\">33554432</limit>"
		"</busconfig>\n",
		f->dir);
	fclose(c);
	if (pipe(p) < 0)
		return -errno;
	f->daemon = fork();
	if (f->daemon == 0) {
		char fdarg[32], cfarg[160], log[128];
		int fd;

		close(p[0]);
		/* The bus's complaints go to its temp dir. */
		snprintf(log, sizeof(log), "%s/bus.log", f->dir);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0)
			dup2(fd, 2);
		snprintf(fdarg, sizeof(fdarg), "--print-address=%d", p[1]);
		snprintf(cfarg, sizeof(cfarg), "--config-file=%s", conf);
		execlp("dbus-daemon", "dbus-daemon", cfarg, fdarg, "--nofork",
		       (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (got < sizeof(f->address) - 1) {
		n = read(p[0], f->address + got, sizeof(f->address) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(f->address, '\n', got))
			break;
	}
	close(p[0]);
	f->address[got] = '\0';
	if (got && f->address[got - 1] == '\n')
		f->address[got - 1] = '\0';
	return got ? 0 : -EIO;
}

static void stop_daemon(struct fixture *f)
{
	char cmd[128];

	if (f->daemon > 0) {
		kill(f->daemon, SIGTERM);
		waitpid(f->daemon, NULL, 0);
		f->daemon = 0;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# cannot remove %s\n", f->dir);
}

static DBusConnection *bus_connect(const char *address)
{
	DBusConnection *c;
	DBusError err;

	dbus_error_init(&err);
	c = dbus_connection_open_private(address, &err);
	if (!c || !dbus_bus_register(c, &err)) {
		fprintf(stderr, "# %s\n", err.message);
		dbus_error_free(&err);
		return NULL;
	}
	return c;
}

/* Copies the byte array argument of m into r. */
static void echo_bytes(DBusMessage *m, DBusMessage *r)
{
	DBusMessageIter in, out, a, oa;
	const uint8_t *data = NULL;
	int n = 0;

	dbus_message_iter_init(m, &in);
	dbus_message_iter_init_append(r, &out);
	if (dbus_message_iter_get_arg_type(&in) != DBUS_TYPE_ARRAY)
		return;
	dbus_message_iter_recurse(&in, &a);
	dbus_message_iter_get_fixed_array(&a, &data, &n);
	dbus_message_iter_open_container(&out, DBUS_TYPE_ARRAY, "y", &oa);
	dbus_message_iter_append_fixed_array(&oa, DBUS_TYPE_BYTE, &data, n);
	dbus_message_iter_close_container(&out, &oa);
}

/* Echo: returns its bytes; "Never" keeps the caller waiting. */
static DBusHandlerResult on_server(DBusConnection *c, DBusMessage *m,
				   void *userdata)
{
	DBusMessage *r;

	if (dbus_message_is_method_call(m, IFACE, "Never"))
		return DBUS_HANDLER_RESULT_HANDLED;
	if (!dbus_message_is_method_call(m, IFACE, "Echo"))
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
	r = dbus_message_new_method_return(m);
	echo_bytes(m, r);
	dbus_connection_send(c, r, NULL);
	dbus_message_unref(r);
	return DBUS_HANDLER_RESULT_HANDLED;
}

static const DBusObjectPathVTable vtable = { .message_function = on_server };

static int on_deadline(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct fixture *f = userdata;

	f->timed_out = true;
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(start_daemon(f), 0);
	assert_int_equal(sd_event_new(&f->event), 0);
	f->server = bus_connect(f->address);
	f->client = bus_connect(f->address);
	assert_non_null(f->server);
	assert_non_null(f->client);
	f->server_name = dbus_bus_get_unique_name(f->server);
	assert_true(dbus_connection_register_object_path(f->server, PATH,
							 &vtable, f));
	assert_int_equal(dbus_event_attach(f->server, f->event, &f->de_server),
			 0);
	assert_int_equal(dbus_event_attach(f->client, f->event, &f->de_client),
			 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	f->de_client = dbus_event_detach(f->de_client);
	f->de_server = dbus_event_detach(f->de_server);
	dbus_connection_close(f->client);
	dbus_connection_unref(f->client);
	dbus_connection_close(f->server);
	dbus_connection_unref(f->server);
	sd_event_unref(f->event);
	stop_daemon(f);
	free(f);
	return 0;
}

static unsigned expected;

static void on_reply(DBusPendingCall *pc, void *userdata)
{
	struct fixture *f = userdata;
	DBusMessage *r = dbus_pending_call_steal_reply(pc);

	if (dbus_message_get_type(r) == DBUS_MESSAGE_TYPE_ERROR) {
		f->errors++;
		f->last_error = dbus_message_get_error_name(r);
	} else {
		f->replies++;
	}
	dbus_message_unref(r);
	dbus_pending_call_unref(pc);
	if (f->replies + f->errors == expected)
		sd_event_exit(f->event, 0);
}

static void call(struct fixture *f, const char *method, size_t bytes,
		 int timeout_ms)
{
	DBusMessage *m = dbus_message_new_method_call(f->server_name, PATH,
						      IFACE, method);
	DBusPendingCall *pc = NULL;
	DBusMessageIter it, a;
	uint8_t *data = calloc(1, bytes ? bytes : 1);
	const uint8_t *p = data;

	assert_non_null(m);
	dbus_message_iter_init_append(m, &it);
	dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "y", &a);
	dbus_message_iter_append_fixed_array(&a, DBUS_TYPE_BYTE, &p,
					     (int)bytes);
	dbus_message_iter_close_container(&it, &a);
	assert_true(
		dbus_connection_send_with_reply(f->client, m, &pc, timeout_ms));
	assert_non_null(pc);
	assert_true(dbus_pending_call_set_notify(pc, on_reply, f, NULL));
	dbus_message_unref(m);
	free(data);
}

static void run(struct fixture *f)
{
	sd_event_source *s;

	assert_int_equal(sd_event_add_time_relative(f->event, &s,
						    CLOCK_MONOTONIC, DEADLINE,
						    0, on_deadline, f),
			 0);
	assert_true(sd_event_loop(f->event) >= 0);
	sd_event_source_disable_unref(s);
}

static void test_round_trips(void **state)
{
	struct fixture *f = *state;
	unsigned i;

	/* The bus allows 128 pending replies per connection. */
	expected = 120;
	for (i = 0; i < expected; i++)
		call(f, "Echo", 16, 5000);
	run(f);
	assert_false(f->timed_out);
	assert_int_equal(f->replies, expected);
	assert_int_equal(f->errors, 0);
}

static void test_big_messages(void **state)
{
	struct fixture *f = *state;
	unsigned i;

	/* Bigger than the socket buffers: the write watch must work. */
	expected = 4;
	for (i = 0; i < expected; i++)
		call(f, "Echo", BIG_BYTES, 8000);
	run(f);
	assert_false(f->timed_out);
	assert_int_equal(f->replies, expected);
}

static void test_timeout(void **state)
{
	struct fixture *f = *state;

	expected = 2;
	call(f, "Never", 4, 200);
	call(f, "Echo", 4, 5000);
	run(f);
	assert_false(f->timed_out);
	assert_int_equal(f->replies, 1);
	assert_int_equal(f->errors, 1);
	assert_string_equal(f->last_error, DBUS_ERROR_NO_REPLY);
}

static DBusHandlerResult on_client_filter(DBusConnection *c, DBusMessage *m,
					  void *userdata)
{
	struct fixture *f = userdata;

	if (dbus_message_is_signal(m, DBUS_INTERFACE_LOCAL, "Disconnected"))
		sd_event_exit(f->event, 0);
	return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
}

static void test_bus_gone(void **state)
{
	struct fixture *f = *state;

	assert_true(dbus_connection_add_filter(f->client, on_client_filter, f,
					       NULL));
	kill(f->daemon, SIGKILL);
	waitpid(f->daemon, NULL, 0);
	f->daemon = 0;
	run(f);
	/* Still here: exit_on_disconnect is off. */
	assert_false(f->timed_out);
	assert_false(dbus_connection_get_is_connected(f->client));
	dbus_connection_remove_filter(f->client, on_client_filter, f);
}

static void test_detach_attach(void **state)
{
	struct fixture *f = *state;
	unsigned i;

	f->de_client = dbus_event_detach(f->de_client);
	assert_int_equal(dbus_event_attach(f->client, f->event, &f->de_client),
			 0);
	expected = 10;
	for (i = 0; i < expected; i++)
		call(f, "Echo", 100, 5000);
	run(f);
	assert_false(f->timed_out);
	assert_int_equal(f->replies, expected);
}

static int on_exit_now(sd_event_source *s, void *userdata)
{
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

/* The daemon's way out: the loop has ended, a last call must still leave. */
static void test_call_after_loop_end(void **state)
{
	struct fixture *f = *state;
	DBusMessage *m = NULL;
	sd_event_source *s;
	unsigned i;

	assert_int_equal(sd_event_add_defer(f->event, &s, on_exit_now, f), 0);
	assert_true(sd_event_loop(f->event) >= 0);
	sd_event_source_disable_unref(s);
	assert_int_equal(sd_event_get_state(f->event), SD_EVENT_FINISHED);

	expected = 1;
	call(f, "Echo", 8, 5000);
	dbus_connection_flush(f->client);
	for (i = 0; i < 50 && !m; i++) {
		dbus_connection_read_write(f->server, 100);
		while ((m = dbus_connection_pop_message(f->server))) {
			if (dbus_message_is_method_call(m, IFACE, "Echo"))
				break;
			dbus_message_unref(m);
		}
	}
	assert_non_null(m);
	dbus_message_unref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trips, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_big_messages, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bus_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detach_attach, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_call_after_loop_end, setup,
						teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("dbus-event", tests, NULL, NULL);
}
