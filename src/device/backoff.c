/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reconnect delays: exponential with a cap, spread by jitter so that many
 * BMSs losing their links together (an adapter reset) do not retry in step.
 */
#include "config.h"

#include "jkbms/device.h"

uint64_t device_backoff_usec(unsigned attempt, uint64_t base_usec,
			     uint64_t max_usec, uint32_t rnd)
{
	uint64_t d = base_usec;
	unsigned i;

	for (i = 0; i < attempt && d < max_usec; i++)
		d *= 2;
	if (d > max_usec)
		d = max_usec;
	/* d * (0.75 + 0.5 * r), r in [0, 1) from the top 16 bits of rnd;
	 * the cap holds after the jitter too. */
	d = d - d / 4 + (d / 2) * (rnd >> 16) / 65536;
	return d < max_usec ? d : max_usec;
}
