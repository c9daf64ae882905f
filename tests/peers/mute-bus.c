/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A system bus that never answers: listens on the unix socket argv[1] and
 * never accepts, so a client's connect succeeds (the backlog takes it),
 * its authentication bytes go out, and nothing ever comes back. Exits
 * after argv[2] seconds or on SIGTERM. A client that waits for the bus
 * in a blocking call hangs here; jkbmsd must not.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (argc != 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: mute-bus SOCKET SECONDS\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 16) < 0) {
		perror("mute-bus");
		return 1;
	}
	/* SIGTERM's default action ends it; the socket file stays for the
	 * test's temp dir to remove. */
	sleep((unsigned)atoi(argv[2]));
	close(fd);
	unlink(argv[1]);
	return 0;
}
