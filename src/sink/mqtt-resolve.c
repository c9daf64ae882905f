/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * getaddrinfo() can block for seconds on a slow DNS server, which the
 * daemon's one loop must never do. A numeric address is parsed on the
 * spot; a name is looked up in a detached thread that writes the numeric
 * answers into the request and signals an eventfd. Loop and thread share
 * the request through a reference count, so either may let go first.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <systemd/sd-event.h>

#include "jkbms/util.h"

#include "sink/mqtt-resolve.h"

struct mqtt_resolve {
	int refs; /* atomic: the loop's and the thread's */
	int efd;
	char *host;
	int err;
	size_t n;
	char addrs[MQTT_ADDR_MAX][MQTT_ADDR_LEN];
	sd_event_source *io;
	mqtt_resolve_func_t done;
	void *userdata;
};

static void unref(struct mqtt_resolve *r)
{
	if (__atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	close(r->efd);
	free(r->host);
	free(r);
}

static int gai_to_errno(int rc)
{
	switch (rc) {
	case EAI_NONAME:
	case EAI_NODATA:
		return -ENOENT;
	case EAI_AGAIN:
		return -EAGAIN;
	case EAI_MEMORY:
		return -ENOMEM;
	case EAI_SYSTEM:
		return errno > 0 ? -errno : -EIO;
	default:
		return -EIO;
	}
}

/* Numeric text of every stream address of the answer, in its order. */
static size_t collect(const struct addrinfo *ai, char (*addrs)[MQTT_ADDR_LEN])
{
	size_t n = 0;

	for (; ai && n < MQTT_ADDR_MAX; ai = ai->ai_next) {
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addrs[n],
				MQTT_ADDR_LEN, NULL, 0, NI_NUMERICHOST) == 0)
			n++;
	}
	return n;
}

static void *lookup(void *arg)
{
	struct mqtt_resolve *r = arg;
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_ADDRCONFIG,
	};
	struct addrinfo *ai = NULL;
	uint64_t one = 1;
	int rc;

	rc = getaddrinfo(r->host, NULL, &hints, &ai);
	if (rc != 0) {
		r->err = gai_to_errno(rc);
	} else {
		r->n = collect(ai, r->addrs);
		r->err = r->n ? 0 : -ENOENT;
		freeaddrinfo(ai);
	}
	if (write(r->efd, &one, sizeof(one)) < 0) {
		/* The loop side may be gone; nothing to tell then. */
	}
	unref(r);
	return NULL;
}

static int on_answer(sd_event_source *s, int fd, uint32_t revents,
		     void *userdata)
{
	struct mqtt_resolve *r = userdata;
	uint64_t v;

	if (read(fd, &v, sizeof(v)) < 0 && errno == EAGAIN)
		return 0;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	r->io = sd_event_source_disable_unref(r->io);
	r->done(r->err, (const char(*)[MQTT_ADDR_LEN])r->addrs, r->n,
		r->userdata);
	unref(r);
	return 0;
}

int mqtt_resolve_start(struct sd_event *event, const char *host,
		       mqtt_resolve_func_t done, void *userdata,
		       char (*addrs)[MQTT_ADDR_LEN], struct mqtt_resolve **ret)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST,
	};
	struct addrinfo *ai = NULL;
	struct mqtt_resolve *r;
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t tid;
	int rc;

	*ret = NULL;
	if (getaddrinfo(host, NULL, &hints, &ai) == 0) {
		size_t n = collect(ai, addrs);

		freeaddrinfo(ai);
		return n ? 1 : -EINVAL;
	}

	r = xcalloc(1, sizeof(*r));
	r->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (r->efd < 0) {
		rc = -errno;
		free(r);
		return rc;
	}
	r->host = xstrdup(host);
	r->done = done;
	r->userdata = userdata;
	r->refs = 2;
	rc = sd_event_add_io(event, &r->io, r->efd, EPOLLIN, on_answer, r);
	if (rc < 0)
		goto fail;

	/* The thread takes no signals: the loop's signalfd gets them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = -pthread_create(&tid, &attr, lookup, r);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc < 0)
		goto fail;
	*ret = r;
	return 0;

fail:
	r->io = sd_event_source_disable_unref(r->io);
	close(r->efd);
	free(r->host);
	free(r);
	return rc;
}

struct mqtt_resolve *mqtt_resolve_cancel(struct mqtt_resolve *r)
{
	if (!r)
		return NULL;
	r->io = sd_event_source_disable_unref(r->io);
	unref(r);
	return NULL;
}
