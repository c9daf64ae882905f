/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: settings values as text, the way MQTT set/<key> payloads
 * and jkbmsctl set arrive. The first byte picks the setting, the rest is
 * the text. A parsed value must format and parse back to itself, and
 * validation must answer with one of its documented codes on every
 * variant, with or without current settings.
 * Seeds: tests/fuzz/corpus/settings-value/.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/settings-rules.h"
#include "jkbms/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_validate(enum setting_id id, int64_t value,
			   const struct setting_values *cur)
{
	struct setting_check res;
	int v, r;

	for (v = JK_VARIANT_AUTO; v <= JK_VARIANT__MAX; v++) {
		r = settings_validate(id, value, (enum jk_variant)v, cur, &res);
		if (r != 0 && r != -ERANGE && r != -EINVAL &&
		    r != -EOPNOTSUPP && r != -EPERM)
			abort();
		if (strnlen(res.error, sizeof(res.error)) ==
			    sizeof(res.error) ||
		    strnlen(res.warning, sizeof(res.warning)) ==
			    sizeof(res.warning))
			abort();
		if ((r == 0) != (res.error[0] == '\0'))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct setting_values cur;
	char text[256], buf[64];
	enum setting_id id;
	int64_t value, again;
	int i;

	if (size < 1 || size > sizeof(text))
		return 0;
	id = (enum setting_id)(data[0] % SETTING__MAX);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	if (setting_parse_value(id, text, &value) < 0)
		return 0;
	setting_format_value(id, value, buf, sizeof(buf));
	if (settings_table[id].kind != SETTING_KIND_BUTTON &&
	    (setting_parse_value(id, buf, &again) < 0 || again != value))
		abort();

	check_validate(id, value, NULL);
	/* against a BMS that holds this value in every setting */
	memset(&cur, 0, sizeof(cur));
	for (i = 0; i < SETTING__MAX; i++) {
		cur.val[i] = value;
		bits_set(&cur.set, (unsigned)i);
	}
	check_validate(id, value, &cur);
	return 0;
}
