/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The properties of each interface the fake exports, with BlueZ 5.66's
 * names, types and optional ones left out as bluetoothd leaves them out.
 * A writer called with a NULL iterator only says whether the property
 * exists, so one table serves GetAll, Get and PropertiesChanged.
 */
#include <stdio.h>
#include <string.h>

#include "fake-bluez.h"

static void put_basic(DBusMessageIter *it, int type, const void *v)
{
	char sig[2] = { (char)type, 0 };
	DBusMessageIter var;

	if (!it)
		return;

	dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, sig, &var);
	dbus_message_iter_append_basic(&var, type, v);
	dbus_message_iter_close_container(it, &var);
}

static void put_str(DBusMessageIter *it, const char *s)
{
	put_basic(it, DBUS_TYPE_STRING, &s);
}

static void put_path(DBusMessageIter *it, const char *s)
{
	put_basic(it, DBUS_TYPE_OBJECT_PATH, &s);
}

static void put_bool(DBusMessageIter *it, bool b)
{
	dbus_bool_t v = b;

	put_basic(it, DBUS_TYPE_BOOLEAN, &v);
}

static void put_u32(DBusMessageIter *it, uint32_t v)
{
	put_basic(it, DBUS_TYPE_UINT32, &v);
}

static void put_u16(DBusMessageIter *it, uint16_t v)
{
	put_basic(it, DBUS_TYPE_UINT16, &v);
}

static void put_strv(DBusMessageIter *it, const char *const *v, unsigned n)
{
	DBusMessageIter var, arr;
	unsigned i;

	if (!it)
		return;

	dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, "as", &var);
	dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "s", &arr);
	for (i = 0; i < n; i++)
		dbus_message_iter_append_basic(&arr, DBUS_TYPE_STRING, &v[i]);
	dbus_message_iter_close_container(&var, &arr);
	dbus_message_iter_close_container(it, &var);
}

static void put_empty_paths(DBusMessageIter *it)
{
	DBusMessageIter var, arr;

	if (!it)
		return;

	dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, "ao", &var);
	dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "o", &arr);
	dbus_message_iter_close_container(&var, &arr);
	dbus_message_iter_close_container(it, &var);
}

void put_bytes(DBusMessageIter *it, const uint8_t *b, size_t n)
{
	DBusMessageIter var, arr;

	if (!it)
		return;

	dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, "ay", &var);
	dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "y", &arr);
	dbus_message_iter_append_fixed_array(&arr, DBUS_TYPE_BYTE, &b, (int)n);
	dbus_message_iter_close_container(&var, &arr);
	dbus_message_iter_close_container(it, &var);
}

/* JK advertisements: company 0x0B65, two bytes then the MAC. */
static void put_mfr(DBusMessageIter *it, const struct fb_device *d)
{
	DBusMessageIter var, arr, ent;
	uint16_t company = 0x0B65;
	uint8_t data[8] = { 0x88, 0xA0 };
	unsigned i, b[6] = { 0 };

	if (!it)
		return;

	sscanf(d->address, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3],
	       &b[4], &b[5]);
	for (i = 0; i < 6; i++)
		data[2 + i] = (uint8_t)b[i];
	dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, "a{qv}", &var);
	dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "{qv}", &arr);
	dbus_message_iter_open_container(&arr, DBUS_TYPE_DICT_ENTRY, NULL,
					 &ent);
	dbus_message_iter_append_basic(&ent, DBUS_TYPE_UINT16, &company);
	put_bytes(&ent, data, sizeof(data));
	dbus_message_iter_close_container(&arr, &ent);
	dbus_message_iter_close_container(&var, &arr);
	dbus_message_iter_close_container(it, &var);
}

const char *const adapter_props[] = {
	"Address",
	"AddressType",
	"Name",
	"Alias",
	"Class",
	"Powered",
	"PowerState",
	"Discoverable",
	"DiscoverableTimeout",
	"Pairable",
	"PairableTimeout",
	"Discovering",
	"UUIDs",
	"Modalias",
	"Roles",
	"ExperimentalFeatures",
	NULL,
};

bool put_adapter(DBusMessageIter *it, const void *obj, const char *p)
{
	const struct fb_adapter *a = obj;
	static const char *const uuids[] = {
		"00001800-0000-1000-8000-00805f9b34fb",
		"00001801-0000-1000-8000-00805f9b34fb",
	};
	static const char *const roles[] = { "central", "peripheral" };

	if (!strcmp(p, "Address"))
		put_str(it, a->address);
	else if (!strcmp(p, "AddressType"))
		put_str(it, "public");
	else if (!strcmp(p, "Name") || !strcmp(p, "Alias"))
		put_str(it, "jkbms-test");
	else if (!strcmp(p, "Class"))
		put_u32(it, 0x6c0000);
	else if (!strcmp(p, "Powered"))
		put_bool(it, a->powered);
	else if (!strcmp(p, "PowerState"))
		put_str(it, a->powered ? "on" : "off");
	else if (!strcmp(p, "Discoverable") || !strcmp(p, "Pairable"))
		put_bool(it, false);
	else if (!strcmp(p, "DiscoverableTimeout"))
		put_u32(it, 180);
	else if (!strcmp(p, "PairableTimeout"))
		put_u32(it, 0);
	else if (!strcmp(p, "Discovering"))
		put_bool(it, a->discovering);
	else if (!strcmp(p, "UUIDs"))
		put_strv(it, uuids, 2);
	else if (!strcmp(p, "Modalias"))
		put_str(it, "usb:v1D6Bp0246d0542");
	else if (!strcmp(p, "Roles"))
		put_strv(it, roles, 2);
	else if (!strcmp(p, "ExperimentalFeatures"))
		put_strv(it, NULL, 0);
	else
		return false;
	return true;
}

const char *const device_props[] = {
	"Address",
	"AddressType",
	"Name",
	"Alias",
	"Paired",
	"Bonded",
	"Trusted",
	"Blocked",
	"LegacyPairing",
	"RSSI",
	"Connected",
	"UUIDs",
	"Adapter",
	"ManufacturerData",
	"ServicesResolved",
	"AdvertisingFlags",
	NULL,
};

bool put_device(DBusMessageIter *it, const void *obj, const char *p)
{
	const struct fb_device *d = obj;
	static const char *const adv_uuids[] = { UUID_JK_SERVICE };
	static const char *const gatt_uuids[] = {
		"00001800-0000-1000-8000-00805f9b34fb",
		"00001801-0000-1000-8000-00805f9b34fb",
		"0000180a-0000-1000-8000-00805f9b34fb",
		UUID_JK_SERVICE,
	};
	static const uint8_t adv_flags[] = { 0x06 };

	if (!strcmp(p, "Address"))
		put_str(it, d->address);
	else if (!strcmp(p, "AddressType"))
		put_str(it, "public");
	else if (!strcmp(p, "Name") || !strcmp(p, "Alias"))
		put_str(it, d->name);
	else if (!strcmp(p, "Paired") || !strcmp(p, "Bonded"))
		put_bool(it, d->paired);
	else if (!strcmp(p, "Trusted"))
		put_bool(it, d->trusted);
	else if (!strcmp(p, "Blocked") || !strcmp(p, "LegacyPairing"))
		put_bool(it, false);
	else if (!strcmp(p, "RSSI")) {
		int16_t r = (int16_t)d->rssi;

		put_basic(it, DBUS_TYPE_INT16, &r);
	} else if (!strcmp(p, "Connected"))
		put_bool(it, d->connected);
	else if (!strcmp(p, "UUIDs")) {
		if (d->resolved && d->layout != LAYOUT_NO_SERVICE)
			put_strv(it, gatt_uuids, 4);
		else if (d->resolved)
			put_strv(it, gatt_uuids, 3);
		else
			put_strv(it, adv_uuids, 1);
	} else if (!strcmp(p, "Adapter"))
		put_path(it, d->ad->path);
	else if (!strcmp(p, "ManufacturerData"))
		put_mfr(it, d);
	else if (!strcmp(p, "ServicesResolved"))
		put_bool(it, d->resolved);
	else if (!strcmp(p, "AdvertisingFlags"))
		put_bytes(it, adv_flags, 1);
	else
		return false;
	return true;
}

const char *const service_props[] = {
	"UUID", "Device", "Primary", "Includes", "Handle", NULL,
};

const char *const char_props[] = {
	"UUID",   "Service", "Value",         "Notifying",      "Flags",
	"Handle", "MTU",     "WriteAcquired", "NotifyAcquired", NULL,
};

const char *const desc_props[] = {
	"UUID", "Characteristic", "Value", "Flags", "Handle", NULL,
};

bool put_gatt(DBusMessageIter *it, const void *obj, const char *p)
{
	const struct gatt_ref *r = obj;
	const struct fb_gatt *g = r->g;
	const char *flags[5];
	unsigned n = 0;

	if (!strcmp(p, "UUID")) {
		put_str(it, g->uuid);
		return true;
	}
	if (!strcmp(p, "Handle")) {
		put_u16(it, g->handle);
		return true;
	}
	if (g->kind == GATT_SERVICE) {
		if (!strcmp(p, "Device"))
			put_path(it, r->d->path);
		else if (!strcmp(p, "Primary"))
			put_bool(it, true);
		else if (!strcmp(p, "Includes"))
			put_empty_paths(it);
		else
			return false;
		return true;
	}
	if (!strcmp(p, "Value")) {
		put_bytes(it, NULL, 0);
		return true;
	}
	if (g->kind == GATT_DESC) {
		static const char *const df[] = { "read", "write" };

		if (!strcmp(p, "Characteristic"))
			put_path(it, g->parent);
		else if (!strcmp(p, "Flags"))
			put_strv(it, df, 2);
		else
			return false;
		return true;
	}
	if (g->flags & CF_READ)
		flags[n++] = "read";
	if (g->flags & CF_WRITE_NO_RSP)
		flags[n++] = "write-without-response";
	if (g->flags & CF_WRITE)
		flags[n++] = "write";
	if (g->flags & CF_NOTIFY)
		flags[n++] = "notify";
	if (g->flags & CF_INDICATE)
		flags[n++] = "indicate";
	if (!strcmp(p, "Service"))
		put_path(it, g->parent);
	else if (!strcmp(p, "Flags"))
		put_strv(it, flags, n);
	else if (!strcmp(p, "Notifying") &&
		 (g->flags & (CF_NOTIFY | CF_INDICATE)))
		put_bool(it,
			 r->d->notifying && r->d->gatt + r->d->notify_idx == g);
	else if (!strcmp(p, "MTU"))
		put_u16(it, (uint16_t)(r->d->mtu + 3));
	else if (!strcmp(p, "WriteAcquired") && (g->flags & CF_WRITE_NO_RSP))
		put_bool(it, false);
	else if (!strcmp(p, "NotifyAcquired") && (g->flags & CF_NOTIFY))
		put_bool(it, false);
	else
		return false;
	return true;
}
