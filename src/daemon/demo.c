/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The demo's screen: the same status document the control socket serves,
 * printed with jkbmsctl's table code. On a terminal the table is redrawn
 * in place (cursor home, clear to end); otherwise each table is appended,
 * which is what tests and CI logs want.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include <json-c/json.h>
#include <systemd/sd-event.h>

#include "jkbms/log.h"
#include "jkbms/util.h"

#include "ctl/ctl.h"
#include "daemon/demo.h"
#include "daemon/manager.h"
#include "daemon/status-json.h"

#define DEMO_FIRST_USEC (UINT64_C(1) * 1000000)

struct demo {
	struct manager *manager;
	sd_event_source *timer;
	uint64_t interval_usec;
	bool tty;
	uint64_t start_usec;
};

static void draw(struct demo *d)
{
	struct json_object *status;
	char err[64], up[32];

	status = status_json(d->manager, NULL, err, sizeof(err));
	if (!status)
		return;
	if (d->tty)
		fputs("\033[H\033[J", stdout);
	else
		fputs("\n", stdout);
	printf("jkbmsd %s demo: simulated BMSs through the real pipeline, "
	       "up %s%s\n\n",
	       PACKAGE_VERSION,
	       format_duration(up, sizeof(up), now_usec() - d->start_usec),
	       d->tty ? " (Ctrl-C quits)" : "");
	ctl_status_print(status, false, stdout);
	fflush(stdout);
	json_object_put(status);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct demo *d = userdata;

	draw(d);
	sd_event_source_set_time_relative(s, d->interval_usec);
	return 0;
}

struct demo *demo_new(struct sd_event *event, struct manager *m,
		      uint64_t interval_usec)
{
	struct demo *d = xcalloc(1, sizeof(*d));
	int r;

	d->manager = m;
	d->interval_usec = interval_usec;
	d->tty = isatty(STDOUT_FILENO);
	d->start_usec = now_usec();
	/* The first table once the simulated links are up. */
	r = sd_event_add_time_relative(event, &d->timer, CLOCK_MONOTONIC,
				       interval_usec < DEMO_FIRST_USEC
					       ? interval_usec
					       : DEMO_FIRST_USEC,
				       0, on_timer, d);
	if (r >= 0)
		r = sd_event_source_set_enabled(d->timer, SD_EVENT_ON);
	if (r < 0)
		log_warning_errno(r, "demo: cannot add the display timer: %m");
	return d;
}

struct demo *demo_free(struct demo *d)
{
	if (!d)
		return NULL;
	sd_event_source_disable_unref(d->timer);
	free(d);
	return NULL;
}
