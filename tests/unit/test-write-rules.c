/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the write path added to the pure validation (src/model): the
 * SOC-100 % voltage between OVPR and OVP where the BMS uses it, the cell
 * count of the JK-B5A25S by its model string, and the appendix presets
 * for variants without a preset command, each valid as a whole.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/settings-rules.h"
#include "jkbms/settings.h"

static void put(struct setting_values *s, enum setting_id id, int64_t v)
{
	s->val[id] = v;
	bits_set(&s->set, (unsigned)id);
}

static void test_soc100_between_ovpr_and_ovp(void **state)
{
	struct setting_values cur = { 0 };
	struct setting_check chk;
	enum jk_variant v = JK_VARIANT_JK02_32S;

	put(&cur, SETTING_CELL_OVPR, 3600);
	put(&cur, SETTING_CELL_OVP, 3650);
	put(&cur, SETTING_SOC_0_VOLTAGE, 2800);
	/* at both edges, and one mV beyond each */
	assert_int_equal(
		settings_validate(SETTING_SOC_100_VOLTAGE, 3600, v, &cur, &chk),
		0);
	assert_int_equal(
		settings_validate(SETTING_SOC_100_VOLTAGE, 3650, v, &cur, &chk),
		0);
	assert_int_equal(
		settings_validate(SETTING_SOC_100_VOLTAGE, 3599, v, &cur, &chk),
		-EINVAL);
	assert_non_null(strstr(chk.error, "cell_ovpr"));
	assert_int_equal(
		settings_validate(SETTING_SOC_100_VOLTAGE, 3651, v, &cur, &chk),
		-EINVAL);
	assert_non_null(strstr(chk.error, "cell_ovp "));
	/* from the other side */
	put(&cur, SETTING_SOC_100_VOLTAGE, 3620);
	assert_int_equal(
		settings_validate(SETTING_CELL_OVPR, 3620, v, &cur, &chk), 0);
	assert_int_equal(
		settings_validate(SETTING_CELL_OVPR, 3621, v, &cur, &chk),
		-EINVAL);
	assert_non_null(strstr(chk.error, "soc_100_voltage"));
	assert_int_equal(
		settings_validate(SETTING_CELL_OVP, 3620, v, &cur, &chk), 0);
	assert_int_equal(
		settings_validate(SETTING_CELL_OVP, 3619, v, &cur, &chk),
		-EINVAL);
	/* firmware that reports 0 does not use it: no rule */
	put(&cur, SETTING_SOC_100_VOLTAGE, 0);
	assert_int_equal(
		settings_validate(SETTING_CELL_OVPR, 3649, v, &cur, &chk), 0);
}

static void test_cell_count_of_the_model(void **state)
{
	struct setting_check chk;
	int64_t n;

	for (n = 0; n <= 33; n++) {
		int r = settings_validate_model(SETTING_CELL_COUNT, n,
						"JK-B5A25S-60P", &chk);

		if (n >= 8 && n <= 25) {
			assert_int_equal(r, 0);
			assert_string_equal(chk.error, "");
		} else {
			assert_int_equal(r, -ERANGE);
			assert_non_null(strstr(chk.error, "JK-B5A25S"));
			assert_non_null(strstr(chk.error, "8 .. 25"));
		}
	}
	/* other models, other settings, no model: only the variant's rules */
	assert_int_equal(settings_validate_model(SETTING_CELL_COUNT, 32,
						 "JK_PB2A16S15P", &chk),
			 0);
	assert_int_equal(
		settings_validate_model(SETTING_CELL_COUNT, 30, NULL, &chk), 0);
	assert_int_equal(settings_validate_model(SETTING_CELL_OVP, 1,
						 "JK-B5A25S-60P", NULL),
			 0);
	assert_int_equal(
		settings_validate_model(SETTING__MAX, 1, "JK-B5A25S-60P", NULL),
		0);
}

/* Every preset is valid as a whole from nothing, and never writes MOS. */
static void test_presets_valid_as_a_whole(void **state)
{
	static const enum setting_id presets[] = { SETTING_PRESET_LFP,
						   SETTING_PRESET_LIION,
						   SETTING_PRESET_LTO };
	static const enum jk_variant variants[] = { JK_VARIANT_JK02_24S,
						    JK_VARIANT_JK02_32S,
						    JK_VARIANT_JK04 };
	struct setting_values vals;
	struct setting_check chk;
	size_t p, v;
	int n, id;

	for (p = 0; p < 3; p++) {
		for (v = 0; v < 3; v++) {
			n = settings_preset_values(presets[p], variants[v],
						   &vals);
			assert_true(n > 0);
			assert_false(bits_test(&vals.set, SETTING_MOS_OTP));
			for (id = 0; id < SETTING__MAX; id++) {
				if (!bits_test(&vals.set, (unsigned)id))
					continue;
				n--;
				assert_int_equal(settings_validate(id,
								   vals.val[id],
								   variants[v],
								   &vals, &chk),
						 0);
			}
			assert_int_equal(n, 0);
		}
	}
	assert_int_equal(settings_preset_values(SETTING_PRESET_LFP,
						JK_VARIANT_JK02_24S, &vals),
			 21);
	assert_int_equal(vals.val[SETTING_CELL_UVP], 2500);
	assert_int_equal(vals.val[SETTING_CELL_OVP], 3650);
	assert_int_equal(vals.val[SETTING_POWER_OFF_VOLTAGE], 2499);
	assert_int_equal(settings_preset_values(SETTING_PRESET_LIION,
						JK_VARIANT_JK02_24S, &vals),
			 21);
	assert_int_equal(vals.val[SETTING_CELL_OVP], 4200);
	assert_int_equal(settings_preset_values(SETTING_PRESET_LTO,
						JK_VARIANT_JK04, &vals),
			 4);
	assert_int_equal(settings_preset_values(SETTING_CELL_OVP,
						JK_VARIANT_JK02_24S, &vals),
			 -EINVAL);
	assert_int_equal(settings_preset_values(SETTING_FACTORY_RESET,
						JK_VARIANT_JK02_24S, &vals),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_soc100_between_ovpr_and_ovp),
		cmocka_unit_test(test_cell_count_of_the_model),
		cmocka_unit_test(test_presets_valid_as_a_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
