/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Open-circuit voltage of one cell against its state of charge, for the
 * three chemistries the manual names (1 Overview: lithium iron phosphate,
 * ternary lithium, lithium titanate). Typical published shapes, as points
 * joined by straight lines: LFP's long flat middle and steep ends, NMC's
 * steady slope, LTO's low plateau. Every curve rises strictly, and runs a
 * little past 0 % and 100 % with a steep slope so that an over-charged or
 * over-discharged cell shows it and trips the protections.
 */
#include <stddef.h>

#include "sim/sim-private.h"

struct ocv_point {
	double soc;
	double volts;
};

/* clang-format off */
static const struct ocv_point ocv_lfp[] = {
	{ -0.05, 2.000 }, { 0.00, 2.500 }, { 0.02, 2.850 }, { 0.05, 3.050 },
	{ 0.10, 3.180 }, { 0.20, 3.240 }, { 0.30, 3.265 }, { 0.40, 3.285 },
	{ 0.50, 3.300 }, { 0.60, 3.310 }, { 0.70, 3.325 }, { 0.80, 3.335 },
	{ 0.90, 3.345 }, { 0.95, 3.370 }, { 0.98, 3.420 }, { 1.00, 3.550 },
	{ 1.05, 3.950 },
};

static const struct ocv_point ocv_nmc[] = {
	{ -0.05, 2.600 }, { 0.00, 3.000 }, { 0.05, 3.300 }, { 0.10, 3.450 },
	{ 0.20, 3.550 }, { 0.30, 3.620 }, { 0.40, 3.680 }, { 0.50, 3.740 },
	{ 0.60, 3.820 }, { 0.70, 3.900 }, { 0.80, 3.980 }, { 0.90, 4.070 },
	{ 1.00, 4.180 }, { 1.05, 4.400 },
};

static const struct ocv_point ocv_lto[] = {
	{ -0.05, 1.500 }, { 0.00, 1.800 }, { 0.05, 2.050 }, { 0.10, 2.150 },
	{ 0.20, 2.220 }, { 0.30, 2.260 }, { 0.40, 2.290 }, { 0.50, 2.320 },
	{ 0.60, 2.360 }, { 0.70, 2.400 }, { 0.80, 2.450 }, { 0.90, 2.520 },
	{ 1.00, 2.680 }, { 1.05, 2.950 },
};
/* clang-format on */

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct ocv_point *curve(enum sim_chemistry chem, size_t *ret_n)
{
	switch (chem) {
	case SIM_LIION:
		*ret_n = N(ocv_nmc);
		return ocv_nmc;
	case SIM_LTO:
		*ret_n = N(ocv_lto);
		return ocv_lto;
	case SIM_LFP:
		break;
	}
	*ret_n = N(ocv_lfp);
	return ocv_lfp;
}

double ocv_volts(enum sim_chemistry chem, double soc)
{
	const struct ocv_point *c;
	size_t n, i;

	c = curve(chem, &n);
	if (soc <= c[0].soc)
		return c[0].volts;
	for (i = 1; i < n; i++) {
		if (soc <= c[i].soc) {
			double f = (soc - c[i - 1].soc) /
				   (c[i].soc - c[i - 1].soc);

			return c[i - 1].volts +
			       f * (c[i].volts - c[i - 1].volts);
		}
	}
	return c[n - 1].volts;
}

double ocv_soc(enum sim_chemistry chem, double volts)
{
	const struct ocv_point *c;
	size_t n, i;

	c = curve(chem, &n);
	for (i = 1; i < n; i++) {
		if (c[i].soc <= 0.0)
			continue;
		if (volts <= c[i].volts) {
			double f = (volts - c[i - 1].volts) /
				   (c[i].volts - c[i - 1].volts);
			double soc =
				c[i - 1].soc + f * (c[i].soc - c[i - 1].soc);

			return soc < 0.0 ? 0.0 : soc;
		}
		if (c[i].soc >= 1.0)
			return 1.0;
	}
	return 1.0;
}

/* Exact integral of the piecewise-linear curve from 0 to soc. */
double ocv_energy(enum sim_chemistry chem, double soc)
{
	const struct ocv_point *c;
	double sign = 1.0, lo = 0.0, hi = soc, e = 0.0;
	size_t n, i;

	if (soc < 0.0) {
		sign = -1.0;
		lo = soc;
		hi = 0.0;
	}
	c = curve(chem, &n);
	for (i = 1; i < n; i++) {
		double a = c[i - 1].soc > lo ? c[i - 1].soc : lo;
		double b = c[i].soc < hi ? c[i].soc : hi;

		if (b <= a)
			continue;
		e += (b - a) * (ocv_volts(chem, a) + ocv_volts(chem, b)) / 2.0;
	}
	return sign * e;
}
