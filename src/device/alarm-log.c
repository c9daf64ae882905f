/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Alarm events in the log: an observer of each device compares the alarm
 * bits of every update with those last seen and logs each bit raised
 * (warning) or cleared (notice) by its name, with MESSAGE_ID and
 * JKBMS_ALARM, so "journalctl JKBMS_ALARM=cell_ovp" finds them.
 * The last bits survive link losses, so a reconnect does not raise the
 * same alarms again; an alarm that flaps is damped like a link.
 */
#include "config.h"

#include <stdio.h>

#include "jkbms/alarms.h"
#include "jkbms/fields.h"
#include "jkbms/util.h"

#include "device/device-private.h"

static void log_bit(struct device *dev, unsigned bit, bool raised, bool quiet)
{
	struct log_ctx ctx = dev->log;
	const char *name = alarm_name(dev->model.variant, bit);
	char fallback[16];
	int prio = raised ? LOG_WARNING : LOG_NOTICE;

	if (!name) {
		snprintf(fallback, sizeof(fallback), "bit_%u", bit);
		name = fallback;
	}
	ctx.alarm = name;
	if (quiet)
		prio = LOG_DEBUG;
	log_full(prio, 0, raised ? LOG_ID_ALARM_RAISED : LOG_ID_ALARM_CLEARED,
		 &ctx, __FILE__, __LINE__, __func__, "alarm %s: %s",
		 raised ? "raised" : "cleared", name);
}

static void on_event(struct device *dev, enum device_event ev,
		     const struct bits *changed, void *userdata)
{
	struct alarm_log *al = userdata;
	const struct field_values *v = &dev->model.v;
	uint64_t bits, diff;
	unsigned bit, suppressed = 0;
	bool quiet;

	if (ev != DEVICE_EVENT_VALUES || !field_has(v, FIELD_ALARM_BITS))
		return;
	bits = (uint64_t)v->num[FIELD_ALARM_BITS];
	diff = bits ^ al->bits;
	if (!diff)
		return;
	quiet = !log_damp_check(&al->damp, now_usec(), &suppressed);
	if (!quiet && suppressed)
		dev_log(&dev->log, LOG_NOTICE,
			"%u flapping alarm changes were not logged",
			suppressed);
	for (bit = 0; bit < 64; bit++)
		if (diff & (UINT64_C(1) << bit))
			log_bit(dev, bit, bits & (UINT64_C(1) << bit), quiet);
	al->bits = bits;
}

void alarm_log_init(struct device *dev)
{
	device_watch_add(dev, on_event, &dev->alarm_log);
}
