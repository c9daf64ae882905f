/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake-probe's shared parts: what the signals told it (ev), and the
 * calls, waits and TAP output its cases (fake-probe-cases.c) use.
 */
#pragma once

#include <dbus/dbus.h>

#include "jkbms/frame.h"

#define DEV_A      "/org/bluez/hci0/dev_C8_47_8C_00_00_0A"
#define DEV_B      "/org/bluez/hci0/dev_20_21_11_00_00_0B"
#define DEV_C      "/org/bluez/hci1/dev_20_21_11_00_00_0C"
#define AGENT_PATH "/test/agent"

struct probe_events {
	char owner[64];
	unsigned owner_changes;
	unsigned added, removed;
	char last_added[128], last_removed[128];
	int connected[3], resolved[3], discovering, powered, paired_b;
	struct jk_reasm reasm;
	unsigned notes, max_note, frames[6], bad;
	struct jk_decoded dec;
	unsigned cells;
	char model[32], passcode[JK_PASSCODE_MAX];
	dbus_uint32_t passkey; /* what our agent answers */
	unsigned agent_calls;
};

extern DBusConnection *bus;
extern struct probe_events ev;
extern char last_err[256];

long long now_ms(void);
/* Dispatches for up to ms until cond holds; its value then. */
#define WAIT(ms, cond)                                                \
	({                                                            \
		long long _end = now_ms() + (ms);                     \
		while (!(cond) && now_ms() < _end)                    \
			dbus_connection_read_write_dispatch(bus, 20); \
		(cond);                                               \
	})

void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ctl(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pump(int ms);
DBusMessage *call(const char *path, const char *iface, const char *method,
		  int type, ...);
int call_ok(const char *path, const char *iface, const char *method);
int call_fails(const char *path, const char *iface, const char *method,
	       const char *want);
int call_pumped(const char *path, const char *iface, const char *method);
int managed_has(const char *path, const char *iface);
int write_cmd(const char *chr, uint8_t cmd, const char *type);
void set_powered(const char *adapter, dbus_bool_t on);
void reset_stream(void);
void run_cases(void);
