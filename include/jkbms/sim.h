/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulated BMS of the manual (JK-B5A25S-60P): series cells with an OCV
 * curve, capacity, internal resistance and small differences between cells;
 * a load/charger profile; the active balancer; every protection with delay
 * and recovery; temperatures. It answers in the real wire format, built by
 * the codec encoders. Deterministic: time only moves through sim_step(), so
 * it runs in simulated time as well as real time.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jkbms/conf.h"
#include "jkbms/frame.h"
#include "jkbms/settings.h"
#include "jkbms/variant.h"

struct sim_bms;

/*
 * A BMS speaking JK02_24S (firmware 10.10) or JK02_32S (11.48);
 * JK_VARIANT_AUTO picks JK02_24S, or JK02_32S above 24 cells. NULL for
 * other variants, cells outside 8..25 (or above 24 on JK02_24S), a
 * capacity outside the settings table's range, or out of memory. It starts
 * powered, with the preset of its chemistry, the configured cells and
 * capacity, and the charge, discharge and balance switches on.
 */
struct sim_bms *sim_new(const struct conf_sim *cfg, enum jk_variant variant,
			const char *name);
struct sim_bms *sim_free(struct sim_bms *s);

/* The most physics one sim_step() call runs: one simulated hour. */
#define SIM_STEP_MAX_USEC (UINT64_C(3600) * 1000000)

/*
 * Advances simulated time by dt_usec. Physics runs in 100 ms ticks on a
 * fixed grid, so the outcome depends only on the total time, however it
 * is chunked, as long as no call asks for more than SIM_STEP_MAX_USEC.
 * A longer step runs only its last SIM_STEP_MAX_USEC; before that the
 * battery rests (a bounded cost even at absurd time scales).
 */
void sim_step(struct sim_bms *s, uint64_t dt_usec);

/*
 * Host -> BMS bytes (20-byte command frames, possibly split): the BMS
 * answers by appending frames and acks to its output queue, exactly what a
 * real BMS would notify. Unknown or corrupt commands are ignored, and so
 * is everything while the BMS is shut down. A restart or shutdown command
 * stops the cell stream (the host asks again with 0x96).
 */
void sim_receive(struct sim_bms *s, const uint8_t *data, size_t len);
/*
 * Moves up to 'cap' queued output bytes into buf; returns the count. While
 * the cell stream is on (after 0x96), sim_step queues a cell-info frame
 * every stream period (0.5 s simulated). The queue keeps the newest 64 KiB.
 */
size_t sim_read(struct sim_bms *s, uint8_t *buf, size_t cap);
/* Output bytes dropped because nobody read them in time. */
uint64_t sim_dropped_bytes(const struct sim_bms *s);

/* The simulated BMS's own view, for tests and the demo. */
const struct setting_values *sim_settings(const struct sim_bms *s);
void sim_values(const struct sim_bms *s, struct field_values *out);
enum jk_variant sim_variant(const struct sim_bms *s);
/*
 * False after the lowest cell stayed at the power-off voltage, or after a
 * shutdown command: it neither answers nor streams until a charger (a
 * positive requested current) has been seen for a second.
 */
bool sim_powered(const struct sim_bms *s);
uint64_t sim_time_usec(const struct sim_bms *s);
/* Passwords the BMS reports in its device-info frame. */
void sim_set_passwords(struct sim_bms *s, const char *connection,
		       const char *settings);
/*
 * A BMS that acknowledges setting writes and buttons but keeps its values
 * (for tests of the read-back); conf_sim.write_fault = ignore sets it.
 */
void sim_set_ignore_writes(struct sim_bms *s, bool on);
/* Forces a current (A * 1000, + = charge) overriding the profile; !on: off. */
void sim_force_current(struct sim_bms *s, int64_t current_ma, bool on);
/* Forces the ambient temperature (0.1 degC) overriding the profile. */
void sim_force_ambient(struct sim_bms *s, int32_t temp_dc, bool on);
