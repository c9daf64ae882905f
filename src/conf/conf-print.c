/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The normalised configuration (jkbmsd --print-config, chronyd -p): every
 * key with its value or default, in table order, as INI that conf_load()
 * reads back to the same struct conf. Secrets are the exception, chosen so
 * that printing never leaks one:
 * - a secret read from a file is printed as its *_file key;
 * - a BMS password equal to its factory default is left out, since
 *   reading the output back gives that default again;
 * - any other inline secret is printed as "# key = (hidden)", unless
 *   CONF_PRINT_SECRETS asks for it (tests compare round trips with it).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jkbms/util.h"

#include "conf/conf-private.h"
#include "conf/conf-value.h"

static const void *member(const void *base, size_t offset)
{
	return (const char *)base + offset;
}

static int64_t load_int(const struct conf_key *k, const void *base)
{
	const void *p = member(base, k->offset);

	switch (k->size) {
	case sizeof(bool): {
		bool b;

		memcpy(&b, p, sizeof(b));
		return b;
	}
	case sizeof(uint32_t): {
		uint32_t u;
		int32_t i;

		if (k->type == CONF_UINT || k->type == CONF_DURATION) {
			memcpy(&u, p, sizeof(u));
			return u;
		}
		memcpy(&i, p, sizeof(i));
		return i;
	}
	default: {
		int64_t v;

		memcpy(&v, p, sizeof(v));
		return v;
	}
	}
}

static const char *load_string(const struct conf_key *k, const void *base,
			       size_t offset)
{
	const char *s;

	memcpy(&s, member(base, offset), sizeof(s));
	return s;
}

/*
 * "key = value", or "key=value" where that would be longer than a line
 * may be: an input line of the longest allowed value had no room for the
 * blanks either. compact: the value without blanks after commas.
 */
static void emit(FILE *out, const char *key, const char *value,
		 const char *compact)
{
	if (strlen(key) + 3 + strlen(value) <= CONF_MAX_LINE)
		fprintf(out, "%s = %s\n", key, value);
	else
		fprintf(out, "%s=%s\n", key, compact ? compact : value);
}

/* items joined by sep, allocated. */
static char *join(char **items, size_t n, const char *sep)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(items[i]) + strlen(sep);
	s = xcalloc(1, len);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, sep);
		strcat(s, items[i]);
	}
	return s;
}

static void print_members(const struct conf_key *k, const void *base, FILE *out)
{
	char **items, *spaced, *compact;
	size_t n;

	memcpy(&items, member(base, k->offset), sizeof(items));
	memcpy(&n, member(base, k->offset2), sizeof(n));
	if (!n)
		return;
	spaced = join(items, n, ", ");
	compact = join(items, n, ",");
	emit(out, k->key, spaced, compact);
	free(spaced);
	free(compact);
}

static void print_list(const struct conf_key *k, const char *s, FILE *out)
{
	char *spaced, *p;
	const char *c;

	if (!s || !*s)
		return;
	spaced = p = xcalloc(2, strlen(s) + 1);
	for (c = s; *c; c++) {
		*p++ = *c;
		if (*c == ',')
			*p++ = ' ';
	}
	emit(out, k->key, spaced, s);
	free(spaced);
}

static void print_secret(const struct conf_key *k, const void *base,
			 unsigned flags, FILE *out)
{
	const char *s = load_string(k, base, k->offset);
	int j = conf_key_find(k->section, k->pair);

	if (!s ||
	    (j >= 0 && load_string(&conf_keys[j], base, conf_keys[j].offset)))
		return; /* unset, or read from the file printed instead */
	if (k->def && !strcmp(s, k->def))
		return;
	if (flags & CONF_PRINT_SECRETS)
		emit(out, k->key, s, NULL);
	else
		fprintf(out, "# %s = (hidden)\n", k->key);
}

static void print_key(const struct conf_key *k, const void *base,
		      unsigned flags, FILE *out)
{
	char buf[CONF_NUMBER_MAX];
	const char *s;
	double d;
	int64_t v;

	switch (k->type) {
	case CONF_STRING:
	case CONF_PATH:
	case CONF_ADDRESS:
	case CONF_SECRET_FILE:
		s = load_string(k, base, k->offset);
		if (s)
			emit(out, k->key, s, NULL);
		return;
	case CONF_LIST:
		print_list(k, load_string(k, base, k->offset), out);
		return;
	case CONF_MEMBERS:
		print_members(k, base, out);
		return;
	case CONF_SECRET:
		print_secret(k, base, flags, out);
		return;
	case CONF_BOOL:
		fprintf(out, "%s = %s\n", k->key,
			conf_format_bool(load_int(k, base)));
		return;
	case CONF_UINT:
		fprintf(out, "%s = %lld\n", k->key,
			(long long)load_int(k, base));
		return;
	case CONF_DURATION:
		v = load_int(k, base);
		fprintf(out, "%s = %s\n", k->key,
			conf_format_duration((uint64_t)v * k->scale, buf,
					     sizeof(buf)));
		return;
	case CONF_ENUM:
		fprintf(out, "%s = %s\n", k->key,
			conf_name_of(k->names, (int)load_int(k, base)));
		return;
	case CONF_VARIANT:
		v = load_int(k, base);
		fprintf(out, "%s = %s\n", k->key,
			v == JK_VARIANT_AUTO
				? "auto"
				: jk_variant_name((enum jk_variant)v));
		return;
	case CONF_DECIMAL:
		fprintf(out, "%s = %s\n", k->key,
			conf_format_decimal((uint64_t)load_int(k, base),
					    k->scale, buf, sizeof(buf)));
		return;
	case CONF_REAL:
		memcpy(&d, member(base, k->offset), sizeof(d));
		fprintf(out, "%s = %s\n", k->key,
			conf_format_decimal(
				(uint64_t)(d * (double)k->scale + 0.5),
				k->scale, buf, sizeof(buf)));
		return;
	}
}

static void print_section(enum conf_section_kind kind, const char *name,
			  const void *base, enum conf_transport t,
			  unsigned flags, FILE *out)
{
	size_t i;

	if (name)
		fprintf(out, "\n[%s %s]\n", conf_section_name(kind), name);
	else
		fprintf(out, "\n[%s]\n", conf_section_name(kind));
	for (i = 0; i < conf_keys_count; i++) {
		if (conf_keys[i].section == kind &&
		    conf_key_applies(&conf_keys[i], t))
			print_key(&conf_keys[i], base, flags, out);
	}
}

void conf_print_flags(const struct conf *c, FILE *out, unsigned flags)
{
	size_t i;

	fprintf(out,
		"# jkbmsd configuration, normalised: defaults filled "
		"in%s\n",
		flags & CONF_PRINT_SECRETS ? ", secrets shown"
					   : ", secrets hidden");
	print_section(SECTION_DAEMON, NULL, &c->daemon, TRANSPORT_SIM, flags,
		      out);
	print_section(SECTION_MQTT, NULL, &c->mqtt, TRANSPORT_SIM, flags, out);
	print_section(SECTION_HISTORY, NULL, &c->history, TRANSPORT_SIM, flags,
		      out);
	for (i = 0; i < c->n_rs485; i++)
		print_section(SECTION_RS485, c->rs485[i].name, &c->rs485[i],
			      TRANSPORT_SIM, flags, out);
	for (i = 0; i < c->n_bms; i++)
		print_section(SECTION_BMS, c->bms[i].name, &c->bms[i],
			      c->bms[i].transport, flags, out);
	for (i = 0; i < c->n_banks; i++)
		print_section(SECTION_BANK, c->banks[i].name, &c->banks[i],
			      TRANSPORT_SIM, flags, out);
}

void conf_print(const struct conf *c, FILE *out)
{
	conf_print_flags(c, out, 0);
}
