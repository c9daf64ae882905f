/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The key table as documentation: the KEYS part of jkbmsd.conf(5) is this
 * output (tests/config/run.sh checks that the man page holds exactly it;
 * make update-golden-config rewrites it), and a plain "section key" list
 * lets the tests check that the shipped example mentions every key.
 */
#include "config.h"

#include <string.h>

#include "conf/conf-private.h"

/* roff text: '-' as "\-" (copy-pastable), '\' as "\e". */
static void roff(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '-')
			fputs("\\-", out);
		else if (*s == '\\')
			fputs("\\e", out);
		else
			fputc(*s, out);
	}
}

static void names_joined(FILE *out, const struct conf_name *n, const char *sep)
{
	const struct conf_name *first = n;

	for (; n->name; n++) {
		if (n != first)
			fputs(sep, out);
		roff(out, n->name);
	}
}

static void doc_type(FILE *out, const struct conf_key *k)
{
	int v;

	switch (k->type) {
	case CONF_STRING:
		fputs(k->check == CHECK_TOPIC  ? "topic"
		      : k->check == CHECK_NAME ? "name"
					       : "text",
		      out);
		return;
	case CONF_PATH:
	case CONF_SECRET_FILE:
		fputs("path", out);
		return;
	case CONF_BOOL:
		fputs("boolean", out);
		return;
	case CONF_UINT:
		fputs("integer", out);
		return;
	case CONF_DURATION:
		fputs("duration", out);
		return;
	case CONF_DECIMAL:
	case CONF_REAL:
		fputs("number", out);
		return;
	case CONF_ENUM:
		names_joined(out, k->names, "|");
		return;
	case CONF_LIST:
		fputs("list", out);
		return;
	case CONF_MEMBERS:
		fputs("list of names", out);
		return;
	case CONF_SECRET:
		fputs("password", out);
		return;
	case CONF_ADDRESS:
		fputs("address", out);
		return;
	case CONF_VARIANT:
		fputs("auto", out);
		for (v = 0; v < JK_VARIANT__MAX; v++) {
			fputc('|', out);
			roff(out, jk_variant_name(v));
		}
		return;
	}
}

static void doc_transports(FILE *out, unsigned mask)
{
	const struct conf_name *n;
	bool first = true;

	for (n = conf_transport_names; n->name; n++) {
		if (!(mask & TRANSPORT_BIT(n->value)))
			continue;
		fprintf(out, "%s%s", first ? "" : ", ", n->name);
		first = false;
	}
}

static void doc_key(FILE *out, const struct conf_key *k)
{
	char allowed[512];

	fprintf(out, ".TP\n\\fB%s\\fR = \\fI", k->key);
	doc_type(out, k);
	fputs("\\fR\n", out);
	roff(out, k->help);
	fputc('\n', out);
	switch (k->type) {
	case CONF_UINT:
	case CONF_DURATION:
	case CONF_DECIMAL:
	case CONF_REAL:
	case CONF_LIST:
	case CONF_SECRET:
		fputs(".br\nAllowed: ", out);
		roff(out, conf_key_allowed(k, TRANSPORT_SIM, allowed,
					   sizeof(allowed)));
		fputs(".\n", out);
		break;
	case CONF_STRING:
	case CONF_PATH:
	case CONF_BOOL:
	case CONF_ENUM:
	case CONF_MEMBERS:
	case CONF_SECRET_FILE:
	case CONF_ADDRESS:
	case CONF_VARIANT:
		break;
	}
	fputs(".br\nDefault: ", out);
	if (k->doc_def)
		roff(out, k->doc_def);
	else if (k->def && *k->def)
		roff(out, k->def);
	else
		fputs("none", out);
	fputs(".", out);
	if (k->section == SECTION_BMS && k->transports) {
		fputs(" Transports: ", out);
		doc_transports(out, k->transports);
		fputs(".", out);
	}
	if (k->section == SECTION_BMS && k->required) {
		fputs(k->required == TRANSPORTS_ALL ? " Required."
						    : " Required for: ",
		      out);
		if (k->required != TRANSPORTS_ALL) {
			doc_transports(out, k->required);
			fputs(".", out);
		}
	}
	if (k->required_always)
		fputs(" Required.", out);
	fputc('\n', out);
}

void conf_doc_man(FILE *out)
{
	enum conf_section_kind s;
	size_t i;

	for (s = 0; s < SECTION__MAX; s++) {
		if (conf_section_named(s))
			fprintf(out, ".SS \"[%s \\fINAME\\fB]\"\n",
				conf_section_name(s));
		else
			fprintf(out, ".SS \"[%s]\"\n", conf_section_name(s));
		for (i = 0; i < conf_keys_count; i++) {
			if (conf_keys[i].section == s)
				doc_key(out, &conf_keys[i]);
		}
	}
}

void conf_doc_keys(FILE *out)
{
	size_t i;

	for (i = 0; i < conf_keys_count; i++)
		fprintf(out, "%s %s\n", conf_section_name(conf_keys[i].section),
			conf_keys[i].key);
}
