/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The settings table: every writable parameter once (DESIGN "Two tables
 * drive everything"). Validation, the command encoders, the settings-frame
 * decoders, Home Assistant discovery and jkbmsctl set all iterate it.
 *
 * Values are scaled integers: value * 10^decimals in unit (V: mV, A: mA,
 * degC: 0.1 degC, Ah: mAh). A place's integer wire value is
 * value * 10^exp, so exp is 0 where the wire unit equals the scaled unit.
 *
 * Sources of the places: JK02 registers and settings-frame offsets
 * protocols.md 1.9 and 2.1; JK04 1.9 and 2.2; the "4E 57" serial data IDs
 * 3.2. Checked against the frames of vectors/README.md sections B, C, E and
 * G by tests/unit/test-settings-table.c.
 *
 * SERIAL places: 'reg' is the data ID; the value is written as that ID's
 * record and read back from the record of the same ID in the read-all
 * reply, so source is SOURCE_SETTINGS and offset repeats the ID.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "jkbms/settings.h"

/* clang-format off */
/* Whole value, read back at 'off' of the settings frame the same way. */
#define PLACE(r, l, w, off, rw, e)					\
	{ .reg = r, .len = l, .wire = WIRE_##w, .source = SOURCE_SETTINGS, \
	  .offset = off, .read_wire = WIRE_##rw, .bit = 0xff, .exp = e }
/* JK02: u32/s32 LE of length 4 at both ends (protocols.md 2 "Encoding"). */
#define JK02_U32(r, off)	PLACE(r, 4, U32, off, U32, 0)
#define JK02_S32(r, off)	PLACE(r, 4, S32, off, S32, 0)
/* JK04: IEEE float carrying the SI value (protocols.md 2.2). */
#define JK04_F32(r, off)	PLACE(r, 4, F32, off, F32, 0)
/*
 * JK02_32S control bits: a u32 0/1 write to its own register, read back as
 * bit 'b' of the u16 at settings offset 282 (protocols.md 1.9).
 */
#define CTRL_BIT(r, b)							\
	{ .reg = r, .len = 4, .wire = WIRE_U32, .source = SOURCE_SETTINGS, \
	  .offset = 282, .read_wire = WIRE_U16, .bit = b, .exp = 0 }
/* Written, never read back: calibrations, the clock. */
#define WRITE_ONLY(r, l, w, e)						\
	{ .reg = r, .len = l, .wire = WIRE_##w, .source = SOURCE_NONE,	\
	  .read_wire = WIRE_NONE, .bit = 0xff, .exp = e }
/* A command without a value. */
#define BUTTON(r)							\
	{ .reg = r, .len = 0, .wire = WIRE_NONE, .source = SOURCE_NONE,	\
	  .read_wire = WIRE_NONE, .bit = 0xff, .exp = 0 }
/* "4E 57" data ID (big-endian on the wire: the codec's business). */
#define SER(id, l, w, e)						\
	{ .reg = id, .len = l, .wire = WIRE_##w, .source = SOURCE_SETTINGS, \
	  .offset = id, .read_wire = WIRE_##w, .bit = 0xff, .exp = e }

/* Columns shared by the rows of one kind and unit. */
#define VOLTS(lo, hi)							\
	.unit = "V", .decimals = 3, .kind = SETTING_KIND_NUMBER,	\
	.min = lo, .max = hi, .step = 1
#define AMPS(lo, hi, st)						\
	.unit = "A", .decimals = 3, .kind = SETTING_KIND_NUMBER,	\
	.min = lo, .max = hi, .step = st
#define SECONDS(lo, hi)							\
	.unit = "s", .decimals = 0, .kind = SETTING_KIND_NUMBER,	\
	.min = lo, .max = hi, .step = 1
#define CELSIUS(lo, hi, st)						\
	.unit = "°C", .decimals = 1, .kind = SETTING_KIND_NUMBER,	\
	.min = lo, .max = hi, .step = st
#define SWITCH								\
	.unit = NULL, .decimals = 0, .kind = SETTING_KIND_SWITCH,	\
	.min = 0, .max = 1, .step = 1
#define SELECT(opts, n)							\
	.unit = NULL, .decimals = 0, .kind = SETTING_KIND_SELECT,	\
	.min = 0, .max = (n) - 1, .step = 1, .options = opts
#define PRESS								\
	.unit = NULL, .decimals = 0, .kind = SETTING_KIND_BUTTON,	\
	.min = 0, .max = 0, .step = 1

#define OVER_24S	[JK_VARIANT_JK02_24S]
#define OVER_32S	[JK_VARIANT_JK02_32S]
#define OVER_JK04	[JK_VARIANT_JK04]
#define OVER_SERIAL	[JK_VARIANT_SERIAL]

/*
 * Protocol selects (protocols.md 1.10, 2.1): the BMS stores an index; the
 * names of the indexes are not in protocols.md, so they stay generic.
 */
#define UART_PROTOCOLS 21
static const char *const uart_protocol_options[UART_PROTOCOLS + 1] = {
	"protocol_0", "protocol_1", "protocol_2", "protocol_3",
	"protocol_4", "protocol_5", "protocol_6", "protocol_7",
	"protocol_8", "protocol_9", "protocol_10", "protocol_11",
	"protocol_12", "protocol_13", "protocol_14", "protocol_15",
	"protocol_16", "protocol_17", "protocol_18", "protocol_19",
	"protocol_20", NULL,
};

#define CAN_PROTOCOLS 14
static const char *const can_protocol_options[CAN_PROTOCOLS + 1] = {
	"protocol_0", "protocol_1", "protocol_2", "protocol_3",
	"protocol_4", "protocol_5", "protocol_6", "protocol_7",
	"protocol_8", "protocol_9", "protocol_10", "protocol_11",
	"protocol_12", "protocol_13", NULL,
};

const struct setting_desc settings_table[SETTING__MAX] = {
	/* Voltages: mV on JK02 and serial; captures hold 0.600 V on 24S. */
	[SETTING_SMART_SLEEP_VOLTAGE] = {
		.key = "smart_sleep_voltage", .label = "Smart sleep voltage",
		VOLTS(0, 5000),
		.place = {
			OVER_24S = JK02_U32(0x01, 6),
			OVER_32S = JK02_U32(0x01, 6),
		},
	},
	[SETTING_CELL_UVP] = {
		.key = "cell_uvp", .label = "Cell undervoltage protection",
		VOLTS(1000, 5000),
		.place = {
			OVER_24S = JK02_U32(0x02, 10),
			OVER_32S = JK02_U32(0x02, 10),
			OVER_SERIAL = SER(0x93, 2, U16, 0),
		},
	},
	[SETTING_CELL_UVPR] = {
		.key = "cell_uvpr", .label = "Cell undervoltage recovery",
		VOLTS(1000, 5000),
		.place = {
			OVER_24S = JK02_U32(0x03, 14),
			OVER_32S = JK02_U32(0x03, 14),
			OVER_SERIAL = SER(0x94, 2, U16, 0),
		},
	},
	[SETTING_CELL_OVP] = {
		.key = "cell_ovp", .label = "Cell overvoltage protection",
		VOLTS(1000, 5000),
		.place = {
			OVER_24S = JK02_U32(0x04, 18),
			OVER_32S = JK02_U32(0x04, 18),
			OVER_SERIAL = SER(0x90, 2, U16, 0),
		},
	},
	[SETTING_CELL_OVPR] = {
		.key = "cell_ovpr", .label = "Cell overvoltage recovery",
		VOLTS(1000, 5000),
		.place = {
			OVER_24S = JK02_U32(0x05, 22),
			OVER_32S = JK02_U32(0x05, 22),
			OVER_SERIAL = SER(0x91, 2, U16, 0),
		},
	},
	[SETTING_BALANCE_TRIGGER_DELTA] = {
		.key = "balance_trigger_delta",
		.label = "Balance trigger voltage delta",
		VOLTS(1, 1000),
		.place = {
			OVER_24S = JK02_U32(0x06, 26),
			OVER_32S = JK02_U32(0x06, 26),
			OVER_JK04 = JK04_F32(0x64, 106),
			OVER_SERIAL = SER(0x9C, 2, U16, 0),
		},
	},
	/* 0x07-0x0A: zero on 24S firmware, meaningful on 32S only. */
	[SETTING_SOC_100_VOLTAGE] = {
		.key = "soc_100_voltage", .label = "SOC 100% voltage",
		VOLTS(1000, 5000),
		.place = {
			OVER_32S = JK02_U32(0x07, 30),
		},
	},
	[SETTING_SOC_0_VOLTAGE] = {
		.key = "soc_0_voltage", .label = "SOC 0% voltage",
		VOLTS(1000, 5000),
		.place = {
			OVER_32S = JK02_U32(0x08, 34),
		},
	},
	[SETTING_CHARGE_VOLTAGE_REQUEST] = {
		.key = "charge_voltage_request",
		.label = "Requested charge voltage (cell)",
		VOLTS(1000, 5000),
		.place = {
			OVER_32S = JK02_U32(0x09, 38),
		},
	},
	[SETTING_FLOAT_VOLTAGE_REQUEST] = {
		.key = "float_voltage_request",
		.label = "Requested float voltage (cell)",
		VOLTS(1000, 5000),
		.place = {
			OVER_32S = JK02_U32(0x0A, 42),
		},
	},
	[SETTING_POWER_OFF_VOLTAGE] = {
		.key = "power_off_voltage", .label = "Power-off voltage",
		VOLTS(1000, 5000),
		.place = {
			OVER_24S = JK02_U32(0x0B, 46),
			OVER_32S = JK02_U32(0x0B, 46),
			OVER_JK04 = JK04_F32(0x20, 38),
		},
	},
	/* Currents: mA on JK02; whole A on serial (exp -3). 500 A shunt. */
	[SETTING_MAX_CHARGE_CURRENT] = {
		.key = "max_charge_current", .label = "Max charge current",
		AMPS(1000, 500000, 100),
		.place = {
			OVER_24S = JK02_U32(0x0C, 50),
			OVER_32S = JK02_U32(0x0C, 50),
			OVER_SERIAL = SER(0x99, 2, U16, -3),
		},
	},
	[SETTING_CHARGE_OCP_DELAY] = {
		.key = "charge_ocp_delay", .label = "Charge overcurrent delay",
		SECONDS(1, 600),
		.place = {
			OVER_24S = JK02_U32(0x0D, 54),
			OVER_32S = JK02_U32(0x0D, 54),
			OVER_SERIAL = SER(0x9A, 2, U16, 0),
		},
	},
	[SETTING_CHARGE_OCP_RELEASE] = {
		.key = "charge_ocp_release",
		.label = "Charge overcurrent release time",
		SECONDS(1, 3600),
		.place = {
			OVER_24S = JK02_U32(0x0E, 58),
			OVER_32S = JK02_U32(0x0E, 58),
		},
	},
	[SETTING_MAX_DISCHARGE_CURRENT] = {
		.key = "max_discharge_current", .label = "Max discharge current",
		AMPS(1000, 500000, 100),
		.place = {
			OVER_24S = JK02_U32(0x0F, 62),
			OVER_32S = JK02_U32(0x0F, 62),
			OVER_SERIAL = SER(0x97, 2, U16, -3),
		},
	},
	[SETTING_DISCHARGE_OCP_DELAY] = {
		.key = "discharge_ocp_delay",
		.label = "Discharge overcurrent delay",
		SECONDS(1, 600),
		.place = {
			OVER_24S = JK02_U32(0x10, 66),
			OVER_32S = JK02_U32(0x10, 66),
			OVER_SERIAL = SER(0x98, 2, U16, 0),
		},
	},
	[SETTING_DISCHARGE_OCP_RELEASE] = {
		.key = "discharge_ocp_release",
		.label = "Discharge overcurrent release time",
		SECONDS(1, 3600),
		.place = {
			OVER_24S = JK02_U32(0x11, 70),
			OVER_32S = JK02_U32(0x11, 70),
		},
	},
	[SETTING_SCP_RELEASE] = {
		.key = "scp_release", .label = "Short-circuit release time",
		SECONDS(1, 3600),
		.place = {
			OVER_24S = JK02_U32(0x12, 74),
			OVER_32S = JK02_U32(0x12, 74),
		},
	},
	/* Manual 1 and 5.3.3 p): a 5 A active balancer. */
	[SETTING_MAX_BALANCE_CURRENT] = {
		.key = "max_balance_current", .label = "Max balance current",
		AMPS(100, 5000, 100),
		.place = {
			OVER_24S = JK02_U32(0x13, 78),
			OVER_32S = JK02_U32(0x13, 78),
			OVER_JK04 = JK04_F32(0x68, 110),
		},
	},
	/* Temperatures: 0.1 degC s32 on JK02; whole degC s16 on serial. */
	[SETTING_CHARGE_OTP] = {
		.key = "charge_otp", .label = "Charge overtemperature protection",
		CELSIUS(200, 1000, 1),
		.place = {
			OVER_24S = JK02_S32(0x14, 82),
			OVER_32S = JK02_S32(0x14, 82),
			OVER_SERIAL = SER(0xA3, 2, S16, -1),
		},
	},
	[SETTING_CHARGE_OTP_RELEASE] = {
		.key = "charge_otp_release",
		.label = "Charge overtemperature recovery",
		CELSIUS(200, 1000, 1),
		.place = {
			OVER_24S = JK02_S32(0x15, 86),
			OVER_32S = JK02_S32(0x15, 86),
		},
	},
	[SETTING_DISCHARGE_OTP] = {
		.key = "discharge_otp",
		.label = "Discharge overtemperature protection",
		CELSIUS(200, 1000, 1),
		.place = {
			OVER_24S = JK02_S32(0x16, 90),
			OVER_32S = JK02_S32(0x16, 90),
			OVER_SERIAL = SER(0xA4, 2, S16, -1),
		},
	},
	[SETTING_DISCHARGE_OTP_RELEASE] = {
		.key = "discharge_otp_release",
		.label = "Discharge overtemperature recovery",
		CELSIUS(200, 1000, 1),
		.place = {
			OVER_24S = JK02_S32(0x17, 94),
			OVER_32S = JK02_S32(0x17, 94),
		},
	},
	[SETTING_CHARGE_UTP] = {
		.key = "charge_utp", .label = "Charge undertemperature protection",
		CELSIUS(-400, 200, 1),
		.place = {
			OVER_24S = JK02_S32(0x18, 98),
			OVER_32S = JK02_S32(0x18, 98),
			OVER_SERIAL = SER(0xA5, 2, S16, -1),
		},
	},
	[SETTING_CHARGE_UTP_RELEASE] = {
		.key = "charge_utp_release",
		.label = "Charge undertemperature recovery",
		CELSIUS(-400, 200, 1),
		.place = {
			OVER_24S = JK02_S32(0x19, 102),
			OVER_32S = JK02_S32(0x19, 102),
			OVER_SERIAL = SER(0xA6, 2, S16, -1),
		},
	},
	/* Manual 5.3.3 s): factory values that cannot be modified. */
	[SETTING_MOS_OTP] = {
		.key = "mos_otp", .label = "MOSFET overtemperature protection",
		CELSIUS(500, 1200, 1),
		.flags = S_READONLY,
		.place = {
			OVER_24S = JK02_S32(0x1A, 106),
			OVER_32S = JK02_S32(0x1A, 106),
			OVER_SERIAL = SER(0x9E, 2, S16, -1),
		},
	},
	[SETTING_MOS_OTP_RELEASE] = {
		.key = "mos_otp_release",
		.label = "MOSFET overtemperature recovery",
		CELSIUS(500, 1200, 1),
		.flags = S_READONLY,
		.place = {
			OVER_24S = JK02_S32(0x1B, 110),
			OVER_32S = JK02_S32(0x1B, 110),
			OVER_SERIAL = SER(0x9F, 2, S16, -1),
		},
	},
	/*
	 * 1..32 slots in the table; validation narrows it to the variant's
	 * slots. esphome reads only the first byte at 114.
	 */
	[SETTING_CELL_COUNT] = {
		.key = "cell_count", .label = "Cell count",
		.unit = NULL, .decimals = 0, .kind = SETTING_KIND_NUMBER,
		.min = 1, .max = 32, .step = 1,
		.place = {
			OVER_24S = PLACE(0x1C, 4, U32, 114, U8, 0),
			OVER_32S = PLACE(0x1C, 4, U32, 114, U8, 0),
			OVER_JK04 = PLACE(0x1C, 2, U16, 34, U16, 0),
			OVER_SERIAL = SER(0xA9, 1, U8, 0),
		},
	},
	[SETTING_CHARGE_SWITCH] = {
		.key = "charge_switch", .label = "Charging",
		SWITCH,
		.place = {
			OVER_24S = JK02_U32(0x1D, 118),
			OVER_32S = JK02_U32(0x1D, 118),
			OVER_SERIAL = SER(0xAB, 1, U8, 0),
		},
	},
	[SETTING_DISCHARGE_SWITCH] = {
		.key = "discharge_switch", .label = "Discharging",
		SWITCH,
		.place = {
			OVER_24S = JK02_U32(0x1E, 122),
			OVER_32S = JK02_U32(0x1E, 122),
			OVER_SERIAL = SER(0xAC, 1, U8, 0),
		},
	},
	[SETTING_BALANCE_SWITCH] = {
		.key = "balance_switch", .label = "Balancer",
		SWITCH,
		.place = {
			OVER_24S = JK02_U32(0x1F, 126),
			OVER_32S = JK02_U32(0x1F, 126),
			OVER_JK04 = PLACE(0x6C, 1, U8, 114, U8, 0),
			OVER_SERIAL = SER(0x9D, 1, U8, 0),
		},
	},
	/* Design capacity: mAh on JK02, whole Ah u32 on serial. */
	[SETTING_CAPACITY] = {
		.key = "capacity", .label = "Battery capacity",
		.unit = "Ah", .decimals = 3, .kind = SETTING_KIND_NUMBER,
		.min = 1000, .max = 2000000, .step = 1000,
		.place = {
			OVER_24S = JK02_U32(0x20, 130),
			OVER_32S = JK02_U32(0x20, 130),
			OVER_SERIAL = SER(0xAA, 4, U32, -3),
		},
	},
	/* Register 0x25 on 24S, 0x21 on 32S (protocols.md 2.1). */
	[SETTING_SCP_DELAY] = {
		.key = "scp_delay", .label = "Short-circuit delay",
		.unit = "µs", .decimals = 0, .kind = SETTING_KIND_NUMBER,
		.min = 10, .max = 10000, .step = 1,
		.place = {
			OVER_24S = JK02_U32(0x25, 134),
			OVER_32S = JK02_U32(0x21, 134),
		},
	},
	[SETTING_BALANCE_START_VOLTAGE] = {
		.key = "balance_start_voltage", .label = "Balance start voltage",
		VOLTS(1000, 5000),
		.place = {
			OVER_24S = JK02_U32(0x26, 138),
			OVER_32S = JK02_U32(0x22, 138),
			OVER_JK04 = JK04_F32(0x58, 98),
			OVER_SERIAL = SER(0x9B, 2, U16, 0),
		},
	},
	/* 32S: s8 whole degC at 296/297, regs 0x3A/0x3B (exp -1). */
	[SETTING_DISCHARGE_UTP] = {
		.key = "discharge_utp",
		.label = "Discharge undertemperature protection",
		CELSIUS(-400, 200, 10),
		.place = {
			OVER_32S = PLACE(0x3A, 1, S8, 296, S8, -1),
			OVER_SERIAL = SER(0xA7, 2, S16, -1),
		},
	},
	[SETTING_DISCHARGE_UTP_RELEASE] = {
		.key = "discharge_utp_release",
		.label = "Discharge undertemperature recovery",
		CELSIUS(-400, 200, 10),
		.place = {
			OVER_32S = PLACE(0x3B, 1, S8, 297, S8, -1),
			OVER_SERIAL = SER(0xA8, 2, S16, -1),
		},
	},
	/* 32S: u32 write to 0x25, read back from the first byte at 274. */
	[SETTING_PRECHARGE_TIME] = {
		.key = "precharge_time", .label = "Discharge precharge time",
		SECONDS(0, 255),
		.place = {
			OVER_32S = PLACE(0x25, 4, U32, 274, U8, 0),
		},
	},
	/* 32S control bits at 282, registers 0x27-0x36 (protocols.md 1.9). */
	[SETTING_HEATING_SWITCH] = {
		.key = "heating_switch", .label = "Heating",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x27, 0) },
	},
	[SETTING_DISABLE_TEMP_SENSORS] = {
		.key = "disable_temp_sensors",
		.label = "Disable temperature sensors",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x28, 1) },
	},
	[SETTING_GPS_HEARTBEAT] = {
		.key = "gps_heartbeat", .label = "GPS heartbeat",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x29, 2) },
	},
	[SETTING_PORT_RS485] = {
		.key = "port_rs485", .label = "Port mode RS485 (off: CAN)",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x2A, 3) },
	},
	[SETTING_DISPLAY_ALWAYS_ON] = {
		.key = "display_always_on", .label = "Display always on",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x2B, 4) },
	},
	[SETTING_SPECIAL_CHARGER] = {
		.key = "special_charger", .label = "Special charger",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x2C, 5) },
	},
	[SETTING_SMART_SLEEP_SWITCH] = {
		.key = "smart_sleep_switch", .label = "Smart sleep",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x2D, 6) },
	},
	[SETTING_DISABLE_PCL_MODULE] = {
		.key = "disable_pcl_module", .label = "Disable PCL module",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x2E, 7) },
	},
	[SETTING_TIMED_STORED_DATA] = {
		.key = "timed_stored_data", .label = "Timed stored data",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x2F, 8) },
	},
	[SETTING_CHARGING_FLOAT_MODE] = {
		.key = "charging_float_mode", .label = "Charging float mode",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x30, 9) },
	},
	[SETTING_EMERGENCY_TRIGGER] = {
		.key = "emergency_trigger", .label = "Emergency button trigger",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x31, 10) },
	},
	[SETTING_DRY_CONTACT_INTERMITTENT] = {
		.key = "dry_contact_intermittent",
		.label = "Dry-contact alarm intermittent",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x32, 11) },
	},
	[SETTING_DISCHARGE_OCP2] = {
		.key = "discharge_ocp2", .label = "Discharge overcurrent II",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x33, 12) },
	},
	[SETTING_DISCHARGE_OCP3] = {
		.key = "discharge_ocp3", .label = "Discharge overcurrent III",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x34, 13) },
	},
	[SETTING_GPS_LOCKED_CHARGING] = {
		.key = "gps_locked_charging", .label = "GPS locked charging",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x35, 14) },
	},
	[SETTING_GPS_LOCKED_DISCHARGING] = {
		.key = "gps_locked_discharging",
		.label = "GPS locked discharging",
		SWITCH,
		.place = { OVER_32S = CTRL_BIT(0x36, 15) },
	},
	/* 32S: s8 whole degC, len 1 (captured "37 01 03", "38 01 07"). */
	[SETTING_HEATING_START_TEMPERATURE] = {
		.key = "heating_start_temperature",
		.label = "Heating start temperature",
		CELSIUS(-400, 700, 10),
		.place = {
			OVER_32S = PLACE(0x37, 1, S8, 284, S8, -1),
		},
	},
	[SETTING_HEATING_STOP_TEMPERATURE] = {
		.key = "heating_stop_temperature",
		.label = "Heating stop temperature",
		CELSIUS(-400, 700, 10),
		.place = {
			OVER_32S = PLACE(0x38, 1, S8, 285, S8, -1),
		},
	},
	[SETTING_SMART_SLEEP_TIME] = {
		.key = "smart_sleep_time", .label = "Smart sleep time",
		.unit = "h", .decimals = 0, .kind = SETTING_KIND_NUMBER,
		.min = 0, .max = 255, .step = 1,
		.place = {
			OVER_32S = PLACE(0x39, 1, U8, 286, U8, 0),
		},
	},
	/*
	 * Calibrations: the measured pack voltage / current, written once.
	 * JK04 holds the ADC reference instead (about 3.03, protocols.md
	 * 1.9) and reports it at 74, so there it is read back.
	 */
	/*
	 * Six decimals: the JK04 float carries microvolts (CMD-04 writes
	 * Vref 3.031334); JK02 writes mV (exp -3, so a whole mV).
	 */
	[SETTING_VOLTAGE_CALIBRATION] = {
		.key = "voltage_calibration", .label = "Voltage calibration",
		.unit = "V", .decimals = 6, .kind = SETTING_KIND_NUMBER,
		.min = 1000000, .max = 150000000, .step = 1,
		.place = {
			OVER_24S = WRITE_ONLY(0x21, 4, U32, -3),
			OVER_32S = WRITE_ONLY(0x64, 4, U32, -3),
			OVER_JK04 = JK04_F32(0x44, 74),
		},
	},
	[SETTING_CURRENT_CALIBRATION] = {
		.key = "current_calibration", .label = "Current calibration",
		AMPS(0, 500000, 1),
		.place = {
			OVER_24S = WRITE_ONLY(0x24, 4, U32, 0),
			OVER_32S = WRITE_ONLY(0x67, 4, U32, 0),
			OVER_SERIAL = SER(0xAD, 2, U16, 0),
		},
	},
	/* 32S: u16 index written, u8 read back from device info. */
	[SETTING_UART1_PROTOCOL] = {
		.key = "uart1_protocol", .label = "UART1 protocol",
		SELECT(uart_protocol_options, UART_PROTOCOLS),
		.place = {
			OVER_32S = { .reg = 0xA5, .len = 2, .wire = WIRE_U16,
				     .source = SOURCE_DEVICE_INFO, .offset = 184,
				     .read_wire = WIRE_U8, .bit = 0xff },
		},
	},
	[SETTING_CAN_PROTOCOL] = {
		.key = "can_protocol", .label = "CAN protocol",
		SELECT(can_protocol_options, CAN_PROTOCOLS),
		.place = {
			OVER_32S = { .reg = 0xA6, .len = 2, .wire = WIRE_U16,
				     .source = SOURCE_DEVICE_INFO, .offset = 185,
				     .read_wire = WIRE_U8, .bit = 0xff },
		},
	},
	[SETTING_UART2_PROTOCOL] = {
		.key = "uart2_protocol", .label = "UART2 protocol",
		SELECT(uart_protocol_options, UART_PROTOCOLS),
		.place = {
			OVER_32S = { .reg = 0xA8, .len = 2, .wire = WIRE_U16,
				     .source = SOURCE_DEVICE_INFO, .offset = 218,
				     .read_wire = WIRE_U8, .bit = 0xff },
		},
	},
	/* Buttons (32S, protocols.md 1.2 and 2.1). */
	[SETTING_PRESET_LIION] = {
		.key = "preset_liion", .label = "Load Li-ion defaults",
		PRESS, .flags = S_DANGEROUS,
		.place = { OVER_32S = BUTTON(0x68) },
	},
	[SETTING_PRESET_LFP] = {
		.key = "preset_lfp", .label = "Load LiFePO4 defaults",
		PRESS, .flags = S_DANGEROUS,
		.place = { OVER_32S = BUTTON(0x69) },
	},
	[SETTING_PRESET_LTO] = {
		.key = "preset_lto", .label = "Load LTO defaults",
		PRESS, .flags = S_DANGEROUS,
		.place = { OVER_32S = BUTTON(0x6A) },
	},
	[SETTING_SHUTDOWN] = {
		.key = "shutdown", .label = "Shut down",
		PRESS, .flags = S_DANGEROUS,
		.place = { OVER_32S = BUTTON(0x65) },
	},
	[SETTING_RESTART] = {
		.key = "restart", .label = "Restart",
		PRESS,
		.place = { OVER_32S = BUTTON(0x66) },
	},
	[SETTING_FACTORY_RESET] = {
		.key = "factory_reset", .label = "Factory reset",
		PRESS, .flags = S_DANGEROUS,
		.place = { OVER_32S = BUTTON(0x9D) },
	},
	/*
	 * The BMS clock, u32 seconds since 2020-01-01 (protocols.md 1.3 step
	 * 7): sent by the device layer after connecting, not a user setting.
	 */
	[SETTING_SET_CLOCK] = {
		.key = "set_clock", .label = "Set clock",
		.unit = "s", .decimals = 0, .kind = SETTING_KIND_NUMBER,
		.min = 0, .max = UINT32_MAX, .step = 1,
		.flags = S_NO_HA,
		.place = { OVER_32S = WRITE_ONLY(0x6C, 4, U32, 0) },
	},
};
/* clang-format on */

int setting_from_key(const char *key)
{
	int i;

	if (!key)
		return -ENOENT;
	for (i = 0; i < SETTING__MAX; i++)
		if (!strcmp(settings_table[i].key, key))
			return i;
	return -ENOENT;
}

const struct setting_place *setting_get_place(enum setting_id id,
					      enum jk_variant v)
{
	const struct setting_place *p = NULL;

	if (id < 0 || id >= SETTING__MAX)
		return NULL;
	switch (v) {
	case JK_VARIANT_JK02_24S:
	case JK_VARIANT_JK02_32S:
	case JK_VARIANT_JK04:
	case JK_VARIANT_SERIAL:
		p = &settings_table[id].place[v];
		break;
	case JK_VARIANT_PB_MODBUS:
		/*
		 * The PB register map is the JK02_32S frame less 6 bytes
		 * (protocols.md 4.3): what the 32S settings or device-info
		 * frame holds is a Modbus register there.
		 */
		p = &settings_table[id].place[JK_VARIANT_JK02_32S];
		if (p->source == SOURCE_NONE)
			return NULL;
		return p;
	case JK_VARIANT_CAN:
	case JK_VARIANT__MAX:
	case JK_VARIANT_AUTO:
		return NULL;
	}
	if (!p || (p->reg == 0 && p->source == SOURCE_NONE))
		return NULL;
	return p;
}

bool setting_on_variant(enum setting_id id, enum jk_variant v)
{
	return setting_get_place(id, v) != NULL;
}
