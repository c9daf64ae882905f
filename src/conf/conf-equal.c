/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Equality of sections through the key table, for reload: every key of
 * the section is compared (a key added to the table is compared without
 * anyone remembering to), secrets by their resolved value as well as by
 * their file, so a password file with new contents counts as a change.
 */
#include "config.h"

#include <string.h>

#include "conf/conf-private.h"

static const void *member(const void *base, size_t offset)
{
	return (const char *)base + offset;
}

static bool str_equal(const void *a, const void *b, size_t offset)
{
	const char *sa, *sb;

	memcpy(&sa, member(a, offset), sizeof(sa));
	memcpy(&sb, member(b, offset), sizeof(sb));
	if (!sa || !sb)
		return sa == sb;
	return strcmp(sa, sb) == 0;
}

static bool members_equal(const struct conf_key *k, const void *a,
			  const void *b)
{
	char **ma, **mb;
	size_t na, nb, i;

	memcpy(&na, member(a, k->offset2), sizeof(na));
	memcpy(&nb, member(b, k->offset2), sizeof(nb));
	if (na != nb)
		return false;
	memcpy(&ma, member(a, k->offset), sizeof(ma));
	memcpy(&mb, member(b, k->offset), sizeof(mb));
	for (i = 0; i < na; i++)
		if (strcmp(ma[i], mb[i]) != 0)
			return false;
	return true;
}

static bool key_equal(const struct conf_key *k, const void *a, const void *b)
{
	switch (k->type) {
	case CONF_STRING:
	case CONF_PATH:
	case CONF_SECRET:
	case CONF_ADDRESS:
	case CONF_LIST:
		return str_equal(a, b, k->offset);
	case CONF_SECRET_FILE:
		return str_equal(a, b, k->offset) &&
		       str_equal(a, b, k->offset2);
	case CONF_MEMBERS:
		return members_equal(k, a, b);
	case CONF_BOOL:
	case CONF_UINT:
	case CONF_DURATION:
	case CONF_ENUM:
	case CONF_VARIANT:
	case CONF_DECIMAL:
	case CONF_REAL:
		return memcmp(member(a, k->offset), member(b, k->offset),
			      k->size) == 0;
	}
	return false;
}

static bool section_equal(enum conf_section_kind section, const void *a,
			  const void *b)
{
	size_t i;

	for (i = 0; i < conf_keys_count; i++)
		if (conf_keys[i].section == section &&
		    !key_equal(&conf_keys[i], a, b))
			return false;
	return true;
}

bool conf_bms_equal(const struct conf_bms *a, const struct conf_bms *b)
{
	return strcmp(a->name, b->name) == 0 &&
	       section_equal(SECTION_BMS, a, b);
}

bool conf_mqtt_equal(const struct conf_mqtt *a, const struct conf_mqtt *b)
{
	return section_equal(SECTION_MQTT, a, b);
}

bool conf_history_equal(const struct conf_history *a,
			const struct conf_history *b)
{
	return section_equal(SECTION_HISTORY, a, b);
}

bool conf_rs485_equal(const struct conf_rs485 *a, const struct conf_rs485 *b)
{
	return strcmp(a->name, b->name) == 0 &&
	       section_equal(SECTION_RS485, a, b);
}
