/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checks between sections, once all of them are built (STYLE 3.7): bank
 * members exist and belong to one bank only, a Modbus BMS names an
 * [rs485] bus, two BMSs do not share an address or a serial port, and a
 * bank is not named like a BMS (jkbmsctl takes either name). Sections that
 * already failed are skipped, so one mistake gives one message.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jkbms/util.h"

#include "conf/conf-private.h"

static void list_names(char *buf, size_t size, size_t n,
		       const char *(*name)(const struct conf *c, size_t i),
		       const struct conf *c)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? ", " : "", name(c, i));
}

static const char *bms_name(const struct conf *c, size_t i)
{
	return c->bms[i].name;
}

static const char *rs485_name(const struct conf *c, size_t i)
{
	return c->rs485[i].name;
}

static void check_names(struct conf_parse *p, const struct conf *c)
{
	size_t i, j;

	for (i = 0; i < c->n_banks; i++) {
		for (j = 0; j < c->n_bms; j++) {
			if (strcmp(c->banks[i].name, c->bms[j].name))
				continue;
			conf_error_at(p, c->banks[i].line, p->raw_bank[i], NULL,
				      "name already used by [bms %s] on line "
				      "%u",
				      c->bms[j].name, c->bms[j].line);
		}
	}
}

static const struct conf_rs485 *find_bus(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_rs485; i++) {
		if (!strcmp(c->rs485[i].name, name))
			return &c->rs485[i];
	}
	return NULL;
}

static void check_buses(struct conf_parse *p, const struct conf *c)
{
	char names[1024];
	size_t i;

	for (i = 0; i < c->n_bms; i++) {
		const struct conf_bms *b = &c->bms[i];

		if (p->raw_bms[i]->bad || b->transport != TRANSPORT_MODBUS ||
		    find_bus(c, b->bus))
			continue;
		list_names(names, sizeof(names), c->n_rs485, rs485_name, c);
		conf_error_at(p, conf_raw_line(p->raw_bms[i], "bus"),
			      p->raw_bms[i], "bus",
			      "no [rs485 %s] section (allowed: %s)", b->bus,
			      c->n_rs485 ? names
					 : "the NAME of an [rs485 "
					   "NAME] section");
	}
}

/* Two BMSs at the same place: the later one is the error. */
static bool same_place(const struct conf_bms *a, const struct conf_bms *b)
{
	if (a->transport != b->transport)
		return false;
	switch (a->transport) {
	case TRANSPORT_BLE:
		return !strcmp(a->address, b->address);
	case TRANSPORT_MODBUS:
		return !strcmp(a->bus, b->bus) &&
		       a->modbus_address == b->modbus_address;
	case TRANSPORT_SERIAL:
		return !strcmp(a->device, b->device);
	case TRANSPORT_CAN:
	case TRANSPORT_CANDUMP:
	case TRANSPORT_SIM:
	case TRANSPORT__MAX:
		break;
	}
	return false;
}

static const char *place_key(enum conf_transport t)
{
	return t == TRANSPORT_SERIAL ? "device" : "address";
}

static void check_places(struct conf_parse *p, const struct conf *c)
{
	size_t i, j;

	for (j = 0; j < c->n_bms; j++) {
		const struct conf_bms *b = &c->bms[j];
		const char *key = place_key(b->transport);

		if (p->raw_bms[j]->bad)
			continue;
		for (i = 0; i < j; i++) {
			if (p->raw_bms[i]->bad || !same_place(&c->bms[i], b))
				continue;
			conf_error_at(p, conf_raw_line(p->raw_bms[j], key),
				      p->raw_bms[j], key,
				      "%s is already used by [bms %s] on line "
				      "%u",
				      conf_raw_value(p->raw_bms[j], key),
				      c->bms[i].name,
				      conf_raw_line(p->raw_bms[i], key));
			break;
		}
		if (b->transport != TRANSPORT_SERIAL)
			continue;
		for (i = 0; i < c->n_rs485; i++) {
			if (p->raw_rs485[i]->bad || !c->rs485[i].device ||
			    strcmp(c->rs485[i].device, b->device))
				continue;
			conf_error_at(p, conf_raw_line(p->raw_bms[j], key),
				      p->raw_bms[j], key,
				      "%s is already used by [rs485 %s] on "
				      "line %u",
				      b->device, c->rs485[i].name,
				      conf_raw_line(p->raw_rs485[i], "device"));
		}
	}
	for (j = 0; j < c->n_rs485; j++) {
		if (p->raw_rs485[j]->bad)
			continue;
		for (i = 0; i < j; i++) {
			if (p->raw_rs485[i]->bad ||
			    strcmp(c->rs485[i].device, c->rs485[j].device))
				continue;
			conf_error_at(p,
				      conf_raw_line(p->raw_rs485[j], "device"),
				      p->raw_rs485[j], "device",
				      "%s is already used by [rs485 %s] on "
				      "line %u",
				      c->rs485[j].device, c->rs485[i].name,
				      conf_raw_line(p->raw_rs485[i], "device"));
			break;
		}
	}
}

static long find_bms(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_bms; i++) {
		if (!strcmp(c->bms[i].name, name))
			return (long)i;
	}
	return -1;
}

static void check_banks(struct conf_parse *p, const struct conf *c)
{
	long *owner = xcalloc(c->n_bms, sizeof(long));
	char names[1024];
	size_t i, m;

	for (i = 0; i < c->n_bms; i++)
		owner[i] = -1;
	for (i = 0; i < c->n_banks; i++) {
		const struct conf_bank *b = &c->banks[i];
		struct conf_raw_section *s = p->raw_bank[i];
		unsigned line = conf_raw_line(s, "members");

		for (m = 0; m < b->n_members; m++) {
			long j = find_bms(c, b->members[m]);

			if (j < 0) {
				list_names(names, sizeof(names), c->n_bms,
					   bms_name, c);
				conf_error_at(p, line, s, "members",
					      "no [bms %s] section (allowed: "
					      "%s)",
					      b->members[m],
					      c->n_bms ? names
						       : "names of [bms] "
							 "sections");
				continue;
			}
			if (owner[j] >= 0) {
				conf_error_at(
					p, line, s, "members",
					"%s is already a member of [bank "
					"%s] on line %u",
					b->members[m], c->banks[owner[j]].name,
					conf_raw_line(p->raw_bank[owner[j]],
						      "members"));
				continue;
			}
			owner[j] = (long)i;
		}
	}
	free(owner);
}

void conf_cross_check(struct conf_parse *p, struct conf *c)
{
	check_names(p, c);
	check_buses(p, c);
	check_places(p, c);
	check_banks(p, c);
}
