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
	{ .name = "watch",
	  .args = "[BMS] [--interval T] [--count N]",
	  .handler = ctl_watch_run,
	  .help = "Show the status tables, redrawn every interval" },
	{ .name = "cells",
	  .args = "BMS [--json]",
	  .handler = ctl_cells_run,
	  .help = "Show the cells of a BMS: voltage, resistance, balancing" },
	{ .name = "info",
	  .args = "BMS [--json]",
	  .handler = ctl_info_run,
	  .help = "Show the device information of a BMS" },
	{ .name = "settings",
	  .args = "BMS [--json]",
	  .handler = ctl_settings_run,
	  .help = "Show the settings last read from a BMS" },
	{ .name = "reload",
	  .args = "",
	  .handler = ctl_reload_run,
	  .help = "Reload the daemon's configuration (as SIGHUP)" },
	{ .name = "debug",
	  .args = "[CATEGORY on|off]",
	  .handler = ctl_debug_run,
	  .help = "Turn debug categories on or off; show them" },
	/* the history database: cmd-history.c, cmd-events.c, cmd-energy.c */
	{ .name = "history",
	  .args = "BMS [--since T] [--every D] [--csv|--json]",
	  .handler = ctl_history_run,
	  .help = "Samples of a BMS from the history database" },
	{ .name = "events",
	  .args = "[BMS] [--since T] [--json]",
	  .handler = ctl_events_run,
	  .help = "Alarms, links, password failures, settings writes" },
	{ .name = "energy",
	  .args = "BMS [--by day|month] [--csv|--json]",
	  .handler = ctl_energy_run,
	  .help = "kWh charged and discharged per day or month" },
	/* the write path: cmd-write.c, cmd-auth.c */
	{ .name = "set",
	  .args = "BMS KEY VALUE [--password-file F]",
	  .handler = ctl_set_run,
	  .help = "Write a setting; success once the BMS holds it" },
	{ .name = "switch",
	  .args = "BMS charge|discharge|balance on|off",
	  .handler = ctl_switch_run,
	  .help = "Switch charging, discharging or balancing" },
	{ .name = "preset",
	  .args = "BMS lifepo4|li-ion|lto",
	  .handler = ctl_preset_run,
	  .help = "Load the one-click protection preset of a chemistry" },
	{ .name = "auth",
	  .args = "BMS [--for 10m] [--close]",
	  .handler = ctl_auth_run,
	  .help = "Open an authorisation window for writes" },
	{ .name = "factory-reset",
	  .args = "BMS",
	  .handler = ctl_factory_reset_run,
	  .help = "Reset the BMS to its factory settings (asks twice)" },
	{ .name = "restart",
	  .args = "BMS",
	  .handler = ctl_restart_run,
	  .help = "Restart the BMS (asks twice)" },
	/* BLE: cmd-scan.c, cmd-release.c */
	{ .name = "scan",
	  .args = "[--adapter hci0] [--for 10s] [--json]",
	  .handler = ctl_scan_run,
	  .help = "List the JK BMSs nearby: name, MAC, RSSI, manufacturer data" },
	{ .name = "release",
	  .args = "BMS [--for 10m]",
	  .handler = ctl_release_run,
	  .help = "Disconnect a BLE BMS for a while so the phone app can connect" },
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
