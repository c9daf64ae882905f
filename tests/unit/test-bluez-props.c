/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading BlueZ property dictionaries into the mirror: the right types
 * land in the object, wrong types, unknown names and malformed
 * containers are ignored, manufacturer data is bounded, characteristic
 * flags and the JK service UUID are recognised, and a Value in a snapshot
 * is no notification.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <systemd/sd-event.h>

#include "transport/bluez-private.h"

struct dict {
	DBusMessage *m;
	DBusMessageIter it, a;
};

static void dict_open(struct dict *d)
{
	d->m = dbus_message_new_signal("/t", "org.test", "T");
	assert_non_null(d->m);
	dbus_message_iter_init_append(d->m, &d->it);
	assert_true(dbus_message_iter_open_container(&d->it, DBUS_TYPE_ARRAY,
						     "{sv}", &d->a));
}

static void dict_basic(struct dict *d, const char *key, int type,
		       const char *sig, const void *v)
{
	DBusMessageIter e, var;

	dbus_message_iter_open_container(&d->a, DBUS_TYPE_DICT_ENTRY, NULL, &e);
	dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &key);
	dbus_message_iter_open_container(&e, DBUS_TYPE_VARIANT, sig, &var);
	dbus_message_iter_append_basic(&var, type, v);
	dbus_message_iter_close_container(&e, &var);
	dbus_message_iter_close_container(&d->a, &e);
}

static void dict_strings(struct dict *d, const char *key, const char *const *v,
			 int n)
{
	DBusMessageIter e, var, arr;
	int i;

	dbus_message_iter_open_container(&d->a, DBUS_TYPE_DICT_ENTRY, NULL, &e);
	dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &key);
	dbus_message_iter_open_container(&e, DBUS_TYPE_VARIANT, "as", &var);
	dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "s", &arr);
	for (i = 0; i < n; i++)
		dbus_message_iter_append_basic(&arr, DBUS_TYPE_STRING, &v[i]);
	dbus_message_iter_close_container(&var, &arr);
	dbus_message_iter_close_container(&e, &var);
	dbus_message_iter_close_container(&d->a, &e);
}

/* ManufacturerData: a{qv} with v = ay of n bytes. */
static void dict_mfr(struct dict *d, uint16_t id, size_t n)
{
	const char *key = "ManufacturerData";
	DBusMessageIter e, var, arr, me, mv, bytes;
	uint8_t buf[128];
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	dbus_message_iter_open_container(&d->a, DBUS_TYPE_DICT_ENTRY, NULL, &e);
	dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &key);
	dbus_message_iter_open_container(&e, DBUS_TYPE_VARIANT, "a{qv}", &var);
	dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "{qv}", &arr);
	dbus_message_iter_open_container(&arr, DBUS_TYPE_DICT_ENTRY, NULL, &me);
	dbus_message_iter_append_basic(&me, DBUS_TYPE_UINT16, &id);
	dbus_message_iter_open_container(&me, DBUS_TYPE_VARIANT, "ay", &mv);
	dbus_message_iter_open_container(&mv, DBUS_TYPE_ARRAY, "y", &bytes);
	dbus_message_iter_append_fixed_array(&bytes, DBUS_TYPE_BYTE, &p,
					     (int)n);
	dbus_message_iter_close_container(&mv, &bytes);
	dbus_message_iter_close_container(&me, &mv);
	dbus_message_iter_close_container(&arr, &me);
	dbus_message_iter_close_container(&var, &arr);
	dbus_message_iter_close_container(&e, &var);
	dbus_message_iter_close_container(&d->a, &e);
}

static unsigned dict_apply(struct dict *d, struct bluez *b,
			   struct bluez_object *o, unsigned iface)
{
	DBusMessageIter it;
	unsigned n;

	dbus_message_iter_close_container(&d->it, &d->a);
	assert_true(dbus_message_iter_init(d->m, &it));
	n = bluez_apply_props(b, o, iface, &it);
	dbus_message_unref(d->m);
	return n;
}

struct fixture {
	sd_event *event;
	struct bluez *b;
	struct bluez_object *o;
	unsigned values;
	unsigned watch;
};

static void on_event(struct bluez *b, enum bluez_event ev,
		     const struct bluez_object *o, const uint8_t *value,
		     size_t len, void *userdata)
{
	struct fixture *f = userdata;

	if (ev == BLUEZ_EV_VALUE)
		f->values++;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(sd_event_new(&f->event), 0);
	/* No loop runs: the mirror never connects to a bus. */
	f->b = bluez_ref(f->event);
	assert_non_null(f->b);
	f->watch = bluez_watch_add(f->b, on_event, f);
	f->o = calloc(1, sizeof(*f->o));
	assert_non_null(f->o);
	f->o->path = strdup("/org/bluez/hci0/dev_C8_47_8C_00_00_01");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	bluez_object_free(f->o);
	bluez_watch_remove(f->b, f->watch);
	bluez_unref(f->b);
	sd_event_unref(f->event);
	free(f);
	return 0;
}

static void test_device(void **state)
{
	struct fixture *f = *state;
	const char *addr = "C8:47:8C:00:00:01", *name = "JK_B2A24S01";
	const char *adapter = "/org/bluez/hci0";
	const char *uuids[] = { "00001800-0000-1000-8000-00805f9b34fb",
				"0000FFE0-0000-1000-8000-00805F9B34FB" };
	dbus_bool_t t = TRUE;
	int16_t rssi = -61;
	struct dict d;

	dict_open(&d);
	dict_basic(&d, "Address", DBUS_TYPE_STRING, "s", &addr);
	dict_basic(&d, "Adapter", DBUS_TYPE_OBJECT_PATH, "o", &adapter);
	dict_basic(&d, "Name", DBUS_TYPE_STRING, "s", &name);
	dict_basic(&d, "Connected", DBUS_TYPE_BOOLEAN, "b", &t);
	dict_basic(&d, "ServicesResolved", DBUS_TYPE_BOOLEAN, "b", &t);
	dict_basic(&d, "RSSI", DBUS_TYPE_INT16, "n", &rssi);
	dict_strings(&d, "UUIDs", uuids, 2);
	dict_mfr(&d, 0x0B65, 8);
	assert_int_equal(dict_apply(&d, f->b, f->o, BLUEZ_IF_DEVICE), 8);
	assert_string_equal(f->o->address, addr);
	assert_string_equal(f->o->adapter, adapter);
	assert_string_equal(f->o->name, name);
	assert_true(f->o->connected);
	assert_true(f->o->services_resolved);
	assert_true(f->o->has_rssi);
	assert_int_equal(f->o->rssi, -61);
	assert_true(f->o->jk_service);
	assert_true(f->o->has_mfr);
	assert_int_equal(f->o->mfr_id, 0x0B65);
	assert_int_equal(f->o->mfr_len, 8);
	assert_int_equal(f->o->mfr_data[7], 7);
}

static void test_wrong_types(void **state)
{
	struct fixture *f = *state;
	const char *yes = "true", *addr = "AA:BB:CC:DD:EE:FF";
	dbus_int32_t rssi32 = -40, num = 5;
	dbus_bool_t t = TRUE;
	struct dict d;

	f->o->rssi = -70;
	f->o->has_rssi = true;
	dict_open(&d);
	dict_basic(&d, "Connected", DBUS_TYPE_STRING, "s", &yes);
	dict_basic(&d, "RSSI", DBUS_TYPE_INT32, "i", &rssi32);
	dict_basic(&d, "Address", DBUS_TYPE_INT32, "i", &num);
	dict_basic(&d, "Adapter", DBUS_TYPE_BOOLEAN, "b", &t);
	dict_basic(&d, "UUIDs", DBUS_TYPE_STRING, "s", &addr);
	dict_basic(&d, "NoSuchProperty", DBUS_TYPE_BOOLEAN, "b", &t);
	dict_apply(&d, f->b, f->o, BLUEZ_IF_DEVICE);
	assert_false(f->o->connected);
	assert_int_equal(f->o->rssi, -70);
	assert_string_equal(f->o->address, "");
	assert_null(f->o->adapter);
	assert_false(f->o->jk_service);
}

static void test_not_a_dict(void **state)
{
	struct fixture *f = *state;
	DBusMessage *m = dbus_message_new_signal("/t", "org.test", "T");
	const char *s = "junk";
	DBusMessageIter it;

	dbus_message_append_args(m, DBUS_TYPE_STRING, &s, DBUS_TYPE_INVALID);
	assert_true(dbus_message_iter_init(m, &it));
	assert_int_equal(bluez_apply_props(f->b, f->o, BLUEZ_IF_DEVICE, &it),
			 0);
	dbus_message_unref(m);
}

static void test_mfr_bounded(void **state)
{
	struct fixture *f = *state;
	struct dict d;

	dict_open(&d);
	dict_mfr(&d, 0x4B4A, 100);
	dict_apply(&d, f->b, f->o, BLUEZ_IF_DEVICE);
	assert_true(f->o->has_mfr);
	assert_int_equal(f->o->mfr_id, 0x4B4A);
	assert_int_equal(f->o->mfr_len, BLUEZ_MFR_MAX);
	assert_int_equal(f->o->mfr_data[BLUEZ_MFR_MAX - 1], BLUEZ_MFR_MAX - 1);
}

static void test_characteristic(void **state)
{
	struct fixture *f = *state;
	const char *uuid = "0000ffe1-0000-1000-8000-00805f9b34fb";
	const char *svc = "/org/bluez/hci0/dev_C8_47_8C_00_00_01/service0010";
	const char *flags[] = { "read", "write-without-response", "write",
				"notify", "authorize" };
	struct dict d;
	uint8_t v[4] = { 1, 2, 3, 4 };
	const uint8_t *p = v;
	DBusMessageIter e, var, arr;
	const char *key = "Value";

	f->o->ifaces = BLUEZ_IF_CHAR;
	dict_open(&d);
	dict_basic(&d, "UUID", DBUS_TYPE_STRING, "s", &uuid);
	dict_basic(&d, "Service", DBUS_TYPE_OBJECT_PATH, "o", &svc);
	dict_strings(&d, "Flags", flags, 5);
	/* A cached Value in a snapshot: not a notification. */
	dbus_message_iter_open_container(&d.a, DBUS_TYPE_DICT_ENTRY, NULL, &e);
	dbus_message_iter_append_basic(&e, DBUS_TYPE_STRING, &key);
	dbus_message_iter_open_container(&e, DBUS_TYPE_VARIANT, "ay", &var);
	dbus_message_iter_open_container(&var, DBUS_TYPE_ARRAY, "y", &arr);
	dbus_message_iter_append_fixed_array(&arr, DBUS_TYPE_BYTE, &p, 4);
	dbus_message_iter_close_container(&var, &arr);
	dbus_message_iter_close_container(&e, &var);
	dbus_message_iter_close_container(&d.a, &e);
	assert_int_equal(dict_apply(&d, f->b, f->o, BLUEZ_IF_CHAR), 3);
	assert_string_equal(f->o->uuid, uuid);
	assert_string_equal(f->o->parent, svc);
	assert_int_equal(f->o->char_flags,
			 BLUEZ_CHAR_READ | BLUEZ_CHAR_WRITE_NO_RSP |
				 BLUEZ_CHAR_WRITE | BLUEZ_CHAR_NOTIFY);
	assert_int_equal(f->values, 0);
}

static void test_iface_bits(void **state)
{
	assert_int_equal(bluez_iface_bit("org.bluez.Adapter1"),
			 BLUEZ_IF_ADAPTER);
	assert_int_equal(bluez_iface_bit("org.bluez.Device1"), BLUEZ_IF_DEVICE);
	assert_int_equal(bluez_iface_bit("org.bluez.GattService1"),
			 BLUEZ_IF_SERVICE);
	assert_int_equal(bluez_iface_bit("org.bluez.GattCharacteristic1"),
			 BLUEZ_IF_CHAR);
	assert_int_equal(bluez_iface_bit("org.bluez.GattDescriptor1"), 0);
	assert_int_equal(bluez_iface_bit("org.bluez.Battery1"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_types, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_not_a_dict, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mfr_bounded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_characteristic, setup,
						teardown),
		cmocka_unit_test(test_iface_bits),
	};

	return cmocka_run_group_tests_name("bluez-props", tests, NULL, NULL);
}
