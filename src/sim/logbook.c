/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BMS's logbook (JK02_32S, request 0xA1, frame 0x05; protocols.md
 * 1.11): boots and cell over-charge / over-discharge trips, stamped with
 * the BMS's runtime in seconds. The frame holds the newest entries that
 * fit; the count keeps growing like the real one. A protection that
 * chatters (tripping, releasing as the current stops, tripping again) is
 * logged once a minute, not once a tick.
 */
#include "config.h"

#include <string.h>

#include "sim/sim-private.h"

/* Event codes of the real logbook (protocols.md 1.11). */
#define LOG_BOOT		0x01
#define LOG_CELL_OVER_CHARGE	0x64	/* + cell index, 0-based */
#define LOG_CELL_OVER_DISCHARGE	0xC8
#define LOG_REPEAT_S		60

static void add(struct sim_bms *s, uint8_t code)
{
	struct jk_logbook *lb = &s->logbook;
	uint32_t t = (uint32_t)(s->runtime_base_s + s->tick_usec / 1000000);

	if (lb->n && lb->entry[lb->n - 1].code == code &&
	    t - lb->entry[lb->n - 1].time < LOG_REPEAT_S)
		return;
	if (lb->n == JK_LOGBOOK_MAX) {
		memmove(&lb->entry[0], &lb->entry[1],
			sizeof(lb->entry[0]) * (JK_LOGBOOK_MAX - 1));
		lb->n--;
	}
	lb->entry[lb->n].time = t;
	lb->entry[lb->n].code = code;
	lb->n++;
	lb->count++;
}

void logbook_boot(struct sim_bms *s)
{
	add(s, LOG_BOOT);
}

void logbook_trips(struct sim_bms *s, bool was_ovp, bool was_uvp)
{
	if (!was_ovp && s->prot.active[PROT_CELL_OVP])
		add(s, (uint8_t)(LOG_CELL_OVER_CHARGE + s->pack.max_idx));
	if (!was_uvp && s->prot.active[PROT_CELL_UVP])
		add(s, (uint8_t)(LOG_CELL_OVER_DISCHARGE + s->pack.min_idx));
}
