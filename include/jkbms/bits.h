/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fixed 128-bit set: which fields or settings an update carries, which
 * changed. Pure, header-only.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define BITS_MAX 128

struct bits {
	uint64_t w[BITS_MAX / 64];
};

static inline void bits_set(struct bits *b, unsigned i)
{
	b->w[i / 64] |= UINT64_C(1) << (i % 64);
}

static inline void bits_clear(struct bits *b, unsigned i)
{
	b->w[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

static inline bool bits_test(const struct bits *b, unsigned i)
{
	return (b->w[i / 64] >> (i % 64)) & 1;
}

static inline void bits_zero(struct bits *b)
{
	memset(b, 0, sizeof(*b));
}

static inline bool bits_any(const struct bits *b)
{
	return b->w[0] || b->w[1];
}

static inline void bits_or(struct bits *dst, const struct bits *src)
{
	dst->w[0] |= src->w[0];
	dst->w[1] |= src->w[1];
}
