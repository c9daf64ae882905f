/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulated BMS's life: creation from the configuration and the seed,
 * the physics tick that ties the parts together, power off and on, and the
 * public entry points of jkbms/sim.h.
 *
 * One tick (SIM_TICK_USEC): the profile asks for a current; the MOSFETs
 * (switches and protections) and the short-circuit detector decide what
 * flows; the cells move charge, the balancer moves some between two of
 * them; the BMS measures voltages, current and temperatures, counts
 * coulombs, runs its protections and decides whether to balance during
 * the next tick; the cell-info stream sends a frame when one is due.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/sim.h"

#include "sim/sim-private.h"

#define DEFAULT_CONNECTION_PASSWORD "1234"   /* manual 6 */
#define DEFAULT_SETTINGS_PASSWORD   "123456" /* manual 5.3.3 */

bool sim_charge_on(const struct sim_bms *s)
{
	return s->powered && s->params.charge_switch &&
	       !protect_blocks_charge(&s->prot);
}

bool sim_discharge_on(const struct sim_bms *s)
{
	return s->powered && s->params.discharge_switch &&
	       !protect_blocks_discharge(&s->prot);
}

uint32_t sim_alarms(const struct sim_bms *s)
{
	uint32_t bits;

	if (!s->powered)
		return 0;
	bits = protect_alarms(&s->prot);
	/* table 6.1 bit 2: the cells found differ from the setting */
	if (s->params.cell_count != s->pack.n)
		bits |= UINT32_C(1) << 2;
	return bits;
}

void sim_settings_changed(struct sim_bms *s)
{
	params_from_settings(&s->params, &s->settings);
}

void sim_power_on(struct sim_bms *s)
{
	s->powered = true;
	s->power_on_count++;
	s->power_on_usec = s->tick_usec;
	s->wake_usec = 0;
	protect_reset(&s->prot);
	s->bal.active = false;
	s->wire.streaming = false;
	s->wire.in_len = 0;
	logbook_boot(s);
}

void sim_power_off(struct sim_bms *s)
{
	s->powered = false;
	s->wake_usec = 0;
	protect_reset(&s->prot);
	s->bal.active = false;
	s->bal.current_ma = 0;
	s->wire.streaming = false;
	s->wire.in_len = 0;
}

static void measure(struct sim_bms *s)
{
	double amps = s->pack.current_a * 1000.0;

	s->meas.min_mv = s->pack.min_mv;
	s->meas.max_mv = s->pack.max_mv;
	s->meas.current_ma = (int32_t)(amps < 0 ? amps - 0.5 : amps + 0.5);
	s->meas.t1_dc = thermal_t1_dc(&s->thermal);
	s->meas.t2_dc = thermal_t2_dc(&s->thermal);
	s->meas.tmos_dc = thermal_mos_dc(&s->thermal);
}

/* The BMS's own work after the cells moved: gauge, protections, balancer. */
static void bms_tick(struct sim_bms *s, uint64_t now)
{
	const struct sim_params *p = &s->params;
	bool ovp = s->prot.active[PROT_CELL_OVP];
	bool uvp = s->prot.active[PROT_CELL_UVP];

	gauge_step(&s->gauge, s->meas.current_ma, SIM_TICK_S, p->capacity_mah);
	protect_update(&s->prot, p, &s->meas, now, SIM_TICK_USEC);
	logbook_trips(s, ovp, uvp);
	if ((!ovp && s->prot.active[PROT_CELL_OVP]) ||
	    (p->has_soc100 && s->meas.max_mv >= p->soc100_mv &&
	     s->meas.current_ma > 0))
		gauge_set(&s->gauge, 1.0, p->capacity_mah);
	balancer_update(&s->bal, &s->pack, p, true);
	if (protect_power_off(&s->prot, p, &s->meas, SIM_TICK_USEC))
		sim_power_off(s);
}

static void tick(struct sim_bms *s)
{
	double i_bal[JK_CELLS_MAX];
	uint64_t now = s->tick_usec + SIM_TICK_USEC;
	double i_req, amps = 0.0;

	s->tick_usec = now;
	s->ambient = s->force_ambient ? s->forced_ambient : profile_ambient(s);
	i_req = s->force_current ? s->forced_a : profile_current(s);

	if (s->powered) {
		amps = protect_gate(&s->prot, &s->params, i_req,
				    sim_charge_on(s), sim_discharge_on(s), now,
				    SIM_TICK_USEC);
	} else if (i_req > 0.0) {
		/* a charger on the K+ pin wakes a BMS that shut down */
		s->wake_usec += SIM_TICK_USEC;
		if (s->wake_usec >= SIM_WAKE_USEC)
			sim_power_on(s);
	} else {
		s->wake_usec = 0;
	}

	balancer_currents(&s->bal, s->pack.n, i_bal);
	pack_step(&s->pack, amps, i_bal, SIM_TICK_S);
	pack_measure(&s->pack);
	thermal_step(&s->thermal, &s->params, s->ambient, amps,
		     pack_resistance(&s->pack), SIM_TICK_S);
	measure(s);
	s->flow_a = amps;
	if (s->powered)
		bms_tick(s, now);
	else
		balancer_update(&s->bal, &s->pack, &s->params, false);
	/*
	 * A MOSFET that opened in this tick cut its current off: what the BMS
	 * reports is the pack without it.
	 */
	if ((amps > 0.0 && !sim_charge_on(s)) ||
	    (amps < 0.0 && !sim_discharge_on(s))) {
		s->pack.current_a = 0.0;
		pack_measure(&s->pack);
		measure(s);
	}
	wire_tick(s);
}

static bool config_ok(const struct conf_sim *cfg, enum jk_variant variant)
{
	unsigned slots = variant == JK_VARIANT_JK02_24S ? 24 : 32;

	if (cfg->cells < SIM_CELLS_MIN || cfg->cells > SIM_CELLS_MAX ||
	    cfg->cells > slots)
		return false;
	if (cfg->capacity_mah < settings_table[SETTING_CAPACITY].min ||
	    cfg->capacity_mah > settings_table[SETTING_CAPACITY].max)
		return false;
	switch (cfg->chemistry) {
	case SIM_LFP:
	case SIM_LIION:
	case SIM_LTO:
		break;
	default:
		return false;
	}
	switch (cfg->profile) {
	case SIM_PROFILE_SOLAR:
	case SIM_PROFILE_CYCLE:
	case SIM_PROFILE_IDLE:
	case SIM_PROFILE_ABUSE:
		return true;
	}
	return false;
}

static void identity(struct sim_bms *s, const char *name)
{
	unsigned hi = (unsigned)(rng_next(&s->rng) % 100000);
	unsigned lo = (unsigned)(rng_next(&s->rng) % 100000);

	snprintf(s->name, sizeof(s->name), "%.15s",
		 name && *name ? name : "JK-B5A25S-60P");
	snprintf(s->serial, sizeof(s->serial), "30%05u%05u", hi, lo);
	snprintf(s->mfg_date, sizeof(s->mfg_date), "%02u%02u%02u",
		 21 + (unsigned)(rng_next(&s->rng) % 4),
		 1 + (unsigned)(rng_next(&s->rng) % 12),
		 1 + (unsigned)(rng_next(&s->rng) % 28));
	sim_set_passwords(s, DEFAULT_CONNECTION_PASSWORD,
			  DEFAULT_SETTINGS_PASSWORD);
	s->power_on_count = 1 + (uint32_t)(rng_next(&s->rng) % 30);
	s->runtime_base_s = 86400 + rng_next(&s->rng) % (400 * 86400);
}

struct sim_bms *sim_new(const struct conf_sim *cfg, enum jk_variant variant,
			const char *name)
{
	struct sim_bms *s;

	if (!cfg)
		return NULL;
	if (variant == JK_VARIANT_AUTO)
		variant = cfg->cells > 24 ? JK_VARIANT_JK02_32S
					  : JK_VARIANT_JK02_24S;
	if (variant != JK_VARIANT_JK02_24S && variant != JK_VARIANT_JK02_32S)
		return NULL;
	if (!config_ok(cfg, variant))
		return NULL;

	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->wire.out = malloc(SIM_OUT_CAP);
	if (!s->wire.out)
		return sim_free(s);
	s->cfg = *cfg;
	s->variant = variant;
	s->wire.stream_usec =
		(uint64_t)((double)SIM_STREAM_USEC *
			   (cfg->time_scale > 1.0 ? cfg->time_scale : 1.0));
	rng_seed(&s->rng, cfg->seed);
	identity(s, name);
	pack_init(&s->pack, cfg, &s->rng);
	presets_initial(&s->settings, variant, cfg);
	sim_settings_changed(s);
	s->ambient = SIM_AMBIENT_C;
	thermal_init(&s->thermal, s->ambient, &s->rng);
	gauge_init(&s->gauge, &s->pack, s->params.capacity_mah, &s->rng);
	profile_init(&s->load, cfg->profile, &s->rng);
	protect_reset(&s->prot);
	s->powered = true;
	s->ignore_writes = cfg->write_fault == SIM_WRITE_FAULT_IGNORE;
	logbook_boot(s);
	measure(s);
	balancer_update(&s->bal, &s->pack, &s->params, true);
	return s;
}

struct sim_bms *sim_free(struct sim_bms *s)
{
	if (!s)
		return NULL;
	free(s->wire.out);
	free(s);
	return NULL;
}

/*
 * More than SIM_STEP_MAX_USEC behind: skip whole ticks up to the last
 * stretch of that length, as if the battery had rested meanwhile, so that
 * one call never runs more than a bounded number of ticks. The stream
 * keeps its phase and does not replay the skipped frames.
 */
static void skip_ahead(struct sim_bms *s)
{
	uint64_t behind = s->now_usec - s->tick_usec, skip;
	struct sim_wire *w = &s->wire;

	if (behind <= SIM_STEP_MAX_USEC)
		return;
	skip = (behind - SIM_STEP_MAX_USEC) / SIM_TICK_USEC * SIM_TICK_USEC;
	s->tick_usec += skip;
	s->skipped_usec += skip;
	if (w->next_stream_usec <= s->tick_usec) {
		uint64_t late = s->tick_usec - w->next_stream_usec;

		w->next_stream_usec +=
			(late / w->stream_usec + 1) * w->stream_usec;
	}
}

void sim_step(struct sim_bms *s, uint64_t dt_usec)
{
	if (dt_usec > SIM_TIME_MAX_USEC - s->now_usec)
		dt_usec = SIM_TIME_MAX_USEC - s->now_usec;
	s->now_usec += dt_usec;
	skip_ahead(s);
	while (s->now_usec - s->tick_usec >= SIM_TICK_USEC)
		tick(s);
}

void sim_receive(struct sim_bms *s, const uint8_t *data, size_t len)
{
	if (data)
		wire_receive(s, data, len);
}

size_t sim_read(struct sim_bms *s, uint8_t *buf, size_t cap)
{
	return wire_read(&s->wire, buf, cap);
}

const struct setting_values *sim_settings(const struct sim_bms *s)
{
	return &s->settings;
}

void sim_values(const struct sim_bms *s, struct field_values *out)
{
	report_values(s, out);
}

static void passcode(char out[JK_PASSCODE_MAX], const char *in)
{
	snprintf(out, JK_PASSCODE_MAX, "%s", in ? in : "");
}

void sim_set_passwords(struct sim_bms *s, const char *connection,
		       const char *settings)
{
	passcode(s->secrets.connection_password, connection);
	passcode(s->secrets.settings_password, settings);
}

void sim_set_ignore_writes(struct sim_bms *s, bool on)
{
	s->ignore_writes = on;
}

void sim_force_current(struct sim_bms *s, int64_t current_ma, bool on)
{
	s->force_current = on;
	s->forced_a = on ? (double)current_ma / 1000.0 : 0.0;
}

void sim_force_ambient(struct sim_bms *s, int32_t temp_dc, bool on)
{
	s->force_ambient = on;
	s->forced_ambient = on ? temp_dc / 10.0 : 0.0;
}

bool sim_powered(const struct sim_bms *s)
{
	return s->powered;
}

uint64_t sim_time_usec(const struct sim_bms *s)
{
	return s->now_usec;
}

uint64_t sim_dropped_bytes(const struct sim_bms *s)
{
	return s->wire.dropped;
}

enum jk_variant sim_variant(const struct sim_bms *s)
{
	return s->variant;
}
