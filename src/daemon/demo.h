/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jkbmsd --demo: the live status table on stdout. */
#pragma once

#include <stdint.h>

struct demo;
struct manager;
struct sd_event;

/* Prints every interval_usec; redraws in place when stdout is a TTY. */
struct demo *demo_new(struct sd_event *event, struct manager *m,
		      uint64_t interval_usec);
struct demo *demo_free(struct demo *d);
