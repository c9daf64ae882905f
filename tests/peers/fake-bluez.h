/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fake BlueZ's shared types. It plays bluetoothd on a private bus for
 * the BLE tests: adapters, JK BMS devices backed by the simulator, their
 * GATT objects, discovery, connection, pairing, notifications, and the
 * faults a test asks for (tests/peers/BLUEZ-CONTRACT.md). Single-threaded:
 * one poll loop (fake-loop.c) runs both bus connections and all timers.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <dbus/dbus.h>

#include "jkbms/conf.h"
#include "jkbms/sim.h"
#include "jkbms/variant.h"

#define ARRAY_LEN(a)    (sizeof(a) / sizeof((a)[0]))
#define FB_PATH_MAX     96
#define FB_MAX_ADAPTERS 4
#define FB_MAX_DEVICES  64
#define FB_MAX_GATT     12
#define FB_MAX_FAULTS   64
#define FB_MAX_SESSIONS 8
#define FB_NAME_MAX     64

#define BLUEZ_NAME    "org.bluez"
#define CONTROL_NAME  "org.jkbms.FakeControl"
#define CONTROL_PATH  "/org/jkbms/FakeControl"
#define CONTROL_IFACE "org.jkbms.FakeControl"

#define IFACE_ADAPTER    "org.bluez.Adapter1"
#define IFACE_DEVICE     "org.bluez.Device1"
#define IFACE_SERVICE    "org.bluez.GattService1"
#define IFACE_CHAR       "org.bluez.GattCharacteristic1"
#define IFACE_DESC       "org.bluez.GattDescriptor1"
#define IFACE_AGENT_MGR  "org.bluez.AgentManager1"
#define IFACE_AGENT      "org.bluez.Agent1"
#define IFACE_PROPS      "org.freedesktop.DBus.Properties"
#define IFACE_OM         "org.freedesktop.DBus.ObjectManager"
#define IFACE_INTROSPECT "org.freedesktop.DBus.Introspectable"

#define UUID_JK_SERVICE "0000ffe0-0000-1000-8000-00805f9b34fb"
#define UUID_JK_CHAR    "0000ffe1-0000-1000-8000-00805f9b34fb"

/* Characteristic flags, in BlueZ's "Flags" spelling. */
enum {
	CF_READ = 1 << 0,
	CF_WRITE_NO_RSP = 1 << 1,
	CF_WRITE = 1 << 2,
	CF_NOTIFY = 1 << 3,
	CF_INDICATE = 1 << 4,
};

/* The GATT table a module shows once connected (protocols.md 1.1). */
enum fb_layout {
	LAYOUT_SINGLE,     /* old module: one FFE1 write+notify, FFE2 */
	LAYOUT_SPLIT,      /* new module: FFE1 write, FFE1 notify */
	LAYOUT_NO_SERVICE, /* no FFE0 service at all */
	LAYOUT_NO_NOTIFY,  /* FFE1 without notify/indicate */
	LAYOUT_WRONG_UUID, /* FFE0 without any FFE1 */
};

/* What Pair() needs and what the device demands (spec key "pair"). */
enum fb_pair {
	PAIR_OPTIONAL, /* works without; Pair() works too */
	PAIR_REQUIRED, /* GATT access NotPermitted until paired */
	PAIR_REJECT,   /* Pair() always fails */
};

enum fb_kind {
	GATT_SERVICE,
	GATT_CHAR,
	GATT_DESC,
};

struct fb_gatt {
	char path[FB_PATH_MAX];
	char parent[FB_PATH_MAX];
	enum fb_kind kind;
	const char *uuid;
	unsigned flags;
	uint16_t handle;
};

struct fb_adapter {
	char name[16]; /* hci0 */
	char path[FB_PATH_MAX];
	char address[18];
	bool powered;
	bool discovering;
	bool wedged; /* connects abort until power cycle */
	char sessions[FB_MAX_SESSIONS][FB_NAME_MAX]; /* discovery owners */
	unsigned n_sessions;
	struct fl_timer *scan_timer;
	unsigned power_cycles;
	unsigned scans;
};

struct fb_device {
	struct fb_adapter *ad;
	char path[FB_PATH_MAX];
	char address[18];
	char name[32];
	/* the simulated BMS behind the radio */
	struct conf_sim sim_cfg;
	enum jk_variant variant;
	struct sim_bms *sim;
	char password[24];
	char settings_password[24];
	char pin[16];
	uint64_t last_step_usec;
	/* its radio and GATT */
	int rssi;
	unsigned mtu; /* bytes per notification */
	enum fb_layout layout;
	enum fb_pair pair;
	struct fb_gatt gatt[FB_MAX_GATT];
	unsigned n_gatt;
	int notify_idx, write_idx; /* into gatt[], or -1 */
	/* BlueZ's view of it */
	bool visible;  /* advertising: found by discovery */
	bool exported; /* Device1 object exists */
	bool connected;
	bool resolved;
	bool paired;
	bool trusted;
	bool notifying;
	char notify_owner[FB_NAME_MAX];
	/* faults and link state */
	bool stale;              /* link from before a restart */
	bool frozen;             /* BMS silent */
	bool seen_96;            /* stream allowed on this link */
	unsigned no_resolve;     /* connects whose services hang */
	unsigned drop_mid_frame; /* frames cut by a link loss */
	unsigned garbage;        /* junk notifications to send */
	DBusMessage *pending_connect;
	DBusMessage *pending_pair;
	struct fl_timer *connect_timer;
	struct fl_timer *flush_timer;
	/* counters, for "status" */
	unsigned connects, connects_ok, disconnects, drops, writes;
	unsigned notifications, pairs, removes, start_notify, bad_writes;
	uint64_t bytes_out;
};

struct fb_fault {
	char target[18]; /* MAC, adapter name or "*" */
	char method[32];
	char error[80]; /* D-Bus error name, or "noreply" */
	char message[96];
	unsigned count;
};

struct fb {
	DBusConnection *bus; /* owns org.bluez; NULL while "down" */
	DBusConnection *ctl; /* owns org.jkbms.FakeControl */
	char *address;
	struct fb_adapter adapters[FB_MAX_ADAPTERS];
	unsigned n_adapters;
	struct fb_device devices[FB_MAX_DEVICES];
	unsigned n_devices;
	struct fb_fault faults[FB_MAX_FAULTS];
	unsigned n_faults;
	/* the registered Agent1 */
	char agent_owner[FB_NAME_MAX];
	char agent_path[FB_PATH_MAX];
	bool verbose;
	unsigned connect_ms, resolve_ms, discover_ms, tick_ms;
	unsigned restarts;
	uint32_t rnd;
	bool closing; /* our own close: not a bus death */
};

extern struct fb fb;

/* fake-loop.c: poll loop with libdbus watches, timeouts and timers. */
struct fl_timer;
typedef void (*fl_timer_fn)(void *data);
struct fl_timer *loop_timer_add(uint64_t delay_usec, fl_timer_fn fn,
				void *data);
void loop_timer_cancel(struct fl_timer *t);
void loop_attach(DBusConnection *c);
void loop_detach(DBusConnection *c);
int loop_run(void);
void loop_quit(int code);
uint64_t loop_now(void);

/* fake-props.c: one property table and writer per interface. */
typedef bool (*put_fn)(DBusMessageIter *it, const void *obj, const char *prop);
/* GATT objects are only reached with their device, found by path. */
struct gatt_ref {
	const struct fb_device *d;
	const struct fb_gatt *g;
};
extern const char *const adapter_props[];
extern const char *const device_props[];
extern const char *const service_props[];
extern const char *const char_props[];
extern const char *const desc_props[];
bool put_adapter(DBusMessageIter *it, const void *obj, const char *p);
bool put_device(DBusMessageIter *it, const void *obj, const char *p);
bool put_gatt(DBusMessageIter *it, const void *obj, const char *p);
void put_bytes(DBusMessageIter *it, const uint8_t *b, size_t n);

/* fake-objects.c: the object tree and its signals. */
void obj_build_gatt(struct fb_device *d);
void obj_export_device(struct fb_device *d);
void obj_unexport_device(struct fb_device *d);
void obj_export_gatt(struct fb_device *d);
void obj_unexport_gatt(struct fb_device *d);
void obj_emit_changed(const char *path, const char *iface, const char *prop);
void obj_emit_value(struct fb_device *d, const uint8_t *buf, size_t n);
DBusMessage *obj_managed_objects(DBusMessage *call);
DBusMessage *obj_get_all(DBusMessage *call, const char *path,
			 const char *iface);
DBusMessage *obj_get(DBusMessage *call, const char *path, const char *iface,
		     const char *prop);
DBusMessage *obj_introspect(DBusMessage *call, const char *path);
struct fb_adapter *obj_adapter_by_path(const char *path);
struct fb_device *obj_device_by_path(const char *path);
struct fb_device *obj_device_by_gatt(const char *path, int *idx);

/* fake-methods.c: BlueZ's methods on the org.bluez connection. */
DBusHandlerResult methods_handle(DBusConnection *c, DBusMessage *m);
void dev_link_down(struct fb_device *d, const char *why);

/* fake-adapter.c: Adapter1's methods, sessions and power. */
DBusMessage *adapter_start_discovery(struct fb_adapter *a, DBusMessage *m);
DBusMessage *adapter_stop_discovery(struct fb_adapter *a, DBusMessage *m);
DBusMessage *adapter_set_filter(DBusMessage *m);
DBusMessage *adapter_get_filters(DBusMessage *m);
DBusMessage *adapter_remove_device(struct fb_adapter *a, DBusMessage *m);
void adapter_set_powered(struct fb_adapter *a, bool on);
void client_vanished(const char *name);

/* fake-bluez.c: the simulated BMSs and the bus connection. */
void bms_feed(struct fb_device *d, const uint8_t *buf, size_t n);
void bms_flush(struct fb_device *d);
int bus_up(bool stale);
void bus_down(void);
void fake_restart(unsigned down_ms, bool stale);
void send_msg(DBusMessage *m);
DBusMessage *error_reply(DBusMessage *call, const char *name, const char *msg);
/* Takes a matching armed fault (count--); NULL if none. */
const struct fb_fault *fault_take(const char *target, const char *method);
struct fb_device *device_by_address(const char *addr);
struct fb_adapter *adapter_by_name(const char *name);
int device_parse_spec(const char *spec, char *err, size_t errsize);
int device_set(struct fb_device *d, const char *key, const char *value);
void fb_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* fake-control.c: org.jkbms.FakeControl.Command(s) -> s */
DBusHandlerResult control_handle(DBusConnection *c, DBusMessage *m);
