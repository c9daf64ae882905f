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
	JK_REQ_CELL_INFO = 0x96,	/* settings frame, then the cell stream */
	JK_REQ_LOGBOOK = 0xA1,
};

/*
 * Notification reassembly (protocols.md 1.4). Frames are found in any split
 * of the byte stream; acks, "AT\r\n" and other junk between frames are
 * skipped; a bad checksum resyncs at the next header.
 */
struct jk_reasm {
	uint8_t buf[JK_FRAME_LEN];
	size_t len;
	uint64_t frames_good;	/* complete frames with a good checksum */
	uint64_t frames_bad;	/* header found, checksum or type wrong */
	uint64_t acks;		/* C8 acknowledge frames seen */
	uint64_t bytes_skipped;	/* junk between frames */
};

void jk_reasm_init(struct jk_reasm *r);
/*
 * Consumes bytes from *data/*len. Returns 0 with *ret_frame pointing at a
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

/* Checks magic, length and checksum of a 300-byte frame. */
int jk_frame_check(const uint8_t *frame, size_t len);

/*
 * Decodes a checked frame laid out as 'variant' (JK02_24S, JK02_32S, JK04).
 * Device-info frames decode with any variant. out->fields / out->settings
 * are reset first; only what the frame carries is set.
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
 */
int jk_frame_encode_cell_info(const struct field_values *v,
			      enum jk_variant variant, uint8_t counter,
			      uint8_t out[JK_FRAME_LEN]);
int jk_frame_encode_settings(const struct setting_values *s,
			     enum jk_variant variant, uint8_t counter,
			     uint8_t out[JK_FRAME_LEN]);
int jk_frame_encode_device_info(const struct field_values *info,
				const struct jk_secrets *secrets,
				enum jk_variant variant, uint8_t counter,
				uint8_t out[JK_FRAME_LEN]);
