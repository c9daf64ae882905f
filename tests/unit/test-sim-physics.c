/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulator's physics: OCV curves, conservation of charge and energy
 * over a simulated day, the balancer's thresholds (manual 5.3.3 f, o) on
 * both sides of each edge, bounds over 24 h of every profile, and
 * determinism whatever the step size.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "sim-test.h"

#define DAY_TICKS (24u * 3600u * 10u)

static const enum sim_chemistry chems[] = { SIM_LFP, SIM_LIION, SIM_LTO };

static void test_ocv_monotonic(void **state)
{
	unsigned c;

	for (c = 0; c < 3; c++) {
		double prev = ocv_volts(chems[c], OCV_SOC_MIN);
		double soc;
		int i;

		for (i = -499; i <= 10500; i++) {
			double v;

			soc = i / 10000.0;
			v = ocv_volts(chems[c], soc);
			assert_true(v > prev);
			assert_true(v >= 1.0 && v <= 5.0);
			prev = v;
		}
		/* the inverse gives the SOC back */
		for (i = 0; i <= 1000; i++) {
			soc = i / 1000.0;
			assert_true(fabs(ocv_soc(chems[c],
						 ocv_volts(chems[c], soc)) -
					 soc) < 1e-9);
		}
		assert_true(ocv_soc(chems[c], 0.5) == 0.0);
		assert_true(ocv_soc(chems[c], 4.99) == 1.0);
	}
	/* the chemistries' windows: LFP 2.5-3.55, NMC 3.0-4.18, LTO 1.8 */
	assert_true(fabs(ocv_volts(SIM_LFP, 0.0) - 2.5) < 1e-9);
	assert_true(fabs(ocv_volts(SIM_LIION, 1.0) - 4.18) < 1e-9);
	assert_true(fabs(ocv_volts(SIM_LTO, 0.0) - 1.8) < 1e-9);
}

static void test_ocv_energy(void **state)
{
	unsigned c;

	for (c = 0; c < 3; c++) {
		double e = 0.0, soc;
		int i;

		/* midpoint rule against the exact integral */
		for (i = 0; i < 100000; i++) {
			soc = (i + 0.5) / 100000.0;
			e += ocv_volts(chems[c], soc) / 100000.0;
		}
		assert_true(fabs(e - ocv_energy(chems[c], 1.0)) < 1e-6);
		assert_true(fabs(ocv_energy(chems[c], 0.0)) < 1e-12);
		assert_true(ocv_energy(chems[c], -0.01) < 0.0);
	}
}

static double stored_ah(const struct sim_bms *s)
{
	double q = 0.0;
	unsigned i;

	for (i = 0; i < s->pack.n; i++)
		q += s->pack.cell[i].charge_ah;
	return q;
}

static double stored_wh(const struct sim_bms *s)
{
	double e = 0.0;
	unsigned i;

	for (i = 0; i < s->pack.n; i++) {
		const struct sim_cell *c = &s->pack.cell[i];

		e += c->capacity_ah *
		     ocv_energy(s->pack.chem, pack_cell_soc(c));
	}
	return e;
}

/*
 * Charge: every cell carries the pack current, the balancer only moves
 * charge between cells, so the sum of the cells' charge changes by
 * n * integral(I dt), exactly up to rounding, over a day of cycling.
 */
static void test_charge_conservation(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_CYCLE, 7,
					 JK_VARIANT_JK02_24S);
	double q0, flowed = 0.0, moved = 0.0;
	unsigned t, balancing = 0;

	assert_non_null(s);
	q0 = stored_ah(s);
	for (t = 0; t < DAY_TICKS; t++) {
		sim_test_ticks(s, 1);
		flowed += s->flow_a * SIM_TICK_S / 3600.0;
		moved += fabs(s->flow_a) * SIM_TICK_S / 3600.0;
		balancing += s->bal.active;
	}
	/* it really cycled, and the balancer worked part of the time */
	assert_true(moved > 5 * 100.0);
	assert_true(balancing > 1000);
	assert_true(fabs(stored_ah(s) - q0 - 16 * flowed) < 1e-6 * 16 * moved);
	sim_free(s);
}

/*
 * The coulomb counter follows the reported current: an hour at a forced
 * current moves the reported remaining capacity by exactly I * t.
 */
static void test_gauge_counts_reported_current(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 3,
					 JK_VARIANT_JK02_24S);
	struct field_values v0, v1;
	double sum_mah = 0.0;
	unsigned t;

	assert_non_null(s);
	sim_values(s, &v0);
	sim_force_current(s, -20000, true);
	for (t = 0; t < 36000; t++) {
		sim_test_ticks(s, 1);
		sim_values(s, &v1);
		sum_mah += v1.num[FIELD_CURRENT] * SIM_TICK_S / 3600.0;
	}
	assert_true(fabs(sum_mah + 20000.0) < 1e-6);
	assert_true(llabs(v1.num[FIELD_REMAINING_CAPACITY] -
			  v0.num[FIELD_REMAINING_CAPACITY] + 20000) <= 1);
	assert_int_equal(v1.num[FIELD_SOC],
			 lround(v1.num[FIELD_REMAINING_CAPACITY] * 100.0 /
				v1.num[FIELD_FULL_CHARGE_CAPACITY]));
	sim_free(s);
}

/*
 * Energy: what went in at the terminals (reported pack voltage times
 * reported current) equals the change of the energy stored in the cells
 * (the OCV integral) plus the I^2 R heat, over a day of solar cycling.
 * Balancer off: its converter losses are not part of the model.
 */
static void test_energy_conservation(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LIION, 14, SIM_PROFILE_SOLAR, 11,
					 JK_VARIANT_JK02_24S);
	double e0, terminal = 0.0, heat = 0.0, through = 0.0;
	unsigned t, i;

	assert_non_null(s);
	assert_int_equal(sim_test_write(s, SETTING_BALANCE_SWITCH, 0), 0);
	sim_test_drain(s);
	e0 = stored_wh(s);
	for (t = 0; t < DAY_TICKS; t++) {
		int64_t mv = 0;
		double amps, p;

		sim_test_ticks(s, 1);
		for (i = 0; i < s->pack.n; i++)
			mv += s->pack.mv[i];
		amps = s->flow_a;
		p = mv / 1000.0 * s->meas.current_ma / 1000.0;
		terminal += p * SIM_TICK_S / 3600.0;
		through += fabs(p) * SIM_TICK_S / 3600.0;
		for (i = 0; i < s->pack.n; i++)
			heat += amps * amps * s->pack.cell[i].r_ohm *
				SIM_TICK_S / 3600.0;
	}
	assert_true(through > 5000.0); /* Wh: it really worked */
	assert_true(heat > 0.0);
	assert_true(fabs(terminal - (stored_wh(s) - e0) - heat) <
		    0.002 * through);
	sim_free(s);
}

static void balance_pack(struct sim_pack *p, int32_t min_mv, int32_t max_mv)
{
	unsigned i;

	p->n = 16;
	for (i = 0; i < p->n; i++)
		p->mv[i] = (min_mv + max_mv) / 2;
	p->mv[3] = max_mv;
	p->mv[9] = min_mv;
	p->max_idx = 3;
	p->min_idx = 9;
	p->max_mv = max_mv;
	p->min_mv = min_mv;
}

/* Manual 5.3.3 f) and o), both sides of each edge, starting and running. */
static void test_balancer_thresholds(void **state)
{
	struct sim_params p = {
		.trigger_mv = 10,
		.start_mv = 3300,
		.balance_ma = 4000,
		.balance_switch = true,
	};
	struct sim_balancer b = { 0 };
	struct sim_pack pack = { 0 };
	double i_bal[JK_CELLS_MAX];

	/* off: delta equal to the trigger does not start it */
	balance_pack(&pack, 3340, 3350);
	balancer_update(&b, &pack, &p, true);
	assert_false(b.active);
	/* delta one above the trigger, above the start voltage: starts */
	balance_pack(&pack, 3340, 3351);
	balancer_update(&b, &pack, &p, true);
	assert_true(b.active);
	assert_int_equal(b.current_ma, 4000);
	assert_int_equal(b.hi, 3);
	assert_int_equal(b.lo, 9);
	balancer_currents(&b, pack.n, i_bal);
	assert_true(i_bal[3] == -4.0 && i_bal[9] == 4.0 && i_bal[0] == 0.0);
	/* running: delta back at the trigger keeps it going */
	balance_pack(&pack, 3340, 3350);
	balancer_update(&b, &pack, &p, true);
	assert_true(b.active);
	/* below the trigger: stops */
	balance_pack(&pack, 3341, 3350);
	balancer_update(&b, &pack, &p, true);
	assert_false(b.active);

	/* start voltage: the highest cell at it does not start it */
	balance_pack(&pack, 3250, 3300);
	balancer_update(&b, &pack, &p, true);
	assert_false(b.active);
	balance_pack(&pack, 3250, 3301);
	balancer_update(&b, &pack, &p, true);
	assert_true(b.active);
	/* running: at the start voltage it goes on, below it stops */
	balance_pack(&pack, 3250, 3300);
	balancer_update(&b, &pack, &p, true);
	assert_true(b.active);
	balance_pack(&pack, 3250, 3299);
	balancer_update(&b, &pack, &p, true);
	assert_false(b.active);

	/* the switch, the power, and the 5 A ceiling */
	balance_pack(&pack, 3200, 3400);
	p.balance_switch = false;
	balancer_update(&b, &pack, &p, true);
	assert_false(b.active);
	p.balance_switch = true;
	balancer_update(&b, &pack, &p, false);
	assert_false(b.active);
	p.balance_ma = 8000;
	balancer_update(&b, &pack, &p, true);
	assert_true(b.active);
	assert_int_equal(b.current_ma, SIM_BALANCE_MAX_MA);
}

/*
 * The whole BMS: a pack with one low cell balances at the set current from
 * the highest to the lowest cell, reports it, narrows the spread, and stops
 * once the difference is below the trigger.
 */
static void test_balancer_reduces_spread(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 5,
					 JK_VARIANT_JK02_24S);
	struct field_values v;
	int32_t spread0;
	unsigned i, t;
	double low0;

	assert_non_null(s);
	/* cells in the upper knee, where LFP shows differences, one lower */
	for (i = 0; i < s->pack.n; i++)
		s->pack.cell[i].charge_ah = 0.985 * s->pack.cell[i].capacity_ah;
	s->pack.cell[5].charge_ah = 0.96 * s->pack.cell[5].capacity_ah;
	low0 = s->pack.cell[5].charge_ah;
	assert_int_equal(sim_test_write(s, SETTING_MAX_BALANCE_CURRENT, 2000),
			 0);
	assert_int_equal(sim_test_write(s, SETTING_BALANCE_TRIGGER_DELTA, 5),
			 0);
	sim_test_ticks(s, 2);
	sim_values(s, &v);
	spread0 = (int32_t)v.num[FIELD_CELL_VOLTAGE_DELTA];
	assert_true(spread0 > 5);
	assert_int_equal(v.num[FIELD_CELL_MIN_INDEX], 6);
	assert_true(s->bal.active);
	assert_int_equal(v.num[FIELD_BALANCING], BALANCING_CHARGING);
	assert_int_equal(v.num[FIELD_BALANCE_CURRENT], 2000);

	/* discharging: the discharging balancer, current shown negative */
	sim_force_current(s, -1000, true);
	sim_test_ticks(s, 1);
	sim_values(s, &v);
	assert_int_equal(v.num[FIELD_BALANCING], BALANCING_DISCHARGING);
	assert_int_equal(v.num[FIELD_BALANCE_CURRENT], -2000);
	sim_force_current(s, 0, false);

	for (t = 0; t < 3 * 36000 && s->bal.active; t++)
		sim_test_ticks(s, 1);
	sim_values(s, &v);
	assert_false(s->bal.active);
	assert_int_equal(v.num[FIELD_BALANCING], BALANCING_OFF);
	assert_int_equal(v.num[FIELD_BALANCE_CURRENT], 0);
	assert_true(v.num[FIELD_CELL_VOLTAGE_DELTA] < 5);
	assert_true(s->pack.cell[5].charge_ah > low0);
	sim_free(s);
}

/* Below the start voltage nothing balances, however large the spread. */
static void test_balancer_below_start(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 5,
					 JK_VARIANT_JK02_24S);
	unsigned i;

	assert_non_null(s);
	for (i = 0; i < s->pack.n; i++)
		s->pack.cell[i].charge_ah = 0.3 * s->pack.cell[i].capacity_ah;
	s->pack.cell[2].charge_ah = 0.1 * s->pack.cell[2].capacity_ah;
	sim_test_ticks(s, 10);
	assert_true(s->pack.max_mv - s->pack.min_mv > 50);
	assert_true(s->pack.max_mv < s->params.start_mv);
	assert_false(s->bal.active);
	sim_free(s);
}

struct bounds {
	uint32_t alarms_seen;
	unsigned frames;
};

static void check_values(const struct sim_bms *s, struct bounds *b)
{
	struct field_values v;
	int64_t sum = 0;
	unsigned i;

	sim_values(s, &v);
	assert_int_equal(v.ncells, s->cfg.cells);
	for (i = 0; i < v.ncells; i++) {
		assert_in_range(v.cell_voltage[i], 1000, 5000);
		sum += v.cell_voltage[i];
	}
	assert_int_equal(v.num[FIELD_VOLTAGE], sum);
	assert_in_range(v.num[FIELD_SOC], 0, 100);
	assert_in_range(v.num[FIELD_REMAINING_CAPACITY], 0,
			v.num[FIELD_FULL_CHARGE_CAPACITY]);
	assert_true(v.num[FIELD_TEMPERATURE_1] > -400 &&
		    v.num[FIELD_TEMPERATURE_1] < 1500);
	assert_true(v.num[FIELD_TEMPERATURE_MOS] > -400 &&
		    v.num[FIELD_TEMPERATURE_MOS] < 1500);
	assert_true(llabs(v.num[FIELD_CURRENT]) < 5000000);
	assert_in_range(v.num[FIELD_BALANCING], 0, 2);
	assert_true(llabs(v.num[FIELD_BALANCE_CURRENT]) <= 5000);
	/* no current against an open MOSFET */
	if (!v.num[FIELD_CHARGE_MOSFET])
		assert_true(v.num[FIELD_CURRENT] <= 0);
	if (!v.num[FIELD_DISCHARGE_MOSFET])
		assert_true(v.num[FIELD_CURRENT] >= 0);
	b->alarms_seen |= (uint32_t)v.num[FIELD_ALARM_BITS];
}

/* 24 simulated hours of each profile: bounded, and always in range. */
static void run_day(enum sim_chemistry chem, enum sim_profile profile,
		    enum jk_variant variant, unsigned cells, struct bounds *b)
{
	struct sim_bms *s = sim_test_new(chem, cells, profile, 42, variant);
	unsigned t;

	assert_non_null(s);
	memset(b, 0, sizeof(*b));
	sim_test_request(s, JK_REQ_CELL_INFO);
	for (t = 0; t < DAY_TICKS / 5; t++) {
		sim_test_ticks(s, 5);
		if (!sim_powered(s))
			continue;
		check_values(s, b);
		sim_test_drain(s);
	}
	sim_free(s);
}

static void test_day_in_range(void **state)
{
	struct bounds b;

	/* every profile, chemistry and variant; the normal ones trip nothing */
	run_day(SIM_LFP, SIM_PROFILE_SOLAR, JK_VARIANT_JK02_24S, 16, &b);
	assert_int_equal(b.alarms_seen, 0);
	run_day(SIM_LIION, SIM_PROFILE_CYCLE, JK_VARIANT_JK02_32S, 14, &b);
	assert_int_equal(b.alarms_seen, 0);
	run_day(SIM_LTO, SIM_PROFILE_CYCLE, JK_VARIANT_JK02_24S, 24, &b);
	assert_int_equal(b.alarms_seen, 0);
	run_day(SIM_LTO, SIM_PROFILE_IDLE, JK_VARIANT_JK02_24S, 8, &b);
	assert_int_equal(b.alarms_seen, 0);
	run_day(SIM_LIION, SIM_PROFILE_ABUSE, JK_VARIANT_JK02_24S, 8, &b);
	assert_true(b.alarms_seen != 0);
}

/* ABUSE trips the protections now and then. */
static void test_abuse_trips(void **state)
{
	struct bounds b;

	run_day(SIM_LFP, SIM_PROFILE_ABUSE, JK_VARIANT_JK02_32S, 25, &b);
	print_message("# abuse alarms seen: 0x%08x\n", b.alarms_seen);
	assert_true(b.alarms_seen & (1u << 6));  /* charge OCP */
	assert_true(b.alarms_seen & (1u << 13)); /* discharge OCP */
	assert_true(b.alarms_seen & (1u << 14)); /* short circuit */
	assert_true(b.alarms_seen & (1u << 8));  /* charge OTP */
	assert_true(b.alarms_seen & (1u << 15)); /* discharge OTP */
	assert_true(b.alarms_seen & (1u << 9));  /* charge UTP */
	assert_true(b.alarms_seen & (1u << 1));  /* MOSFET OTP */
}

/* Same seed, same total time: same state, however the time is chunked. */
static void test_step_size_independent(void **state)
{
	struct sim_bms *a = sim_test_new(SIM_LFP, 16, SIM_PROFILE_ABUSE, 9,
					 JK_VARIANT_JK02_24S);
	struct sim_bms *b = sim_test_new(SIM_LFP, 16, SIM_PROFILE_ABUSE, 9,
					 JK_VARIANT_JK02_24S);
	struct sim_bms *c = sim_test_new(SIM_LFP, 16, SIM_PROFILE_ABUSE, 10,
					 JK_VARIANT_JK02_24S);
	struct field_values va, vb, vc;
	uint64_t done = 0, chunk = 1;

	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	sim_step(a, SIM_STEP_MAX_USEC);
	sim_step(a, SIM_STEP_MAX_USEC);
	sim_step(c, SIM_STEP_MAX_USEC);
	sim_step(c, SIM_STEP_MAX_USEC);
	/* odd chunks: 1 us, 7 us, 49 us ... wrapping at a minute */
	while (done < UINT64_C(7200) * 1000000) {
		uint64_t d = chunk;

		if (d > UINT64_C(7200) * 1000000 - done)
			d = UINT64_C(7200) * 1000000 - done;
		sim_step(b, d);
		done += d;
		chunk = chunk * 7 % 60000007;
	}
	sim_values(a, &va);
	sim_values(b, &vb);
	sim_values(c, &vc);
	assert_memory_equal(&va, &vb, sizeof(va));
	assert_memory_not_equal(va.cell_voltage, vc.cell_voltage,
				sizeof(va.cell_voltage));
	/* all state but the configuration (its padding is the caller's) */
	assert_memory_equal((const char *)a + offsetof(struct sim_bms, name),
			    (const char *)b + offsetof(struct sim_bms, name),
			    offsetof(struct sim_bms, wire) -
				    offsetof(struct sim_bms, name));
	sim_free(a);
	sim_free(b);
	sim_free(c);
}

/*
 * A step longer than SIM_STEP_MAX_USEC runs only its last hour: the cost
 * is bounded, simulated time still moves on, the stream keeps its phase.
 */
static void test_long_step_bounded(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 12,
					 JK_VARIANT_JK02_24S);
	struct field_values v0, v1;
	uint64_t frames;

	assert_non_null(s);
	sim_values(s, &v0);
	sim_test_request(s, JK_REQ_CELL_INFO);
	frames = s->wire.frames_sent;
	sim_force_current(s, -10000, true);
	sim_step(s, UINT64_C(30) * 86400 * 1000000 + 50000);
	sim_values(s, &v1);
	assert_int_equal(sim_time_usec(s),
			 UINT64_C(30) * 86400 * 1000000 + 50000);
	assert_int_equal(v1.num[FIELD_UPTIME], 30 * 86400);
	/* one hour of 10 A flowed, not thirty days of it */
	assert_true(llabs(v1.num[FIELD_REMAINING_CAPACITY] -
			  v0.num[FIELD_REMAINING_CAPACITY] + 10000) <= 1);
	assert_int_equal(s->wire.frames_sent - frames, 7200);
	assert_int_equal(s->tick_usec % SIM_TICK_USEC, 0);
	assert_int_equal(s->wire.next_stream_usec, s->tick_usec + 500000);
	/* absurd steps stop the clock rather than wrap it */
	sim_step(s, UINT64_MAX);
	assert_int_equal(sim_time_usec(s), SIM_TIME_MAX_USEC);
	sim_step(s, 1000000);
	assert_int_equal(sim_time_usec(s), SIM_TIME_MAX_USEC);
	sim_free(s);
}

/* A new BMS: cells drawn from the seed, all a little different. */
static void test_new_pack(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LIION, 20, SIM_PROFILE_IDLE, 1,
					 JK_VARIANT_JK02_24S);
	struct field_values v;
	unsigned i, differ = 0;

	assert_non_null(s);
	sim_values(s, &v);
	assert_int_equal(v.ncells, 20);
	for (i = 1; i < 20; i++) {
		differ += v.cell_voltage[i] != v.cell_voltage[0];
		assert_in_range(v.cell_resistance[i], 45, 75);
		assert_true(s->pack.cell[i].capacity_ah > 97.9 &&
			    s->pack.cell[i].capacity_ah < 102.1);
	}
	assert_true(differ > 0);
	assert_int_equal(v.num[FIELD_FULL_CHARGE_CAPACITY], 100000);
	assert_in_range(v.num[FIELD_SOC], 35, 80);
	assert_int_equal(v.num[FIELD_CHARGE_MOSFET], 1);
	assert_int_equal(v.num[FIELD_DISCHARGE_MOSFET], 1);
	assert_int_equal(v.num[FIELD_ALARM_BITS], 0);
	assert_int_equal(v.num[FIELD_CURRENT], 0);
	sim_free(s);
}

static double soc_spread(const struct sim_bms *s)
{
	double lo = 2.0, hi = -1.0;
	unsigned i;

	for (i = 0; i < s->pack.n; i++) {
		double soc = pack_cell_soc(&s->pack.cell[i]);

		lo = soc < lo ? soc : lo;
		hi = soc > hi ? soc : hi;
	}
	return hi - lo;
}

/* conf "imbalance": extra spread of the initial SOC, in percent. */
static void test_imbalance(void **state)
{
	struct conf_sim c = sim_test_conf(SIM_LFP, 16, SIM_PROFILE_IDLE, 2);
	struct sim_bms *s;

	s = sim_new(&c, JK_VARIANT_JK02_24S, "x");
	assert_non_null(s);
	assert_true(soc_spread(s) <= 0.03);
	sim_free(s);
	c.imbalance_pct = 20;
	s = sim_new(&c, JK_VARIANT_JK02_24S, "x");
	assert_non_null(s);
	assert_true(soc_spread(s) > 0.08);
	assert_true(soc_spread(s) <= 0.23);
	/* enough for the balancer at once (LFP mid curve, 3.3 V start) */
	sim_test_ticks(s, 1);
	if (s->pack.max_mv > s->params.start_mv)
		assert_true(s->bal.active);
	sim_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ocv_monotonic),
		cmocka_unit_test(test_ocv_energy),
		cmocka_unit_test(test_new_pack),
		cmocka_unit_test(test_imbalance),
		cmocka_unit_test(test_charge_conservation),
		cmocka_unit_test(test_gauge_counts_reported_current),
		cmocka_unit_test(test_energy_conservation),
		cmocka_unit_test(test_balancer_thresholds),
		cmocka_unit_test(test_balancer_reduces_spread),
		cmocka_unit_test(test_balancer_below_start),
		cmocka_unit_test(test_day_in_range),
		cmocka_unit_test(test_abuse_trips),
		cmocka_unit_test(test_step_size_independent),
		cmocka_unit_test(test_long_step_bounded),
	};

	return cmocka_run_group_tests_name("sim-physics", tests, NULL, NULL);
}
