/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl: the command-line companion of jkbmsd. One table of commands
 * (name, arguments, handler, help) drives dispatch and the usage text, as
 * iwd's client does; each handler gets argv starting at its own name.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "ctl/decode.h"

static int cmd_decode(struct ctl *ctl, int argc, char **argv)
{
	int r;

	r = ctl_decode_run(argc, argv, stdin, stdout, stderr);
	return r < 0 ? 1 : r;
}

static int cmd_help(struct ctl *ctl, int argc, char **argv);

static const struct ctl_command commands[] = {
	{ .name = "status",
	  .args = "[BMS] [--json]",
	  .handler = ctl_status_run,
	  .help = "Show banks and BMSs: state, link, cells, SOC, V, A, W" },
	{ .name = "decode",
	  .args = "[--variant V] [HEX...]",
	  .handler = cmd_decode,
	  .help = "Decode JK frames (hex arguments or stdin) into JSON" },
	{ .name = "help",
	  .args = "",
	  .handler = cmd_help,
	  .help = "Show this help" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: jkbmsctl [--socket PATH] COMMAND [ARGS...]\n\n"
		"Options:\n"
		"  -s, --socket PATH  control socket of jkbmsd "
		"(default: $JKBMS_SOCKET, else %s)\n"
		"  -h, --help         show this help\n"
		"  -V, --version      show the version\n\n"
		"Commands:\n",
		ctl_default_socket_hint());
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		char head[64];

		snprintf(head, sizeof(head), "%s %s", commands[i].name,
			 commands[i].args);
		fprintf(out, "  %-32s %s\n", head, commands[i].help);
	}
}

static int cmd_help(struct ctl *ctl, int argc, char **argv)
{
	usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	struct ctl ctl = { 0 };
	size_t i;
	int c;

	/* '+': stop at the command, its options are its own. */
	while ((c = getopt_long(argc, argv, "+s:hV", options, NULL)) >= 0) {
		switch (c) {
		case 's':
			ctl.socket_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("jkbmsctl %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			int cargc = argc - optind;
			char **cargv = argv + optind;

			/* Handlers run their own getopt from the start. */
			optind = 0;
			return commands[i].handler(&ctl, cargc, cargv);
		}
	}
	fprintf(stderr, "jkbmsctl: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return 2;
}
