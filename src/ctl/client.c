/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl's side of the control protocol: one JSON object per line each
 * way over the daemon's AF_UNIX stream socket.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "jkbms/util.h"

#include "ctl/ctl.h"

#define CTL_REPLY_MAX  (4u << 20)
#define CTL_TIMEOUT_MS 10000

const char *ctl_default_socket_hint(void)
{
	static char hint[256];
	_cleanup_free_ char *def = control_socket_user_default();

	snprintf(hint, sizeof(hint), "%s", def);
	return hint;
}

char *ctl_socket_path(const struct ctl *ctl)
{
	const char *env = getenv("JKBMS_SOCKET");
	char *user;
	struct stat st;

	if (ctl->socket_path)
		return xstrdup(ctl->socket_path);
	if (env && *env)
		return xstrdup(env);
	/* A user's own daemon first, else the system one. */
	user = control_socket_user_default();
	if (geteuid() == 0 || stat(user, &st) == 0)
		return user;
	free(user);
	return xstrdup("/run/jkbmsd/control");
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads up to the first newline; the daemon sends one line per reply. */
static int read_line(int fd, int timeout_ms, char **ret)
{
	size_t cap = 4096, len = 0;
	char *buf = xmalloc(cap);

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		char *nl;
		int r;

		r = poll(&p, 1, timeout_ms > 0 ? timeout_ms : CTL_TIMEOUT_MS);
		if (r == 0) {
			free(buf);
			return -ETIMEDOUT;
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			free(buf);
			return r;
		}
		if (cap - len < 4096) {
			if (cap >= CTL_REPLY_MAX) {
				free(buf);
				return -EMSGSIZE;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			free(buf);
			return r;
		}
		if (n == 0) {
			free(buf);
			return -ECONNRESET;
		}
		nl = memchr(buf + len, '\n', (size_t)n);
		len += (size_t)n;
		if (nl) {
			*nl = '\0';
			*ret = buf;
			return 0;
		}
	}
}

int ctl_request(const struct ctl *ctl, struct json_object *req,
		struct json_object **ret_reply)
{
	_cleanup_free_ char *path = ctl_socket_path(ctl);
	_cleanup_free_ char *line = NULL;
	_cleanup_close_ int fd = -1;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *text;
	struct json_object *reply;
	int r;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "jkbmsctl: socket path too long: %s\n", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		fprintf(stderr, "jkbmsctl: cannot connect to %s: %s%s\n", path,
			strerror(-r),
			r == -ENOENT || r == -ECONNREFUSED
				? " (is jkbmsd running?)"
				: "");
		return r;
	}

	text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	r = write_all(fd, text, strlen(text));
	if (r >= 0)
		r = write_all(fd, "\n", 1);
	if (r >= 0)
		r = read_line(fd, ctl->reply_timeout_ms, &line);
	if (r < 0) {
		fprintf(stderr, "jkbmsctl: %s: %s\n", path, strerror(-r));
		return r;
	}

	reply = json_tokener_parse(line);
	if (!reply || !json_object_is_type(reply, json_type_object)) {
		json_object_put(reply);
		fprintf(stderr, "jkbmsctl: %s: malformed reply\n", path);
		return -EBADMSG;
	}
	*ret_reply = reply;
	return 0;
}
