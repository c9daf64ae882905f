/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hex digits, for the config's MAC addresses and decode's frame input. */
#pragma once

/* 0..15, or -1 if c is not a hex digit. */
static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
