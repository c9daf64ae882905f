/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the control socket lives when the config keeps the default, shared
 * by jkbmsd and jkbmsctl so both agree without a config file.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jkbms/util.h"

char *control_socket_user_default(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (geteuid() == 0)
		return xstrdup("/run/jkbmsd/control");
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/jkbmsd/control", xdg);
	return xasprintf("/tmp/jkbmsd-%u/control", (unsigned)getuid());
}

int mkdir_parents(const char *path, unsigned mode)
{
	_cleanup_free_ char *p = xstrdup(path);
	char *slash = strrchr(p, '/');
	char *s;

	if (!slash || slash == p)
		return 0;
	*slash = '\0';
	/* Every component but the last with 0755, the last with mode. */
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}
