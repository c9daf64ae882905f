/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the codec unit tests: hex strings of vectors-ble.h to
 * bytes, and lookups in the vector table. Include after <cmocka.h>.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jkbms/frame.h"
#include "vectors-ble.h"

/* Upper- or lower-case hex to bytes; fails the test on a bad string. */
static inline size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2, i;

	assert_int_equal(strlen(hex) % 2, 0);
	assert_true(n <= cap);
	for (i = 0; i < n; i++) {
		unsigned b;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
	return n;
}

/* The first 300 bytes of a vector entry (a frame, maybe with its ack). */
static inline void vec_frame(const char *hex, uint8_t frame[JK_FRAME_LEN])
{
	uint8_t buf[512];

	assert_true(unhex(hex, buf, sizeof(buf)) >= JK_FRAME_LEN);
	memcpy(frame, buf, JK_FRAME_LEN);
}

static inline bool vec_is_frame(const struct ble_vector *v)
{
	return v->len >= JK_FRAME_LEN && !strncmp(v->hex, "55AAEB90", 8);
}

#define N_VECTORS (sizeof(ble_vectors) / sizeof(ble_vectors[0]))
