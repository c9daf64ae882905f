/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by bluez.c (the mirror) and bluez-props.c (property parsing). */
#pragma once

#include "transport/bluez.h"

/* The enum bluez_iface bit of an interface name, 0 if not mirrored. */
unsigned bluez_iface_bit(const char *iface);
/* Applies an a{sv} of one interface to o; returns how many besides Value. */
unsigned bluez_apply_props(struct bluez *b, struct bluez_object *o,
			   unsigned iface, DBusMessageIter *dict);
/* A Value property seen on o (notifications: only from PropertiesChanged). */
void bluez_value(struct bluez *b, struct bluez_object *o, DBusMessageIter *v);
size_t bluez_iter_bytes(DBusMessageIter *v, const uint8_t **data);
void bluez_object_free(struct bluez_object *o);
