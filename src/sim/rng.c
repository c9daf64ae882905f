/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulator's only source of chance: splitmix64 seeded from the
 * configuration, so a seed always gives the same BMS and the same bytes.
 */
#include <stdint.h>

#include "sim/sim-private.h"

void rng_seed(struct sim_rng *r, uint64_t seed)
{
	r->state = seed ^ UINT64_C(0x6a6b626d73642d73); /* "jkbmsd-s" */
}

uint64_t rng_next(struct sim_rng *r)
{
	uint64_t z;

	r->state += UINT64_C(0x9e3779b97f4a7c15);
	z = r->state;
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

double rng_unit(struct sim_rng *r)
{
	/* 53 random bits: every double in [0, 1) on a 2^-53 grid */
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

double rng_range(struct sim_rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_unit(r);
}
