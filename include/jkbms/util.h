/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers every non-pure layer uses: allocation that aborts on OOM
 * (STYLE 3.5), cleanup attributes for locals, the one time type (uint64_t
 * microseconds), durations, and where the control socket lives.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr)-offsetof(type, member)))
#endif

#define USEC_PER_SEC  UINT64_C(1000000)
#define USEC_PER_MSEC UINT64_C(1000)

/* Allocation: never returns NULL, aborts with a message instead. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Cleanup attributes for locals (systemd/iwd habit). */
static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define _cleanup_(f)     __attribute__((cleanup(f)))
#define _cleanup_free_   _cleanup_(freep)
#define _cleanup_close_  _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Returns the value of *p and sets *p to NULL / -1 (ownership hand-off). */
#define TAKE_PTR(p)                       \
	({                                \
		__typeof__(p) _tp_ = (p); \
		(p) = NULL;               \
		_tp_;                     \
	})
#define TAKE_FD(fd)              \
	({                       \
		int _tf_ = (fd); \
		(fd) = -1;       \
		_tf_;            \
	})

/* Clocks, in microseconds: MONOTONIC for scheduling, REALTIME for stamps. */
uint64_t now_usec(void);
uint64_t now_realtime_usec(void);
/* "2h 5m", "3.2s", "150ms": a short human form of a duration. */
char *format_duration(char *buf, size_t size, uint64_t usec);
/* Parses "500ms", "5s", "10m", "2h", "1d" or plain seconds; -EINVAL. */
int parse_duration(const char *s, uint64_t *ret_usec);
/* Compares two strings in time independent of where they differ. */
bool streq_consttime(const char *a, const char *b);

/*
 * The control socket when the config keeps the system default: root gets
 * /run/jkbmsd/control, others $XDG_RUNTIME_DIR/jkbmsd/control or
 * /tmp/jkbmsd-<uid>/control. Returns an allocated path.
 */
char *control_socket_user_default(void);
/* Creates the directories above path (mode for the last one). */
int mkdir_parents(const char *path, unsigned mode);
