/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl watch [BMS] [--interval TIME] [--count N]: the status tables,
 * asked for again every interval and redrawn in place on a terminal
 * (appended with a separator otherwise). --count bounds the number of
 * draws, for scripts and tests; without it watch runs until interrupted
 * or until the daemon goes away (exit status 1).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "jkbms/util.h"

#include "ctl/ctl.h"

#define WATCH_DEFAULT_USEC USEC_PER_SEC

static void usage(FILE *out)
{
	fprintf(out, "Usage: jkbmsctl watch [BMS] [--interval TIME] "
		     "[--count N]\n");
}

static void sleep_usec(uint64_t usec)
{
	struct timespec ts = {
		.tv_sec = (time_t)(usec / USEC_PER_SEC),
		.tv_nsec = (long)(usec % USEC_PER_SEC) * 1000,
	};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int ctl_watch_run(struct ctl *ctl, int argc, char **argv)
{
	static const struct option options[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	uint64_t interval = WATCH_DEFAULT_USEC;
	unsigned long count = 0, drawn;
	bool tty = isatty(STDOUT_FILENO);
	const char *bms = NULL;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "i:n:h", options, NULL)) >= 0) {
		switch (c) {
		case 'i':
			if (parse_duration(optarg, &interval) < 0 ||
			    interval < 100 * USEC_PER_MSEC) {
				fprintf(stderr,
					"jkbmsctl: watch: bad interval '%s' "
					"(at least 100ms)\n",
					optarg);
				return 2;
			}
			break;
		case 'n':
			errno = 0;
			count = strtoul(optarg, &end, 10);
			if (errno || *end || !count || optarg[0] == '-') {
				fprintf(stderr,
					"jkbmsctl: watch: bad count '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		bms = argv[optind++];
	if (optind < argc) {
		usage(stderr);
		return 2;
	}

	for (drawn = 0; !count || drawn < count; drawn++) {
		struct json_object *reply;
		char stamp[32];
		time_t t = time(NULL);
		int r;

		if (drawn)
			sleep_usec(interval);
		r = ctl_call(ctl, ctl_request_new("status", bms), &reply);
		if (r)
			return r;
		strftime(stamp, sizeof(stamp), "%H:%M:%S", localtime(&t));
		if (tty)
			fputs("\033[H\033[2J", stdout);
		else if (drawn)
			fputc('\n', stdout);
		printf("jkbmsctl watch, %s (every %.1f s)\n", stamp,
		       (double)interval / USEC_PER_SEC);
		ctl_status_print(reply, bms != NULL, stdout);
		fflush(stdout);
		json_object_put(reply);
	}
	return 0;
}
