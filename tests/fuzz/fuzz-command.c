/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: 20-byte command frames through jk_cmd_check and
 * jk_cmd_decode_setting on every variant (what the simulator does with
 * whatever a host writes). Inputs are taken as they are and again with a
 * fixed-up checksum, so the decoder is reached past the checksum. A value
 * decoded from an integer wire must encode and decode to itself.
 * Seeds: tests/fuzz/corpus/command/ (the frames of vectors section G).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/frame.h"
#include "jkbms/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t cmd[JK_CMD_LEN])
{
	int v;

	for (v = JK_VARIANT_AUTO; v <= JK_VARIANT__MAX; v++) {
		enum setting_id id;
		int64_t value, again;
		uint8_t out[JK_CMD_LEN];
		enum wire_type wire;

		if (jk_cmd_decode_setting(cmd, (enum jk_variant)v, &id,
					  &value) < 0)
			continue;
		if ((unsigned)id >= SETTING__MAX)
			abort();
		wire = settings_table[id].place[v].wire;
		if (wire == WIRE_F32 || wire == WIRE_NONE)
			continue;
		if (jk_cmd_encode_setting(out, (enum jk_variant)v, id,
					  value) < 0)
			continue;	/* e.g. a u32 sent to a u8 register */
		if (jk_cmd_decode_setting(out, (enum jk_variant)v, &id,
					  &again) < 0 || again != value)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t cmd[JK_CMD_LEN] = { 0 }, reg, len;
	unsigned sum = 0;
	size_t i;

	(void)jk_cmd_check(data, size, &reg, &len);
	memcpy(cmd, data, size < JK_CMD_LEN ? size : JK_CMD_LEN);
	one(cmd);
	/* the same bytes as a well-formed frame */
	cmd[0] = 0xAA;
	cmd[1] = 0x55;
	cmd[2] = 0x90;
	cmd[3] = 0xEB;
	for (i = 0; i < JK_CMD_LEN - 1; i++)
		sum += cmd[i];
	cmd[JK_CMD_LEN - 1] = (uint8_t)sum;
	one(cmd);
	return 0;
}
