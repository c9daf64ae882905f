/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arithmetic and text helpers shared by the model files. Every mean and
 * ratio in the model rounds to the nearest integer, halves away from zero,
 * so a value and its negation round alike and bank and state agree.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* n / d rounded to nearest, halves away from zero; d > 0. */
static inline int64_t div_round(int64_t n, int64_t d)
{
	int64_t q = n / d, r = n % d;
	uint64_t ar = r < 0 ? (uint64_t)0 - (uint64_t)r : (uint64_t)r;

	if (2 * ar >= (uint64_t)d)
		q += n < 0 ? -1 : 1;
	return q;
}

/* Room for any int64 with a sign, a point and a leading zero. */
#define TEXT_NUM_MAX 24

/* text.c: concatenates the NULL-terminated parts into buf (truncating). */
void text_join(char *buf, size_t size, const char *const *parts);
/* value / 10^decimals in plain decimal ("-20.5", "0.100"); returns buf. */
char *text_scaled(char *buf, size_t size, int64_t value, unsigned decimals);
/* s[0..n) equals word, ASCII case-insensitively. */
bool text_eq_nocase(const char *s, size_t n, const char *word);
