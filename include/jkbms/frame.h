/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JK "55 AA EB 90" frames (BLE notifications, and PB RS485 replies) and
 * the "AA 55 90 EB" command frames: reassembly, decoding, encoding.
 * Pure: no I/O, no clock, no allocation, no logging (STYLE 3.1).
 *
 * Return contract of every codec function (STYLE 3.3):
 *   0        frame consumed / encoded
 *   -EAGAIN  need more bytes
 *   -EBADMSG bad magic or checksum: drop a byte and resync
 *   -EPROTO  well-formed but of an unknown type: count and ignore
 *   -ERANGE  a value outside its field's physical range (marked invalid)
 *   -EINVAL  a caller error (unknown variant, value that cannot be encoded)
 *   -EOPNOTSUPP  the variant has no such frame or register
 * never a positive value.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jkbms/fields.h"
#include "jkbms/settings.h"
#include "jkbms/variant.h"

#define JK_FRAME_LEN	300
#define JK_CMD_LEN	20
#define JK_PASSCODE_MAX	17

enum jk_frame_type {
	JK_FRAME_SETTINGS = 0x01,
	JK_FRAME_CELL_INFO = 0x02,
	JK_FRAME_DEVICE_INFO = 0x03,
	JK_FRAME_LOGBOOK = 0x05,
};

/* "settings", "cell_info", "device_info", "logbook"; NULL if unknown. */
const char *jk_frame_type_name(enum jk_frame_type t);

/* Commands without a value (protocols.md 1.2). */
enum jk_request {
	JK_REQ_DEVICE_INFO = 0x97,
	JK_REQ_CELL_INFO = 0x96,	/* settings frame, then the cells */
	JK_REQ_LOGBOOK = 0xA1,
};

/*
 * Notification reassembly (protocols.md 1.4). Frames are found in any split
 * of the byte stream; acks, "AT\r\n" and other junk between frames are
 * skipped; a bad checksum or type resyncs at the next header inside the
 * bytes already buffered (not 300 bytes further). Memory is the struct.
 * Every byte fed is either delivered in a good frame, counted in
 * bytes_skipped, or still buffered (len): fed = 300 * frames_good +
 * bytes_skipped + len.
 */
struct jk_reasm {
	uint8_t buf[JK_FRAME_LEN];
	size_t len;		/* bytes buffered of a candidate frame */
	uint8_t ack_match;	/* bytes of "AA 55 90 EB C8" matched so far */
	uint64_t frames_good;	/* complete frames with a good checksum */
	uint64_t frames_bad;	/* header found, checksum or type wrong */
	uint64_t acks;		/* C8 acknowledge frames seen */
	uint64_t bytes_skipped;	/* not in a good frame: junk, acks, bad */
};

void jk_reasm_init(struct jk_reasm *r);
/*
 * Consumes bytes from *data, *len. Returns 0 with *ret_frame pointing at a
 * complete 300-byte frame (valid until the next call), or -EAGAIN once all
 * input is consumed. Call until -EAGAIN.
 */
int jk_reasm_next(struct jk_reasm *r, const uint8_t **data, size_t *len,
		  const uint8_t **ret_frame);

/* Secrets from the device-info frame: compared, never published. */
struct jk_secrets {
	char connection_password[JK_PASSCODE_MAX];	/* offset 62 */
	char settings_password[JK_PASSCODE_MAX];	/* offset 118 */
};

#define JK_LOGBOOK_MAX 57

struct jk_logbook {
	uint32_t count;			/* entry count reported by the BMS */
	uint8_t n;			/* entries decoded */
	struct {
		uint32_t time;
		uint8_t code;
	} entry[JK_LOGBOOK_MAX];
};

/* What one frame decoded to. */
struct jk_decoded {
	enum jk_frame_type type;
	enum jk_variant variant;
	uint8_t counter;		/* byte 5, rolling */
	struct field_values fields;	/* cell info, device info */
	struct setting_values settings;	/* settings frame */
	struct jk_secrets secrets;	/* device info */
	struct jk_logbook logbook;	/* logbook */
};

/*
 * Checks length, magic, checksum and type of a 300-byte frame: -EAGAIN if
 * len < 300, -EBADMSG for len > 300, a wrong magic or checksum, -EPROTO
 * for a type other than 1, 2, 3, 5.
 */
int jk_frame_check(const uint8_t *frame, size_t len);

/*
 * Decodes a checked frame laid out as 'variant' (JK02_24S, JK02_32S, JK04).
 * Device-info frames decode with any variant (the settings read back from
 * them only with one of the three). out->fields / out->settings are reset
 * first (their bitsets only: cheap per frame); only what the frame carries
 * is set: no derived field (min/max/avg/delta/indexes/power/alarms/energy),
 * no absent temperature sensor, no empty string, never FIELD_VARIANT.
 * Returns the jk_frame_check error, -EINVAL (AUTO or an unknown variant) or
 * -EOPNOTSUPP (SERIAL, PB_MODBUS, CAN) for layout-dependent frames, or
 * -ERANGE when a value was out of its range: that field is left unset, the
 * rest is decoded. Cell info: cell_count = cells present (24S/32S: the run
 * of mask bits from bit 0; JK04: the nonzero float cells from cell 1).
 * JK02_32S temperature_4/5 read 0 on firmware 11.x with every presence bit
 * set, so a raw 0 there is taken as absent.
 */
int jk_frame_decode(const uint8_t *frame, size_t len, enum jk_variant variant,
		    struct jk_decoded *out);

/* Variant from the software version string: major >= 11 gives JK02_32S. */
enum jk_variant jk_variant_from_software(const char *software_version);
/*
 * Frame-content check (protocols.md 1.5): the layout a cell-info or settings
 * frame shows, or JK_VARIANT_AUTO when it does not tell.
 */
enum jk_variant jk_variant_from_frame(const uint8_t *frame, size_t len);

/* Command frames (host -> BMS), always 20 bytes, zero filler. */
void jk_cmd_encode(uint8_t out[JK_CMD_LEN], uint8_t reg, const uint8_t *value,
		   uint8_t len);
void jk_cmd_encode_request(uint8_t out[JK_CMD_LEN], enum jk_request req);
/* A setting write on a variant; value scaled as in settings_table. */
int jk_cmd_encode_setting(uint8_t out[JK_CMD_LEN], enum jk_variant v,
			  enum setting_id id, int64_t value);
/* Checks a 20-byte command frame; sets *ret_reg and *ret_len. */
int jk_cmd_check(const uint8_t *cmd, size_t len, uint8_t *ret_reg,
		 uint8_t *ret_len);
/* Decodes the value of a setting write back from a command frame. */
int jk_cmd_decode_setting(const uint8_t cmd[JK_CMD_LEN], enum jk_variant v,
			  enum setting_id *ret_id, int64_t *ret_value);

/* The C8 acknowledge a BMS sends after a command. */
void jk_ack_encode(uint8_t out[JK_CMD_LEN]);

/*
 * Frame encoders (BMS -> host) for the simulator and test peers: the same
 * layout tables as the decoders, so decode(encode(x)) == x is a test.
 * They return 0, -EINVAL (AUTO/unknown variant, a value outside its wire
 * or physical range) or -EOPNOTSUPP; out is undefined unless 0.
 *
 * Cell info: v->ncells cells if FIELD_CELL_VOLTAGE is set (resistances 0
 * unless FIELD_CELL_RESISTANCE is), every field of the layout from v->num
 * (unset: 0, unset temperature: absent); the BMS-computed average, delta,
 * min/max index and power are filled from the values. A JK04 cell of 0 mV
 * is -EINVAL (0.0 V ends the cells); a JK02_32S temperature_4/5 of exactly
 * 0 is written but reads back as absent (see jk_frame_decode).
 */
int jk_frame_encode_cell_info(const struct field_values *v,
			      enum jk_variant variant, uint8_t counter,
			      uint8_t out[JK_FRAME_LEN]);
int jk_frame_encode_settings(const struct setting_values *s,
			     enum jk_variant variant, uint8_t counter,
			     uint8_t out[JK_FRAME_LEN]);
/*
 * Device info: unset text fields stay empty, NULL secrets leave both
 * passwords empty; -EINVAL for a string longer than its wire field or not
 * printable ASCII. Any variant (the layout of 6..133 is common).
 */
int jk_frame_encode_device_info(const struct field_values *info,
				const struct jk_secrets *secrets,
				enum jk_variant variant, uint8_t counter,
				uint8_t out[JK_FRAME_LEN]);
/*
 * Adds the settings a device-info frame carries (the UART/CAN protocol
 * selects of JK02_32S) to a frame made by jk_frame_encode_device_info.
 */
int jk_frame_put_device_settings(const struct setting_values *s,
				 enum jk_variant variant,
				 uint8_t frame[JK_FRAME_LEN]);
/* Logbook (JK02_32S): lb->n must equal min(lb->count, JK_LOGBOOK_MAX). */
int jk_frame_encode_logbook(const struct jk_logbook *lb, uint8_t counter,
			    uint8_t out[JK_FRAME_LEN]);
