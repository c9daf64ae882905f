/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The little text the model produces (settings values, validation
 * messages), without stdio: the pure layers stay within the libc subset
 * tests/check-layering.sh allows, and the output never depends on a
 * locale.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model-private.h"

void text_join(char *buf, size_t size, const char *const *parts)
{
	size_t len = 0, n;

	if (size == 0)
		return;
	for (; *parts; parts++) {
		n = strlen(*parts);
		if (n > size - 1 - len)
			n = size - 1 - len;
		memcpy(buf + len, *parts, n);
		len += n;
	}
	buf[len] = '\0';
}

char *text_scaled(char *buf, size_t size, int64_t value, unsigned decimals)
{
	char tmp[TEXT_NUM_MAX], *p = tmp + sizeof(tmp);
	uint64_t mag =
		value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
	unsigned i = 0;

	*--p = '\0';
	do {
		if (decimals && i == decimals)
			*--p = '.';
		*--p = (char)('0' + mag % 10);
		mag /= 10;
		i++;
	} while (mag || i <= decimals);
	if (value < 0)
		*--p = '-';
	text_join(buf, size, (const char *const[]){ p, NULL });
	return buf;
}

bool text_eq_nocase(const char *s, size_t n, const char *word)
{
	size_t i;

	if (strlen(word) != n)
		return false;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char)s[i]) !=
		    tolower((unsigned char)word[i]))
			return false;
	return true;
}
