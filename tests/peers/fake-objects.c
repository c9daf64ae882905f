/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fake BlueZ's object tree as BlueZ 5.66 shows it: /org/bluez
 * (AgentManager1), /org/bluez/hciN (Adapter1), .../dev_XX_XX_XX_XX_XX_XX
 * (Device1) and, once connected, the GATT services, characteristics and
 * descriptors of a JK module. One property table per interface serves
 * GetManagedObjects, InterfacesAdded, Properties.Get/GetAll and
 * PropertiesChanged, so every path shows the same property set.
 */
#include <stdio.h>
#include <string.h>

#include "fake-bluez.h"

/* One org.bluez interface of an object: its property names and writer. */
struct iface_view {
	const char *name;
	const char *const *props;
	put_fn put;
	const void *obj;
	struct gatt_ref ref;
};

struct fb_adapter *obj_adapter_by_path(const char *path)
{
	unsigned i;

	for (i = 0; i < fb.n_adapters; i++)
		if (!strcmp(fb.adapters[i].path, path))
			return &fb.adapters[i];
	return NULL;
}

struct fb_device *obj_device_by_path(const char *path)
{
	unsigned i;

	for (i = 0; i < fb.n_devices; i++)
		if (fb.devices[i].exported && !strcmp(fb.devices[i].path, path))
			return &fb.devices[i];
	return NULL;
}

struct fb_device *obj_device_by_gatt(const char *path, int *idx)
{
	unsigned i, k;

	for (i = 0; i < fb.n_devices; i++) {
		struct fb_device *d = &fb.devices[i];
		size_t n = strlen(d->path);

		if (!d->exported || strncmp(path, d->path, n) || path[n] != '/')
			continue;
		for (k = 0; k < d->n_gatt; k++) {
			if (!strcmp(d->gatt[k].path, path)) {
				*idx = (int)k;
				return d;
			}
		}
	}
	return NULL;
}

/* The org.bluez interface at path (0 or 1 of them here), into v. */
static bool find_iface(const char *path, struct iface_view *v)
{
	struct fb_adapter *a;
	struct fb_device *d;
	int k;

	memset(v, 0, sizeof(*v));
	if (!strcmp(path, "/org/bluez")) {
		static const char *const none[] = { NULL };

		v->name = IFACE_AGENT_MGR;
		v->props = none;
		return true;
	}
	a = obj_adapter_by_path(path);
	if (a) {
		v->name = IFACE_ADAPTER;
		v->props = adapter_props;
		v->put = put_adapter;
		v->obj = a;
		return true;
	}
	d = obj_device_by_path(path);
	if (d) {
		v->name = IFACE_DEVICE;
		v->props = device_props;
		v->put = put_device;
		v->obj = d;
		return true;
	}
	d = obj_device_by_gatt(path, &k);
	if (!d)
		return false;
	v->ref.d = d;
	v->ref.g = &d->gatt[k];
	v->obj = &v->ref;
	v->put = put_gatt;
	switch (d->gatt[k].kind) {
	case GATT_SERVICE:
		v->name = IFACE_SERVICE;
		v->props = service_props;
		break;
	case GATT_CHAR:
		v->name = IFACE_CHAR;
		v->props = char_props;
		break;
	case GATT_DESC:
		v->name = IFACE_DESC;
		v->props = desc_props;
		break;
	}
	return true;
}

static void put_entry(DBusMessageIter *dict, const struct iface_view *v,
		      const char *prop)
{
	DBusMessageIter ent;

	if (!v->put || !v->put(NULL, v->obj, prop))
		return; /* optional property absent */
	dbus_message_iter_open_container(dict, DBUS_TYPE_DICT_ENTRY, NULL,
					 &ent);
	dbus_message_iter_append_basic(&ent, DBUS_TYPE_STRING, &prop);
	v->put(&ent, v->obj, prop);
	dbus_message_iter_close_container(dict, &ent);
}

static void put_props(DBusMessageIter *it, const struct iface_view *v)
{
	DBusMessageIter dict;
	unsigned i;

	dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "{sv}", &dict);
	for (i = 0; v->props[i]; i++)
		put_entry(&dict, v, v->props[i]);
	dbus_message_iter_close_container(it, &dict);
}

/* a{sa{sv}}: the object's interfaces as BlueZ lists them. */
static void put_ifaces(DBusMessageIter *it, const struct iface_view *v)
{
	static const char *const std[] = { IFACE_INTROSPECT, IFACE_PROPS };
	static const char *const none[] = { NULL };
	struct iface_view empty = { .props = none };
	DBusMessageIter arr, ent;
	unsigned i;

	dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "{sa{sv}}", &arr);
	for (i = 0; i < 3; i++) {
		const struct iface_view *w = i < 2 ? &empty : v;
		const char *name = i < 2 ? std[i] : v->name;

		dbus_message_iter_open_container(&arr, DBUS_TYPE_DICT_ENTRY,
						 NULL, &ent);
		dbus_message_iter_append_basic(&ent, DBUS_TYPE_STRING, &name);
		put_props(&ent, w);
		dbus_message_iter_close_container(&arr, &ent);
	}
	dbus_message_iter_close_container(it, &arr);
}

static void put_object(DBusMessageIter *arr, const char *path)
{
	struct iface_view v;
	DBusMessageIter ent;

	if (!find_iface(path, &v))
		return;
	dbus_message_iter_open_container(arr, DBUS_TYPE_DICT_ENTRY, NULL, &ent);
	dbus_message_iter_append_basic(&ent, DBUS_TYPE_OBJECT_PATH, &path);
	put_ifaces(&ent, &v);
	dbus_message_iter_close_container(arr, &ent);
}

/* Every object path, parents before children. */
static unsigned all_paths(const char **out, unsigned cap)
{
	unsigned i, k, n = 0;

	if (n < cap)
		out[n++] = "/org/bluez";
	for (i = 0; i < fb.n_adapters && n < cap; i++)
		out[n++] = fb.adapters[i].path;
	for (i = 0; i < fb.n_devices; i++) {
		const struct fb_device *d = &fb.devices[i];

		if (!d->exported)
			continue;
		if (n < cap)
			out[n++] = d->path;
		for (k = 0; k < d->n_gatt && n < cap; k++)
			out[n++] = d->gatt[k].path;
	}
	return n;
}

#define PATHS_MAX (1 + FB_MAX_ADAPTERS + FB_MAX_DEVICES * (1 + FB_MAX_GATT))

DBusMessage *obj_managed_objects(DBusMessage *call)
{
	DBusMessage *r = dbus_message_new_method_return(call);
	static const char *paths[PATHS_MAX];
	DBusMessageIter it, arr;
	unsigned i, n = all_paths(paths, PATHS_MAX);

	dbus_message_iter_init_append(r, &it);
	dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{oa{sa{sv}}}",
					 &arr);
	for (i = 0; i < n; i++)
		put_object(&arr, paths[i]);
	dbus_message_iter_close_container(&it, &arr);
	return r;
}

DBusMessage *obj_get_all(DBusMessage *call, const char *path, const char *iface)
{
	struct iface_view v;
	DBusMessage *r;
	DBusMessageIter it;

	if (!find_iface(path, &v))
		return error_reply(
			call, "org.freedesktop.DBus.Error.UnknownObject", path);
	if (strcmp(iface, v.name))
		return error_reply(call,
				   "org.freedesktop.DBus.Error.InvalidArgs",
				   "No such interface");
	r = dbus_message_new_method_return(call);
	dbus_message_iter_init_append(r, &it);
	put_props(&it, &v);
	return r;
}

DBusMessage *obj_get(DBusMessage *call, const char *path, const char *iface,
		     const char *prop)
{
	struct iface_view v;
	DBusMessage *r;
	DBusMessageIter it;

	if (!find_iface(path, &v))
		return error_reply(
			call, "org.freedesktop.DBus.Error.UnknownObject", path);
	if (strcmp(iface, v.name) || !v.put || !v.put(NULL, v.obj, prop))
		return error_reply(call,
				   "org.freedesktop.DBus.Error.InvalidArgs",
				   "No such property");
	r = dbus_message_new_method_return(call);
	dbus_message_iter_init_append(r, &it);
	v.put(&it, v.obj, prop);
	return r;
}

static void emit(DBusMessage *m)
{
	if (fb.bus)
		send_msg(m);
	dbus_message_unref(m);
}

static void interfaces_added(const char *path)
{
	struct iface_view v;
	DBusMessage *m;
	DBusMessageIter it;

	if (!fb.bus || !find_iface(path, &v))
		return;
	m = dbus_message_new_signal("/", IFACE_OM, "InterfacesAdded");
	dbus_message_iter_init_append(m, &it);
	dbus_message_iter_append_basic(&it, DBUS_TYPE_OBJECT_PATH, &path);
	put_ifaces(&it, &v);
	emit(m);
}

static void interfaces_removed(const char *path, const char *iface)
{
	const char *names[3] = { IFACE_INTROSPECT, IFACE_PROPS, iface };
	const char **p = names;
	DBusMessage *m;

	if (!fb.bus)
		return;
	m = dbus_message_new_signal("/", IFACE_OM, "InterfacesRemoved");

	dbus_message_append_args(m, DBUS_TYPE_OBJECT_PATH, &path,
				 DBUS_TYPE_ARRAY, DBUS_TYPE_STRING, &p, 3,
				 DBUS_TYPE_INVALID);
	emit(m);
}

void obj_emit_changed(const char *path, const char *iface, const char *prop)
{
	struct iface_view v;
	DBusMessage *m;
	DBusMessageIter it, dict, inv;

	if (!fb.bus || !find_iface(path, &v) || strcmp(v.name, iface))
		return;
	m = dbus_message_new_signal(path, IFACE_PROPS, "PropertiesChanged");
	dbus_message_iter_init_append(m, &it);
	dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &iface);
	dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{sv}", &dict);
	put_entry(&dict, &v, prop);
	dbus_message_iter_close_container(&it, &dict);
	dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "s", &inv);
	dbus_message_iter_close_container(&it, &inv);
	emit(m);
}

void obj_emit_value(struct fb_device *d, const uint8_t *buf, size_t n)
{
	const char *iface = IFACE_CHAR, *key = "Value";
	DBusMessage *m;
	DBusMessageIter it, dict, ent, inv;

	if (!fb.bus || d->notify_idx < 0 ||
	    (unsigned)d->notify_idx >= d->n_gatt)
		return;
	m = dbus_message_new_signal(d->gatt[d->notify_idx].path, IFACE_PROPS,
				    "PropertiesChanged");
	dbus_message_iter_init_append(m, &it);
	dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &iface);
	dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{sv}", &dict);
	dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, NULL,
					 &ent);
	dbus_message_iter_append_basic(&ent, DBUS_TYPE_STRING, &key);
	put_bytes(&ent, buf, n);
	dbus_message_iter_close_container(&dict, &ent);
	dbus_message_iter_close_container(&it, &dict);
	dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "s", &inv);
	dbus_message_iter_close_container(&it, &inv);
	emit(m);
	d->notifications++;
	d->bytes_out += n;
}

static void gatt_add(struct fb_device *d, enum fb_kind kind, uint16_t handle,
		     const char *uuid, unsigned flags)
{
	struct fb_gatt *g = &d->gatt[d->n_gatt++];
	char parent[FB_PATH_MAX];
	int i;

	snprintf(parent, sizeof(parent), "%s", d->path);
	for (i = (int)d->n_gatt - 2; i >= 0 && kind != GATT_SERVICE; i--) {
		if (d->gatt[i].kind == kind - 1) {
			snprintf(parent, sizeof(parent), "%s", d->gatt[i].path);
			break;
		}
	}
	g->kind = kind;
	g->handle = handle;
	g->uuid = uuid;
	g->flags = flags;
	snprintf(g->parent, sizeof(g->parent), "%s", parent);
	snprintf(g->path, sizeof(g->path), "%.60s/%s%04x", parent,
		 kind == GATT_SERVICE ? "service"
		 : kind == GATT_CHAR  ? "char"
				      : "desc",
		 handle);
}

#define UUID_CCCD "00002902-0000-1000-8000-00805f9b34fb"

void obj_build_gatt(struct fb_device *d)
{
	const unsigned wr = CF_WRITE_NO_RSP | CF_WRITE;

	d->n_gatt = 0;
	d->notify_idx = d->write_idx = -1;
	gatt_add(d, GATT_SERVICE, 0x000a,
		 "0000180a-0000-1000-8000-00805f9b34fb", 0);
	gatt_add(d, GATT_CHAR, 0x000b, "00002a29-0000-1000-8000-00805f9b34fb",
		 CF_READ);
	switch (d->layout) {
	case LAYOUT_SINGLE:
		gatt_add(d, GATT_SERVICE, 0x0010, UUID_JK_SERVICE, 0);
		gatt_add(d, GATT_CHAR, 0x0012, UUID_JK_CHAR, wr | CF_NOTIFY);
		gatt_add(d, GATT_DESC, 0x0013, UUID_CCCD, 0);
		gatt_add(d, GATT_CHAR, 0x0015,
			 "0000ffe2-0000-1000-8000-00805f9b34fb", CF_WRITE);
		break;
	case LAYOUT_SPLIT:
		gatt_add(d, GATT_SERVICE, 0x0010, UUID_JK_SERVICE, 0);
		gatt_add(d, GATT_CHAR, 0x0012, UUID_JK_CHAR, wr);
		gatt_add(d, GATT_CHAR, 0x0014, UUID_JK_CHAR,
			 CF_READ | CF_NOTIFY);
		gatt_add(d, GATT_DESC, 0x0015, UUID_CCCD, 0);
		break;
	case LAYOUT_NO_SERVICE:
		break;
	case LAYOUT_NO_NOTIFY:
		gatt_add(d, GATT_SERVICE, 0x0010, UUID_JK_SERVICE, 0);
		gatt_add(d, GATT_CHAR, 0x0012, UUID_JK_CHAR, wr);
		break;
	case LAYOUT_WRONG_UUID:
		gatt_add(d, GATT_SERVICE, 0x0010, UUID_JK_SERVICE, 0);
		gatt_add(d, GATT_CHAR, 0x0012,
			 "0000ffe4-0000-1000-8000-00805f9b34fb",
			 wr | CF_NOTIFY);
		gatt_add(d, GATT_DESC, 0x0013, UUID_CCCD, 0);
		break;
	}
}

void obj_export_device(struct fb_device *d)
{
	if (d->exported)
		return;
	d->exported = true;
	interfaces_added(d->path);
}

void obj_export_gatt(struct fb_device *d)
{
	unsigned k;

	obj_build_gatt(d);
	for (k = 0; k < d->n_gatt; k++)
		interfaces_added(d->gatt[k].path);
}

void obj_unexport_gatt(struct fb_device *d)
{
	static const char *const names[] = { IFACE_SERVICE, IFACE_CHAR,
					     IFACE_DESC };
	unsigned k = d->n_gatt;

	while (k--)
		interfaces_removed(d->gatt[k].path, names[d->gatt[k].kind]);
	d->n_gatt = 0;
	d->notify_idx = d->write_idx = -1;
}

void obj_unexport_device(struct fb_device *d)
{
	if (!d->exported)
		return;
	obj_unexport_gatt(d);
	interfaces_removed(d->path, IFACE_DEVICE);
	d->exported = false;
}

DBusMessage *obj_introspect(DBusMessage *call, const char *path)
{
	static const char *paths[PATHS_MAX];
	static const char *const parents[] = { "/", "/org" };
	char xml[8192], seen[64][48];
	unsigned i, n = all_paths(paths, PATHS_MAX), n_seen = 0;
	size_t len, plen = strlen(path);
	struct iface_view v;
	DBusMessage *r;
	const char *out = xml;

	len = (size_t)snprintf(
		xml, sizeof(xml), "%s<node>\n<interface name=\"%s\"/>\n",
		DBUS_INTROSPECT_1_0_XML_DOCTYPE_DECL_NODE, IFACE_INTROSPECT);
	if (find_iface(path, &v))
		len += (size_t)snprintf(xml + len, sizeof(xml) - len,
					"<interface name=\"%s\"/>\n"
					"<interface name=\"%s\"/>\n",
					IFACE_PROPS, v.name);
	if (!strcmp(path, "/"))
		len += (size_t)snprintf(xml + len, sizeof(xml) - len,
					"<interface name=\"%s\"/>\n", IFACE_OM);
	for (i = 0; i < 2; i++)
		if (!strcmp(path, parents[i]))
			len += (size_t)snprintf(xml + len, sizeof(xml) - len,
						"<node name=\"%s\"/>\n",
						i ? "bluez" : "org");
	for (i = 0; i < n && len < sizeof(xml) - 128; i++) {
		const char *rest = paths[i] + plen;
		size_t seg;
		unsigned k;

		if (strncmp(paths[i], path, plen) || rest[0] != '/')
			continue;
		rest++;
		seg = strcspn(rest, "/");
		if (seg >= sizeof(seen[0]))
			continue;
		for (k = 0; k < n_seen; k++)
			if (!strncmp(seen[k], rest, seg) && !seen[k][seg])
				break;
		if (k < n_seen || n_seen == 64)
			continue;
		snprintf(seen[n_seen++], sizeof(seen[0]), "%.*s", (int)seg,
			 rest);
		len += (size_t)snprintf(xml + len, sizeof(xml) - len,
					"<node name=\"%.*s\"/>\n", (int)seg,
					rest);
	}
	snprintf(xml + len, sizeof(xml) - len, "</node>\n");
	r = dbus_message_new_method_return(call);
	dbus_message_append_args(r, DBUS_TYPE_STRING, &out, DBUS_TYPE_INVALID);
	return r;
}
