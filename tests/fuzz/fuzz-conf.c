/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the configuration parser (mosquitto fuzzes its config files too).
 * Any input must be either rejected with errors or accepted; an accepted
 * one must print as INI that parses again and prints the same (with
 * secrets shown, so that the text is a fixed point).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/conf.h"

#include "conf/conf-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *print(const struct conf *c)
{
	char *s = NULL;
	size_t len;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		abort();
	conf_print_flags(c, f, CONF_PRINT_SECRETS);
	fclose(f);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c, *again;
	char *p1, *p2;
	unsigned n = 0;

	if (size > 64 * 1024)
		return 0;
	c = conf_load_buffer("fuzz.conf", (const char *)data, size, NULL, &n);
	if (!c) {
		if (n == 0)
			abort(); /* rejected without a reason */
		return 0;
	}
	p1 = print(c);
	again = conf_load("fuzz.conf", p1, stderr, &n);
	if (!again) {
		fprintf(stderr, "printed config does not parse:\n%s", p1);
		abort();
	}
	p2 = print(again);
	if (strcmp(p1, p2)) {
		fprintf(stderr, "printed twice, differs:\n%s\n---\n%s", p1, p2);
		abort();
	}
	free(p1);
	free(p2);
	conf_free(again);
	conf_free(c);
	return 0;
}
