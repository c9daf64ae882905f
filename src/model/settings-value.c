/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Settings values as text: what jkbmsctl set, MQTT set/<key> payloads and
 * Home Assistant send, and what we print back. Numbers are parsed as exact
 * decimals into the table's scaled integer (never through a double), so
 * "3.45" is 3450 mV and nothing is rounded behind the user's back.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "jkbms/settings-rules.h"
#include "jkbms/settings.h"

#include "model-private.h"

/* [start, end) of text without surrounding white space. */
static void trim(const char *text, const char **start, const char **end)
{
	const char *s = text, *e = text + strlen(text);

	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*start = s;
	*end = e;
}

static bool word_is(const char *s, const char *e, const char *word)
{
	return text_eq_nocase(s, (size_t)(e - s), word);
}

/*
 * "[+-]digits[.digits]" scaled by 10^decimals. Digits past 'decimals'
 * must be zeros (-EINVAL otherwise: more precision than the setting has);
 * -ERANGE if it does not fit an int64.
 */
static int parse_decimal(const char *s, const char *e, unsigned decimals,
			 int64_t *ret)
{
	bool negative = false, point = false;
	uint64_t mag = 0, limit;
	unsigned frac = 0, digits = 0;

	if (s < e && (*s == '+' || *s == '-')) {
		negative = *s == '-';
		s++;
	}
	limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; s < e; s++) {
		if (*s == '.' && !point && digits > 0) {
			point = true;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -EINVAL;
		digits++;
		if (point && frac == decimals) {
			if (*s != '0')
				return -EINVAL;
			continue;
		}
		if (point)
			frac++;
		if (mag > (limit - (unsigned)(*s - '0')) / 10)
			return -ERANGE;
		mag = mag * 10 + (unsigned)(*s - '0');
	}
	if (digits == 0 || (point && s[-1] == '.'))
		return -EINVAL;
	for (; frac < decimals; frac++) {
		if (mag > limit / 10)
			return -ERANGE;
		mag *= 10;
	}
	if (negative)
		*ret = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN
						      : -(int64_t)mag;
	else
		*ret = (int64_t)mag;
	return 0;
}

static int parse_select(const struct setting_desc *d, const char *s,
			const char *e, int64_t *ret)
{
	int64_t index;
	int i;

	for (i = 0; d->options && d->options[i]; i++) {
		if (word_is(s, e, d->options[i])) {
			*ret = i;
			return 0;
		}
	}
	if (parse_decimal(s, e, 0, &index) < 0 || index < d->min ||
	    index > d->max)
		return -EINVAL;
	*ret = index;
	return 0;
}

int setting_parse_value(enum setting_id id, const char *text, int64_t *ret)
{
	const struct setting_desc *d;
	const char *s, *e;
	int64_t value = 0;
	int r;

	if (id < 0 || id >= SETTING__MAX || !text)
		return -EINVAL;
	d = &settings_table[id];
	trim(text, &s, &e);

	switch (d->kind) {
	case SETTING_KIND_SWITCH:
		if (word_is(s, e, "on") || word_is(s, e, "true") ||
		    word_is(s, e, "1"))
			value = 1;
		else if (word_is(s, e, "off") || word_is(s, e, "false") ||
			 word_is(s, e, "0"))
			value = 0;
		else
			return -EINVAL;
		break;
	case SETTING_KIND_SELECT:
		r = parse_select(d, s, e, &value);
		if (r < 0)
			return r;
		break;
	case SETTING_KIND_BUTTON:
		/* Home Assistant sends "PRESS"; the value is not used */
		if (s != e && !word_is(s, e, "press"))
			return -EINVAL;
		value = 0;
		break;
	case SETTING_KIND_NUMBER:
		r = parse_decimal(s, e, d->decimals, &value);
		if (r < 0)
			return r;
		/* finer than the step: e.g. "52.05" for a 0.1 A setting */
		if (d->step > 1 && value % d->step != 0)
			return -ERANGE;
		break;
	}
	*ret = value;
	return 0;
}

static char *copy(char *buf, size_t size, const char *text)
{
	text_join(buf, size, (const char *const[]){ text, NULL });
	return buf;
}

char *setting_format_value(enum setting_id id, int64_t value, char *buf,
			   size_t size)
{
	const struct setting_desc *d;

	if (!buf || size == 0)
		return buf;
	if (id < 0 || id >= SETTING__MAX)
		return text_scaled(buf, size, value, 0);
	d = &settings_table[id];
	switch (d->kind) {
	case SETTING_KIND_SWITCH:
		return copy(buf, size, value ? "on" : "off");
	case SETTING_KIND_SELECT:
		if (d->options && value >= d->min && value <= d->max)
			return copy(buf, size, d->options[value]);
		return text_scaled(buf, size, value, 0);
	case SETTING_KIND_BUTTON:
		return copy(buf, size, "press");
	case SETTING_KIND_NUMBER:
		break;
	}
	return text_scaled(buf, size, value, d->decimals);
}
