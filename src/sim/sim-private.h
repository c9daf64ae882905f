/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by the simulator's files: one struct per job (cells,
 * balancer, protections, temperatures, gauge, profile, wire) and the
 * simulated BMS that holds them. Physics runs in fixed ticks of
 * SIM_TICK_USEC on an absolute grid, so the result depends only on the
 * seed and the total time, never on how sim_step() chunks it.
 * Not installed; tests of src/sim include it to look inside.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jkbms/conf.h"
#include "jkbms/fields.h"
#include "jkbms/frame.h"
#include "jkbms/settings.h"
#include "jkbms/sim.h"
#include "jkbms/variant.h"

#define SIM_TICK_USEC      UINT64_C(100000) /* physics step */
#define SIM_TICK_S         0.1
#define SIM_STREAM_USEC    UINT64_C(500000) /* cell-info period, real time */
#define SIM_OUT_CAP        65536            /* output queue bytes */
#define SIM_CELLS_MIN      8                /* manual 1: 8..25 */
#define SIM_CELLS_MAX      25
#define SIM_BALANCE_MAX_MA 5000 /* manual 1: 5 A */
/* Hardware short-circuit threshold: twice the 500 A shunt's rating. */
#define SIM_SCP_MIN_MA     1000000
/* Lowest cell at or below power-off voltage this long: BMS shuts down. */
#define SIM_POWER_OFF_USEC UINT64_C(5000000)
/* The clock stops here (some 146,000 years): no timer ever wraps. */
#define SIM_TIME_MAX_USEC  (UINT64_MAX / 4)
/* Charger seen this long at the K+ pin: a shut-down BMS wakes up. */
#define SIM_WAKE_USEC      UINT64_C(1000000)

/* rng.c: splitmix64, deterministic from the seed. */
struct sim_rng {
	uint64_t state;
};

void rng_seed(struct sim_rng *r, uint64_t seed);
uint64_t rng_next(struct sim_rng *r);
double rng_unit(struct sim_rng *r); /* [0, 1) */
double rng_range(struct sim_rng *r, double lo, double hi);

/* ocv.c: open-circuit voltage curves, piecewise linear in SOC. */
double ocv_volts(enum sim_chemistry chem, double soc);
/* Integral of OCV over SOC from 0 to soc: Wh per Ah of capacity. */
double ocv_energy(enum sim_chemistry chem, double soc);
/* Inverse of ocv_volts on [0, 1]. */
double ocv_soc(enum sim_chemistry chem, double volts);
/* Lowest and highest SOC a cell may reach (a little beyond 0 and 1). */
#define OCV_SOC_MIN (-0.05)
#define OCV_SOC_MAX 1.05

/* pack.c: series cells. */
struct sim_cell {
	double capacity_ah;
	double charge_ah;  /* stored charge; SOC = charge / capacity */
	double r_ohm;      /* internal resistance */
	double volts;      /* terminal voltage of the last tick */
	int32_t lead_mohm; /* balance-lead resistance the BMS reports */
};

struct sim_pack {
	enum sim_chemistry chem;
	unsigned n;
	struct sim_cell cell[JK_CELLS_MAX];
	double current_a;         /* pack current of the last tick, + charge */
	int32_t mv[JK_CELLS_MAX]; /* measured cell voltages */
	int32_t min_mv, max_mv;
	unsigned min_idx, max_idx; /* 0-based */
};

void pack_init(struct sim_pack *p, const struct conf_sim *cfg,
	       struct sim_rng *rng);
/* Moves charge: every cell gets i_pack plus its balance current i_bal[]. */
void pack_step(struct sim_pack *p, double i_pack, const double *i_bal,
	       double dt_s);
/* Terminal voltages (OCV + I*R, pack current only) and their mV readings. */
void pack_measure(struct sim_pack *p);
double pack_cell_soc(const struct sim_cell *c);
double pack_resistance(const struct sim_pack *p);

/*
 * params.c: the settings the physics reads, in fixed units, derived from
 * the scaled setting_values each time they change.
 */
struct sim_params {
	int32_t uvp_mv, uvpr_mv, ovp_mv, ovpr_mv, power_off_mv;
	int32_t trigger_mv, start_mv, balance_ma;
	int32_t charge_ocp_ma, discharge_ocp_ma;
	uint64_t charge_ocp_delay_usec, charge_ocp_release_usec;
	uint64_t discharge_ocp_delay_usec, discharge_ocp_release_usec;
	uint64_t scp_delay_usec, scp_release_usec;
	int32_t charge_otp_dc, charge_otp_release_dc; /* 0.1 degC */
	int32_t discharge_otp_dc, discharge_otp_release_dc;
	int32_t charge_utp_dc, charge_utp_release_dc;
	int32_t mos_otp_dc, mos_otp_release_dc;
	bool has_discharge_utp; /* JK02_32S */
	int32_t discharge_utp_dc, discharge_utp_release_dc;
	bool has_soc100;
	int32_t soc100_mv;
	bool has_heating;
	bool heating_switch;
	int32_t heating_start_dc, heating_stop_dc;
	unsigned cell_count;
	bool charge_switch, discharge_switch, balance_switch;
	int64_t capacity_mah;
};

/* A setting converted to 'decimals' (table decimals -> wanted ones). */
int64_t params_get(const struct setting_values *s, enum setting_id id,
		   unsigned decimals);
/* Stores a value given with 'decimals' in the table's scale. */
void params_put(struct setting_values *s, enum setting_id id, int64_t value,
		unsigned decimals);
void params_from_settings(struct sim_params *p, const struct setting_values *s);

/* presets.c: appendix 1 of the manual, and what the sim starts with. */
enum sim_preset_kind {
	SIM_PRESET_ONE_CLICK, /* protections only (manual 5.3.3 a-c) */
	SIM_PRESET_FACTORY,   /* also cells, capacity, switches off */
};

void presets_load(struct setting_values *s, enum jk_variant variant,
		  enum sim_chemistry chem, enum sim_preset_kind kind);
void presets_initial(struct setting_values *s, enum jk_variant variant,
		     const struct conf_sim *cfg);

/* balancer.c: manual 5.3.3 f) and o). */
struct sim_balancer {
	bool active;
	unsigned hi, lo;    /* cells giving and taking, 0-based */
	int32_t current_ma; /* magnitude while active */
};

void balancer_update(struct sim_balancer *b, const struct sim_pack *pack,
		     const struct sim_params *p, bool powered);
/* Per-cell balance currents (A, + into the cell) for the next tick. */
void balancer_currents(const struct sim_balancer *b, unsigned n, double *i_bal);

/* protect.c: manual 5.3.3 i) - s). */
enum sim_prot {
	PROT_CELL_UVP,
	PROT_CELL_OVP,
	PROT_CHARGE_OCP,
	PROT_DISCHARGE_OCP,
	PROT_CHARGE_SCP,
	PROT_DISCHARGE_SCP,
	PROT_CHARGE_OTP,
	PROT_CHARGE_UTP,
	PROT_DISCHARGE_OTP,
	PROT_DISCHARGE_UTP,
	PROT_MOS_OTP,
	PROT__MAX,
};

struct sim_protect {
	bool active[PROT__MAX];
	uint64_t since_usec[PROT__MAX]; /* when it tripped */
	uint64_t over_usec[PROT__MAX];  /* time beyond the limit (delays) */
	uint64_t low_usec;              /* time at or below power-off */
};

/* What the BMS measured at the end of a tick. */
struct sim_measure {
	int32_t min_mv, max_mv;
	int32_t current_ma;
	int32_t t1_dc, t2_dc, tmos_dc;
};

void protect_reset(struct sim_protect *pr);
bool protect_blocks_charge(const struct sim_protect *pr);
bool protect_blocks_discharge(const struct sim_protect *pr);
/* Alarm word of protocols.md table 6.1 for the active protections. */
uint32_t protect_alarms(const struct sim_protect *pr);
/*
 * Before the current flows: the short-circuit detector acts within
 * microseconds (scp_delay <= one tick), so a short trips and carries no
 * charge in the tick it starts. Returns the current allowed to flow (A).
 */
double protect_gate(struct sim_protect *pr, const struct sim_params *p,
		    double i_req, bool charge_on, bool discharge_on,
		    uint64_t now_usec, uint64_t dt_usec);
/* After the tick: trips and releases on what was measured. */
void protect_update(struct sim_protect *pr, const struct sim_params *p,
		    const struct sim_measure *m, uint64_t now_usec,
		    uint64_t dt_usec);
/* True once the lowest cell stayed at or below power-off long enough. */
bool protect_power_off(struct sim_protect *pr, const struct sim_params *p,
		       const struct sim_measure *m, uint64_t dt_usec);
const char *protect_name(enum sim_prot id);
unsigned protect_alarm_bit(enum sim_prot id);

/* thermal.c: T1, T2 (battery) and the MOSFET sensor (manual: 3 probes). */
struct sim_thermal {
	double t_bat;      /* degC, battery mass */
	double t_mos;      /* degC, MOSFET heatsink */
	double off1, off2; /* sensor offsets */
	bool heating;
};

void thermal_init(struct sim_thermal *t, double ambient, struct sim_rng *rng);
void thermal_step(struct sim_thermal *t, const struct sim_params *p,
		  double ambient, double i_pack, double r_pack, double dt_s);
int32_t thermal_t1_dc(const struct sim_thermal *t);
int32_t thermal_t2_dc(const struct sim_thermal *t);
int32_t thermal_mos_dc(const struct sim_thermal *t);

/* gauge.c: the BMS's coulomb counter (SOC, remaining, cycles). */
struct sim_gauge {
	double remaining_mah;
	double discharged_mah; /* towards the next cycle */
	double throughput_mah; /* total discharged */
	uint32_t cycles;
};

void gauge_init(struct sim_gauge *g, const struct sim_pack *pack,
		int64_t capacity_mah, struct sim_rng *rng);
void gauge_step(struct sim_gauge *g, int32_t current_ma, double dt_s,
		int64_t capacity_mah);
void gauge_set(struct sim_gauge *g, double fraction, int64_t capacity_mah);
unsigned gauge_soc(const struct sim_gauge *g, int64_t capacity_mah);

/* profile.c: load and charger. */
enum sim_event {
	EVENT_NONE,
	EVENT_CHARGE_OVERCURRENT,
	EVENT_DISCHARGE_OVERCURRENT,
	EVENT_SHORT_CIRCUIT,
	EVENT_HEAT,
	EVENT_COLD,
};

struct sim_load {
	enum sim_profile kind;
	bool charging;        /* CYCLE/ABUSE phase */
	bool inverter_cutoff; /* SOLAR: load off at low SOC */
	double cloud;         /* SOLAR: 0..1 sky clearness */
	double spike_a;       /* SOLAR: appliance load now */
	uint64_t next_weather_usec;
	uint64_t spike_end_usec;
	enum sim_event current_event; /* ABUSE */
	uint64_t current_event_end;
	enum sim_event ambient_event;
	uint64_t ambient_event_end;
	uint64_t next_event_usec;
	double event_amps;
};

#define SIM_SOLAR_DAY_USEC (UINT64_C(3600) * 1000000) /* 1 h day */
#define SIM_AMBIENT_C      25.0

struct sim_bms;
void profile_init(struct sim_load *l, enum sim_profile kind,
		  struct sim_rng *rng);
/* Requested pack current (A, + charge) for the coming tick. */
double profile_current(struct sim_bms *s);
double profile_ambient(struct sim_bms *s);

/* wire.c: 20-byte commands in, frames and acks out. */
struct sim_wire {
	uint8_t in[JK_CMD_LEN];
	size_t in_len;
	uint8_t *out; /* ring of SIM_OUT_CAP bytes */
	size_t out_head, out_len;
	uint64_t dropped;
	uint8_t counter; /* byte 5 of every frame */
	bool streaming;
	uint64_t stream_usec; /* SIM_STREAM_USEC in simulated time */
	uint64_t next_stream_usec;
	uint64_t frames_sent, commands, bad_commands;
};

void wire_receive(struct sim_bms *s, const uint8_t *data, size_t len);
size_t wire_read(struct sim_wire *w, uint8_t *buf, size_t cap);
void wire_push(struct sim_wire *w, const uint8_t *b, size_t n);
/* Called after every tick: the cell-info stream. */
void wire_tick(struct sim_bms *s);
int wire_send_cell_info(struct sim_bms *s);
int wire_send_settings(struct sim_bms *s);
int wire_send_device_info(struct sim_bms *s);

/* What a command asks the BMS to do after its ack. */
enum sim_action {
	SIM_ACTION_NONE,
	SIM_ACTION_SHUTDOWN,
	SIM_ACTION_RESTART,
};

/* settings.c: a decoded write applied to the BMS. */
int settings_apply(struct sim_bms *s, enum setting_id id, int64_t value,
		   enum sim_action *ret_action);

struct sim_bms {
	struct conf_sim cfg;
	enum jk_variant variant;
	char name[FIELD_TEXT_MAX];
	char serial[FIELD_TEXT_MAX];
	char mfg_date[FIELD_TEXT_MAX];
	struct jk_secrets secrets;

	uint64_t now_usec;       /* time given to sim_step */
	uint64_t skipped_usec;   /* beyond SIM_STEP_MAX_USEC, not simulated */
	uint64_t tick_usec;      /* time of the last physics tick */
	uint64_t power_on_usec;  /* when it last powered on */
	uint64_t runtime_base_s; /* runtime before the simulation */
	uint32_t power_on_count;
	bool powered;
	uint64_t wake_usec; /* charger seen while off */

	struct sim_rng rng; /* identity, cells, profile: all from the seed */
	struct setting_values settings;
	struct sim_params params;
	struct sim_pack pack;
	struct sim_balancer bal;
	struct sim_protect prot;
	struct sim_thermal thermal;
	struct sim_gauge gauge;
	struct sim_load load;
	struct sim_wire wire;
	struct sim_measure meas;
	struct jk_logbook logbook; /* logbook.c */

	bool ignore_writes; /* ack setting writes, apply nothing */
	bool force_current;
	double forced_a;
	bool force_ambient;
	double forced_ambient;
	double ambient; /* of the last tick */
	double flow_a;  /* what flowed in the last tick */
};

/* sim.c: lifecycle steps the wire and the settings trigger. */
bool sim_charge_on(const struct sim_bms *s); /* charge MOSFET closed */
bool sim_discharge_on(const struct sim_bms *s);
uint32_t sim_alarms(const struct sim_bms *s); /* table 6.1 word */
void sim_power_on(struct sim_bms *s);
void sim_power_off(struct sim_bms *s);
void sim_settings_changed(struct sim_bms *s);
/* logbook.c: boots and cell OVP/UVP trips, for the 0xA1 request. */
void logbook_boot(struct sim_bms *s);
void logbook_trips(struct sim_bms *s, bool was_ovp, bool was_uvp);

/* report.c: everything the BMS reports, as field values. */
void report_values(const struct sim_bms *s, struct field_values *out);
