/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stands in for journald or for systemd's notify socket in tests: binds
 * an AF_UNIX datagram socket at argv[1] (journald's native socket in a
 * private mount namespace, or $NOTIFY_SOCKET) and appends every datagram
 * it receives to argv[2], each followed by a line "--", until argv[3]
 * seconds have passed or SIGTERM. Both protocols are KEY=value lines, so
 * a test can grep what a program sent with sd_journal_send() or
 * sd_notify().
 */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static char buf[1 << 17];
	time_t end;
	FILE *out;
	int fd;

	if (argc != 4 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: dgram-capture SOCKET FILE SECONDS\n");
		return 2;
	}
	end = time(NULL) + atoi(argv[3]);
	signal(SIGTERM, on_term);
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("dgram-capture: bind");
		return 1;
	}
	out = fopen(argv[2], "a");
	if (!out) {
		perror("dgram-capture: open");
		return 1;
	}
	while (!stop && time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0)
			continue;
		fwrite(buf, 1, (size_t)n, out);
		fputs(buf[n - 1] == '\n' ? "--\n" : "\n--\n", out);
		fflush(out);
	}
	fclose(out);
	unlink(argv[1]);
	return 0;
}
