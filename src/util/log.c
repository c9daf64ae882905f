/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's log writer: one function formats every message and sends it
 * either to the journal with structured fields (so "journalctl
 * JKBMS_BMS=house-1" works) or to stderr as one plain line. Debug output is
 * selected per category and can be toggled at run time (SIGUSR2).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>

#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

#include "jkbms/log.h"
#include "jkbms/util.h"

static enum log_target target = LOG_TARGET_STDERR;
static int max_level = LOG_INFO;
static unsigned debug_mask;
static unsigned debug_saved;

static const char *const cat_names[] = {
	"device", "frame",   "ble",     "serial", "modbus", "can",
	"mqtt",   "history", "control", "sim",    "config",
};

int log_target_from_string(const char *s, enum log_target *ret)
{
	if (strcmp(s, "auto") == 0)
		*ret = LOG_TARGET_AUTO;
	else if (strcmp(s, "journal") == 0)
		*ret = LOG_TARGET_JOURNAL;
	else if (strcmp(s, "stderr") == 0)
		*ret = LOG_TARGET_STDERR;
	else
		return -EINVAL;
	return 0;
}

/* $JOURNAL_STREAM is "dev:ino" of the stream systemd connected us to. */
static bool stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

void log_open(enum log_target t)
{
	if (t == LOG_TARGET_AUTO)
		t = stderr_is_journal() ? LOG_TARGET_JOURNAL
					: LOG_TARGET_STDERR;
	target = t;
}

bool log_to_journal(void)
{
	return target == LOG_TARGET_JOURNAL;
}

void log_set_level(int prio)
{
	max_level = prio;
}

int log_get_level(void)
{
	return max_level;
}

int log_parse_categories(const char *s, unsigned *ret_mask)
{
	unsigned mask = 0;
	const char *p = s;

	while (*p) {
		size_t n, i;
		bool found = false;

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (n == 0)
			break;
		if (n == 3 && strncmp(p, "all", 3) == 0) {
			mask |= LOG_CAT_ALL;
			found = true;
		}
		for (i = 0; !found && i < ARRAY_SIZE(cat_names); i++) {
			if (strlen(cat_names[i]) == n &&
			    strncmp(p, cat_names[i], n) == 0) {
				mask |= 1u << i;
				found = true;
			}
		}
		if (!found)
			return -EINVAL;
		p += n;
	}
	*ret_mask = mask;
	return 0;
}

char *log_format_categories(unsigned mask, char *buf, size_t size)
{
	size_t i, len = 0;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(cat_names) && len < size; i++) {
		if (!(mask & (1u << i)))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? "," : "", cat_names[i]);
	}
	return buf;
}

void log_set_debug(unsigned mask)
{
	debug_mask = mask;
	if (mask)
		debug_saved = mask;
}

unsigned log_get_debug(void)
{
	return debug_mask;
}

void log_toggle_debug(void)
{
	if (debug_mask) {
		debug_saved = debug_mask;
		debug_mask = 0;
	} else {
		debug_mask = debug_saved ? debug_saved : LOG_CAT_ALL;
	}
}

bool log_debug_enabled(unsigned cat)
{
	return (debug_mask & cat) != 0 || max_level >= LOG_DEBUG;
}

static bool level_enabled(int prio)
{
	/* A debug line reaching here was selected by its category. */
	return prio <= max_level || (prio == LOG_DEBUG && debug_mask);
}

static void write_journal(int prio, int err, const char *message_id,
			  const struct log_ctx *ctx, const char *file, int line,
			  const char *func, const char *msg)
{
	char *f[16];
	struct iovec iov[16];
	int n = 0, i;

	f[n++] = xasprintf("MESSAGE=%s", msg);
	f[n++] = xasprintf("PRIORITY=%d", prio);
	f[n++] = xstrdup("SYSLOG_IDENTIFIER=jkbmsd");
	f[n++] = xasprintf("CODE_FILE=%s", file);
	f[n++] = xasprintf("CODE_LINE=%d", line);
	f[n++] = xasprintf("CODE_FUNC=%s", func);
	if (err)
		f[n++] = xasprintf("ERRNO=%d", -err);
	if (message_id)
		f[n++] = xasprintf("MESSAGE_ID=%s", message_id);
	if (ctx && ctx->bms)
		f[n++] = xasprintf("JKBMS_BMS=%s", ctx->bms);
	if (ctx && ctx->bank)
		f[n++] = xasprintf("JKBMS_BANK=%s", ctx->bank);
	if (ctx && ctx->transport)
		f[n++] = xasprintf("JKBMS_TRANSPORT=%s", ctx->transport);
	if (ctx && ctx->address)
		f[n++] = xasprintf("JKBMS_ADDRESS=%s", ctx->address);
	if (ctx && ctx->alarm)
		f[n++] = xasprintf("JKBMS_ALARM=%s", ctx->alarm);

	for (i = 0; i < n; i++) {
		iov[i].iov_base = f[i];
		iov[i].iov_len = strlen(f[i]);
	}
	if (sd_journal_sendv(iov, n) < 0)
		fprintf(stderr, "jkbmsd: %s\n", msg);
	for (i = 0; i < n; i++)
		free(f[i]);
}

int log_full(int prio, int err, const char *message_id,
	     const struct log_ctx *ctx, const char *file, int line,
	     const char *func, const char *fmt, ...)
{
	char msg[1024];
	int saved_errno = errno;
	va_list ap;

	if (!level_enabled(prio))
		return err;

	/* %m prints the error passed in, as systemd's log functions do. */
	errno = err < 0 ? -err : err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (target == LOG_TARGET_JOURNAL)
		write_journal(prio, err, message_id, ctx, file, line, func,
			      msg);
	else if (ctx && ctx->bms)
		fprintf(stderr, "jkbmsd: %s: %s\n", ctx->bms, msg);
	else
		fprintf(stderr, "jkbmsd: %s\n", msg);

	errno = saved_errno;
	return err;
}

bool log_damp_check(struct log_damp *d, uint64_t now_usec,
		    unsigned *ret_suppressed)
{
	if (d->count == 0 ||
	    now_usec - d->window_start >= LOG_DAMP_WINDOW_USEC) {
		d->window_start = now_usec;
		d->count = 0;
	}
	d->count++;
	if (d->count <= LOG_DAMP_BURST) {
		*ret_suppressed = d->suppressed;
		d->suppressed = 0;
		return true;
	}
	d->suppressed++;
	*ret_suppressed = d->suppressed;
	return false;
}
