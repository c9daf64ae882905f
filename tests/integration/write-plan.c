/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Values for the write-path tests, chosen with the settings table and
 * settings_validate() from what the BMS holds now (the reply of
 * "jkbmsctl settings BMS --json" on stdin), so that the shell tests can
 * loop over every setting and every rule:
 *
 *   write-plan list VARIANT          writable settings read back, one per
 *                                    line (switches, numbers, selects)
 *   write-plan next VARIANT KEY      a valid value other than the held one
 *   write-plan edge VARIANT LO HI strict|loose
 *                                    "KEY AT BEYOND OTHER": KEY written at
 *                                    the edge of the rule is valid, one
 *                                    step further breaks it (the side
 *                                    whose edge is valid is chosen)
 *   write-plan range VARIANT KEY     "BELOW MIN MAX ABOVE": one step out
 *                                    of the range on each side, and the
 *                                    range's ends, "-" for an end that
 *                                    breaks a rule now
 *   write-plan numbers VARIANT       the writable numbers, one per line
 *
 * Exit status 1 when no such value exists, 2 on bad use.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/settings-rules.h"
#include "jkbms/settings.h"

#define MODEL "JK-B5A25S-60P"

static struct setting_values held;

static int64_t pow10i(unsigned n)
{
	int64_t p = 1;

	while (n--)
		p *= 10;
	return p;
}

static int read_held(void)
{
	struct json_object *reply, *settings;
	char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf) - 1, stdin);
	int id;

	buf[n] = '\0';
	reply = json_tokener_parse(buf);
	if (!reply || !json_object_object_get_ex(reply, "settings", &settings))
		return -1;
	bits_zero(&held.set);
	json_object_object_foreach(settings, key, val)
	{
		const struct setting_desc *d;
		int64_t v;

		id = setting_from_key(key);
		if (id < 0)
			continue;
		d = &settings_table[id];
		if (json_object_is_type(val, json_type_boolean))
			v = json_object_get_boolean(val);
		else if (json_object_is_type(val, json_type_string)) {
			if (setting_parse_value(id, json_object_get_string(val),
						&v) < 0)
				continue;
		} else
			v = llround(json_object_get_double(val) *
				    (double)pow10i(d->decimals));
		held.val[id] = v;
		bits_set(&held.set, (unsigned)id);
	}
	json_object_put(reply);
	return 0;
}

static enum jk_variant variant_of(const char *name)
{
	int v;

	for (v = JK_VARIANT_JK02_24S; v < JK_VARIANT__MAX; v++)
		if (jk_variant_name(v) && !strcmp(jk_variant_name(v), name))
			return v;
	return JK_VARIANT_AUTO;
}

static bool valid(enum setting_id id, int64_t value, enum jk_variant v)
{
	return settings_validate(id, value, v, &held, NULL) == 0 &&
	       settings_validate_model(id, value, MODEL, NULL) == 0;
}

static void print(enum setting_id id, int64_t value)
{
	char buf[64];

	printf("%s", setting_format_value(id, value, buf, sizeof(buf)));
}

static bool writable(enum setting_id id, enum jk_variant v)
{
	const struct setting_place *p = setting_get_place(id, v);

	return p && p->source != SOURCE_NONE &&
	       settings_table[id].kind != SETTING_KIND_BUTTON &&
	       !(settings_table[id].flags & S_READONLY);
}

static int list(enum jk_variant v)
{
	int id;

	for (id = 0; id < SETTING__MAX; id++)
		if (writable(id, v))
			printf("%s\n", settings_table[id].key);
	return 0;
}

/* The smallest step that is valid on the wire too. */
static int64_t step_of(enum setting_id id, enum jk_variant v)
{
	int64_t step = settings_table[id].step;

	while (step < settings_table[id].max &&
	       settings_validate(id, settings_table[id].min + step, v, NULL,
				 NULL) == -ERANGE)
		step *= 10;
	return step;
}

static int next(enum jk_variant v, const char *key)
{
	int id = setting_from_key(key);
	int64_t cur, step, k;

	if (id < 0 || !writable(id, v) || !bits_test(&held.set, id))
		return 2;
	cur = held.val[id];
	step = step_of(id, v);
	for (k = 1; k <= 4; k++) {
		if (valid(id, cur + k * step, v)) {
			print(id, cur + k * step);
			printf("\n");
			return 0;
		}
		if (valid(id, cur - k * step, v)) {
			print(id, cur - k * step);
			printf("\n");
			return 0;
		}
	}
	return 1;
}

static int edge(enum jk_variant v, const char *lo_key, const char *hi_key,
		bool strict)
{
	int lo = setting_from_key(lo_key), hi = setting_from_key(hi_key);
	int64_t at, beyond, s;

	if (lo < 0 || hi < 0 || !bits_test(&held.set, lo) ||
	    !bits_test(&held.set, hi))
		return 2;
	/* lo moves up to hi */
	s = step_of(lo, v);
	at = strict ? held.val[hi] - s : held.val[hi];
	beyond = at + s;
	if (writable(lo, v) && valid(lo, at, v) && !valid(lo, beyond, v)) {
		printf("%s ", lo_key);
		print(lo, at);
		printf(" ");
		print(lo, beyond);
		printf(" %s\n", hi_key);
		return 0;
	}
	/* hi moves down to lo */
	s = step_of(hi, v);
	at = strict ? held.val[lo] + s : held.val[lo];
	beyond = at - s;
	if (writable(hi, v) && valid(hi, at, v) && !valid(hi, beyond, v)) {
		printf("%s ", hi_key);
		print(hi, at);
		printf(" ");
		print(hi, beyond);
		printf(" %s\n", lo_key);
		return 0;
	}
	return 1;
}

static int numbers(enum jk_variant v)
{
	int id;

	for (id = 0; id < SETTING__MAX; id++)
		if (writable(id, v) &&
		    settings_table[id].kind == SETTING_KIND_NUMBER)
			printf("%s\n", settings_table[id].key);
	return 0;
}

static void print_if(enum setting_id id, int64_t value, enum jk_variant v)
{
	if (valid(id, value, v) && value != held.val[id])
		print(id, value);
	else
		printf("-");
}

static int range(enum jk_variant v, const char *key)
{
	int id = setting_from_key(key);
	const struct setting_desc *d;
	int64_t step;

	if (id < 0 || !writable(id, v))
		return 2;
	d = &settings_table[id];
	step = step_of(id, v);
	print(id, d->min - step);
	printf(" ");
	print_if(id, d->min, v);
	printf(" ");
	print_if(id, d->max, v);
	printf(" ");
	print(id, d->max + step);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	enum jk_variant v;

	if (argc < 3)
		return 2;
	v = variant_of(argv[2]);
	if (v == JK_VARIANT_AUTO)
		return 2;
	if (!strcmp(argv[1], "list"))
		return list(v);
	if (!strcmp(argv[1], "numbers"))
		return numbers(v);
	if (read_held() < 0)
		return 2;
	if (!strcmp(argv[1], "next") && argc == 4)
		return next(v, argv[3]);
	if (!strcmp(argv[1], "edge") && argc == 6)
		return edge(v, argv[3], argv[4], !strcmp(argv[5], "strict"));
	if (!strcmp(argv[1], "range") && argc == 4)
		return range(v, argv[3]);
	return 2;
}
