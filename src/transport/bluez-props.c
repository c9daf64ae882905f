/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading BlueZ property dictionaries (a{sv}) into the mirror's objects:
 * only the properties jkbmsd uses, each checked for its D-Bus type so a
 * misbehaving bluetoothd (or fake) cannot make us misread memory.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jkbms/util.h"

#include "transport/bluez-private.h"

static bool iter_string(DBusMessageIter *v, const char **ret)
{
	int t = dbus_message_iter_get_arg_type(v);

	if (t != DBUS_TYPE_STRING && t != DBUS_TYPE_OBJECT_PATH)
		return false;
	dbus_message_iter_get_basic(v, ret);
	return true;
}

static bool iter_bool(DBusMessageIter *v, bool *ret)
{
	dbus_bool_t b;

	if (dbus_message_iter_get_arg_type(v) != DBUS_TYPE_BOOLEAN)
		return false;
	dbus_message_iter_get_basic(v, &b);
	*ret = b;
	return true;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = xstrdup(s);
}

/* ay -> data (at most max bytes); returns the length. */
size_t bluez_iter_bytes(DBusMessageIter *v, const uint8_t **data)
{
	DBusMessageIter a;
	int n = 0;

	*data = NULL;
	if (dbus_message_iter_get_arg_type(v) != DBUS_TYPE_ARRAY ||
	    dbus_message_iter_get_element_type(v) != DBUS_TYPE_BYTE)
		return 0;
	dbus_message_iter_recurse(v, &a);
	if (dbus_message_iter_get_arg_type(&a) != DBUS_TYPE_BYTE)
		return 0;
	dbus_message_iter_get_fixed_array(&a, data, &n);
	return n > 0 ? (size_t)n : 0;
}

/* UUIDs (as): is the JK service among them? */
static bool uuids_have_jk(DBusMessageIter *v)
{
	DBusMessageIter a;
	const char *s;

	if (dbus_message_iter_get_arg_type(v) != DBUS_TYPE_ARRAY)
		return false;
	dbus_message_iter_recurse(v, &a);
	while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_STRING) {
		dbus_message_iter_get_basic(&a, &s);
		if (strcasecmp(s, BLUEZ_JK_SERVICE) == 0)
			return true;
		dbus_message_iter_next(&a);
	}
	return false;
}

static unsigned char_flags(DBusMessageIter *v)
{
	static const struct {
		const char *name;
		unsigned flag;
	} names[] = {
		{ "notify", BLUEZ_CHAR_NOTIFY },
		{ "indicate", BLUEZ_CHAR_INDICATE },
		{ "write", BLUEZ_CHAR_WRITE },
		{ "write-without-response", BLUEZ_CHAR_WRITE_NO_RSP },
		{ "read", BLUEZ_CHAR_READ },
	};
	DBusMessageIter a;
	unsigned flags = 0;
	const char *s;
	size_t i;

	if (dbus_message_iter_get_arg_type(v) != DBUS_TYPE_ARRAY)
		return 0;
	dbus_message_iter_recurse(v, &a);
	while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_STRING) {
		dbus_message_iter_get_basic(&a, &s);
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (strcmp(s, names[i].name) == 0)
				flags |= names[i].flag;
		dbus_message_iter_next(&a);
	}
	return flags;
}

/* ManufacturerData (a{qv}, v = ay): keeps the first entry. */
static void mfr_data(struct bluez_object *o, DBusMessageIter *v)
{
	DBusMessageIter a, e, var;
	const uint8_t *data;
	uint16_t id;
	size_t n;

	o->has_mfr = false;
	if (dbus_message_iter_get_arg_type(v) != DBUS_TYPE_ARRAY)
		return;
	dbus_message_iter_recurse(v, &a);
	if (dbus_message_iter_get_arg_type(&a) != DBUS_TYPE_DICT_ENTRY)
		return;
	dbus_message_iter_recurse(&a, &e);
	if (dbus_message_iter_get_arg_type(&e) != DBUS_TYPE_UINT16)
		return;
	dbus_message_iter_get_basic(&e, &id);
	dbus_message_iter_next(&e);
	if (dbus_message_iter_get_arg_type(&e) != DBUS_TYPE_VARIANT)
		return;
	dbus_message_iter_recurse(&e, &var);
	n = bluez_iter_bytes(&var, &data);
	if (n > BLUEZ_MFR_MAX)
		n = BLUEZ_MFR_MAX;
	o->has_mfr = true;
	o->mfr_id = id;
	o->mfr_len = n;
	if (n)
		memcpy(o->mfr_data, data, n);
}

static void adapter_prop(struct bluez_object *o, const char *name,
			 DBusMessageIter *v)
{
	const char *s;

	if (strcmp(name, "Address") == 0 && iter_string(v, &s))
		snprintf(o->address, sizeof(o->address), "%s", s);
	else if (strcmp(name, "Powered") == 0)
		iter_bool(v, &o->powered);
	else if (strcmp(name, "Discovering") == 0)
		iter_bool(v, &o->discovering);
}

static void device_prop(struct bluez_object *o, const char *name,
			DBusMessageIter *v)
{
	const char *s;
	int16_t rssi;

	if (strcmp(name, "Address") == 0 && iter_string(v, &s))
		snprintf(o->address, sizeof(o->address), "%s", s);
	else if (strcmp(name, "Adapter") == 0 && iter_string(v, &s))
		set_str(&o->adapter, s);
	else if (strcmp(name, "Name") == 0 && iter_string(v, &s))
		set_str(&o->name, s);
	else if (strcmp(name, "Alias") == 0 && !o->name && iter_string(v, &s))
		set_str(&o->name, s);
	else if (strcmp(name, "Connected") == 0)
		iter_bool(v, &o->connected);
	else if (strcmp(name, "ServicesResolved") == 0)
		iter_bool(v, &o->services_resolved);
	else if (strcmp(name, "Paired") == 0)
		iter_bool(v, &o->paired);
	else if (strcmp(name, "RSSI") == 0 &&
		 dbus_message_iter_get_arg_type(v) == DBUS_TYPE_INT16) {
		dbus_message_iter_get_basic(v, &rssi);
		o->rssi = rssi;
		o->has_rssi = true;
	} else if (strcmp(name, "UUIDs") == 0)
		o->jk_service = uuids_have_jk(v);
	else if (strcmp(name, "ManufacturerData") == 0)
		mfr_data(o, v);
}

static void gatt_prop(struct bluez_object *o, const char *name,
		      DBusMessageIter *v, const char *parent_key)
{
	const char *s;

	if (strcmp(name, "UUID") == 0 && iter_string(v, &s))
		snprintf(o->uuid, sizeof(o->uuid), "%s", s);
	else if (strcmp(name, parent_key) == 0 && iter_string(v, &s))
		set_str(&o->parent, s);
	else if (strcmp(name, "Flags") == 0 && o->ifaces & BLUEZ_IF_CHAR)
		o->char_flags = char_flags(v);
}

unsigned bluez_iface_bit(const char *iface)
{
	if (strcmp(iface, BLUEZ_ADAPTER1) == 0)
		return BLUEZ_IF_ADAPTER;
	if (strcmp(iface, BLUEZ_DEVICE1) == 0)
		return BLUEZ_IF_DEVICE;
	if (strcmp(iface, BLUEZ_GATT_SVC1) == 0)
		return BLUEZ_IF_SERVICE;
	if (strcmp(iface, BLUEZ_GATT_CHAR1) == 0)
		return BLUEZ_IF_CHAR;
	return 0;
}

unsigned bluez_apply_props(struct bluez *b, struct bluez_object *o,
			   unsigned iface, DBusMessageIter *dict)
{
	DBusMessageIter a, e, v;
	const char *name;
	unsigned n = 0;

	if (dbus_message_iter_get_arg_type(dict) != DBUS_TYPE_ARRAY)
		return 0;
	dbus_message_iter_recurse(dict, &a);
	while (dbus_message_iter_get_arg_type(&a) == DBUS_TYPE_DICT_ENTRY) {
		dbus_message_iter_recurse(&a, &e);
		dbus_message_iter_next(&a);
		if (dbus_message_iter_get_arg_type(&e) != DBUS_TYPE_STRING)
			continue;
		dbus_message_iter_get_basic(&e, &name);
		dbus_message_iter_next(&e);
		if (dbus_message_iter_get_arg_type(&e) != DBUS_TYPE_VARIANT)
			continue;
		dbus_message_iter_recurse(&e, &v);
		if (iface != BLUEZ_IF_CHAR || strcmp(name, "Value") != 0)
			n++;
		switch (iface) {
		case BLUEZ_IF_ADAPTER:
			adapter_prop(o, name, &v);
			break;
		case BLUEZ_IF_DEVICE:
			device_prop(o, name, &v);
			break;
		case BLUEZ_IF_SERVICE:
			gatt_prop(o, name, &v, "Device");
			break;
		case BLUEZ_IF_CHAR:
			if (strcmp(name, "Value") == 0)
				bluez_value(b, o, &v);
			else
				gatt_prop(o, name, &v, "Service");
			break;
		}
	}
	return n;
}

void bluez_object_free(struct bluez_object *o)
{
	free(o->path);
	free(o->adapter);
	free(o->name);
	free(o->parent);
	free(o);
}
