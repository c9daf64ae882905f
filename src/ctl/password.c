/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The settings password for jkbmsctl set/auth/...: the first line of
 * --password-file, or asked on the terminal without echo. Never taken
 * from the command line (other users see it in ps) nor from the
 * environment. Callers wipe the buffer (explicit_bzero) after use.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <json-c/json.h>

#include "ctl/ctl.h"

/* Reads one line into buf without its end of line; -E2BIG if too long. */
static int read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t k;
	char c;

	for (;;) {
		k = read(fd, &c, 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0 || c == '\n')
			break;
		if (n + 1 >= size) {
			explicit_bzero(buf, size);
			return -E2BIG;
		}
		buf[n++] = c;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 0;
}

static int from_file(const char *path, char *buf, size_t size)
{
	struct stat st;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		fprintf(stderr, "jkbmsctl: cannot open %s: %s\n", path,
			strerror(-r));
		return r;
	}
	if (fstat(fd, &st) == 0 && (st.st_mode & 0077))
		fprintf(stderr,
			"jkbmsctl: warning: %s can be read by others; "
			"chmod 600 it\n",
			path);
	r = read_line(fd, buf, size);
	close(fd);
	if (r < 0)
		fprintf(stderr,
			"jkbmsctl: cannot read a password from %s: %s\n", path,
			r == -E2BIG ? "too long" : strerror(-r));
	return r;
}

static int from_terminal(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	sigset_t block, saved;
	int fd, r;

	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "jkbmsctl: no terminal to ask for the settings "
				"password on: use --password-file\n");
		return -ENOTTY;
	}
	if (tcgetattr(fd, &old) < 0) {
		r = -errno;
		close(fd);
		fprintf(stderr, "jkbmsctl: cannot ask for the password: %s\n",
			strerror(-r));
		return r;
	}
	/* no ^C between turning the echo off and back on */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTSTP);
	sigprocmask(SIG_BLOCK, &block, &saved);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	(void)!write(fd, prompt, strlen(prompt));
	tcsetattr(fd, TCSAFLUSH, &quiet);
	r = read_line(fd, buf, size);
	tcsetattr(fd, TCSAFLUSH, &old);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	(void)!write(fd, "\n", 1);
	close(fd);
	if (r < 0)
		fprintf(stderr, "jkbmsctl: no password read: %s\n",
			r == -E2BIG ? "too long" : strerror(-r));
	return r;
}

int ctl_read_password(const char *file, const char *bms, char *buf, size_t size)
{
	char prompt[128];
	int r;

	if (file)
		r = from_file(file, buf, size);
	else {
		snprintf(prompt, sizeof(prompt),
			 "Settings password of %s: ", bms);
		r = from_terminal(prompt, buf, size);
	}
	if (r == 0 && !buf[0]) {
		fprintf(stderr, "jkbmsctl: the password is empty\n");
		r = -EINVAL;
	}
	return r;
}

void ctl_request_wipe(struct json_object *req, const char *key)
{
	struct json_object *o;
	char *s;

	if (!json_object_object_get_ex(req, key, &o) ||
	    !json_object_is_type(o, json_type_string))
		return;
	s = (char *)json_object_get_string(o);
	/*
	 * Overwrite it and serialise again the way ctl_request() did, so the
	 * serialisation buffer holds the same length of 'x's instead.
	 */
	memset(s, 'x', strlen(s));
	json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	explicit_bzero(s, strlen(s));
}
