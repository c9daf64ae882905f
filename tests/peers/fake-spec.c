/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fake BlueZ's devices from their one-line specs
 * ("address=C8:47:8C:00:00:01 variant=jk02_32s cells=16 mtu=128 ..."),
 * given on the command line, in a file, or to the control "add" and
 * "set" commands. Each device owns a simulated BMS (src/sim).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-bluez.h"

struct fb_adapter *adapter_by_name(const char *name)
{
	struct fb_adapter *a;
	unsigned i, n;

	for (i = 0; i < fb.n_adapters; i++)
		if (!strcmp(fb.adapters[i].name, name))
			return &fb.adapters[i];
	if (fb.n_adapters == FB_MAX_ADAPTERS || strncmp(name, "hci", 3) ||
	    sscanf(name + 3, "%u", &n) != 1 || n > 9 || name[4])
		return NULL;
	a = &fb.adapters[fb.n_adapters++];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	snprintf(a->path, sizeof(a->path), "/org/bluez/%s", name);
	snprintf(a->address, sizeof(a->address), "00:1A:7D:DA:71:%02X", n);
	a->powered = true;
	return a;
}

struct fb_device *device_by_address(const char *addr)
{
	unsigned i;

	for (i = 0; i < fb.n_devices; i++)
		if (!strcasecmp(fb.devices[i].address, addr))
			return &fb.devices[i];
	return NULL;
}

static bool parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "on")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "off")) {
		*out = false;
		return true;
	}
	return false;
}

static bool parse_long(const char *v, long min, long max, long *out)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < min || x > max)
		return false;
	*out = x;
	return true;
}

static const char *const layouts[] = {
	[LAYOUT_SINGLE] = "single",         [LAYOUT_SPLIT] = "split",
	[LAYOUT_NO_SERVICE] = "no-service", [LAYOUT_NO_NOTIFY] = "no-notify",
	[LAYOUT_WRONG_UUID] = "wrong-uuid",
};

static const char *const pairs[] = {
	[PAIR_OPTIONAL] = "optional",
	[PAIR_REQUIRED] = "required",
	[PAIR_REJECT] = "reject",
};

static int pick(const char *v, const char *const *names, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (!strcmp(v, names[i]))
			return (int)i;
	return -1;
}

/* Keys a running device can change; the rest need a new simulator. */
int device_set(struct fb_device *d, const char *key, const char *v)
{
	long x;
	bool b;
	int k;

	if (!strcmp(key, "name"))
		snprintf(d->name, sizeof(d->name), "%s", v);
	else if (!strcmp(key, "password"))
		snprintf(d->password, sizeof(d->password), "%s", v);
	else if (!strcmp(key, "settings_password"))
		snprintf(d->settings_password, sizeof(d->settings_password),
			 "%s", v);
	else if (!strcmp(key, "pin"))
		snprintf(d->pin, sizeof(d->pin), "%s", v);
	else if (!strcmp(key, "rssi") && parse_long(v, -127, 20, &x))
		d->rssi = (int)x;
	else if (!strcmp(key, "mtu") && parse_long(v, 20, 512, &x))
		d->mtu = (unsigned)x;
	else if (!strcmp(key, "scale") && atof(v) > 0)
		d->sim_cfg.time_scale = atof(v);
	else if (!strcmp(key, "layout") &&
		 (k = pick(v, layouts, ARRAY_LEN(layouts))) >= 0)
		d->layout = (enum fb_layout)k;
	else if (!strcmp(key, "pair") &&
		 (k = pick(v, pairs, ARRAY_LEN(pairs))) >= 0)
		d->pair = (enum fb_pair)k;
	else if (!strcmp(key, "visible") && parse_bool(v, &b))
		d->visible = b;
	else if (!strcmp(key, "paired") && parse_bool(v, &b))
		d->paired = b;
	else
		return -EINVAL;
	if (d->sim &&
	    (!strcmp(key, "password") || !strcmp(key, "settings_password")))
		sim_set_passwords(d->sim, d->password, d->settings_password);
	return 0;
}

/* Keys only read when the device is made. */
static int device_set_initial(struct fb_device *d, const char *key,
			      const char *v, bool *connected, bool *known)
{
	long x;

	if (!strcmp(key, "address"))
		snprintf(d->address, sizeof(d->address), "%s", v);
	else if (!strcmp(key, "adapter"))
		return (d->ad = adapter_by_name(v)) ? 0 : -EINVAL;
	else if (!strcmp(key, "variant"))
		return jk_variant_from_name(v, &d->variant) < 0 ? -EINVAL : 0;
	else if (!strcmp(key, "cells") && parse_long(v, 8, 32, &x))
		d->sim_cfg.cells = (unsigned)x;
	else if (!strcmp(key, "capacity") && parse_long(v, 1, 5000, &x))
		d->sim_cfg.capacity_mah = x * 1000;
	else if (!strcmp(key, "seed") && parse_long(v, 0, 1000000, &x))
		d->sim_cfg.seed = (unsigned)x;
	else if (!strcmp(key, "chemistry"))
		d->sim_cfg.chemistry = !strcmp(v, "liion") ? SIM_LIION
				       : !strcmp(v, "lto") ? SIM_LTO
							   : SIM_LFP;
	else if (!strcmp(key, "profile"))
		d->sim_cfg.profile = !strcmp(v, "cycle")   ? SIM_PROFILE_CYCLE
				     : !strcmp(v, "idle")  ? SIM_PROFILE_IDLE
				     : !strcmp(v, "abuse") ? SIM_PROFILE_ABUSE
							   : SIM_PROFILE_SOLAR;
	else if (!strcmp(key, "connected"))
		return parse_bool(v, connected) ? 0 : -EINVAL;
	else if (!strcmp(key, "known"))
		return parse_bool(v, known) ? 0 : -EINVAL;
	else
		return device_set(d, key, v);
	return 0;
}

static void mac_path(struct fb_device *d)
{
	char mac[18];
	unsigned i;

	snprintf(mac, sizeof(mac), "%s", d->address);
	for (i = 0; mac[i]; i++)
		if (mac[i] == ':')
			mac[i] = '_';
	snprintf(d->path, sizeof(d->path), "%.40s/dev_%s", d->ad->path, mac);
}

static bool valid_mac(const char *s)
{
	unsigned i;

	if (strlen(s) != 17)
		return false;
	for (i = 0; i < 17; i++) {
		if (i % 3 == 2 ? s[i] != ':'
			       : !strchr("0123456789ABCDEFabcdef", s[i]))
			return false;
	}
	return true;
}

int device_parse_spec(const char *spec, char *err, size_t errsize)
{
	struct fb_device *d;
	char buf[512], *tok, *save = NULL;
	bool connected = false, known = false;
	unsigned i;

	if (fb.n_devices == FB_MAX_DEVICES) {
		snprintf(err, errsize, "too many devices");
		return -ENOSPC;
	}
	d = &fb.devices[fb.n_devices];
	memset(d, 0, sizeof(*d));
	d->sim_cfg = (struct conf_sim){ .chemistry = SIM_LFP,
					.cells = 16,
					.capacity_mah = 280000,
					.profile = SIM_PROFILE_SOLAR,
					.seed = 1,
					.time_scale = 1.0 };
	d->variant = JK_VARIANT_JK02_32S;
	d->rssi = -60;
	d->mtu = 20;
	d->layout = LAYOUT_SPLIT;
	d->visible = true;
	d->notify_idx = d->write_idx = -1;
	snprintf(d->password, sizeof(d->password), "1234");
	snprintf(d->settings_password, sizeof(d->settings_password), "123456");
	snprintf(d->pin, sizeof(d->pin), "123456");
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, " \t,\n", &save); tok;
	     tok = strtok_r(NULL, " \t,\n", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq) {
			snprintf(err, errsize, "'%s': want key=value", tok);
			return -EINVAL;
		}
		*eq = 0;
		if (device_set_initial(d, tok, eq + 1, &connected, &known) <
		    0) {
			snprintf(err, errsize, "bad %s=%s", tok, eq + 1);
			return -EINVAL;
		}
	}
	if (!valid_mac(d->address) || device_by_address(d->address)) {
		snprintf(err, errsize, "need a new address=XX:XX:XX:XX:XX:XX");
		return -EINVAL;
	}
	for (i = 0; d->address[i]; i++)
		if (d->address[i] >= 'a' && d->address[i] <= 'f')
			d->address[i] = (char)(d->address[i] - 'a' + 'A');
	if (!d->ad)
		d->ad = adapter_by_name("hci0");
	if (!d->name[0])
		snprintf(d->name, sizeof(d->name), "JK_B2A24S%02u",
			 fb.n_devices + 1);
	d->sim = sim_new(&d->sim_cfg, d->variant, d->name);
	if (!d->sim) {
		snprintf(err, errsize, "the simulator refused %u cells on %s",
			 d->sim_cfg.cells, jk_variant_name(d->variant));
		return -EINVAL;
	}
	sim_set_passwords(d->sim, d->password, d->settings_password);
	mac_path(d);
	d->last_step_usec = loop_now();
	fb.n_devices++;
	if (connected) {
		/* a link left over from before a restart */
		d->connected = d->resolved = d->stale = true;
		known = true;
	}
	if (known)
		obj_export_device(d);
	if (connected)
		obj_export_gatt(d);
	return 0;
}
