/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every protection of manual 5.3.3 i) - s): it trips after its delay and
 * not before, raises its alarm bit (protocols.md table 6.1), opens the
 * right MOSFET, and recovers by its own rule; the switches gate the
 * MOSFETs; the power-off voltage shuts the BMS down and a charger wakes it.
 * Settings are written as command frames, as the daemon would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim-test.h"

#define BIT(n) (UINT64_C(1) << (n))

struct fixture {
	struct sim_bms *s;
	struct field_values v;
};

static int setup(void **state)
{
	static struct fixture f;

	f.s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 21,
			   JK_VARIANT_JK02_32S);
	if (!f.s)
		return -1;
	/* a still pack: no balancing to move the cell voltages */
	sim_test_write(f.s, SETTING_BALANCE_SWITCH, 0);
	sim_test_drain(f.s);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	f->s = sim_free(f->s);
	return 0;
}

static const struct field_values *values(struct fixture *f)
{
	sim_values(f->s, &f->v);
	return &f->v;
}

static uint64_t alarms(struct fixture *f)
{
	return (uint64_t)values(f)->num[FIELD_ALARM_BITS];
}

static bool chg(struct fixture *f)
{
	return values(f)->num[FIELD_CHARGE_MOSFET];
}

static bool dsg(struct fixture *f)
{
	return values(f)->num[FIELD_DISCHARGE_MOSFET];
}

static int64_t current(struct fixture *f)
{
	return values(f)->num[FIELD_CURRENT];
}

/*
 * Over-current (5.3.3 l, m): above the maximum for the delay trips it
 * (29.9 s: not yet; 30.0 s: tripped), the MOSFET opens and the current
 * stops; the alarm releases the release time after it was raised (60 s),
 * the MOSFET closes and the current flows again.
 */
static void overcurrent(struct fixture *f, int64_t ma, unsigned bit,
			bool charge)
{
	sim_force_current(f->s, ma, true);
	sim_test_ticks(f->s, 299);
	assert_int_equal(alarms(f), 0);
	assert_int_equal(current(f), ma);
	assert_true(charge ? chg(f) : dsg(f));
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), BIT(bit));
	assert_false(charge ? chg(f) : dsg(f));
	assert_true(charge ? dsg(f) : chg(f));
	sim_test_ticks(f->s, 1);
	assert_int_equal(current(f), 0);
	sim_test_ticks(f->s, 598);
	assert_int_equal(alarms(f), BIT(bit));
	assert_int_equal(current(f), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), 0);
	assert_true(charge ? chg(f) : dsg(f));
	sim_test_ticks(f->s, 1);
	assert_int_equal(current(f), ma);
	sim_force_current(f->s, 0, false);
	sim_test_ticks(f->s, 1);
}

static void test_charge_ocp(void **state)
{
	struct fixture *f = *state;

	/* at the maximum (100.000 A) it never trips */
	sim_force_current(f->s, 100000, true);
	sim_test_ticks(f->s, 600);
	assert_int_equal(alarms(f), 0);
	overcurrent(f, 100001, 6, true);
}

static void test_discharge_ocp(void **state)
{
	struct fixture *f = *state;

	sim_force_current(f->s, -400000, true);
	sim_test_ticks(f->s, 400);
	assert_int_equal(alarms(f), 0);
	sim_force_current(f->s, 0, false);
	sim_test_ticks(f->s, 1);
	overcurrent(f, -410000, 13, false);
}

/* A written delay and release time are the ones used. */
static void test_ocp_written_times(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(
		sim_test_write(f->s, SETTING_MAX_CHARGE_CURRENT, 10000), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_CHARGE_OCP_DELAY, 10), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_CHARGE_OCP_RELEASE, 50),
			 0);
	/* the manual's example: 10 A, 10 s, 50 s */
	sim_force_current(f->s, 12000, true);
	sim_test_ticks(f->s, 99);
	assert_int_equal(alarms(f), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), BIT(6));
	sim_test_ticks(f->s, 499);
	assert_int_equal(alarms(f), BIT(6));
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), 0);
	/* an interruption restarts the delay */
	sim_test_ticks(f->s, 50);
	sim_force_current(f->s, 5000, true);
	sim_test_ticks(f->s, 1);
	sim_force_current(f->s, 12000, true);
	sim_test_ticks(f->s, 99);
	assert_int_equal(alarms(f), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), BIT(6));
	sim_force_current(f->s, 0, false);
}

/* Short circuit (5.3.3 n): trips at once, carries nothing, releases. */
static void short_circuit(struct fixture *f, int64_t ma, unsigned bit)
{
	double q = f->s->pack.cell[0].charge_ah;

	sim_force_current(f->s, ma, true);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), BIT(bit));
	assert_int_equal(current(f), 0);
	assert_true(f->s->pack.cell[0].charge_ah == q);
	sim_force_current(f->s, 0, false);
	sim_test_ticks(f->s, 599);
	assert_int_equal(alarms(f), BIT(bit));
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), 0);
}

static void test_short_circuit(void **state)
{
	struct fixture *f = *state;

	/* 999.999 A is an over-current, not a short circuit */
	sim_force_current(f->s, -999999, true);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), 0);
	assert_int_equal(current(f), -999999);
	short_circuit(f, -1000000, 14);
	assert_true(dsg(f));
	short_circuit(f, 1000000, 7);
	assert_true(chg(f));
}

/*
 * Cell under-voltage (5.3.3 i): any cell below UVP opens the discharge
 * MOSFET; only when every cell exceeds UVPR does it close again. The
 * thresholds move around the lowest cell, which stays put.
 */
static void test_cell_uvp(void **state)
{
	struct fixture *f = *state;
	int32_t lo = f->s->pack.min_mv;

	assert_int_equal(sim_test_write(f->s, SETTING_CELL_UVPR, lo + 100), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_UVP, lo), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_UVP, lo + 1), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), BIT(11));
	assert_false(dsg(f));
	assert_true(chg(f));
	/* can only be charged */
	sim_force_current(f->s, -5000, true);
	sim_test_ticks(f->s, 1);
	assert_int_equal(current(f), 0);
	sim_force_current(f->s, 0, false);
	/* recovery: every cell must exceed UVPR */
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_UVP, lo - 200), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_UVPR, lo), 0);
	sim_test_ticks(f->s, 5);
	assert_int_equal(alarms(f), BIT(11));
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_UVPR, lo - 1), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), 0);
	assert_true(dsg(f));
}

/* The same recovery, the physical way: a charger lifts the low cell. */
static void test_cell_uvp_charge_recovers(void **state)
{
	struct fixture *f = *state;
	int32_t lo = f->s->pack.min_mv;
	unsigned t;

	assert_int_equal(sim_test_write(f->s, SETTING_CELL_UVPR, lo + 3), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_UVP, lo + 1), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), BIT(11));
	sim_force_current(f->s, 20000, true);
	for (t = 0; t < 36000 && (alarms(f) & BIT(11)); t++)
		sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), 0);
	assert_true(f->s->pack.min_mv > lo + 3);
	sim_force_current(f->s, 0, false);
}

/*
 * Cell over-voltage (5.3.3 j): any cell above OVP opens the charge MOSFET;
 * it closes when every cell is below OVPR. Balancing goes on meanwhile.
 */
static void test_cell_ovp(void **state)
{
	struct fixture *f = *state;
	int32_t hi = f->s->pack.max_mv;

	assert_int_equal(sim_test_write(f->s, SETTING_CELL_OVPR, hi - 100), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_OVP, hi), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_OVP, hi - 1), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), BIT(4));
	assert_false(chg(f));
	assert_true(dsg(f));
	sim_force_current(f->s, 5000, true);
	sim_test_ticks(f->s, 1);
	assert_int_equal(current(f), 0);
	sim_force_current(f->s, -5000, true);
	sim_test_ticks(f->s, 1);
	assert_int_equal(current(f), -5000);
	sim_force_current(f->s, 0, false);
	sim_test_ticks(f->s, 1);

	/* "while not being able to charge, the balancer ... transfers" */
	assert_int_equal(
		sim_test_write(f->s, SETTING_BALANCE_START_VOLTAGE, 1000), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_BALANCE_TRIGGER_DELTA, 1),
			 0);
	assert_int_equal(sim_test_write(f->s, SETTING_BALANCE_SWITCH, 1), 0);
	sim_test_ticks(f->s, 1);
	if (f->s->pack.max_mv - f->s->pack.min_mv > 1)
		assert_int_equal(values(f)->num[FIELD_BALANCING],
				 BALANCING_CHARGING);
	assert_int_equal(sim_test_write(f->s, SETTING_BALANCE_SWITCH, 0), 0);

	/* recovery: every cell below OVPR */
	hi = f->s->pack.max_mv;
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_OVP, hi + 200), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_OVPR, hi), 0);
	sim_test_ticks(f->s, 5);
	assert_int_equal(alarms(f), BIT(4));
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_OVPR, hi + 1), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), 0);
	assert_true(chg(f));
}

/*
 * Holds the battery probes at 'dc' (0.1 degC): ambient forced to the same
 * temperature, no current, sensor offsets zeroed.
 */
static void battery_at(struct fixture *f, int32_t dc)
{
	f->s->thermal.off1 = f->s->thermal.off2 = 0.0;
	f->s->thermal.t_bat = dc / 10.0;
	sim_force_ambient(f->s, dc, true);
	sim_test_ticks(f->s, 1);
	assert_int_equal(values(f)->num[FIELD_TEMPERATURE_1], dc);
	assert_int_equal(values(f)->num[FIELD_TEMPERATURE_2], dc);
}

static void mos_at(struct fixture *f, int32_t dc)
{
	/* ambient 2 degC below: the board's own heat makes up the rest */
	f->s->thermal.t_mos = dc / 10.0;
	f->s->thermal.t_bat = (dc - 20) / 10.0;
	sim_force_ambient(f->s, dc - 20, true);
	sim_test_ticks(f->s, 1);
	assert_int_equal(values(f)->num[FIELD_TEMPERATURE_MOS], dc);
}

/* Charge and discharge over-temperature (5.3.3 q): 70.0 / 60.0 degC. */
static void test_over_temperature(void **state)
{
	struct fixture *f = *state;

	/* discharge OTP out of the way first: 80.0 / 75.0 */
	assert_int_equal(sim_test_write(f->s, SETTING_DISCHARGE_OTP, 800), 0);
	assert_int_equal(
		sim_test_write(f->s, SETTING_DISCHARGE_OTP_RELEASE, 750), 0);
	battery_at(f, 700);
	assert_int_equal(alarms(f), 0);
	battery_at(f, 701);
	assert_int_equal(alarms(f), BIT(8));
	assert_false(chg(f));
	assert_true(dsg(f));
	battery_at(f, 600);
	assert_int_equal(alarms(f), BIT(8));
	battery_at(f, 599);
	assert_int_equal(alarms(f), 0);
	assert_true(chg(f));

	battery_at(f, 800);
	assert_int_equal(alarms(f), BIT(8));
	battery_at(f, 801);
	assert_int_equal(alarms(f), BIT(8) | BIT(15));
	assert_false(dsg(f));
	battery_at(f, 750);
	assert_int_equal(alarms(f), BIT(8) | BIT(15));
	battery_at(f, 749);
	assert_int_equal(alarms(f), BIT(8));
	assert_true(dsg(f));
	battery_at(f, 250);
	assert_int_equal(alarms(f), 0);
}

/* Charge under-temperature (5.3.3 r): -20.0 / -10.0 degC. */
static void test_charge_utp(void **state)
{
	struct fixture *f = *state;

	/* discharge UTP (JK02_32S, -20 / -10) out of the way */
	assert_int_equal(sim_test_write(f->s, SETTING_DISCHARGE_UTP, -400), 0);
	assert_int_equal(
		sim_test_write(f->s, SETTING_DISCHARGE_UTP_RELEASE, -300), 0);
	battery_at(f, -200);
	assert_int_equal(alarms(f), 0);
	battery_at(f, -201);
	assert_int_equal(alarms(f), BIT(9));
	assert_false(chg(f));
	assert_true(dsg(f));
	battery_at(f, -100);
	assert_int_equal(alarms(f), BIT(9));
	battery_at(f, -99);
	assert_int_equal(alarms(f), 0);
	assert_true(chg(f));
}

/* Discharge under-temperature, JK02_32S bit 27. */
static void test_discharge_utp(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sim_test_write(f->s, SETTING_CHARGE_UTP, -400), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_CHARGE_UTP_RELEASE, -350),
			 0);
	battery_at(f, -200);
	assert_int_equal(alarms(f), 0);
	battery_at(f, -201);
	assert_int_equal(alarms(f), BIT(27));
	assert_false(dsg(f));
	assert_true(chg(f));
	battery_at(f, -100);
	assert_int_equal(alarms(f), BIT(27));
	battery_at(f, -99);
	assert_int_equal(alarms(f), 0);
}

/* MOSFET over-temperature (5.3.3 s): 100.0 / 80.0 degC, both MOSFETs. */
static void test_mos_otp(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sim_test_write(f->s, SETTING_CHARGE_OTP, 1000), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_DISCHARGE_OTP, 1000), 0);
	mos_at(f, 1000);
	assert_int_equal(alarms(f), 0);
	mos_at(f, 1001);
	assert_int_equal(alarms(f), BIT(1));
	assert_false(chg(f));
	assert_false(dsg(f));
	sim_force_current(f->s, 5000, true);
	sim_test_ticks(f->s, 1);
	assert_int_equal(current(f), 0);
	sim_force_current(f->s, 0, false);
	mos_at(f, 800);
	assert_int_equal(alarms(f), BIT(1));
	mos_at(f, 799);
	assert_int_equal(alarms(f), 0);
	assert_true(chg(f));
	assert_true(dsg(f));
}

/* Current heats the MOSFETs: a long heavy discharge trips MOS OTP. */
static void test_mos_heats(void **state)
{
	struct fixture *f = *state;
	int32_t t0 = (int32_t)values(f)->num[FIELD_TEMPERATURE_MOS];
	unsigned t;

	assert_int_equal(sim_test_write(f->s, SETTING_DISCHARGE_OCP_DELAY, 600),
			 0);
	sim_force_ambient(f->s, 700, true);
	sim_force_current(f->s, -450000, true);
	for (t = 0; t < 6000 && !(alarms(f) & BIT(1)); t++)
		sim_test_ticks(f->s, 1);
	assert_true(values(f)->num[FIELD_TEMPERATURE_MOS] > 1000);
	assert_true(values(f)->num[FIELD_TEMPERATURE_MOS] > t0);
	assert_true(alarms(f) & BIT(1));
	assert_false(dsg(f));
}

/* Manual 5.3.3: the switches gate the MOSFETs too. */
static void test_switches(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sim_test_write(f->s, SETTING_CHARGE_SWITCH, 0), 0);
	sim_test_ticks(f->s, 1);
	assert_false(chg(f));
	assert_true(dsg(f));
	assert_int_equal(alarms(f), 0);
	sim_force_current(f->s, 10000, true);
	sim_test_ticks(f->s, 1);
	assert_int_equal(current(f), 0);
	sim_force_current(f->s, -10000, true);
	sim_test_ticks(f->s, 1);
	assert_int_equal(current(f), -10000);

	assert_int_equal(sim_test_write(f->s, SETTING_DISCHARGE_SWITCH, 0), 0);
	sim_test_ticks(f->s, 1);
	assert_false(dsg(f));
	assert_int_equal(current(f), 0);
	assert_int_equal(sim_test_write(f->s, SETTING_CHARGE_SWITCH, 1), 0);
	sim_force_current(f->s, 10000, true);
	sim_test_ticks(f->s, 1);
	assert_true(chg(f));
	assert_int_equal(current(f), 10000);
	assert_int_equal(sim_test_write(f->s, SETTING_DISCHARGE_SWITCH, 1), 0);
	sim_test_ticks(f->s, 1);
	assert_true(dsg(f));
	sim_force_current(f->s, 0, false);
}

/* Table 6.1 bit 2: the cell count setting differs from the cells found. */
static void test_cell_count_alarm(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sim_test_write(f->s, SETTING_CELL_COUNT, 15), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), BIT(2));
	assert_int_equal(values(f)->ncells, 16);
	assert_int_equal(sim_test_write(f->s, SETTING_CELL_COUNT, 16), 0);
	sim_test_ticks(f->s, 1);
	assert_int_equal(alarms(f), 0);
}

/*
 * Power-off voltage (5.3.3 k): the lowest cell at it for 5 s shuts the
 * BMS down; it stops answering; a charger wakes it after a second.
 */
static void test_power_off(void **state)
{
	struct fixture *f = *state;
	int32_t lo = f->s->pack.min_mv;
	uint32_t boots = f->s->power_on_count;
	uint8_t buf[64];

	assert_int_equal(
		sim_test_write(f->s, SETTING_POWER_OFF_VOLTAGE, lo - 1), 0);
	sim_test_ticks(f->s, 100);
	assert_true(sim_powered(f->s));
	assert_int_equal(sim_test_write(f->s, SETTING_POWER_OFF_VOLTAGE, lo),
			 0);
	sim_test_request(f->s, JK_REQ_CELL_INFO);
	sim_test_ticks(f->s, 49);
	assert_true(sim_powered(f->s));
	sim_test_ticks(f->s, 1);
	assert_false(sim_powered(f->s));
	assert_int_equal(alarms(f), 0);
	assert_false(chg(f));
	assert_false(dsg(f));

	/* silent: no stream, no answer */
	sim_test_drain(f->s);
	sim_test_ticks(f->s, 50);
	sim_test_request(f->s, JK_REQ_DEVICE_INFO);
	assert_int_equal(sim_read(f->s, buf, sizeof(buf)), 0);
	/* a load cannot wake it, nor draw from it */
	sim_force_current(f->s, -10000, true);
	sim_test_ticks(f->s, 100);
	assert_false(sim_powered(f->s));
	assert_int_equal(current(f), 0);
	/* a charger does, after a second */
	sim_force_current(f->s, 10000, true);
	sim_test_ticks(f->s, 9);
	assert_false(sim_powered(f->s));
	sim_test_ticks(f->s, 1);
	assert_true(sim_powered(f->s));
	assert_int_equal(f->s->power_on_count, boots + 1);
	assert_int_equal(values(f)->num[FIELD_UPTIME], 0);
	sim_test_ticks(f->s, 100);
	assert_true(sim_powered(f->s));
	assert_int_equal(current(f), 10000);
	sim_test_request(f->s, JK_REQ_DEVICE_INFO);
	assert_true(sim_read(f->s, buf, sizeof(buf)) > 0);
	sim_force_current(f->s, 0, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_charge_ocp, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_discharge_ocp, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ocp_written_times, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_short_circuit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cell_uvp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cell_uvp_charge_recovers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cell_ovp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_over_temperature, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_charge_utp, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_discharge_utp, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mos_otp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mos_heats, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_switches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cell_count_alarm, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_power_off, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("sim-protect", tests, NULL, NULL);
}
