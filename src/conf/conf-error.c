/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Collected configuration errors. The parser never stops at the first
 * one (OpenBSD parse.y counts them); the reader, the builder and the cross
 * checks add messages in their own order, and the user reads them sorted
 * by line, each as "file:line: [section] key: what is wrong (allowed: ...)".
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/util.h"

#include "conf/conf-private.h"

static void add(struct conf_parse *p, unsigned line, char *msg)
{
	p->errors = xrealloc(p->errors, (p->n_errors + 1) * sizeof(*p->errors));
	p->errors[p->n_errors] = (struct conf_error){
		.line = line,
		.seq = (unsigned)p->n_errors,
		.msg = msg,
	};
	p->n_errors++;
}

static char *vformat(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));

static char *vformat(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0) {
		fprintf(stderr, "jkbmsd: out of memory\n");
		abort();
	}
	return s;
}

void conf_error(struct conf_parse *p, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(p, line, vformat(fmt, ap));
	va_end(ap);
}

const char *conf_section_label(const struct conf_raw_section *s, char *buf,
			       size_t size)
{
	const char *kind = conf_section_name(s->kind);

	if (s->name)
		snprintf(buf, size, "[%s %s]", kind, s->name);
	else
		snprintf(buf, size, "[%s]", kind);
	return buf;
}

void conf_error_at(struct conf_parse *p, unsigned line,
		   const struct conf_raw_section *s, const char *key,
		   const char *fmt, ...)
{
	char label[64];
	va_list ap;
	char *what;

	va_start(ap, fmt);
	what = vformat(fmt, ap);
	va_end(ap);
	conf_section_label(s, label, sizeof(label));
	if (key)
		conf_error(p, line, "%s %s: %s", label, key, what);
	else
		conf_error(p, line, "%s: %s", label, what);
	free(what);
}

static int cmp_error(const void *a, const void *b)
{
	const struct conf_error *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

unsigned conf_errors_flush(struct conf_parse *p, FILE *out)
{
	unsigned n = (unsigned)p->n_errors;
	size_t i;

	if (p->n_errors > 1)
		qsort(p->errors, p->n_errors, sizeof(*p->errors), cmp_error);
	for (i = 0; i < p->n_errors; i++) {
		if (out && p->errors[i].line)
			fprintf(out, "%s:%u: %s\n", p->path, p->errors[i].line,
				p->errors[i].msg);
		else if (out)
			fprintf(out, "%s: %s\n", p->path, p->errors[i].msg);
		free(p->errors[i].msg);
	}
	free(p->errors);
	p->errors = NULL;
	p->n_errors = 0;
	return n;
}
