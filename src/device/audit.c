/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The audit trail of the write path (DESIGN "The two-password scheme"):
 * every attempt to write or to open an authorisation window, accepted or
 * not, becomes one journal entry with MESSAGE_ID LOG_ID_SETTINGS_AUDIT and
 * the BMS's JKBMS_* fields plus JKBMS_SETTING, JKBMS_OLD_VALUE,
 * JKBMS_NEW_VALUE, JKBMS_OUTCOME, JKBMS_SOURCE and JKBMS_ORIGIN (a plain
 * line on stderr otherwise), and one record for the observers (the
 * history sink keeps them in SQLite). A record never holds a password.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <systemd/sd-journal.h>

#include "jkbms/log.h"
#include "jkbms/settings-rules.h"
#include "jkbms/util.h"
#include "jkbms/watchlist.h"

#include "device/device-private.h"
#include "device/write-private.h"

/* Global: the observers are sinks that outlive every device. */
static struct watchlist audit_watches;

unsigned audit_watch_add(audit_func_t func, void *userdata)
{
	return watchlist_add(&audit_watches, (watch_func_t)func, userdata,
			     NULL);
}

void audit_watch_remove(unsigned id)
{
	watchlist_remove(&audit_watches, id);
	if (!watchlist_count(&audit_watches) && !audit_watches.in_notify)
		watchlist_clear(&audit_watches);
}

/* clang-format off */
static const char *const outcome_names[WRITE_OUTCOME__MAX] = {
	[WRITE_APPLIED] = "applied",
	[WRITE_SENT] = "sent",
	[WRITE_NOT_APPLIED] = "not-applied",
	[WRITE_REFUSED] = "refused",
	[WRITE_DENIED] = "denied",
	[WRITE_LOCKED] = "locked",
	[WRITE_FAILED] = "failed",
};

static const char *const source_names[WRITE_SOURCE__MAX] = {
	[WRITE_SOURCE_CONTROL] = "control",
	[WRITE_SOURCE_MQTT] = "mqtt",
	[WRITE_SOURCE_HA] = "ha",
};
/* clang-format on */

const char *write_outcome_name(enum write_outcome o)
{
	return (unsigned)o < WRITE_OUTCOME__MAX ? outcome_names[o] : NULL;
}

const char *write_source_name(enum write_source s)
{
	return (unsigned)s < WRITE_SOURCE__MAX ? source_names[s] : NULL;
}

bool write_outcome_ok(enum write_outcome o)
{
	return o == WRITE_APPLIED || o == WRITE_SENT;
}

char *audit_format_value(enum setting_id id, int64_t value, char *buf,
			 size_t size)
{
	const struct setting_desc *d = &settings_table[id];
	char num[48];

	setting_format_value(id, value, num, sizeof(num));
	if (d->unit && d->kind == SETTING_KIND_NUMBER)
		snprintf(buf, size, "%s %s", num, d->unit);
	else
		snprintf(buf, size, "%s", num);
	return buf;
}

static void to_journal(const struct device *dev, int prio,
		       const struct audit_record *rec, const char *text)
{
	const struct log_ctx *c = &dev->log;

	sd_journal_send("MESSAGE=%s", text, "PRIORITY=%d", prio,
			"SYSLOG_IDENTIFIER=jkbmsd",
			"MESSAGE_ID=" LOG_ID_SETTINGS_AUDIT, "JKBMS_BMS=%s",
			c->bms ? c->bms : "", "JKBMS_BANK=%s",
			c->bank ? c->bank : "", "JKBMS_TRANSPORT=%s",
			c->transport ? c->transport : "", "JKBMS_ADDRESS=%s",
			c->address ? c->address : "", "JKBMS_SETTING=%s",
			rec->key, "JKBMS_OLD_VALUE=%s", rec->old_value,
			"JKBMS_NEW_VALUE=%s", rec->new_value,
			"JKBMS_OUTCOME=%s", write_outcome_name(rec->outcome),
			"JKBMS_SOURCE=%s", write_source_name(rec->source),
			"JKBMS_ORIGIN=%s", rec->origin, NULL);
}

void audit_emit(struct device *dev, enum write_source source,
		const char *origin, const char *key, const char *old_value,
		const char *new_value, enum write_outcome outcome,
		const char *message)
{
	struct audit_record rec = {
		.realtime_usec = now_realtime_usec(),
		.bms = dev->name,
		.source = source,
		.origin = origin && *origin ? origin : "unknown",
		.key = key,
		.outcome = outcome,
		.message = message ? message : "",
	};
	int prio = write_outcome_ok(outcome) ? LOG_NOTICE : LOG_WARNING;
	char text[512];

	snprintf(rec.old_value, sizeof(rec.old_value), "%s",
		 old_value ? old_value : "");
	snprintf(rec.new_value, sizeof(rec.new_value), "%s",
		 new_value ? new_value : "");
	if (!strcmp(key, "auth"))
		snprintf(text, sizeof(text),
			 "settings authorisation by %s (%s): %s%s%s",
			 write_source_name(source), rec.origin,
			 write_outcome_name(outcome), *rec.message ? ": " : "",
			 rec.message);
	else
		snprintf(text, sizeof(text),
			 "settings write %s %s -> %s by %s (%s): %s%s%s", key,
			 *rec.old_value ? rec.old_value : "?",
			 *rec.new_value ? rec.new_value : "?",
			 write_source_name(source), rec.origin,
			 write_outcome_name(outcome), *rec.message ? ": " : "",
			 rec.message);

	if (prio <= log_get_level()) {
		if (log_to_journal())
			to_journal(dev, prio, &rec, text);
		else
			log_full(prio, 0, LOG_ID_SETTINGS_AUDIT, &dev->log,
				 __FILE__, __LINE__, __func__, "%s", text);
	}
	WATCHLIST_NOTIFY(&audit_watches, audit_func_t, &rec);
}
