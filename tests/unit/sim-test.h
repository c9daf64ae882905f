/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for the simulator's tests: a configuration, time in seconds,
 * setting writes and requests sent as real 20-byte command frames, and the
 * BMS's output reassembled and decoded with the codec.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "jkbms/frame.h"
#include "jkbms/sim.h"

#include "sim/sim-private.h"

static inline struct conf_sim sim_test_conf(enum sim_chemistry chem,
					    unsigned cells,
					    enum sim_profile profile,
					    unsigned seed)
{
	struct conf_sim c = {
		.chemistry = chem,
		.cells = cells,
		.capacity_mah = 100000,
		.profile = profile,
		.seed = seed,
		.time_scale = 1.0,
	};

	return c;
}

static inline struct sim_bms *sim_test_new(enum sim_chemistry chem,
					   unsigned cells,
					   enum sim_profile profile,
					   unsigned seed, enum jk_variant v)
{
	struct conf_sim c = sim_test_conf(chem, cells, profile, seed);

	return sim_new(&c, v, "test-bms");
}

/* Whole ticks only: tests count in tenths of a second. */
static inline void sim_test_ticks(struct sim_bms *s, unsigned ticks)
{
	sim_step(s, (uint64_t)ticks * SIM_TICK_USEC);
}

static inline void sim_test_drain(struct sim_bms *s)
{
	uint8_t buf[4096];

	while (sim_read(s, buf, sizeof(buf)))
		;
}

static inline void sim_test_request(struct sim_bms *s, enum jk_request req)
{
	uint8_t cmd[JK_CMD_LEN];

	jk_cmd_encode_request(cmd, req);
	sim_receive(s, cmd, sizeof(cmd));
}

/* Writes a setting with a command frame; the codec's return code. */
static inline int sim_test_write(struct sim_bms *s, enum setting_id id,
				 int64_t value)
{
	uint8_t cmd[JK_CMD_LEN];
	int r;

	r = jk_cmd_encode_setting(cmd, sim_variant(s), id, value);
	if (r < 0)
		return r;
	sim_receive(s, cmd, sizeof(cmd));
	return 0;
}

/* Reassembles and decodes what the BMS sent, calling fn per frame. */
struct sim_test_rx {
	struct jk_reasm reasm;
	struct jk_decoded dec;
	unsigned frames[8]; /* by frame type */
	unsigned bad;
};

static inline void sim_test_rx_init(struct sim_test_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
	jk_reasm_init(&rx->reasm);
}

typedef void (*sim_test_frame_fn)(struct sim_test_rx *rx, void *data);

static inline void sim_test_receive(struct sim_bms *s, struct sim_test_rx *rx,
				    sim_test_frame_fn fn, void *data)
{
	uint8_t buf[1024];
	size_t n;

	while ((n = sim_read(s, buf, sizeof(buf)))) {
		const uint8_t *p = buf, *frame;
		size_t len = n;

		while (jk_reasm_next(&rx->reasm, &p, &len, &frame) == 0) {
			if (jk_frame_decode(frame, JK_FRAME_LEN, sim_variant(s),
					    &rx->dec) < 0) {
				rx->bad++;
				continue;
			}
			if ((unsigned)rx->dec.type < 8)
				rx->frames[rx->dec.type]++;
			if (fn)
				fn(rx, data);
		}
	}
}
