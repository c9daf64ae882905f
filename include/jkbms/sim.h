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

#include <stddef.h>
#include <stdint.h>

#include "jkbms/conf.h"
#include "jkbms/frame.h"
#include "jkbms/settings.h"
#include "jkbms/variant.h"

struct sim_bms;

struct sim_bms *sim_new(const struct conf_sim *cfg, enum jk_variant variant,
			const char *name);
struct sim_bms *sim_free(struct sim_bms *s);

/* Advances simulated time by dt_usec (any size; integrates in small steps). */
void sim_step(struct sim_bms *s, uint64_t dt_usec);

/*
 * Host -> BMS bytes (20-byte command frames, possibly split): the BMS
 * answers by appending frames and acks to its output queue, exactly what a
 * real BMS would notify. Unknown or corrupt commands are ignored.
 */
void sim_receive(struct sim_bms *s, const uint8_t *data, size_t len);
/*
 * Moves up to 'cap' queued output bytes into buf; returns the count. While
 * the cell stream is on (after 0x96), sim_step queues a cell-info frame
 * every stream period (0.5 s simulated).
 */
size_t sim_read(struct sim_bms *s, uint8_t *buf, size_t cap);

/* The simulated BMS's own view, for tests and the demo. */
const struct setting_values *sim_settings(const struct sim_bms *s);
void sim_values(const struct sim_bms *s, struct field_values *out);
/* Passwords the BMS reports in its device-info frame. */
void sim_set_passwords(struct sim_bms *s, const char *connection,
		       const char *settings);
/* Forces a current (A * 1000, + = charge) overriding the profile; 0 = off. */
void sim_force_current(struct sim_bms *s, int64_t current_ma, bool on);
