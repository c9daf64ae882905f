/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Prints the cost of decoding each frame kind (ns per frame) and of
 * notification reassembly (ns per byte), on real frames. With
 * "--kind K --iterations N" it runs one kind N times and prints nothing,
 * so bench/instructions.sh can count instructions under callgrind.
 * Figures, not pass/fail.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jkbms/frame.h"
#include "frames.h"

struct kind {
	const char *name;
	const char *hex;
	enum jk_variant variant;
};

static const struct kind kinds[] = {
	{ "cell_info_24s", bench_cell_info_24s, JK_VARIANT_JK02_24S },
	{ "cell_info_32s", bench_cell_info_32s, JK_VARIANT_JK02_32S },
	{ "cell_info_jk04", bench_cell_info_jk04, JK_VARIANT_JK04 },
	{ "device_info", bench_device_info, JK_VARIANT_JK02_24S },
	{ "settings_32s", bench_settings_32s, JK_VARIANT_JK02_32S },
};

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (; hex[0] && hex[1] && n < cap; hex += 2) {
		unsigned v;

		if (sscanf(hex, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
	}
	return n;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static struct jk_decoded decoded;

static int decode_n(const struct kind *k, long n)
{
	uint8_t frame[JK_FRAME_LEN];
	size_t len = unhex(k->hex, frame, sizeof(frame));
	int r = 0;

	for (long i = 0; i < n; i++) {
		r = jk_frame_decode(frame, len, k->variant, &decoded);
		if (r < 0)
			return r;
	}
	return r;
}

/* Reassembly of a stream of frames in 20-byte notifications. */
static double reasm_ns_per_byte(long frames)
{
	uint8_t frame[JK_FRAME_LEN];
	size_t len = unhex(bench_cell_info_32s, frame, sizeof(frame));
	struct jk_reasm r;
	double t0, t1;
	uint64_t bytes = 0;

	jk_reasm_init(&r);
	t0 = now_ns();
	for (long f = 0; f < frames; f++) {
		for (size_t off = 0; off < len; off += 20) {
			const uint8_t *p = frame + off, *out;
			size_t n = len - off < 20 ? len - off : 20;

			while (jk_reasm_next(&r, &p, &n, &out) == 0)
				;
		}
		bytes += len;
	}
	t1 = now_ns();
	if (r.frames_good != (uint64_t)frames)
		fprintf(stderr, "reassembly lost frames: %llu of %ld\n",
			(unsigned long long)r.frames_good, frames);
	return (t1 - t0) / (double)bytes;
}

int main(int argc, char **argv)
{
	long iterations = 200000;
	const char *only = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--kind") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
			iterations = strtol(argv[++i], NULL, 10);
	}
	if (only) {
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (!strcmp(kinds[i].name, only))
				return decode_n(&kinds[i], iterations) < 0;
		if (!strcmp(only, "reassembly")) {
			reasm_ns_per_byte(iterations);
			return 0;
		}
		fprintf(stderr, "unknown kind %s\n", only);
		return 2;
	}

	printf("%-16s %12s\n", "frame", "ns/frame");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		double t0 = now_ns(), t1;
		int r = decode_n(&kinds[i], iterations);

		t1 = now_ns();
		if (r < 0) {
			printf("%-16s decode failed: %s\n", kinds[i].name,
			       strerror(-r));
			continue;
		}
		printf("%-16s %12.1f\n", kinds[i].name,
		       (t1 - t0) / (double)iterations);
	}
	printf("%-16s %12.2f ns/byte (20-byte notifications)\n", "reassembly",
	       reasm_ns_per_byte(iterations / 10));
	return 0;
}
