/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Notification reassembly (src/codec/ble-frame.c, protocols.md 1.4): every
 * vector frame of sections A-D fed as one stream, whole, a byte at a time,
 * in random splits (fixed seed) and in 20/128/244-byte MTU chunks, with the
 * counters exact; then junk, acks, "AT\r\n", corrupt checksums and types,
 * truncated frames and fake headers between good frames.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "jkbms/frame.h"
#include "codec-test.h"

#define STREAM_MAX	16384
#define FRAMES_MAX	64

/* Sections A-D: 38 frames of 300 bytes, and 5 acks on the wire. */
#define VEC_FRAMES	38
#define VEC_ACKS	5

struct result {
	size_t nframes;
	uint8_t frames[FRAMES_MAX][JK_FRAME_LEN];
	struct jk_reasm r;
	size_t fed;
};

static struct result res;	/* 19 kB: not on the stack */
static uint8_t stream[STREAM_MAX];
static size_t stream_len;

/* xorshift32 with a fixed seed: the same splits on every run. */
static uint32_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Sizes of successive chunks: 0 = random 1..300, else that size. */
static void feed(const uint8_t *data, size_t len, size_t chunk)
{
	size_t pos = 0;

	while (pos < len) {
		size_t n = chunk ? chunk : 1 + rng() % 300;
		const uint8_t *p = data + pos, *frame = NULL;
		size_t left;
		int r;

		if (n > len - pos)
			n = len - pos;
		left = n;
		while ((r = jk_reasm_next(&res.r, &p, &left, &frame)) == 0) {
			assert_non_null(frame);
			assert_true(res.nframes < FRAMES_MAX);
			memcpy(res.frames[res.nframes++], frame, JK_FRAME_LEN);
			frame = NULL;
		}
		assert_int_equal(r, -EAGAIN);
		assert_int_equal(left, 0);
		assert_ptr_equal(p, data + pos + n);
		pos += n;
		res.fed += n;
		/* the invariant of frame.h, after every chunk */
		assert_int_equal(res.fed, JK_FRAME_LEN * res.r.frames_good +
					 res.r.bytes_skipped + res.r.len);
		assert_true(res.r.len < JK_FRAME_LEN);
	}
}

static void reset(void)
{
	memset(&res, 0, sizeof(res));
	jk_reasm_init(&res.r);
	stream_len = 0;
	rng_state = 0x2545F491u;
}

static void add(const uint8_t *p, size_t n)
{
	assert_true(stream_len + n <= STREAM_MAX);
	memcpy(stream + stream_len, p, n);
	stream_len += n;
}

static void add_hex(const char *hex)
{
	stream_len += unhex(hex, stream + stream_len,
			    STREAM_MAX - stream_len);
}

static void add_str(const char *s)
{
	add((const uint8_t *)s, strlen(s));
}

static void frame_of(const char *hex, uint8_t f[JK_FRAME_LEN])
{
	vec_frame(hex, f);
}

/* Every vector of A-D in README order, the frames expected out of it. */
static void build_vector_stream(uint8_t (*want)[JK_FRAME_LEN], size_t *nwant)
{
	size_t i;

	*nwant = 0;
	for (i = 0; i < N_VECTORS; i++) {
		add_hex(ble_vectors[i].hex);
		if (vec_is_frame(&ble_vectors[i]))
			vec_frame(ble_vectors[i].hex, want[(*nwant)++]);
	}
}

static void check_vector_result(uint8_t (*want)[JK_FRAME_LEN], size_t nwant)
{
	size_t i;

	assert_int_equal(nwant, VEC_FRAMES);
	assert_int_equal(res.nframes, VEC_FRAMES);
	for (i = 0; i < nwant; i++)
		assert_memory_equal(res.frames[i], want[i], JK_FRAME_LEN);
	assert_int_equal(res.r.frames_good, VEC_FRAMES);
	assert_int_equal(res.r.frames_bad, 0);
	assert_int_equal(res.r.acks, VEC_ACKS);
	assert_int_equal(res.r.bytes_skipped,
			 stream_len - JK_FRAME_LEN * VEC_FRAMES);
	assert_int_equal(res.r.len, 0);
}

static uint8_t want[FRAMES_MAX][JK_FRAME_LEN];

static void run_vectors(size_t chunk)
{
	size_t nwant;

	reset();
	build_vector_stream(want, &nwant);
	feed(stream, stream_len, chunk);
	check_vector_result(want, nwant);
}

static void test_vectors_whole(void **state)
{
	run_vectors(STREAM_MAX);
}

static void test_vectors_bytewise(void **state)
{
	run_vectors(1);
}

static void test_vectors_random_splits(void **state)
{
	int seed;

	for (seed = 0; seed < 20; seed++) {
		size_t nwant;

		reset();
		rng_state += (uint32_t)seed * 0x9E3779B9u;
		build_vector_stream(want, &nwant);
		feed(stream, stream_len, 0);
		check_vector_result(want, nwant);
	}
}

static void test_vectors_mtu(void **state)
{
	run_vectors(20);	/* MTU 23 */
	run_vectors(128);	/* aiobmsble BT_FRAME_SIZE */
	run_vectors(244);	/* MTU 247 */
}

/* The 324-byte notification of BLE-32S-07: frame, C8 ack, "AT\r\n". */
static void test_frame_ack_at(void **state)
{
	uint8_t f[JK_FRAME_LEN];

	reset();
	add_hex(VEC_BLE_32S_07_DEVICE_INFO);
	assert_int_equal(stream_len, 324);
	feed(stream, stream_len, STREAM_MAX);
	frame_of(VEC_BLE_32S_07_DEVICE_INFO, f);
	assert_int_equal(res.nframes, 1);
	assert_memory_equal(res.frames[0], f, JK_FRAME_LEN);
	assert_int_equal(res.r.acks, 1);
	assert_int_equal(res.r.bytes_skipped, 24);
	assert_int_equal(res.r.frames_bad, 0);
}

/* Junk of every kind between frames, including header prefixes. */
static void test_junk_between_frames(void **state)
{
	static const uint8_t prefixes[] = {
		0x55, 0x55, 0xAA, 0x55, 0xAA, 0xEB, 0x55, 0xAA, 0xEB, 0x91,
		0xEB, 0x90, 0x00, 0xFF,
	};
	uint8_t a[JK_FRAME_LEN], b[JK_FRAME_LEN], ack[24];
	size_t junk = 0, round;

	unhex(VEC_BLE_24S_03_ACK, ack, sizeof(ack));	/* C8 + "AT\r\n" */
	frame_of(VEC_BLE_24S_01_CELL_INFO, a);
	frame_of(VEC_BLE_32S_03_CELL_INFO, b);
	for (size_t chunk = 1; chunk <= 301; chunk += 60) {
		reset();
		for (round = 0; round < 3; round++) {
			add_str("AT\r\n");
			add(a, sizeof(a));
			add(ack, sizeof(ack));
			add(prefixes, sizeof(prefixes));
			add(b, sizeof(b));
			add(ack, 20);	/* bare ack */
		}
		add(prefixes, 3);	/* a header prefix left at the end */
		junk = 3 * (4 + 24 + sizeof(prefixes) + 20);
		feed(stream, stream_len, chunk);
		assert_int_equal(res.nframes, 6);
		for (round = 0; round < 6; round += 2) {
			assert_memory_equal(res.frames[round], a, JK_FRAME_LEN);
			assert_memory_equal(res.frames[round + 1], b,
					    JK_FRAME_LEN);
		}
		assert_int_equal(res.r.frames_good, 6);
		assert_int_equal(res.r.frames_bad, 0);
		assert_int_equal(res.r.acks, 6);
		/* "55 55 AA" at the end: "55" dropped, "55 AA" buffered */
		assert_int_equal(res.r.bytes_skipped, junk + 1);
		assert_int_equal(res.r.len, 2);
	}
}

/* A bad checksum costs that frame only; the next one is found. */
static void test_corrupt_checksum(void **state)
{
	uint8_t a[JK_FRAME_LEN], b[JK_FRAME_LEN];
	size_t chunk;

	frame_of(VEC_BLE_24S_04_CELL_INFO, a);
	frame_of(VEC_BLE_24S_06_CELL_INFO, b);
	for (chunk = 1; chunk <= 320; chunk += 29) {
		reset();
		a[(JK_FRAME_LEN - 1)] ^= 0x01;
		add(a, sizeof(a));
		a[(JK_FRAME_LEN - 1)] ^= 0x01;
		add(b, sizeof(b));
		a[50] ^= 0x10;	/* a flipped payload bit */
		add(a, sizeof(a));
		a[50] ^= 0x10;
		add(a, sizeof(a));
		feed(stream, stream_len, chunk);
		assert_int_equal(res.nframes, 2);
		assert_memory_equal(res.frames[0], b, JK_FRAME_LEN);
		assert_memory_equal(res.frames[1], a, JK_FRAME_LEN);
		assert_int_equal(res.r.frames_good, 2);
		assert_int_equal(res.r.frames_bad, 2);
		assert_int_equal(res.r.bytes_skipped, 2 * JK_FRAME_LEN);
		assert_int_equal(res.r.len, 0);
	}
}

/* A known header with an unknown type is dropped at byte 4. */
static void test_bad_type(void **state)
{
	static const uint8_t bad[] = { 0x55, 0xAA, 0xEB, 0x90, 0x04, 0x11 };
	uint8_t b[JK_FRAME_LEN];

	frame_of(VEC_BLE_LOG_01_LOGBOOK, b);
	reset();
	add(bad, sizeof(bad));
	add(b, sizeof(b));
	feed(stream, stream_len, 1);
	assert_int_equal(res.nframes, 1);
	assert_memory_equal(res.frames[0], b, JK_FRAME_LEN);
	assert_int_equal(res.r.frames_bad, 1);
	assert_int_equal(res.r.bytes_skipped, sizeof(bad));
}

/*
 * A truncated frame swallows the start of the next one; the resync finds
 * that header inside the buffered bytes, not 300 bytes later.
 */
static void test_truncated_then_good(void **state)
{
	uint8_t a[JK_FRAME_LEN], b[JK_FRAME_LEN];
	size_t cut, chunk;

	frame_of(VEC_BLE_32S_12_CELL_INFO, a);
	frame_of(VEC_BLE_32S_12_DEVICE_INFO, b);
	for (cut = 5; cut < JK_FRAME_LEN; cut += 37) {
		for (chunk = 1; chunk <= 244; chunk *= 3) {
			reset();
			add(a, cut);
			add(b, sizeof(b));
			add(b, sizeof(b));
			feed(stream, stream_len, chunk);
			assert_int_equal(res.nframes, 2);
			assert_memory_equal(res.frames[0], b, JK_FRAME_LEN);
			assert_memory_equal(res.frames[1], b, JK_FRAME_LEN);
			assert_int_equal(res.r.frames_bad, 1);
			assert_int_equal(res.r.bytes_skipped, cut);
		}
	}
}

/* A fake header in junk ("55 AA EB 90 02"), a good frame 10 bytes later. */
static void test_fake_header(void **state)
{
	static const uint8_t fake[] = { 0x55, 0xAA, 0xEB, 0x90, 0x02 };
	uint8_t b[JK_FRAME_LEN], junk[10];

	memset(junk, 0x33, sizeof(junk));
	frame_of(VEC_BLE_04_01_CELL_INFO, b);
	reset();
	add(fake, sizeof(fake));
	add(junk, sizeof(junk));
	add(b, sizeof(b));
	feed(stream, stream_len, STREAM_MAX);
	assert_int_equal(res.nframes, 1);
	assert_memory_equal(res.frames[0], b, JK_FRAME_LEN);
	assert_int_equal(res.r.frames_bad, 1);
	assert_int_equal(res.r.bytes_skipped, sizeof(fake) + sizeof(junk));
}

/* The end of the input in mid-frame: nothing yet, the rest completes it. */
static void test_truncated_at_end(void **state)
{
	uint8_t a[JK_FRAME_LEN];

	frame_of(VEC_BLE_32S_05_CELL_INFO, a);
	reset();
	add(a, sizeof(a));
	add(a, 100);
	feed(stream, stream_len, 7);
	assert_int_equal(res.nframes, 1);
	assert_int_equal(res.r.len, 100);
	assert_int_equal(res.r.bytes_skipped, 0);
	feed(a + 100, JK_FRAME_LEN - 100, 64);
	assert_int_equal(res.nframes, 2);
	assert_memory_equal(res.frames[1], a, JK_FRAME_LEN);
	assert_int_equal(res.r.len, 0);
}

/*
 * The PB RS485 wire: a 300-byte frame, one stray 00 and the 8-byte Modbus
 * ACK (dbus-serialbattery), or the ACK alone (mpp-solar, BLE-32S-13).
 */
static void test_pb_rs485(void **state)
{
	uint8_t a[JK_FRAME_LEN];

	frame_of(VEC_BLE_32S_12_SETTINGS, a);
	reset();
	add_hex(VEC_BLE_32S_12_MODBUS_1);
	add_hex(VEC_BLE_32S_12_CELL_INFO);
	add_hex("00");
	add_hex(VEC_BLE_32S_12_MODBUS_2);
	add_hex("00");
	add(a, sizeof(a));
	add_hex("00");
	add_hex(VEC_BLE_32S_12_MODBUS_3);
	add_hex(VEC_BLE_32S_13_CELL_INFO);	/* 300 + 8 */
	feed(stream, stream_len, 32);
	assert_int_equal(res.nframes, 3);
	assert_memory_equal(res.frames[1], a, JK_FRAME_LEN);
	assert_int_equal(res.r.frames_bad, 0);
	assert_int_equal(res.r.bytes_skipped, 11 + 1 + 8 + 1 + 1 + 8 + 8);
}

/* Ack counting: split acks count once, an ack cut by a frame not at all. */
static void test_ack_counting(void **state)
{
	static const uint8_t ack[] = {
		0xAA, 0x55, 0x90, 0xEB, 0xC8, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0x44,
	};
	uint8_t a[JK_FRAME_LEN];

	frame_of(VEC_BLE_24S_01_DEVICE_INFO, a);
	reset();
	add(ack, sizeof(ack));
	add(ack, sizeof(ack));
	add(ack, 2);		/* "AA 55" */
	add(a, sizeof(a));
	add(ack + 2, 3);	/* "90 EB C8": not an ack */
	add_hex("AAAA5590EBC8");	/* a repeated AA, then an ack */
	feed(stream, stream_len, 1);
	assert_int_equal(res.nframes, 1);
	assert_int_equal(res.r.acks, 3);
	assert_int_equal(res.r.bytes_skipped, 40 + 2 + 3 + 6);
}

static void test_empty_input(void **state)
{
	const uint8_t *p = stream, *frame = NULL;
	size_t len = 0;

	reset();
	assert_int_equal(jk_reasm_next(&res.r, &p, &len, &frame), -EAGAIN);
	assert_null(frame);
	assert_int_equal(res.r.bytes_skipped, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_whole),
		cmocka_unit_test(test_vectors_bytewise),
		cmocka_unit_test(test_vectors_random_splits),
		cmocka_unit_test(test_vectors_mtu),
		cmocka_unit_test(test_frame_ack_at),
		cmocka_unit_test(test_junk_between_frames),
		cmocka_unit_test(test_corrupt_checksum),
		cmocka_unit_test(test_bad_type),
		cmocka_unit_test(test_truncated_then_good),
		cmocka_unit_test(test_fake_header),
		cmocka_unit_test(test_truncated_at_end),
		cmocka_unit_test(test_pb_rs485),
		cmocka_unit_test(test_ack_counting),
		cmocka_unit_test(test_empty_input),
	};

	return cmocka_run_group_tests_name("ble-reasm", tests, NULL, NULL);
}
