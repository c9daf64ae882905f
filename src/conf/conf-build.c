/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From raw sections (text and line numbers) to struct conf, through the
 * key table: each key of a section is parsed if given, else required or
 * defaulted. A [bms] is built once its transport is known, so a key may
 * come before "transport =" and still be checked against it. Then the
 * few rules that involve more than one key of a section.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/util.h"

#include "conf/conf-private.h"

unsigned conf_raw_line(const struct conf_raw_section *s, const char *key)
{
	int i = conf_key_find(s->kind, key);

	if (i >= 0 && s->values && s->values[i])
		return s->lines[i];
	return s->line;
}

const char *conf_raw_value(const struct conf_raw_section *s, const char *key)
{
	int i = conf_key_find(s->kind, key);

	return i >= 0 && s->values ? s->values[i] : NULL;
}

static bool given(const struct conf_raw_section *s, const char *key)
{
	return s && conf_raw_value(s, key);
}

static void set_given(struct conf_parse *p, struct conf_raw_section *s,
		      size_t i, void *base, enum conf_transport t)
{
	const struct conf_key *k = &conf_keys[i];
	char why[512], allowed[512];
	int r;

	r = conf_value_set(k, base, s->values[i], t, why, sizeof(why));
	if (r == 0)
		return;
	s->bad = true;
	conf_key_allowed(k, t, allowed, sizeof(allowed));
	if ((r == -EINVAL || r == -ERANGE) && *allowed)
		conf_error_at(p, s->lines[i], s, k->key, "%s (allowed: %s)",
			      why, allowed);
	else
		conf_error_at(p, s->lines[i], s, k->key, "%s", why);
}

static void set_default(const struct conf_key *k, void *base,
			enum conf_transport t)
{
	char why[256];
	int r;

	if (!k->def)
		return;
	r = conf_value_set(k, base, k->def, t, why, sizeof(why));
	assert(r == 0); /* tests/unit/test-conf.c parses every default */
	(void)r;
}

static void keys_of_transport(enum conf_transport t, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < conf_keys_count && n < size; i++) {
		if (conf_keys[i].section != SECTION_BMS ||
		    !conf_key_applies(&conf_keys[i], t))
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
				      conf_keys[i].key);
	}
}

static void missing(struct conf_parse *p, struct conf_raw_section *s,
		    const struct conf_key *k, enum conf_transport t)
{
	s->bad = true;
	if (s->kind == SECTION_BMS)
		conf_error_at(p, s->line, s, k->key,
			      "missing (required for transport %s)",
			      conf_transport_name(t));
	else
		conf_error_at(p, s->line, s, k->key, "missing (required)");
}

static void conflict(struct conf_parse *p, struct conf_raw_section *s, size_t i,
		     size_t j)
{
	size_t later = s->lines[i] > s->lines[j] ? i : j;
	size_t other = later == i ? j : i;

	s->bad = true;
	conf_error_at(p, s->lines[later], s, conf_keys[later].key,
		      "conflicts with %s on line %u (allowed: one of them)",
		      conf_keys[other].key, s->lines[other]);
}

/* Every key of the section's kind; s is NULL for an absent [daemon] ... */
static void build_keys(struct conf_parse *p, struct conf_raw_section *s,
		       enum conf_section_kind kind, void *base,
		       enum conf_transport t)
{
	size_t i;

	for (i = 0; i < conf_keys_count; i++) {
		const struct conf_key *k = &conf_keys[i];
		bool has = s && s->values[i];
		bool pair_has = false;

		if (k->section != kind)
			continue;
		if (kind == SECTION_BMS && !strcmp(k->key, "transport"))
			continue;
		if (!conf_key_applies(k, t)) {
			char allowed[1024];

			if (!has)
				continue;
			s->bad = true;
			keys_of_transport(t, allowed, sizeof(allowed));
			conf_error_at(p, s->lines[i], s, k->key,
				      "not valid for transport %s (allowed: "
				      "%s)",
				      conf_transport_name(t), allowed);
			continue;
		}
		if (k->pair) {
			int j = conf_key_find(kind, k->pair);

			pair_has = s && j >= 0 && s->values[j];
			if (has && pair_has) {
				if (k->type == CONF_SECRET_FILE)
					conflict(p, s, i, (size_t)j);
				continue;
			}
		}
		if (has)
			set_given(p, s, i, base, t);
		else if (conf_key_required(k, t))
			missing(p, s, k, t);
		else if (!pair_has)
			set_default(k, base, t);
	}
}

static void build_daemon(struct conf_parse *p, struct conf_raw_section *s,
			 struct conf *c)
{
	build_keys(p, s, SECTION_DAEMON, &c->daemon, TRANSPORT_SIM);
	c->daemon.control_socket_is_default = !given(s, "control_socket");
}

static void build_mqtt(struct conf_parse *p, struct conf_raw_section *s,
		       struct conf *c)
{
	struct conf_raw_section none = { .kind = SECTION_MQTT };
	struct conf_mqtt *m = &c->mqtt;

	build_keys(p, s, SECTION_MQTT, m, TRANSPORT_SIM);
	if (!s)
		s = &none; /* no [mqtt]: errors name it all the same */
	if (m->tls && !given(s, "port"))
		m->port = 8883;
	if (!m->client_id && c->daemon.name)
		m->client_id = xstrdup(c->daemon.name);
	if (m->password && !m->username)
		conf_error_at(
			p,
			conf_raw_line(s, m->password_file ? "password_file"
							  : "password"),
			s, m->password_file ? "password_file" : "password",
			"needs username");
	if (!m->certfile != !m->keyfile)
		conf_error_at(
			p,
			conf_raw_line(s, m->certfile ? "certfile" : "keyfile"),
			s, m->certfile ? "certfile" : "keyfile", "needs %s too",
			m->certfile ? "keyfile" : "certfile");
	if (!m->tls) {
		static const char *const tls_keys[] = { "cafile", "certfile",
							"keyfile" };
		size_t i;

		for (i = 0; i < ARRAY_SIZE(tls_keys); i++) {
			if (given(s, tls_keys[i]))
				conf_error_at(p, conf_raw_line(s, tls_keys[i]),
					      s, tls_keys[i],
					      "needs tls = yes");
		}
		if (m->tls_insecure)
			conf_error_at(p, conf_raw_line(s, "tls_insecure"), s,
				      "tls_insecure", "needs tls = yes");
	}
}

static bool is_factory_default(const char *key, const char *value)
{
	int i = conf_key_find(SECTION_BMS, key);

	return value && i >= 0 && conf_keys[i].def &&
	       !strcmp(value, conf_keys[i].def);
}

static void build_bms(struct conf_parse *p, struct conf_raw_section *s,
		      struct conf_bms *b)
{
	int i = conf_key_find(SECTION_BMS, "transport");
	char allowed[256];

	b->name = xstrdup(s->name);
	b->line = s->line;
	b->variant = JK_VARIANT_AUTO;
	if (!s->values[i]) {
		s->bad = true;
		conf_key_allowed(&conf_keys[i], TRANSPORT_SIM, allowed,
				 sizeof(allowed));
		conf_error_at(p, s->line, s, "transport",
			      "missing (allowed: %s)", allowed);
		return;
	}
	set_given(p, s, (size_t)i, b, TRANSPORT_SIM);
	if (s->bad)
		return; /* without a transport, nothing else can be judged */
	build_keys(p, s, SECTION_BMS, b, b->transport);
	b->password_is_default = is_factory_default("password", b->password);
	b->settings_password_is_default =
		is_factory_default("settings_password", b->settings_password);
	if (b->transport == TRANSPORT_MODBUS && b->address)
		b->modbus_address = (unsigned)strtoul(b->address, NULL, 10);
	/* Home Assistant writes on their own: the password stays in a file. */
	if (b->writes == WRITES_ALWAYS && !b->settings_password_file)
		conf_error_at(p, conf_raw_line(s, "writes"), s, "writes",
			      "always needs the settings password in "
			      "settings_password_file (mode 0600)");
}

static size_t count_kind(const struct conf_parse *p,
			 enum conf_section_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_sections; i++)
		n += p->sections[i].kind == kind;
	return n;
}

static struct conf_raw_section *find_kind(struct conf_parse *p,
					  enum conf_section_kind kind)
{
	size_t i;

	for (i = 0; i < p->n_sections; i++) {
		if (p->sections[i].kind == kind)
			return &p->sections[i];
	}
	return NULL;
}

struct conf *conf_build(struct conf_parse *p)
{
	struct conf *c = xcalloc(1, sizeof(*c));
	size_t i, nb = count_kind(p, SECTION_BMS);
	size_t nk = count_kind(p, SECTION_BANK);
	size_t nr = count_kind(p, SECTION_RS485);

	c->bms = xcalloc(nb, sizeof(*c->bms));
	c->banks = xcalloc(nk, sizeof(*c->banks));
	c->rs485 = xcalloc(nr, sizeof(*c->rs485));
	p->raw_bms = xcalloc(nb, sizeof(*p->raw_bms));
	p->raw_bank = xcalloc(nk, sizeof(*p->raw_bank));
	p->raw_rs485 = xcalloc(nr, sizeof(*p->raw_rs485));

	build_daemon(p, find_kind(p, SECTION_DAEMON), c);
	build_mqtt(p, find_kind(p, SECTION_MQTT), c);
	build_keys(p, find_kind(p, SECTION_HISTORY), SECTION_HISTORY,
		   &c->history, TRANSPORT_SIM);

	for (i = 0; i < p->n_sections; i++) {
		struct conf_raw_section *s = &p->sections[i];

		switch (s->kind) {
		case SECTION_DAEMON:
		case SECTION_MQTT:
		case SECTION_HISTORY:
		case SECTION__MAX:
			break;
		case SECTION_RS485: {
			struct conf_rs485 *r = &c->rs485[c->n_rs485];

			p->raw_rs485[c->n_rs485++] = s;
			r->name = xstrdup(s->name);
			r->line = s->line;
			build_keys(p, s, SECTION_RS485, r, TRANSPORT_SIM);
			break;
		}
		case SECTION_BMS:
			p->raw_bms[c->n_bms] = s;
			build_bms(p, s, &c->bms[c->n_bms++]);
			break;
		case SECTION_BANK: {
			struct conf_bank *b = &c->banks[c->n_banks];

			p->raw_bank[c->n_banks++] = s;
			b->name = xstrdup(s->name);
			b->line = s->line;
			build_keys(p, s, SECTION_BANK, b, TRANSPORT_SIM);
			break;
		}
		}
	}
	conf_cross_check(p, c);
	return c;
}
