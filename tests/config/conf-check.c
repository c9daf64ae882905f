/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test driver of the config golden files (tests/config/run.sh): parses a
 * file and prints conf_print()'s output, or the errors and their count,
 * both on stdout so one golden file holds either. Also prints the demo
 * configuration's text, the key list and the man page's key section.
 *
 *   conf-check [--secrets] FILE   exit 0, or 78 with errors
 *   conf-check --demo-text | --keys | --man | --localstatedir
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "jkbms/conf.h"

#include "conf/conf-private.h"

static int usage(void)
{
	fprintf(stderr, "usage: conf-check [--secrets] FILE\n"
			"       conf-check --demo-text | --keys | --man | "
			"--localstatedir\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned flags = 0, n = 0;
	struct conf *c;
	int i = 1;

	if (argc == 2 && !strcmp(argv[1], "--demo-text")) {
		fputs(conf_demo_text, stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--keys")) {
		conf_doc_keys(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--man")) {
		conf_doc_man(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--localstatedir")) {
		puts(LOCALSTATEDIR);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--secrets")) {
		flags |= CONF_PRINT_SECRETS;
		i++;
	}
	if (i != argc - 1 || argv[i][0] == '-')
		return usage();

	c = conf_load(argv[i], NULL, stdout, &n);
	if (!c) {
		printf("%u error%s\n", n, n == 1 ? "" : "s");
		return CONF_EXIT_CONFIG;
	}
	conf_print_flags(c, stdout, flags);
	conf_free(c);
	return 0;
}
