/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: notification reassembly. The input is fed whole, a byte at
 * a time and in chunks whose sizes come from the input itself; every way
 * must find the same frames with the same counters, keep the invariant
 * fed = 300 * good + skipped + buffered, and hand out only frames that
 * pass jk_frame_check. Each frame is then decoded with every variant and
 * checked for its variant. Seeds: tests/fuzz/corpus/ble-reasm/ (the wire
 * bytes of every vector of sections A-D).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES 256

struct run {
	struct jk_reasm r;
	size_t nframes;
	uint32_t sums[MAX_FRAMES];	/* a fingerprint per frame */
};

static struct run runs[3];
static struct jk_decoded dec;

static uint32_t fingerprint(const uint8_t *f)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < JK_FRAME_LEN; i++)
		h = (h ^ f[i]) * 16777619u;
	return h;
}

static void on_frame(struct run *run, const uint8_t *f, bool decode)
{
	int v;

	if (jk_frame_check(f, JK_FRAME_LEN) != 0)
		abort();
	if (run->nframes < MAX_FRAMES)
		run->sums[run->nframes] = fingerprint(f);
	run->nframes++;
	if (!decode)
		return;
	for (v = JK_VARIANT_AUTO; v <= JK_VARIANT__MAX; v++)
		jk_frame_decode(f, JK_FRAME_LEN, (enum jk_variant)v, &dec);
	v = jk_variant_from_frame(f, JK_FRAME_LEN);
	if (v != JK_VARIANT_AUTO && v != JK_VARIANT_JK02_24S &&
	    v != JK_VARIANT_JK02_32S && v != JK_VARIANT_JK04)
		abort();
}

/* chunk 0: sizes from the input bytes (1..256). */
static void feed(struct run *run, const uint8_t *data, size_t size,
		 size_t chunk, bool decode)
{
	size_t pos = 0, fed = 0, k = 0;

	jk_reasm_init(&run->r);
	run->nframes = 0;
	while (pos < size) {
		size_t n = chunk ? chunk : (size_t)data[k++ % size] + 1;
		const uint8_t *p = data + pos, *frame;
		size_t left;

		if (n > size - pos)
			n = size - pos;
		left = n;
		while (jk_reasm_next(&run->r, &p, &left, &frame) == 0)
			on_frame(run, frame, decode);
		if (left != 0 || p != data + pos + n)
			abort();
		pos += n;
		fed += n;
		if (run->r.len >= JK_FRAME_LEN ||
		    fed != JK_FRAME_LEN * run->r.frames_good +
				   run->r.bytes_skipped + run->r.len)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int i;

	feed(&runs[0], data, size, size ? size : 1, true);
	feed(&runs[1], data, size, 1, false);
	feed(&runs[2], data, size, 0, false);
	for (i = 1; i < 3; i++) {
		size_t n = runs[0].nframes < MAX_FRAMES ? runs[0].nframes :
							    MAX_FRAMES;

		if (runs[i].nframes != runs[0].nframes ||
		    runs[i].r.frames_good != runs[0].r.frames_good ||
		    runs[i].r.frames_bad != runs[0].r.frames_bad ||
		    runs[i].r.acks != runs[0].r.acks ||
		    runs[i].r.bytes_skipped != runs[0].r.bytes_skipped ||
		    runs[i].r.len != runs[0].r.len ||
		    memcmp(runs[i].sums, runs[0].sums, n * sizeof(uint32_t)))
			abort();
	}
	return 0;
}
