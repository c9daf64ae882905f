/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Secrets kept outside the main file (password_file = ...): a regular file
 * that group and others cannot read (mode & 077 == 0, as ssh wants of a
 * key), whose first line is the secret. Nothing but a regular file is
 * opened: opening a device can have effects (a watchdog starts counting)
 * and opening a FIFO blocks. stat() first, O_NONBLOCK, fstat() again.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jkbms/util.h"

#include "conf/conf-private.h"

#define SECRET_READ_MAX 4096 /* the first line must be in here */

/*
 * Error codes are never -EINVAL or -ERANGE here: the message is complete
 * and the caller adds no "(allowed: ...)" of the path syntax.
 */
static int open_error(int e)
{
	return e == EINVAL || e == ERANGE ? -EIO : -e;
}

int conf_secret_read(const char *path, char **ret, char *why, size_t size)
{
	_cleanup_close_ int fd = -1;
	char buf[SECRET_READ_MAX + 1];
	size_t len = 0;
	struct stat st;
	char *nl;

	if (stat(path, &st) < 0) {
		int e = errno;

		snprintf(why, size, "cannot open %s: %s", path, strerror(e));
		return open_error(e);
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, size, "%s is not a regular file", path);
		return -EPERM;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;

		snprintf(why, size, "cannot open %s: %s", path, strerror(e));
		return open_error(e);
	}
	if (fstat(fd, &st) < 0) {
		int e = errno;

		snprintf(why, size, "cannot stat %s: %s", path, strerror(e));
		return open_error(e);
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, size, "%s is not a regular file", path);
		return -EPERM;
	}
	if (st.st_mode & 077) {
		snprintf(why, size,
			 "%s has mode %04o: group or others have access "
			 "(allowed: 0600 or stricter)",
			 path, (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	while (len < SECRET_READ_MAX) {
		ssize_t n = read(fd, buf + len, SECRET_READ_MAX - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			explicit_bzero(buf, sizeof(buf));
			snprintf(why, size, "cannot read %s: %s", path,
				 strerror(e));
			return open_error(e);
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (memchr(buf, '\n', len))
			break;
	}
	buf[len] = '\0';
	nl = memchr(buf, '\n', len);
	if (!nl && len == SECRET_READ_MAX) {
		explicit_bzero(buf, sizeof(buf));
		snprintf(why, size, "the first line of %s is too long", path);
		return -EMSGSIZE;
	}
	if (nl) {
		*nl = '\0';
		len = (size_t)(nl - buf);
	}
	if (strlen(buf) != len) {
		explicit_bzero(buf, sizeof(buf));
		snprintf(why, size, "the first line of %s has a NUL byte",
			 path);
		return -EBADMSG;
	}
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	if (len == 0) {
		snprintf(why, size, "the first line of %s is empty", path);
		return -ENODATA;
	}
	*ret = xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return 0;
}
