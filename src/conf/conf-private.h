/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parser's state, shared by the files of src/conf: the line reader
 * (conf-read.c) fills raw sections of key = value text with line numbers,
 * the builder (conf-build.c) turns them into struct conf through the key
 * table, the cross checks (conf-cross.c) compare sections, and every
 * error lands in one list (conf-error.c), sorted by line at the end.
 */
#pragma once

#include <ini.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "jkbms/conf.h"

#include "conf/conf-keys.h"

/*
 * The longest line: libinih reads into INI_MAX_LINE bytes, which must hold
 * "\r\n\0" too (ini.h). conf_print() keeps its lines within it.
 */
#define CONF_MAX_LINE (INI_MAX_LINE - 3)

struct conf_error {
	unsigned line; /* 0: about the whole file */
	unsigned seq;  /* keeps equal lines in order */
	char *msg;
};

struct conf_raw_section {
	enum conf_section_kind kind;
	char *name; /* NULL for [daemon], [mqtt], [history] */
	unsigned line;
	char **values;   /* [conf_keys_count]; NULL: not given */
	unsigned *lines; /* where each value was given */
	bool bad;        /* did not build: skip cross checks */
};

#define SECTION_NONE    (-1) /* no [section] line yet */
#define SECTION_IGNORED (-2) /* a bad one: its keys are skipped */

struct conf_parse {
	const char *path;
	struct conf_error *errors;
	size_t n_errors;

	struct conf_raw_section *sections;
	size_t n_sections;
	long cur; /* index, SECTION_NONE, SECTION_IGNORED */

	/* The input: a FILE, or a buffer of 'left' bytes at 'text'. */
	FILE *f;
	const char *text;
	size_t left;
	unsigned line;
	char *buf;   /* one physical line, or its start */
	size_t size; /* bytes read so far */
	bool read_error;
	bool too_big;

	/* conf-build.c: for each built BMS, bank and bus, its raw section */
	struct conf_raw_section **raw_bms, **raw_bank, **raw_rs485;
};

/* conf-error.c */
void conf_error(struct conf_parse *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "[bms house-1] key: ..." ("[bms house-1]: ..." with key NULL). */
void conf_error_at(struct conf_parse *p, unsigned line,
		   const struct conf_raw_section *s, const char *key,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Sorts the errors by line, prints them as "path:line: msg", frees them. */
unsigned conf_errors_flush(struct conf_parse *p, FILE *out);
/* "[bms house-1]" into buf. */
const char *conf_section_label(const struct conf_raw_section *s, char *buf,
			       size_t size);

/* conf-read.c: runs libinih over the input with our line reader. */
void conf_read(struct conf_parse *p);

/* conf-build.c */
struct conf *conf_build(struct conf_parse *p);

/* conf-set.c: parses one value of key k into the section struct at base. */
int conf_value_set(const struct conf_key *k, void *base, const char *value,
		   enum conf_transport t, char *why, size_t size);
/* The "(allowed: ...)" text of a key. */
const char *conf_key_allowed(const struct conf_key *k, enum conf_transport t,
			     char *buf, size_t size);
/* Frees what the key owns in the section struct at base. */
void conf_value_free(const struct conf_key *k, void *base);

/* conf-secret.c: the first line of a 0600 file; errors explained in why. */
int conf_secret_read(const char *path, char **ret, char *why, size_t size);

/* conf-cross.c: checks between sections, after every section is built. */
void conf_cross_check(struct conf_parse *p, struct conf *c);

/* conf-load.c: conf_load() on a buffer that may hold NUL bytes (fuzzing). */
struct conf *conf_load_buffer(const char *path, const char *data, size_t len,
			      FILE *errors, unsigned *ret_nerrors);

/* conf-doc.c: the key table as man page text, and as "section key" lines. */
void conf_doc_man(FILE *out);
void conf_doc_keys(FILE *out);

/* Line number of key in a raw section, or the section's own line. */
unsigned conf_raw_line(const struct conf_raw_section *s, const char *key);
const char *conf_raw_value(const struct conf_raw_section *s, const char *key);
