/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_load(): read, build, cross-check, and report every error at once;
 * a config with any error is not returned at all (the daemon exits 78, or
 * keeps its old config on reload). Also the lookups and the destructor,
 * which frees through the key table like everything else.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/util.h"

#include "conf/conf-private.h"

static void free_section(enum conf_section_kind kind, void *base)
{
	size_t i;

	for (i = 0; i < conf_keys_count; i++) {
		if (conf_keys[i].section == kind)
			conf_value_free(&conf_keys[i], base);
	}
}

struct conf *conf_free(struct conf *c)
{
	size_t i;

	if (!c)
		return NULL;
	free_section(SECTION_DAEMON, &c->daemon);
	free_section(SECTION_MQTT, &c->mqtt);
	free_section(SECTION_HISTORY, &c->history);
	for (i = 0; i < c->n_bms; i++) {
		free_section(SECTION_BMS, &c->bms[i]);
		free(c->bms[i].name);
	}
	for (i = 0; i < c->n_banks; i++) {
		free_section(SECTION_BANK, &c->banks[i]);
		free(c->banks[i].name);
	}
	for (i = 0; i < c->n_rs485; i++) {
		free_section(SECTION_RS485, &c->rs485[i]);
		free(c->rs485[i].name);
	}
	free(c->bms);
	free(c->banks);
	free(c->rs485);
	free(c->path);
	free(c);
	return NULL;
}

static void parse_done(struct conf_parse *p)
{
	size_t i, k;

	for (i = 0; i < p->n_sections; i++) {
		struct conf_raw_section *s = &p->sections[i];

		for (k = 0; k < conf_keys_count; k++) {
			if (s->values[k]) {
				explicit_bzero(s->values[k],
					       strlen(s->values[k]));
				free(s->values[k]);
			}
		}
		free(s->values);
		free(s->lines);
		free(s->name);
	}
	free(p->sections);
	free(p->raw_bms);
	free(p->raw_bank);
	free(p->raw_rs485);
	if (p->buf)
		explicit_bzero(p->buf, strlen(p->buf));
	free(p->buf);
}

static struct conf *load(struct conf_parse *p, FILE *errors,
			 unsigned *ret_nerrors)
{
	struct conf *c;
	unsigned n;

	conf_read(p);
	c = conf_build(p);
	n = conf_errors_flush(p, errors);
	parse_done(p);
	if (ret_nerrors)
		*ret_nerrors = n;
	if (n > 0)
		return conf_free(c);
	c->path = xstrdup(p->path);
	return c;
}

struct conf *conf_load_buffer(const char *path, const char *data, size_t len,
			      FILE *errors, unsigned *ret_nerrors)
{
	struct conf_parse p = {
		.path = path ? path : CONF_DEFAULT_PATH,
		.text = data,
		.left = len,
	};

	return load(&p, errors, ret_nerrors);
}

struct conf *conf_load(const char *path, const char *text, FILE *errors,
		       unsigned *ret_nerrors)
{
	struct conf_parse p = {
		.path = path ? path : CONF_DEFAULT_PATH,
	};
	struct conf *c;

	if (text)
		return conf_load_buffer(path, text, strlen(text), errors,
					ret_nerrors);
	p.f = fopen(p.path, "re");
	if (!p.f) {
		conf_error(&p, 0, "cannot open: %s", strerror(errno));
		if (ret_nerrors)
			*ret_nerrors = conf_errors_flush(&p, errors);
		else
			conf_errors_flush(&p, errors);
		return NULL;
	}
	c = load(&p, errors, ret_nerrors);
	fclose(p.f);
	return c;
}

const struct conf_bms *conf_find_bms(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; c && name && i < c->n_bms; i++) {
		if (!strcmp(c->bms[i].name, name))
			return &c->bms[i];
	}
	return NULL;
}

const struct conf_bank *conf_find_bank(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; c && name && i < c->n_banks; i++) {
		if (!strcmp(c->banks[i].name, name))
			return &c->banks[i];
	}
	return NULL;
}

const struct conf_bank *conf_bank_of(const struct conf *c, const char *bms)
{
	size_t i, m;

	for (i = 0; c && bms && i < c->n_banks; i++) {
		for (m = 0; m < c->banks[i].n_members; m++) {
			if (!strcmp(c->banks[i].members[m], bms))
				return &c->banks[i];
		}
	}
	return NULL;
}

const char *conf_transport_name(enum conf_transport t)
{
	return conf_name_of(conf_transport_names, (int)t);
}
