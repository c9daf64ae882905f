/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake-bluez: plays bluetoothd for jkbmsd's BLE tests on a private
 * dbus-daemon. It owns org.bluez (the objects, fake-objects.c; the
 * methods, fake-methods.c) and org.jkbms.FakeControl (fault injection,
 * fake-control.c) on two connections, so that "restart" can drop and
 * bring back org.bluez alone, as when bluetoothd restarts. Each device is
 * a simulated BMS: written bytes go to sim_receive(), and every tick the
 * simulator's output goes out as PropertiesChanged(Value) notifications
 * of the device's MTU (tests/peers/BLUEZ-CONTRACT.md).
 *
 * Usage: fake-bluez [--address BUS] [--bms SPEC]... [--bms-file FILE]
 *        [--ready FILE] [--connect-ms N] [--resolve-ms N]
 *        [--discover-ms N] [--tick-ms N] [--quiet]
 */
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake-bluez.h"

#define OUT_MAX (64 * 1024)

struct fb fb;
static struct fl_timer *tick_timer;
static unsigned restart_down_ms;
static bool restart_stale;

void fb_log(const char *fmt, ...)
{
	va_list ap;

	if (!fb.verbose)
		return;
	fprintf(stderr, "fake-bluez: %.3f: ", (double)loop_now() / 1e6);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void send_msg(DBusMessage *m)
{
	if (fb.bus)
		dbus_connection_send(fb.bus, m, NULL);
}

DBusMessage *error_reply(DBusMessage *call, const char *name, const char *msg)
{
	return dbus_message_new_error(call, name, msg && msg[0] ? msg : NULL);
}

const struct fb_fault *fault_take(const char *target, const char *method)
{
	static struct fb_fault taken;
	unsigned i;

	for (i = 0; i < fb.n_faults; i++) {
		struct fb_fault *f = &fb.faults[i];

		if (strcmp(f->method, method) ||
		    (strcmp(f->target, "*") && strcasecmp(f->target, target)))
			continue;
		taken = *f;
		if (f->count != ~0u && --f->count == 0) {
			fb.n_faults--;
			memmove(f, f + 1, (fb.n_faults - i) * sizeof(*f));
		}
		return &taken;
	}
	return NULL;
}

static bool is_cmd(const uint8_t *b, size_t n, uint8_t cmd)
{
	return n >= 5 && b[0] == 0xAA && b[1] == 0x55 && b[2] == 0x90 &&
	       b[3] == 0xEB && b[4] == cmd;
}

static void flush_now(void *data)
{
	struct fb_device *d = data;

	d->flush_timer = NULL;
	bms_flush(d);
}

void bms_feed(struct fb_device *d, const uint8_t *buf, size_t n)
{
	sim_receive(d->sim, buf, n);
	if (is_cmd(buf, n, 0x96))
		d->seen_96 = true;
	if (!d->flush_timer)
		d->flush_timer = loop_timer_add(5000, flush_now, d);
}

static void emit_pieces(struct fb_device *d, const uint8_t *b, size_t n)
{
	while (n) {
		size_t k = n < d->mtu ? n : d->mtu;

		obj_emit_value(d, b, k);
		b += k;
		n -= k;
	}
}

/* Junk a real module sends now and then: a frame with a bad sum, noise. */
static void emit_garbage(struct fb_device *d)
{
	uint8_t junk[320];
	unsigned i;

	for (i = 0; i < sizeof(junk); i++) {
		fb.rnd = fb.rnd * 1103515245u + 12345u;
		junk[i] = (uint8_t)(fb.rnd >> 16);
	}
	memcpy(junk, "\x55\xAA\xEB\x90\x02", 5);
	junk[299] = (uint8_t)(junk[299] + 1);
	emit_pieces(d, junk, sizeof(junk));
	emit_pieces(d, (const uint8_t *)"AT\r\n", 4);
}

/*
 * What the BMS sends goes out while someone listens. The cell stream is
 * held back until the host wrote 0x96 on this link, as a real module
 * starts it only then (protocols.md 1.3).
 */
void bms_flush(struct fb_device *d)
{
	static uint8_t in[OUT_MAX], out[OUT_MAX];
	size_t n = sim_read(d->sim, in, sizeof(in)), i = 0, o = 0;
	bool live = d->connected && d->notifying && fb.bus;

	if (!live || d->stale || d->frozen)
		return;
	for (; d->garbage; d->garbage--)
		emit_garbage(d);
	while (i < n) {
		size_t len = n - i;

		if (len >= 300 && !memcmp(in + i, "\x55\xAA\xEB\x90", 4)) {
			len = 300;
			if (in[i + 4] == 0x02 && !d->seen_96) {
				i += len;
				continue;
			}
		} else if (len >= 20 && is_cmd(in + i, len, 0xC8)) {
			len = 20;
		}
		memcpy(out + o, in + i, len);
		o += len;
		i += len;
	}
	if (d->drop_mid_frame && o >= 300) {
		emit_pieces(d, out, 150);
		d->drop_mid_frame--;
		d->drops++;
		dev_link_down(d, "link lost mid-frame");
		return;
	}
	emit_pieces(d, out, o);
}

static void tick(void *data)
{
	uint64_t now = loop_now();
	unsigned i;

	(void)data;
	for (i = 0; i < fb.n_devices; i++) {
		struct fb_device *d = &fb.devices[i];
		double dt = (double)(now - d->last_step_usec) *
			    d->sim_cfg.time_scale;

		d->last_step_usec = now;
		if (dt > (double)SIM_STEP_MAX_USEC)
			dt = (double)SIM_STEP_MAX_USEC;
		sim_step(d->sim, (uint64_t)dt);
		bms_flush(d);
	}
	tick_timer = loop_timer_add((uint64_t)fb.tick_ms * 1000, tick, NULL);
}

static DBusHandlerResult on_bus_msg(DBusConnection *c, DBusMessage *m,
				    void *data)
{
	const char *name, *old, *new;

	(void)data;
	if (dbus_message_is_signal(m, DBUS_INTERFACE_LOCAL, "Disconnected")) {
		if (!fb.closing) {
			fb_log("bus gone: exiting");
			loop_quit(0);
		}
		return DBUS_HANDLER_RESULT_HANDLED;
	}
	if (c == fb.bus &&
	    dbus_message_is_signal(m, DBUS_INTERFACE_DBUS,
				   "NameOwnerChanged") &&
	    dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &name,
				  DBUS_TYPE_STRING, &old, DBUS_TYPE_STRING,
				  &new, DBUS_TYPE_INVALID) &&
	    name[0] == ':' && !new[0])
		client_vanished(name);
	return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
}

static DBusHandlerResult on_bluez_call(DBusConnection *c, DBusMessage *m,
				       void *data)
{
	(void)data;
	return methods_handle(c, m);
}

static DBusHandlerResult on_control_call(DBusConnection *c, DBusMessage *m,
					 void *data)
{
	(void)data;
	return control_handle(c, m);
}

static DBusConnection *open_bus(const char *name, const char *path,
				DBusObjectPathMessageFunction fn)
{
	DBusObjectPathVTable vt = { .message_function = fn };
	DBusConnection *c;
	DBusError err;
	int r;

	dbus_error_init(&err);
	c = dbus_connection_open_private(fb.address, &err);
	if (!c || !dbus_bus_register(c, &err)) {
		fprintf(stderr, "fake-bluez: %s: %s\n", fb.address,
			err.message ? err.message : "cannot connect");
		dbus_error_free(&err);
		if (c) {
			dbus_connection_close(c);
			dbus_connection_unref(c);
		}
		return NULL;
	}
	dbus_connection_set_exit_on_disconnect(c, FALSE);
	dbus_connection_add_filter(c, on_bus_msg, NULL, NULL);
	if (!strcmp(path, "/"))
		dbus_connection_register_fallback(c, path, &vt, NULL);
	else
		dbus_connection_register_object_path(c, path, &vt, NULL);
	r = dbus_bus_request_name(c, name, DBUS_NAME_FLAG_DO_NOT_QUEUE, &err);
	if (r != DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER) {
		fprintf(stderr, "fake-bluez: cannot own %s: %s\n", name,
			err.message ? err.message : "taken");
		dbus_error_free(&err);
		dbus_connection_close(c);
		dbus_connection_unref(c);
		return NULL;
	}
	loop_attach(c);
	return c;
}

int bus_up(bool stale)
{
	DBusConnection *c;
	unsigned i;

	c = open_bus(BLUEZ_NAME, "/", on_bluez_call);
	if (!c)
		return -1;
	dbus_bus_add_match(c,
			   "type='signal',sender='org.freedesktop.DBus',"
			   "member='NameOwnerChanged'",
			   NULL);
	for (i = 0; i < fb.n_devices && stale; i++) {
		struct fb_device *d = &fb.devices[i];

		if (!d->connected)
			continue;
		d->resolved = d->stale = true;
		obj_build_gatt(d);
	}
	fb.bus = c;
	fb_log("org.bluez up");
	return 0;
}

/* bluetoothd exits: the name goes; links survive only with "stale". */
void bus_down(void)
{
	DBusConnection *c = fb.bus;
	unsigned i;

	fb.bus = NULL; /* nothing more goes out on it */
	for (i = 0; i < fb.n_devices; i++) {
		struct fb_device *d = &fb.devices[i];
		bool was = d->connected;

		dev_link_down(d, "bluetoothd exits");
		if (d->pending_pair) {
			dbus_message_unref(d->pending_pair);
			d->pending_pair = NULL;
		}
		d->connected = was && restart_stale;
	}
	for (i = 0; i < fb.n_adapters; i++) {
		fb.adapters[i].n_sessions = 0;
		fb.adapters[i].discovering = false;
		loop_timer_cancel(fb.adapters[i].scan_timer);
		fb.adapters[i].scan_timer = NULL;
	}
	fb.agent_owner[0] = 0;
	if (!c)
		return;
	fb.closing = true;
	dbus_connection_flush(c);
	loop_detach(c);
	dbus_connection_close(c);
	dbus_connection_unref(c);
	fb.closing = false;
	fb_log("org.bluez down");
}

static void restart_up(void *data)
{
	(void)data;
	if (bus_up(restart_stale) < 0)
		loop_quit(1);
}

void fake_restart(unsigned down_ms, bool stale)
{
	restart_down_ms = down_ms;
	restart_stale = stale;
	fb.restarts++;
	bus_down();
	loop_timer_add((uint64_t)restart_down_ms * 1000, restart_up, NULL);
}

static int load_file(const char *path)
{
	char line[512], err[128];
	FILE *f = fopen(path, "r");
	unsigned n = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (line[0] == '#' || strspn(line, " \t\r\n") == strlen(line))
			continue;
		if (device_parse_spec(line, err, sizeof(err)) < 0) {
			fprintf(stderr, "fake-bluez: %s:%u: %s\n", path, n,
				err);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	loop_quit(0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "address", required_argument, NULL, 'a' },
		{ "bms", required_argument, NULL, 'b' },
		{ "bms-file", required_argument, NULL, 'f' },
		{ "ready", required_argument, NULL, 'r' },
		{ "connect-ms", required_argument, NULL, 'c' },
		{ "resolve-ms", required_argument, NULL, 's' },
		{ "discover-ms", required_argument, NULL, 'd' },
		{ "tick-ms", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{}
	};
	const char *ready = NULL;
	char err[128];
	int o, rc;

	fb.verbose = true;
	fb.connect_ms = 50;
	fb.resolve_ms = 50;
	fb.discover_ms = 100;
	fb.tick_ms = 50;
	fb.rnd = 1;
	fb.address = getenv("DBUS_SYSTEM_BUS_ADDRESS");
	adapter_by_name("hci0");
	while ((o = getopt_long(argc, argv, "a:b:f:r:c:s:d:t:q", opts, NULL)) !=
	       -1) {
		switch (o) {
		case 'a':
			fb.address = optarg;
			break;
		case 'b':
			if (device_parse_spec(optarg, err, sizeof(err)) < 0) {
				fprintf(stderr, "fake-bluez: --bms: %s\n", err);
				return 2;
			}
			break;
		case 'f':
			if (load_file(optarg) < 0)
				return 2;
			break;
		case 'r':
			ready = optarg;
			break;
		case 'c':
			fb.connect_ms = (unsigned)atoi(optarg);
			break;
		case 's':
			fb.resolve_ms = (unsigned)atoi(optarg);
			break;
		case 'd':
			fb.discover_ms = (unsigned)atoi(optarg);
			break;
		case 't':
			fb.tick_ms = (unsigned)atoi(optarg);
			if (fb.tick_ms < 1)
				fb.tick_ms = 1;
			break;
		case 'q':
			fb.verbose = false;
			break;
		default:
			fprintf(stderr, "usage: fake-bluez [--address BUS] "
					"[--bms SPEC]... [--bms-file FILE] "
					"[--ready FILE] [--quiet]\n");
			return 2;
		}
	}
	if (!fb.address) {
		fprintf(stderr, "fake-bluez: no bus: --address or "
				"DBUS_SYSTEM_BUS_ADDRESS\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	fb.ctl = open_bus(CONTROL_NAME, CONTROL_PATH, on_control_call);
	if (!fb.ctl || bus_up(true) < 0)
		return 1;
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
	tick_timer = loop_timer_add((uint64_t)fb.tick_ms * 1000, tick, NULL);
	rc = loop_run();
	loop_timer_cancel(tick_timer);
	bus_down();
	fb.closing = true;
	loop_detach(fb.ctl);
	dbus_connection_close(fb.ctl);
	dbus_connection_unref(fb.ctl);
	for (o = 0; o < (int)fb.n_devices; o++)
		sim_free(fb.devices[o].sim);
	return rc;
}
