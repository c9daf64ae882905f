/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BMS's side of the BLE link (protocols.md 1.2 - 1.4): 20-byte command
 * frames in, in any split, resynchronising on "AA 55 90 EB" after junk or
 * a bad checksum; frames and C8 acks out, into a bounded queue the
 * transport drains (the oldest bytes go first when nobody reads, and are
 * counted). 0x97 answers device info and an ack; 0x96 the settings frame
 * and an ack, then starts the cell-info stream, one frame per
 * SIM_STREAM_USEC of real time whatever the time scale (a real BMS's
 * pace: a faster battery must not flood the link); a setting write is
 * applied and acked. Every frame comes from the codec's encoders (there
 * is exactly one encoder), numbered by a rolling counter in byte 5.
 */
#include <string.h>

#include "sim/sim-private.h"

static const uint8_t cmd_magic[4] = { 0xAA, 0x55, 0x90, 0xEB };

void wire_push(struct sim_wire *w, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (w->out_len == SIM_OUT_CAP) {
			w->out_head = (w->out_head + 1) % SIM_OUT_CAP;
			w->out_len--;
			w->dropped++;
		}
		w->out[(w->out_head + w->out_len) % SIM_OUT_CAP] = b[i];
		w->out_len++;
	}
}

size_t wire_read(struct sim_wire *w, uint8_t *buf, size_t cap)
{
	size_t n = 0;

	while (n < cap && w->out_len) {
		size_t run = SIM_OUT_CAP - w->out_head;

		if (run > w->out_len)
			run = w->out_len;
		if (run > cap - n)
			run = cap - n;
		memcpy(buf + n, w->out + w->out_head, run);
		n += run;
		w->out_head = (w->out_head + run) % SIM_OUT_CAP;
		w->out_len -= run;
	}
	return n;
}

static void send_frame(struct sim_wire *w, const uint8_t frame[JK_FRAME_LEN])
{
	wire_push(w, frame, JK_FRAME_LEN);
	w->counter++;
	w->frames_sent++;
}

static void send_ack(struct sim_wire *w)
{
	uint8_t ack[JK_CMD_LEN];

	jk_ack_encode(ack);
	wire_push(w, ack, sizeof(ack));
}

int wire_send_cell_info(struct sim_bms *s)
{
	struct field_values v;
	uint8_t frame[JK_FRAME_LEN];
	int r;

	report_values(s, &v);
	r = jk_frame_encode_cell_info(&v, s->variant, s->wire.counter, frame);
	if (r < 0)
		return r;
	send_frame(&s->wire, frame);
	return 0;
}

int wire_send_settings(struct sim_bms *s)
{
	uint8_t frame[JK_FRAME_LEN];
	int r;

	r = jk_frame_encode_settings(&s->settings, s->variant, s->wire.counter,
				     frame);
	if (r < 0)
		return r;
	send_frame(&s->wire, frame);
	return 0;
}

int wire_send_device_info(struct sim_bms *s)
{
	struct field_values v;
	uint8_t frame[JK_FRAME_LEN];
	int r;

	report_values(s, &v);
	r = jk_frame_encode_device_info(&v, &s->secrets, s->variant,
					s->wire.counter, frame);
	if (r < 0)
		return r;
	r = jk_frame_put_device_settings(&s->settings, s->variant, frame);
	if (r < 0)
		return r;
	send_frame(&s->wire, frame);
	return 0;
}

static void start_stream(struct sim_bms *s)
{
	s->wire.streaming = true;
	s->wire.next_stream_usec = s->tick_usec + s->wire.stream_usec;
	wire_send_cell_info(s);
}

static void command(struct sim_bms *s, const uint8_t cmd[JK_CMD_LEN],
		    uint8_t reg)
{
	enum sim_action action = SIM_ACTION_NONE;
	uint8_t frame[JK_FRAME_LEN];
	enum setting_id id;
	int64_t value;

	s->wire.commands++;
	if (reg == JK_REQ_DEVICE_INFO) {
		wire_send_device_info(s);
		send_ack(&s->wire);
		return;
	}
	if (reg == JK_REQ_CELL_INFO) {
		wire_send_settings(s);
		send_ack(&s->wire);
		start_stream(s);
		return;
	}
	if (reg == JK_REQ_LOGBOOK) {
		/* only JK02_32S firmware keeps a logbook */
		if (s->variant == JK_VARIANT_JK02_32S &&
		    jk_frame_encode_logbook(&s->logbook, s->wire.counter,
					    frame) == 0) {
			send_frame(&s->wire, frame);
			send_ack(&s->wire);
		}
		return;
	}
	if (jk_cmd_decode_setting(cmd, s->variant, &id, &value) < 0) {
		s->wire.bad_commands++;
		return;
	}
	/* a faulty BMS for the tests: acknowledged, not applied */
	if (s->ignore_writes) {
		send_ack(&s->wire);
		return;
	}
	if (settings_apply(s, id, value, &action) < 0) {
		s->wire.bad_commands++;
		return;
	}
	send_ack(&s->wire);
	switch (action) {
	case SIM_ACTION_SHUTDOWN:
		sim_power_off(s);
		break;
	case SIM_ACTION_RESTART:
		sim_power_off(s);
		sim_power_on(s);
		break;
	case SIM_ACTION_NONE:
		break;
	}
}

/* Drops leading bytes until what is buffered could start a command. */
static void resync(struct sim_wire *w)
{
	while (w->in_len) {
		size_t n = w->in_len < sizeof(cmd_magic) ? w->in_len
							 : sizeof(cmd_magic);

		if (!memcmp(w->in, cmd_magic, n))
			return;
		memmove(w->in, w->in + 1, --w->in_len);
	}
}

void wire_receive(struct sim_bms *s, const uint8_t *data, size_t len)
{
	struct sim_wire *w = &s->wire;
	uint8_t reg, vlen;
	size_t i;

	for (i = 0; i < len; i++) {
		/* a BMS that is off hears nothing */
		if (!s->powered) {
			w->in_len = 0;
			return;
		}
		w->in[w->in_len++] = data[i];
		resync(w);
		if (w->in_len < JK_CMD_LEN)
			continue;
		if (jk_cmd_check(w->in, JK_CMD_LEN, &reg, &vlen) == 0) {
			w->in_len = 0;
			command(s, w->in, reg);
		} else {
			w->bad_commands++;
			memmove(w->in, w->in + 1, --w->in_len);
			resync(w);
		}
	}
}

void wire_tick(struct sim_bms *s)
{
	struct sim_wire *w = &s->wire;

	if (!s->powered || !w->streaming)
		return;
	while (w->next_stream_usec <= s->tick_usec) {
		wire_send_cell_info(s);
		w->next_stream_usec += w->stream_usec;
	}
}
