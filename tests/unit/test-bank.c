/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bank aggregation: parallel and series, offline members, rounding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/bank.h"
#include "jkbms/fields.h"
#include "jkbms/state.h"

static struct field_values m[4], out;

/* A member with cells, V, I, SOC and capacity; derived values filled in. */
static void member(struct field_values *v, const int32_t *mv, unsigned n,
		   int64_t ma, int64_t soc, int64_t full_mah)
{
	int64_t sum = 0;
	unsigned i;

	memset(v, 0, sizeof(*v));
	memcpy(v->cell_voltage, mv, n * sizeof(mv[0]));
	v->ncells = (uint8_t)n;
	bits_set(&v->set, FIELD_CELL_VOLTAGE);
	for (i = 0; i < n; i++)
		sum += mv[i];
	field_set_num(v, FIELD_VOLTAGE, sum);
	field_set_num(v, FIELD_CURRENT, ma);
	field_set_num(v, FIELD_SOC, soc);
	if (full_mah >= 0) {
		field_set_num(v, FIELD_FULL_CHARGE_CAPACITY, full_mah);
		field_set_num(v, FIELD_REMAINING_CAPACITY,
			      full_mah * soc / 100);
	}
	state_derive(v);
}

static int64_t num(enum field_id id)
{
	assert_true(field_has(&out, id));
	return out.num[id];
}

static const int32_t cells_a[4] = { 3300, 3310, 3320, 3330 };
static const int32_t cells_b[4] = { 3290, 3350, 3300, 3300 };
static const int32_t cells_c[2] = { 3400, 3200 };

static void test_parallel(void **state)
{
	struct bank_member mem[2] = {
		{ &m[0], true },
		{ &m[1], true },
	};

	member(&m[0], cells_a, 4, 10000, 50, 100000);  /* 13.260 V */
	member(&m[1], cells_b, 4, -4000, 100, 300000); /* 13.240 V */
	field_set_num(&m[0], FIELD_TEMPERATURE_1, 250);
	field_set_num(&m[1], FIELD_TEMPERATURE_1, 312);
	field_set_num(&m[1], FIELD_TEMPERATURE_MOS, -50);
	field_set_num(&m[0], FIELD_ALARM_BITS, 0x1);
	field_set_num(&m[1], FIELD_ALARM_BITS, 0x80000);
	field_set_num(&m[0], FIELD_ENERGY_CHARGED, 1000);
	field_set_num(&m[1], FIELD_ENERGY_CHARGED, 2500);

	bank_aggregate(BANK_PARALLEL, mem, 2, &out);
	assert_int_equal(num(FIELD_CURRENT), 6000);
	assert_int_equal(num(FIELD_VOLTAGE), 13250); /* mean */
	/* power: the members' own V x I, summed */
	assert_int_equal(num(FIELD_POWER),
			 m[0].num[FIELD_POWER] + m[1].num[FIELD_POWER]);
	assert_int_equal(num(FIELD_FULL_CHARGE_CAPACITY), 400000);
	assert_int_equal(num(FIELD_REMAINING_CAPACITY), 350000);
	/* (50 x 100 + 100 x 300) / 400 = 87.5 */
	assert_int_equal(num(FIELD_SOC), 88);
	/* worst cell across the bank */
	assert_int_equal(num(FIELD_CELL_VOLTAGE_MIN), 3290);
	assert_int_equal(num(FIELD_CELL_VOLTAGE_MAX), 3350);
	assert_int_equal(num(FIELD_CELL_VOLTAGE_DELTA), 60);
	/* mean over the 8 cells: 26500 / 8 = 3312.5 */
	assert_int_equal(num(FIELD_CELL_VOLTAGE_AVG), 3313);
	assert_int_equal(num(FIELD_TEMPERATURE_1), 312);
	assert_int_equal(num(FIELD_TEMPERATURE_MOS), -50);
	assert_false(field_has(&out, FIELD_TEMPERATURE_2));
	assert_int_equal(num(FIELD_ALARM_BITS), 0x80001);
	assert_int_equal(num(FIELD_ALARMS), 0x80001);
	assert_int_equal(num(FIELD_ENERGY_CHARGED), 3500);
	assert_false(field_has(&out, FIELD_ENERGY_DISCHARGED));
	assert_int_equal(num(FIELD_MEMBERS_ONLINE), 2);
	assert_int_equal(num(FIELD_MEMBER_COUNT), 2);
	/* not aggregated: per-BMS things */
	assert_false(field_has(&out, FIELD_CELL_VOLTAGE));
	assert_false(field_has(&out, FIELD_CELL_MIN_INDEX));
	assert_false(field_has(&out, FIELD_MODEL));
}

/* A capacity unknown anywhere: plain mean of SOC. */
static void test_parallel_soc_mean(void **state)
{
	struct bank_member mem[3] = {
		{ &m[0], true },
		{ &m[1], true },
		{ &m[2], true },
	};

	member(&m[0], cells_a, 4, 0, 50, 100000);
	member(&m[1], cells_b, 4, 0, 75, -1);
	member(&m[2], cells_b, 4, 0, 76, 0);
	bank_aggregate(BANK_PARALLEL, mem, 2, &out);
	assert_int_equal(num(FIELD_SOC), 63); /* 62.5 */
	bank_aggregate(BANK_PARALLEL, mem, 3, &out);
	assert_int_equal(num(FIELD_SOC), 67); /* 67.0 */
	/* all capacities known and weighted, zero weight excluded */
	mem[1].online = false;
	mem[2].online = false;
	bank_aggregate(BANK_PARALLEL, mem, 3, &out);
	assert_int_equal(num(FIELD_SOC), 50);
	assert_int_equal(num(FIELD_MEMBERS_ONLINE), 1);
	assert_int_equal(num(FIELD_MEMBER_COUNT), 3);
}

/* Offline members count in member_count, and keep their energy. */
static void test_offline(void **state)
{
	struct bank_member mem[3] = {
		{ &m[0], true },
		{ &m[1], false },
		{ NULL, false },
	};

	member(&m[0], cells_a, 4, 10000, 50, 100000);
	member(&m[1], cells_c, 2, 90000, 10, 50000);
	field_set_num(&m[0], FIELD_ENERGY_DISCHARGED, 10);
	field_set_num(&m[1], FIELD_ENERGY_DISCHARGED, 20);
	field_set_num(&m[1], FIELD_TEMPERATURE_2, 900);
	field_set_num(&m[1], FIELD_ALARM_BITS, 0x2);

	bank_aggregate(BANK_PARALLEL, mem, 3, &out);
	assert_int_equal(num(FIELD_MEMBERS_ONLINE), 1);
	assert_int_equal(num(FIELD_MEMBER_COUNT), 3);
	assert_int_equal(num(FIELD_CURRENT), 10000);
	assert_int_equal(num(FIELD_SOC), 50);
	assert_int_equal(num(FIELD_CELL_VOLTAGE_MIN), 3300);
	assert_int_equal(num(FIELD_CELL_VOLTAGE_DELTA), 30);
	assert_false(field_has(&out, FIELD_TEMPERATURE_2));
	assert_false(field_has(&out, FIELD_ALARM_BITS));
	assert_false(field_has(&out, FIELD_ALARMS));
	assert_int_equal(num(FIELD_ENERGY_DISCHARGED), 30);

	/* nobody online: counts and the energy totals only */
	mem[0].online = false;
	bank_aggregate(BANK_SERIES, mem, 3, &out);
	assert_int_equal(num(FIELD_MEMBERS_ONLINE), 0);
	assert_int_equal(num(FIELD_MEMBER_COUNT), 3);
	assert_false(field_has(&out, FIELD_VOLTAGE));
	assert_false(field_has(&out, FIELD_CELL_VOLTAGE_DELTA));
	assert_int_equal(num(FIELD_ENERGY_DISCHARGED), 30);

	/* no members at all */
	bank_aggregate(BANK_PARALLEL, NULL, 0, &out);
	assert_int_equal(num(FIELD_MEMBER_COUNT), 0);
	assert_int_equal(num(FIELD_MEMBERS_ONLINE), 0);
	assert_false(field_has(&out, FIELD_ENERGY_DISCHARGED));
}

static void test_series(void **state)
{
	struct bank_member mem[3] = {
		{ &m[0], true },
		{ &m[1], true },
		{ &m[2], true },
	};

	member(&m[0], cells_a, 4, 10000, 50, 100000); /* 13.260 V */
	member(&m[1], cells_b, 4, 10001, 40, 90000);  /* 13.240 V */
	member(&m[2], cells_c, 2, 10002, 60, 95000);  /* 6.600 V */
	field_set_num(&m[0], FIELD_TEMPERATURE_3, -100);
	field_set_num(&m[2], FIELD_TEMPERATURE_3, -150);
	field_set_num(&m[0], FIELD_ENERGY_CHARGED, 7);
	field_set_num(&m[2], FIELD_ENERGY_CHARGED, 8);

	bank_aggregate(BANK_SERIES, mem, 3, &out);
	assert_int_equal(num(FIELD_VOLTAGE), 33100);
	assert_int_equal(num(FIELD_CURRENT), 10001); /* mean */
	assert_int_equal(num(FIELD_SOC), 40);        /* the weakest */
	assert_int_equal(num(FIELD_FULL_CHARGE_CAPACITY), 90000);
	assert_int_equal(num(FIELD_REMAINING_CAPACITY), 36000);
	assert_int_equal(num(FIELD_POWER), m[0].num[FIELD_POWER] +
						   m[1].num[FIELD_POWER] +
						   m[2].num[FIELD_POWER]);
	assert_int_equal(num(FIELD_ENERGY_CHARGED), 15);
	/* all ten cells */
	assert_int_equal(num(FIELD_CELL_VOLTAGE_MIN), 3200);
	assert_int_equal(num(FIELD_CELL_VOLTAGE_MAX), 3400);
	assert_int_equal(num(FIELD_CELL_VOLTAGE_DELTA), 200);
	assert_int_equal(num(FIELD_CELL_VOLTAGE_AVG), 3310); /* 33100/10 */
	assert_int_equal(num(FIELD_TEMPERATURE_3), -100);    /* hottest */
	assert_int_equal(num(FIELD_MEMBERS_ONLINE), 3);

	/* mean current rounds halves away from zero: -10000.5 */
	field_set_num(&m[0], FIELD_CURRENT, -10000);
	field_set_num(&m[1], FIELD_CURRENT, -10001);
	bank_aggregate(BANK_SERIES, mem, 2, &out);
	assert_int_equal(num(FIELD_CURRENT), -10001);
}

/* Every F_BANK and F_BANK_ONLY field comes out when members have it all. */
static void test_every_bank_field(void **state)
{
	struct bank_member mem[2] = {
		{ &m[0], true },
		{ &m[1], true },
	};
	enum bank_topology t;
	int i, k;

	for (k = 0; k < 2; k++) {
		member(&m[k], cells_a, 4, 1000, 50, 100000);
		for (i = 0; i < FIELD__MAX; i++)
			if ((field_table[i].flags & F_BANK) &&
			    !field_has(&m[k], (enum field_id)i))
				field_set_num(&m[k], (enum field_id)i, 1);
		state_derive(&m[k]);
	}
	for (t = BANK_PARALLEL; t <= BANK_SERIES; t++) {
		bank_aggregate(t, mem, 2, &out);
		for (i = 0; i < FIELD__MAX; i++)
			assert_int_equal(field_has(&out, (enum field_id)i),
					 !!(field_table[i].flags &
					    (F_BANK | F_BANK_ONLY)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parallel),
		cmocka_unit_test(test_parallel_soc_mean),
		cmocka_unit_test(test_offline),
		cmocka_unit_test(test_series),
		cmocka_unit_test(test_every_bank_field),
	};

	return cmocka_run_group_tests_name("bank", tests, NULL, NULL);
}
