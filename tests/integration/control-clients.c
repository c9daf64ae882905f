/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hostile and numerous clients against a running jkbmsd's control socket
 * (path in argv[1]): many at once, pipelining, vanishing mid-reply, never
 * reading, over-long and malformed requests, requests split byte by byte.
 * After each, a fresh client must still be answered promptly. Prints TAP
 * cases 1..CONTROL_CLIENTS_CASES; the calling script prints the plan.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define TIMEOUT_MS 5000

static const char *path;
static int n_test, failed;

static void ok(bool cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n_test, what);
	if (!cond)
		failed = 1;
}

static int connect_client(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * Reads until 'lines' newlines or the end; returns the bytes (malloc'd),
 * *ret_eof: the daemon closed the connection.
 */
static char *read_lines(int fd, int lines, bool *ret_eof)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int seen = 0;

	*ret_eof = false;
	while (seen < lines) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, TIMEOUT_MS) <= 0)
			break;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n <= 0) {
			/* Closed with our bytes unread: a reset, not EOF. */
			*ret_eof = n == 0 || errno == ECONNRESET;
			break;
		}
		for (ssize_t i = 0; i < n; i++)
			seen += buf[len + (size_t)i] == '\n';
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

static int count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* A fresh client gets its ping answered. */
static bool alive(void)
{
	int fd = connect_client();
	bool eof, good;
	char *r;

	if (fd < 0)
		return false;
	good = send_all(fd, "{\"cmd\":\"ping\"}\n", 15);
	r = read_lines(fd, 1, &eof);
	good = good && strstr(r, "\"ok\":true") != NULL;
	free(r);
	close(fd);
	return good;
}

static void test_many(void)
{
	int fds[50], i, good = 0;
	static const char req[] = "{\"cmd\":\"status\"}\n";

	for (i = 0; i < 50; i++) {
		fds[i] = connect_client();
		if (fds[i] >= 0)
			send_all(fds[i], req, sizeof(req) - 1);
	}
	for (i = 0; i < 50; i++) {
		bool eof;
		char *r;

		if (fds[i] < 0)
			continue;
		r = read_lines(fds[i], 1, &eof);
		good += strstr(r, "\"ok\":true") && strstr(r, "\"banks\"");
		free(r);
		close(fds[i]);
	}
	ok(good == 50, "50 clients at once are all answered");
}

static void test_vanish(void)
{
	static const char req[] = "{\"cmd\":\"status\"}\n";
	char *burst = malloc(200 * (sizeof(req) - 1));
	int i, j;

	for (j = 0; j < 200; j++)
		memcpy(burst + j * (sizeof(req) - 1), req, sizeof(req) - 1);
	for (i = 0; i < 20; i++) {
		int fd = connect_client();

		if (fd < 0)
			continue;
		send_all(fd, burst, 200 * (sizeof(req) - 1));
		if (i % 2) {
			char b[100];

			/* Read a little of the replies, then vanish. */
			(void)!recv(fd, b, sizeof(b), 0);
		}
		close(fd);
	}
	free(burst);
	ok(alive(), "clients vanishing mid-reply leave the daemon serving");
}

static void test_pipelined(void)
{
	static const char req[] = "{\"cmd\":\"ping\"}\n";
	int fd = connect_client(), i;
	char *burst = malloc(1000 * (sizeof(req) - 1)), *r;
	bool eof;

	for (i = 0; i < 1000; i++)
		memcpy(burst + i * (sizeof(req) - 1), req, sizeof(req) - 1);
	send_all(fd, burst, 1000 * (sizeof(req) - 1));
	r = read_lines(fd, 1000, &eof);
	ok(count(r, "\"ok\":true") == 1000,
	   "1000 pipelined requests get 1000 replies");
	free(r);
	free(burst);
	close(fd);
}

static void test_stalled(void)
{
	static const char req[] = "{\"cmd\":\"status\"}\n";
	int fds[5], i, j;

	/* Clients that send a lot and never read. */
	for (i = 0; i < 5; i++) {
		fds[i] = connect_client();
		for (j = 0; j < 200 && fds[i] >= 0; j++)
			if (send(fds[i], req, sizeof(req) - 1,
				 MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
				break;
	}
	ok(alive(), "clients that never read do not stall the others");
	for (i = 0; i < 5; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void test_too_long(void)
{
	int fd = connect_client();
	char big[5000], *r;
	bool eof;

	memset(big, 'x', sizeof(big));
	send_all(fd, big, sizeof(big));
	r = read_lines(fd, 1, &eof);
	ok(strstr(r, "\"error\":\"request too long\"") != NULL,
	   "an over-long request gets an error reply");
	free(r);
	r = read_lines(fd, 1, &eof);
	ok(eof, "and the connection is closed");
	free(r);
	close(fd);
}

static void test_malformed(void)
{
	static const char req[] =
		"garbage\n{\"cmd\":\"status\",\"bms\":\"nope\"}\n"
		"{\"cmd\":\"frobnicate\"}\n{\"cmd\":\"ping\"}\n";
	int fd = connect_client();
	bool eof;
	char *r;

	send_all(fd, req, sizeof(req) - 1);
	r = read_lines(fd, 4, &eof);
	ok(strstr(r, "{\"ok\":false,\"error\":\"malformed JSON\"}\n"
		     "{\"ok\":false,\"error\":\"unknown BMS 'nope'\"}\n"
		     "{\"ok\":false,\"error\":\"unknown command 'frobnicate'\"}\n"
		     "{\"ok\":true,") == r,
	   "bad requests get errors, in order, and the next one an answer");
	free(r);
	close(fd);
}

static void test_split(void)
{
	static const char req[] = "{\"cmd\":\"status\",\"bms\":\"house-1\"}\n";
	int fd = connect_client();
	bool eof;
	size_t i;
	char *r;

	for (i = 0; i < sizeof(req) - 1; i++) {
		send_all(fd, req + i, 1);
		usleep(1000);
	}
	r = read_lines(fd, 1, &eof);
	ok(strstr(r, "\"house-1\"") && !strstr(r, "\"house-2\""),
	   "a request sent byte by byte is answered");
	free(r);
	close(fd);
}

static void test_half_close(void)
{
	int fd = connect_client();
	bool eof;
	char *r;

	/* The last request without a newline, then shutdown(SHUT_WR). */
	send_all(fd, "{\"cmd\":\"ping\"}", 14);
	shutdown(fd, SHUT_WR);
	r = read_lines(fd, 1, &eof);
	ok(strstr(r, "\"ok\":true") != NULL,
	   "a request ended by closing the write side is answered");
	free(r);
	close(fd);
}

static void test_too_many(void)
{
	int fds[80], i, refused = 0;

	for (i = 0; i < 80; i++)
		fds[i] = connect_client();
	/* The daemon closes connections above its limit at once. */
	for (i = 0; i < 80; i++) {
		struct pollfd p = { .fd = fds[i], .events = POLLIN };
		char b;

		if (fds[i] < 0) {
			refused++;
			continue;
		}
		if (poll(&p, 1, i < 60 ? 0 : 1000) > 0 &&
		    recv(fds[i], &b, 1, MSG_DONTWAIT) == 0)
			refused++;
	}
	ok(refused >= 80 - 64, "clients above the limit are turned away");
	for (i = 0; i < 80; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	usleep(200000);
	ok(alive(), "and service resumes once they are gone");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: control-clients SOCKET\n");
		return 2;
	}
	path = argv[1];
	ok(alive(), "the daemon answers a ping");
	test_many();
	test_vanish();
	test_pipelined();
	test_stalled();
	test_too_long();
	test_malformed();
	test_split();
	test_half_close();
	test_too_many();
	return failed;
}
