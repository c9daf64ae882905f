/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Value syntax of the configuration. Hand-written parsers rather than
 * strtoul()/strtod(): those accept signs, blanks, hex, exponents and the
 * locale's decimal comma, none of which belongs in a config file, and
 * every formatter here must print exactly what its parser reads back.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jkbms/hex.h"

#include "conf/conf-value.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Reads digits at *p into *v; -EINVAL if none, -ERANGE on overflow. */
static int take_digits(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	if (!is_digit(*s))
		return -EINVAL;
	for (; is_digit(*s); s++) {
		unsigned d = (unsigned)(*s - '0');

		if (x > (UINT64_MAX - d) / 10)
			return -ERANGE;
		x = x * 10 + d;
	}
	*p = s;
	*v = x;
	return 0;
}

int conf_parse_u64(const char *s, uint64_t *ret)
{
	uint64_t v;
	int r;

	r = take_digits(&s, &v);
	if (r < 0)
		return r;
	if (*s)
		return -EINVAL;
	*ret = v;
	return 0;
}

static const struct {
	const char *yes, *no;
} bool_words[] = {
	{ "yes", "no" },
	{ "true", "false" },
	{ "on", "off" },
	{ "1", "0" },
};

int conf_parse_bool(const char *s, bool *ret)
{
	size_t i;

	for (i = 0; i < sizeof(bool_words) / sizeof(bool_words[0]); i++) {
		if (!strcmp(s, bool_words[i].yes)) {
			*ret = true;
			return 0;
		}
		if (!strcmp(s, bool_words[i].no)) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

const char *conf_format_bool(bool b)
{
	return b ? "yes" : "no";
}

/* Longest first, so that "ms" is not read as "m". */
static const struct {
	const char *suffix;
	uint64_t usec;
} duration_units[] = {
	{ "us", 1 },
	{ "ms", USEC_PER_MSEC },
	{ "s", USEC_PER_SEC },
	{ "m", USEC_PER_MINUTE },
	{ "h", USEC_PER_HOUR },
	{ "d", USEC_PER_DAY },
};

#define N_UNITS (sizeof(duration_units) / sizeof(duration_units[0]))

static int take_unit(const char **p, uint64_t *ret)
{
	size_t i, best = N_UNITS, best_len = 0;

	for (i = 0; i < N_UNITS; i++) {
		size_t n = strlen(duration_units[i].suffix);

		if (!strncmp(*p, duration_units[i].suffix, n) && n > best_len) {
			best = i;
			best_len = n;
		}
	}
	if (best == N_UNITS)
		return -EINVAL;
	/* "5sec", "10min" are not ours: the unit must end the part */
	if ((*p)[best_len] >= 'a' && (*p)[best_len] <= 'z')
		return -EINVAL;
	*p += best_len;
	*ret = duration_units[best].usec;
	return 0;
}

int conf_parse_duration(const char *s, uint64_t *ret_usec)
{
	uint64_t total = 0;
	unsigned parts = 0;
	int r;

	for (;;) {
		uint64_t n, unit;

		while (parts > 0 && is_blank(*s))
			s++;
		if (!*s)
			break;
		r = take_digits(&s, &n);
		if (r < 0)
			return r;
		if (!*s && parts == 0) {
			unit = USEC_PER_SEC; /* bare number: seconds */
		} else {
			r = take_unit(&s, &unit);
			if (r < 0)
				return r;
		}
		if (n > UINT64_MAX / unit)
			return -ERANGE;
		n *= unit;
		if (total > UINT64_MAX - n)
			return -ERANGE;
		total += n;
		parts++;
	}
	if (parts == 0)
		return -EINVAL;
	*ret_usec = total;
	return 0;
}

char *conf_format_duration(uint64_t usec, char *buf, size_t size)
{
	size_t i;

	if (usec == 0) {
		snprintf(buf, size, "0");
		return buf;
	}
	for (i = N_UNITS; i-- > 0;) {
		if (usec % duration_units[i].usec == 0)
			break;
	}
	snprintf(buf, size, "%llu%s",
		 (unsigned long long)(usec / duration_units[i].usec),
		 duration_units[i].suffix);
	return buf;
}

int conf_parse_decimal(const char *s, uint64_t scale, uint64_t *ret)
{
	uint64_t whole, frac = 0, f = scale;
	int r;

	r = take_digits(&s, &whole);
	if (r < 0)
		return r;
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return -EINVAL;
		for (; is_digit(*s); s++) {
			if (f == 1)
				return -EINVAL; /* more decimals than scale */
			f /= 10;
			frac += (uint64_t)(*s - '0') * f;
		}
	}
	if (*s)
		return -EINVAL;
	if (whole > (UINT64_MAX - frac) / scale)
		return -ERANGE;
	*ret = whole * scale + frac;
	return 0;
}

char *conf_format_decimal(uint64_t v, uint64_t scale, char *buf, size_t size)
{
	uint64_t frac = v % scale;
	unsigned digits = 0;
	uint64_t s;

	if (frac == 0) {
		snprintf(buf, size, "%llu", (unsigned long long)(v / scale));
		return buf;
	}
	for (s = scale; s > 1; s /= 10)
		digits++;
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, size, "%llu.%0*llu", (unsigned long long)(v / scale),
		 (int)digits, (unsigned long long)frac);
	return buf;
}

int conf_parse_mac(const char *s, char ret[CONF_MAC_LEN + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	char out[CONF_MAC_LEN + 1];
	size_t i;

	if (strlen(s) != CONF_MAC_LEN)
		return -EINVAL;
	for (i = 0; i < CONF_MAC_LEN; i++) {
		int h;

		if (i % 3 == 2) {
			if (s[i] != ':')
				return -EINVAL;
			out[i] = ':';
			continue;
		}
		h = hex_digit(s[i]);
		if (h < 0)
			return -EINVAL;
		out[i] = hex[h];
	}
	out[CONF_MAC_LEN] = '\0';
	memcpy(ret, out, sizeof(out));
	return 0;
}

bool conf_name_valid(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++) {
		char c = s[n];

		if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '_' ||
		      c == '-'))
			return false;
	}
	return n >= 1 && n <= CONF_NAME_MAX;
}

bool conf_word_valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (is_blank(*s))
			return false;
	}
	return true;
}

bool conf_topic_valid(const char *s)
{
	bool level_empty = true;

	if (!conf_word_valid(s))
		return false;
	for (; *s; s++) {
		if (*s == '+' || *s == '#')
			return false;
		if (*s == '/') {
			if (level_empty)
				return false;
			level_empty = true;
		} else {
			level_empty = false;
		}
	}
	return !level_empty;
}
