/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Alarm bits to names (protocols.md section 6). JK02 frames, the PB Modbus
 * map and CAN V2 share one word (table 6.1): 16 bits on JK02_24S, 32 on the
 * rest. The "4E 57" serial protocol has its own warning word 0x8B (table
 * 6.2); JK04 frames carry no alarms. A set bit without a name is reported
 * as "bit_N" so no alarm is ever silently dropped.
 */
#include <stddef.h>
#include <stdint.h>

#include "jkbms/alarms.h"

/* clang-format off */
/* Table 6.1, official PB Modbus V1.1 names (bit 4: cell OVP, section 7). */
static const char *const jk02_alarms[32] = {
	[0] = "wire_resistance",
	[1] = "mos_otp",
	[2] = "cell_count_mismatch",
	[3] = "current_sensor_error",
	[4] = "cell_ovp",
	[5] = "pack_ovp",
	[6] = "charge_ocp",
	[7] = "charge_scp",
	[8] = "charge_otp",
	[9] = "charge_utp",
	[10] = "coprocessor_comm_error",
	[11] = "cell_uvp",
	[12] = "pack_uvp",
	[13] = "discharge_ocp",
	[14] = "discharge_scp",
	[15] = "discharge_otp",
	[16] = "charge_mos_fault",
	[17] = "discharge_mos_fault",
	[18] = "gps_disconnected",
	[19] = "default_password",	/* "modify password in time" */
	[20] = "discharge_on_failed",
	[21] = "battery_otp",
	[22] = "temperature_sensor_fault",
	[23] = "plc_module_fault",
	[24] = "scp_release_failed",
	[25] = "discharge_ocp2",
	[26] = "discharge_ocp3",
	[27] = "discharge_utp",
	[28] = "gps_locked",
};

/* Table 6.2, serial warning word 0x8B; bits 14-15 reserved. */
static const char *const serial_alarms[16] = {
	[0] = "low_capacity",
	[1] = "mos_otp",
	[2] = "charge_ovp",
	[3] = "discharge_uvp",
	[4] = "battery_otp",
	[5] = "charge_ocp",
	[6] = "discharge_ocp",
	[7] = "cell_voltage_difference",
	[8] = "battery_box_otp",
	[9] = "battery_utp",
	[10] = "cell_ovp",
	[11] = "cell_uvp",
	[12] = "protection_309_a",
	[13] = "protection_309_b",
};

#define B(n) [n] = "bit_" #n
static const char *const bit_names[64] = {
	B(0), B(1), B(2), B(3), B(4), B(5), B(6), B(7),
	B(8), B(9), B(10), B(11), B(12), B(13), B(14), B(15),
	B(16), B(17), B(18), B(19), B(20), B(21), B(22), B(23),
	B(24), B(25), B(26), B(27), B(28), B(29), B(30), B(31),
	B(32), B(33), B(34), B(35), B(36), B(37), B(38), B(39),
	B(40), B(41), B(42), B(43), B(44), B(45), B(46), B(47),
	B(48), B(49), B(50), B(51), B(52), B(53), B(54), B(55),
	B(56), B(57), B(58), B(59), B(60), B(61), B(62), B(63),
};
#undef B
/* clang-format on */

const char *alarm_name(enum jk_variant variant, unsigned bit)
{
	switch (variant) {
	case JK_VARIANT_JK02_24S:
		/* bits 16-31 are the 32S extension (protocols.md 6.1) */
		return bit < 16 ? jk02_alarms[bit] : NULL;
	case JK_VARIANT_JK02_32S:
	case JK_VARIANT_PB_MODBUS:
	case JK_VARIANT_CAN:
		return bit < 32 ? jk02_alarms[bit] : NULL;
	case JK_VARIANT_SERIAL:
		return bit < 16 ? serial_alarms[bit] : NULL;
	case JK_VARIANT_JK04:
	case JK_VARIANT_AUTO:
	case JK_VARIANT__MAX:
		return NULL;
	}
	return NULL;
}

size_t alarm_names(enum jk_variant variant, uint64_t bits, const char **names,
		   size_t max)
{
	size_t n = 0;
	unsigned bit;
	const char *name;

	for (bit = 0; bit < 64 && n < max; bit++) {
		if (!(bits >> bit & 1))
			continue;
		name = alarm_name(variant, bit);
		names[n++] = name ? name : bit_names[bit];
	}
	return n;
}
