/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault injection: org.jkbms.FakeControl.Command(s line) -> s on
 * /org/jkbms/FakeControl, one command a call, answered "ok ..." or
 * "error: ..." (tests/peers/BLUEZ-CONTRACT.md lists the commands).
 * Tests call it with dbus-send; one table maps each word to its handler.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-bluez.h"

#define MAX_ARGS  12
#define REPLY_MAX 8192

struct ctl_cmd {
	const char *name;
	unsigned min_args; /* after the command word */
	bool device;       /* argv[1] is a device address */
	const char *(*fn)(int argc, char **argv, struct fb_device *d);
};

static char reply[REPLY_MAX];

static unsigned count_arg(int argc, char **argv, int i, unsigned def)
{
	if (argc <= i)
		return def;
	if (!strcmp(argv[i], "always"))
		return ~0u;
	return (unsigned)strtoul(argv[i], NULL, 10);
}

static const char *cmd_ping(int argc, char **argv, struct fb_device *d)
{
	(void)argc, (void)argv, (void)d;
	return "ok";
}

static const char *cmd_add(int argc, char **argv, struct fb_device *d)
{
	char spec[512] = "", err[128];
	int i;

	(void)d;
	for (i = 1; i < argc; i++) {
		strncat(spec, argv[i], sizeof(spec) - strlen(spec) - 2);
		strcat(spec, " ");
	}
	if (device_parse_spec(spec, err, sizeof(err)) < 0) {
		snprintf(reply, sizeof(reply), "error: %s", err);
		return reply;
	}
	return "ok";
}

static const char *cmd_set(int argc, char **argv, struct fb_device *d)
{
	int i;

	for (i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq)
			return "error: want key=value";
		*eq = 0;
		if (device_set(d, argv[i], eq + 1) < 0) {
			snprintf(reply, sizeof(reply), "error: bad %s",
				 argv[i]);
			return reply;
		}
	}
	return "ok";
}

/* fault TARGET METHOD ERROR [COUNT|always] [MESSAGE...] */
static const char *cmd_fault(int argc, char **argv, struct fb_device *d)
{
	struct fb_fault *f;
	int i;

	(void)d;
	if (fb.n_faults == FB_MAX_FAULTS)
		return "error: too many faults";
	f = &fb.faults[fb.n_faults];
	memset(f, 0, sizeof(*f));
	snprintf(f->target, sizeof(f->target), "%s", argv[1]);
	snprintf(f->method, sizeof(f->method), "%s", argv[2]);
	if (strchr(argv[3], '.') || !strcmp(argv[3], "noreply"))
		snprintf(f->error, sizeof(f->error), "%s", argv[3]);
	else
		snprintf(f->error, sizeof(f->error), "org.bluez.Error.%s",
			 argv[3]);
	f->count = count_arg(argc, argv, 4, 1);
	for (i = 5; i < argc; i++) {
		if (i > 5)
			strncat(f->message, " ",
				sizeof(f->message) - strlen(f->message) - 1);
		strncat(f->message, argv[i],
			sizeof(f->message) - strlen(f->message) - 1);
	}
	if (!f->count)
		return "error: count";
	fb.n_faults++;
	return "ok";
}

static const char *cmd_clear(int argc, char **argv, struct fb_device *d)
{
	unsigned i = 0;

	(void)d;
	while (i < fb.n_faults) {
		if (argc > 1 && strcasecmp(fb.faults[i].target, argv[1])) {
			i++;
			continue;
		}
		fb.n_faults--;
		memmove(&fb.faults[i], &fb.faults[i + 1],
			(fb.n_faults - i) * sizeof(fb.faults[0]));
	}
	return "ok";
}

static const char *cmd_drop(int argc, char **argv, struct fb_device *d)
{
	(void)argc, (void)argv;
	if (!d->connected)
		return "error: not connected";
	d->drops++;
	dev_link_down(d, "link lost");
	return "ok";
}

static const char *cmd_drop_mid(int argc, char **argv, struct fb_device *d)
{
	d->drop_mid_frame = count_arg(argc, argv, 2, 1);
	return "ok";
}

static const char *cmd_no_resolve(int argc, char **argv, struct fb_device *d)
{
	d->no_resolve = count_arg(argc, argv, 2, 1);
	return "ok";
}

static const char *cmd_garbage(int argc, char **argv, struct fb_device *d)
{
	d->garbage = count_arg(argc, argv, 2, 1);
	return "ok";
}

static const char *cmd_freeze(int argc, char **argv, struct fb_device *d)
{
	d->frozen = argc < 3 || strcmp(argv[2], "off");
	return "ok";
}

/* The BMS stops answering on this link; connects it if it was not. */
static const char *cmd_stale(int argc, char **argv, struct fb_device *d)
{
	(void)argc, (void)argv;
	d->stale = true;
	if (d->connected)
		return "ok";
	obj_export_device(d);
	d->connected = true;
	obj_emit_changed(d->path, IFACE_DEVICE, "Connected");
	if (!d->n_gatt)
		obj_export_gatt(d);
	d->resolved = true;
	obj_emit_changed(d->path, IFACE_DEVICE, "ServicesResolved");
	return "ok";
}

static const char *cmd_remove(int argc, char **argv, struct fb_device *d)
{
	(void)argc, (void)argv;
	dev_link_down(d, "expired");
	obj_unexport_device(d);
	return "ok";
}

static const char *cmd_visible(int argc, char **argv, struct fb_device *d)
{
	(void)argc;
	d->visible = !strcmp(argv[0], "show");
	return "ok";
}

static const char *cmd_power(int argc, char **argv, struct fb_device *d)
{
	struct fb_adapter *a = adapter_by_name(argv[1]);

	(void)argc, (void)d;
	if (!a)
		return "error: no such adapter";
	adapter_set_powered(a, !strcmp(argv[2], "on"));
	return "ok";
}

static const char *cmd_wedge(int argc, char **argv, struct fb_device *d)
{
	struct fb_adapter *a = adapter_by_name(argv[1]);

	(void)argc, (void)d;
	if (!a)
		return "error: no such adapter";
	a->wedged = true;
	return "ok";
}

static const char *cmd_restart(int argc, char **argv, struct fb_device *d)
{
	(void)d;
	if (!fb.bus)
		return "error: already down";
	fake_restart(argc > 1 ? (unsigned)atoi(argv[1]) : 200,
		     argc > 2 && !strcmp(argv[2], "stale"));
	return "ok";
}

static const char *cmd_exit(int argc, char **argv, struct fb_device *d)
{
	(void)d;
	loop_quit(argc > 1 ? atoi(argv[1]) : 0);
	return "ok";
}

static void status_device(const struct fb_device *d)
{
	struct field_values v;
	size_t n;

	/* the simulated BMS's own view, to compare with the daemon's */
	sim_values(d->sim, &v);
	n = strlen(reply);
	snprintf(reply + n, sizeof(reply) - n,
		 "%s variant=%s cells=%u voltage_mv=%lld soc=%lld ", d->address,
		 jk_variant_name(sim_variant(d->sim)), d->sim_cfg.cells,
		 (long long)v.num[FIELD_VOLTAGE], (long long)v.num[FIELD_SOC]);
	n = strlen(reply);

	snprintf(reply + n, sizeof(reply) - n,
		 "adapter=%s exported=%d visible=%d connected=%d "
		 "resolved=%d notifying=%d paired=%d stale=%d connects=%u "
		 "connects_ok=%u disconnects=%u drops=%u writes=%u "
		 "notifications=%u pairs=%u removes=%u start_notify=%u "
		 "bad_writes=%u bytes=%llu\n",
		 d->ad->name, d->exported, d->visible, d->connected,
		 d->resolved, d->notifying, d->paired, d->stale, d->connects,
		 d->connects_ok, d->disconnects, d->drops, d->writes,
		 d->notifications, d->pairs, d->removes, d->start_notify,
		 d->bad_writes, (unsigned long long)d->bytes_out);
}

static const char *cmd_status(int argc, char **argv, struct fb_device *d)
{
	unsigned i;
	size_t n;

	(void)d;
	snprintf(reply, sizeof(reply),
		 "ok up=%d restarts=%u agent=%s faults=%u\n", fb.bus != NULL,
		 fb.restarts, fb.agent_owner[0] ? fb.agent_path : "-",
		 fb.n_faults);
	for (i = 0; i < fb.n_adapters; i++) {
		const struct fb_adapter *a = &fb.adapters[i];

		if (argc > 1 && strcmp(argv[1], a->name))
			continue;
		n = strlen(reply);
		snprintf(reply + n, sizeof(reply) - n,
			 "%s powered=%d discovering=%d sessions=%u "
			 "power_cycles=%u scans=%u wedged=%d\n",
			 a->name, a->powered, a->discovering, a->n_sessions,
			 a->power_cycles, a->scans, a->wedged);
	}
	for (i = 0; i < fb.n_devices; i++)
		if (argc < 2 || !strcasecmp(argv[1], fb.devices[i].address))
			status_device(&fb.devices[i]);
	return reply;
}

static const struct ctl_cmd commands[] = {
	{ "ping", 0, false, cmd_ping },
	{ "add", 1, false, cmd_add },
	{ "set", 2, true, cmd_set },
	{ "fault", 3, false, cmd_fault },
	{ "clear", 0, false, cmd_clear },
	{ "drop", 1, true, cmd_drop },
	{ "drop-mid-frame", 1, true, cmd_drop_mid },
	{ "no-resolve", 1, true, cmd_no_resolve },
	{ "garbage", 1, true, cmd_garbage },
	{ "freeze", 1, true, cmd_freeze },
	{ "stale", 1, true, cmd_stale },
	{ "remove", 1, true, cmd_remove },
	{ "hide", 1, true, cmd_visible },
	{ "show", 1, true, cmd_visible },
	{ "power", 2, false, cmd_power },
	{ "wedge", 1, false, cmd_wedge },
	{ "restart", 0, false, cmd_restart },
	{ "status", 0, false, cmd_status },
	{ "exit", 0, false, cmd_exit },
};

static const char *run(char *line)
{
	char *argv[MAX_ARGS], *save = NULL, *tok;
	struct fb_device *d = NULL;
	unsigned i;
	int argc = 0;

	for (tok = strtok_r(line, " \t\n", &save); tok && argc < MAX_ARGS;
	     tok = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = tok;
	if (!argc)
		return "error: empty command";
	for (i = 0; i < ARRAY_LEN(commands); i++) {
		const struct ctl_cmd *c = &commands[i];

		if (strcmp(argv[0], c->name))
			continue;
		if ((unsigned)argc - 1 < c->min_args)
			return "error: missing arguments";
		if (c->device && !(d = device_by_address(argv[1])))
			return "error: no such device";
		return c->fn(argc, argv, d);
	}
	return "error: unknown command";
}

DBusHandlerResult control_handle(DBusConnection *c, DBusMessage *m)
{
	char line[512];
	const char *arg, *out;
	DBusMessage *r;

	if (!dbus_message_is_method_call(m, CONTROL_IFACE, "Command"))
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
	if (!dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &arg,
				   DBUS_TYPE_INVALID)) {
		r = dbus_message_new_error(m, DBUS_ERROR_INVALID_ARGS,
					   "want one string");
	} else {
		snprintf(line, sizeof(line), "%s", arg);
		fb_log("control: %s", arg);
		out = run(line);
		r = dbus_message_new_method_return(m);
		dbus_message_append_args(r, DBUS_TYPE_STRING, &out,
					 DBUS_TYPE_INVALID);
	}
	dbus_connection_send(c, r, NULL);
	dbus_message_unref(r);
	return DBUS_HANDLER_RESULT_HANDLED;
}
