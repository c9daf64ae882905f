/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One mirror of BlueZ's objects on the system bus, shared by every BLE
 * link and the scanner: adapters, devices, GATT services and
 * characteristics with the few properties jkbmsd uses, kept current from
 * ObjectManager and PropertiesChanged signals. Observers hear of changes,
 * of characteristic values (notifications), and of bluetoothd going away
 * and coming back. Method calls go out asynchronously through
 * bluez_call().
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dbus/dbus.h>

struct sd_event;
struct bluez;
struct bluez_call;

#define BLUEZ_SERVICE    "org.bluez"
#define BLUEZ_ADAPTER1   "org.bluez.Adapter1"
#define BLUEZ_DEVICE1    "org.bluez.Device1"
#define BLUEZ_GATT_SVC1  "org.bluez.GattService1"
#define BLUEZ_GATT_CHAR1 "org.bluez.GattCharacteristic1"
#define BLUEZ_JK_SERVICE "0000ffe0-0000-1000-8000-00805f9b34fb"
#define BLUEZ_JK_CHAR    "0000ffe1-0000-1000-8000-00805f9b34fb"

enum bluez_iface {
	BLUEZ_IF_ADAPTER = 1 << 0,
	BLUEZ_IF_DEVICE = 1 << 1,
	BLUEZ_IF_SERVICE = 1 << 2,
	BLUEZ_IF_CHAR = 1 << 3,
};

/* GattCharacteristic1.Flags that matter here. */
enum bluez_char_flag {
	BLUEZ_CHAR_NOTIFY = 1 << 0,
	BLUEZ_CHAR_INDICATE = 1 << 1,
	BLUEZ_CHAR_WRITE = 1 << 2,
	BLUEZ_CHAR_WRITE_NO_RSP = 1 << 3,
	BLUEZ_CHAR_READ = 1 << 4,
};

#define BLUEZ_MFR_MAX 32

struct bluez_object {
	char *path;
	unsigned ifaces; /* enum bluez_iface */
	/* Adapter1 and Device1 */
	char address[18];
	/* Adapter1 */
	bool powered;
	bool discovering;
	/* Device1 */
	char *adapter; /* object path */
	char *name;
	bool connected;
	bool services_resolved;
	bool paired;
	bool has_rssi;
	int16_t rssi;
	bool jk_service; /* UUIDs lists ffe0 */
	bool has_mfr;
	uint16_t mfr_id; /* the first ManufacturerData entry */
	uint8_t mfr_data[BLUEZ_MFR_MAX];
	size_t mfr_len;
	/* GattService1 and GattCharacteristic1 */
	char uuid[40];
	char *parent; /* service: its Device; characteristic: its Service */
	unsigned char_flags;

	unsigned generation; /* the snapshot that last saw it */
	struct bluez_object *next;
};

enum bluez_event {
	BLUEZ_EV_READY,   /* the mirror is loaded (bluetoothd is there) */
	BLUEZ_EV_GONE,    /* bluetoothd or the bus went away: mirror empty */
	BLUEZ_EV_OBJECT,  /* an object appeared or changed */
	BLUEZ_EV_REMOVED, /* an object is about to be forgotten */
	BLUEZ_EV_VALUE,   /* a characteristic's Value changed (notification) */
};

/* o is valid during the call only; value/len only for BLUEZ_EV_VALUE. */
typedef void (*bluez_watch_func_t)(struct bluez *b, enum bluez_event ev,
				   const struct bluez_object *o,
				   const uint8_t *value, size_t len,
				   void *userdata);
/* reply is a method return or an error (see bluez_reply_error). */
typedef void (*bluez_reply_func_t)(DBusMessage *reply, void *userdata);

/* The shared mirror: connects to the system bus on first use. */
struct bluez *bluez_ref(struct sd_event *event);
void bluez_unref(struct bluez *b);

unsigned bluez_watch_add(struct bluez *b, bluez_watch_func_t func,
			 void *userdata);
void bluez_watch_remove(struct bluez *b, unsigned id);

/* The mirror is loaded and bluetoothd is running. */
bool bluez_ready(const struct bluez *b);
DBusConnection *bluez_connection(const struct bluez *b);
/* The unique bus name of bluetoothd, NULL if it is not running. */
const char *bluez_owner(const struct bluez *b);

const struct bluez_object *bluez_find(const struct bluez *b, const char *path);
/* The Device1 with this MAC (any case) under the adapter path. */
const struct bluez_object *bluez_find_device(const struct bluez *b,
					     const char *adapter_path,
					     const char *mac);
/* Iteration: bluez_next(b, NULL) is the first object. */
const struct bluez_object *bluez_next(const struct bluez *b,
				      const struct bluez_object *o);
/* Is o a descendant object of the object at path? */
bool bluez_path_under(const char *path, const struct bluez_object *o);

/* A method call to org.bluez; never NULL. */
DBusMessage *bluez_method(const char *path, const char *iface,
			  const char *method);
/*
 * Sends m (taken) and calls cb with the reply, or with an error after
 * timeout_ms. With slot, *slot holds the call until the reply, for
 * bluez_call_cancel(); without, the call cannot be cancelled.
 */
int bluez_call(struct bluez *b, DBusMessage *m, int timeout_ms,
	       bluez_reply_func_t cb, void *userdata, struct bluez_call **slot);
/* Writes out what is queued (a Disconnect on the way out), waiting half
 * a second at most. */
void bluez_flush(struct bluez *b);
/* Cancels a call in flight (its callback never runs); NULL-safe. */
void bluez_call_cancel(struct bluez_call **slot);

/* The error name of an error reply (message in *msg), NULL if success. */
const char *bluez_reply_error(DBusMessage *reply, const char **msg);
/*
 * An error reply as "org.bluez.Error.Failed: message" (or the name alone)
 * in buf; NULL for a method return.
 */
const char *bluez_error_text(DBusMessage *reply, char *buf, size_t size);
/* Does the error name or message contain the word? */
bool bluez_error_has(DBusMessage *reply, const char *word);

/* "hci0" -> "/org/bluez/hci0" in buf. */
const char *bluez_adapter_path(char *buf, size_t size, const char *adapter);
