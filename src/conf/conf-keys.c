/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration key table (DESIGN "Config": these names are a contract
 * with users' files). One entry per key; a default is written as text and
 * goes through the same parser as a value in a file, so the man page, the
 * shipped example and the parser cannot disagree about it.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <syslog.h>

#include "conf/conf-keys.h"
#include "conf/conf-value.h"

/* Enum members are stored through an int. */
_Static_assert(sizeof(enum conf_transport) == sizeof(int), "enum size");
_Static_assert(sizeof(enum conf_writes) == sizeof(int), "enum size");
_Static_assert(sizeof(enum jk_variant) == sizeof(int), "enum size");
_Static_assert(sizeof(enum bank_topology) == sizeof(int), "enum size");
_Static_assert(sizeof(enum sim_chemistry) == sizeof(int), "enum size");
_Static_assert(sizeof(enum sim_profile) == sizeof(int), "enum size");
_Static_assert(sizeof(enum sim_write_fault) == sizeof(int), "enum size");

/* Tables keep one entry per line. */
/* clang-format off */
static const char *const section_names[SECTION__MAX] = {
	[SECTION_DAEMON] = "daemon",
	[SECTION_MQTT] = "mqtt",
	[SECTION_HISTORY] = "history",
	[SECTION_RS485] = "rs485",
	[SECTION_BMS] = "bms",
	[SECTION_BANK] = "bank",
};

const struct conf_name conf_transport_names[] = {
	{ "ble", TRANSPORT_BLE },
	{ "serial", TRANSPORT_SERIAL },
	{ "modbus", TRANSPORT_MODBUS },
	{ "can", TRANSPORT_CAN },
	{ "candump", TRANSPORT_CANDUMP },
	{ "sim", TRANSPORT_SIM },
	{ NULL, 0 },
};

/*
 * The daemon's debug categories (STYLE 3.6): those jkbmsd -d takes
 * (src/util/log.c; tests/unit/test-conf.c checks that it knows each).
 */
const struct conf_name conf_debug_names[] = {
	{ "ble", 0 },
	{ "serial", 1 },
	{ "modbus", 2 },
	{ "can", 3 },
	{ "mqtt", 4 },
	{ "history", 5 },
	{ "control", 6 },
	{ "sim", 7 },
	{ "device", 8 },
	{ "frame", 9 },
	{ "config", 10 },
	{ "all", 11 },
	{ NULL, 0 },
};

static const struct conf_name log_level_names[] = {
	{ "err", LOG_ERR },
	{ "warning", LOG_WARNING },
	{ "notice", LOG_NOTICE },
	{ "info", LOG_INFO },
	{ "debug", LOG_DEBUG },
	{ NULL, 0 },
};

static const struct conf_name writes_names[] = {
	{ "no", WRITES_NO },
	{ "yes", WRITES_YES },
	{ "always", WRITES_ALWAYS },
	{ NULL, 0 },
};

static const struct conf_name topology_names[] = {
	{ "parallel", BANK_PARALLEL },
	{ "series", BANK_SERIES },
	{ NULL, 0 },
};

static const struct conf_name mqtt_protocol_names[] = {
	{ "3.1.1", CONF_MQTT_V311 },
	{ "5", CONF_MQTT_V5 },
	{ NULL, 0 },
};

static const struct conf_name rs485_mode_names[] = {
	{ "master", 0 },
	{ "listen", 1 },
	{ NULL, 0 },
};

/* Rates termios knows. */
static const struct conf_name baud_names[] = {
	{ "1200", 1200 },
	{ "2400", 2400 },
	{ "4800", 4800 },
	{ "9600", 9600 },
	{ "19200", 19200 },
	{ "38400", 38400 },
	{ "57600", 57600 },
	{ "115200", 115200 },
	{ "230400", 230400 },
	{ "460800", 460800 },
	{ "921600", 921600 },
	{ NULL, 0 },
};

static const struct conf_name chemistry_names[] = {
	{ "lfp", SIM_LFP },
	{ "liion", SIM_LIION },
	{ "lto", SIM_LTO },
	{ NULL, 0 },
};

static const struct conf_name write_fault_names[] = {
	{ "none", SIM_WRITE_FAULT_NONE },
	{ "ignore", SIM_WRITE_FAULT_IGNORE },
	{ "drop", SIM_WRITE_FAULT_DROP },
	{ NULL, 0 },
};

static const struct conf_name profile_names[] = {
	{ "solar", SIM_PROFILE_SOLAR },
	{ "cycle", SIM_PROFILE_CYCLE },
	{ "idle", SIM_PROFILE_IDLE },
	{ "abuse", SIM_PROFILE_ABUSE },
	{ NULL, 0 },
};

/*
 * Which protocol variants each transport can carry (protocols.md 1.5):
 * BLE speaks JK02 (24S/32S) or JK04; the "4E 57" serial protocol is its
 * own; a PB on Modbus answers the register map or, triggered, JK02_32S
 * frames; CAN is CAN; the simulator speaks JK02 (src/sim).
 */
#define V(v) (1u << ((v) + 1))	/* bit 0 is JK_VARIANT_AUTO */
static const unsigned transport_variants[TRANSPORT__MAX] = {
	[TRANSPORT_BLE] = V(JK_VARIANT_JK02_24S) | V(JK_VARIANT_JK02_32S) |
			  V(JK_VARIANT_JK04),
	[TRANSPORT_SERIAL] = V(JK_VARIANT_SERIAL),
	[TRANSPORT_MODBUS] = V(JK_VARIANT_PB_MODBUS) | V(JK_VARIANT_JK02_32S),
	[TRANSPORT_CAN] = V(JK_VARIANT_CAN),
	[TRANSPORT_CANDUMP] = V(JK_VARIANT_CAN),
	[TRANSPORT_SIM] = V(JK_VARIANT_JK02_24S) | V(JK_VARIANT_JK02_32S),
};
#undef V

#define T(t)		TRANSPORT_BIT(TRANSPORT_##t)
#define AT(s, m)	.offset = offsetof(struct s, m), \
			.size = sizeof(((struct s *)0)->m)
#define SEC(v)		((v) * USEC_PER_SEC)
#define MSEC(v)		((v) * USEC_PER_MSEC)
#define DAYS(v)		((v) * USEC_PER_DAY)

const struct conf_key conf_keys[] = {
	/* [daemon] */
	{ SECTION_DAEMON, "name", CONF_STRING, AT(conf_daemon, name),
	  .def = "jkbmsd", .check = CHECK_WORD, .max = 64,
	  .help = "Name of this gateway: the MQTT client id unless "
		  "client_id is set, and the device name in Home Assistant." },
	{ SECTION_DAEMON, "control_socket", CONF_PATH,
	  AT(conf_daemon, control_socket), .def = CONF_DEFAULT_SOCKET,
	  .max = 107,
	  .help = "Path of the AF_UNIX socket jkbmsctl talks to. When it is "
		  "not set and the daemon does not run as root, the daemon "
		  "uses $XDG_RUNTIME_DIR/jkbmsd/control or "
		  "/tmp/jkbmsd-UID/control." },
	{ SECTION_DAEMON, "log_level", CONF_ENUM, AT(conf_daemon, log_level),
	  .def = "info", .names = log_level_names,
	  .help = "Least important messages that are logged." },
	{ SECTION_DAEMON, "debug", CONF_LIST, AT(conf_daemon, debug),
	  .def = "", .names = conf_debug_names,
	  .help = "Comma-separated debug categories logged at level debug "
		  "(also -d on the command line, toggled by SIGUSR2)." },

	/* [mqtt] */
	{ SECTION_MQTT, "enabled", CONF_BOOL, AT(conf_mqtt, enabled),
	  .def = "no", .help = "Publish to an MQTT broker." },
	{ SECTION_MQTT, "host", CONF_STRING, AT(conf_mqtt, host),
	  .def = "127.0.0.1", .check = CHECK_WORD, .max = 253,
	  .help = "Broker host name or address." },
	{ SECTION_MQTT, "port", CONF_UINT, AT(conf_mqtt, port),
	  .def = "1883", .doc_def = "1883, or 8883 with tls = yes",
	  .min = 1, .max = 65535, .help = "Broker TCP port." },
	{ SECTION_MQTT, "username", CONF_STRING, AT(conf_mqtt, username),
	  .max = 255, .help = "User name for the broker." },
	{ SECTION_MQTT, "password", CONF_SECRET, AT(conf_mqtt, password),
	  .min = 1, .max = 255, .pair = "password_file",
	  .help = "Password for the broker (needs username). Prefer "
		  "password_file." },
	{ SECTION_MQTT, "password_file", CONF_SECRET_FILE,
	  AT(conf_mqtt, password_file),
	  .offset2 = offsetof(struct conf_mqtt, password), .min = 1,
	  .max = 255, .pair = "password",
	  .help = "File holding the broker password on its first line; "
		  "it must be a regular file that only its owner may "
		  "access (mode 0600 or stricter)." },
	{ SECTION_MQTT, "client_id", CONF_STRING, AT(conf_mqtt, client_id),
	  .doc_def = "the [daemon] name", .check = CHECK_WORD, .max = 64,
	  .help = "MQTT client identifier." },
	{ SECTION_MQTT, "base_topic", CONF_STRING, AT(conf_mqtt, base_topic),
	  .def = "jkbms", .check = CHECK_TOPIC, .max = 64,
	  .help = "First topic level of everything published." },
	{ SECTION_MQTT, "discovery", CONF_BOOL, AT(conf_mqtt, discovery),
	  .def = "yes", .help = "Publish Home Assistant discovery messages." },
	{ SECTION_MQTT, "discovery_prefix", CONF_STRING,
	  AT(conf_mqtt, discovery_prefix), .def = "homeassistant",
	  .check = CHECK_TOPIC, .max = 64,
	  .help = "Home Assistant discovery prefix." },
	{ SECTION_MQTT, "tls", CONF_BOOL, AT(conf_mqtt, tls), .def = "no",
	  .help = "Connect with TLS." },
	{ SECTION_MQTT, "cafile", CONF_PATH, AT(conf_mqtt, cafile),
	  .help = "CA certificates (PEM) to verify the broker with; the "
		  "system's when not set. Needs tls = yes." },
	{ SECTION_MQTT, "certfile", CONF_PATH, AT(conf_mqtt, certfile),
	  .help = "Client certificate (PEM); needs keyfile and tls = yes." },
	{ SECTION_MQTT, "keyfile", CONF_PATH, AT(conf_mqtt, keyfile),
	  .help = "Client private key (PEM); needs certfile and tls = yes." },
	{ SECTION_MQTT, "keepalive", CONF_DURATION, AT(conf_mqtt, keepalive),
	  .def = "60s", .min = SEC(5), .max = SEC(65535), .scale = SEC(1),
	  .help = "MQTT keepalive, whole seconds." },
	{ SECTION_MQTT, "publish_interval", CONF_DURATION,
	  AT(conf_mqtt, publish_interval_usec), .def = "5s", .min = MSEC(500),
	  .max = SEC(3600), .scale = 1,
	  .help = "Least time between two state messages of one BMS." },
	/* [mqtt]: publishing (src/sink) */
	{ SECTION_MQTT, "bank_interval", CONF_DURATION,
	  AT(conf_mqtt, bank_interval_usec), .def = "5s", .min = MSEC(500),
	  .max = SEC(3600), .scale = 1,
	  .help = "Least time between two state messages of one bank." },
	{ SECTION_MQTT, "retain_state", CONF_BOOL, AT(conf_mqtt, retain_state),
	  .def = "no",
	  .help = "Retain the state messages of BMSs and banks too (status, "
		  "availability, info, settings and discovery always are)." },
	{ SECTION_MQTT, "qos", CONF_UINT, AT(conf_mqtt, qos), .def = "1",
	  .min = 0, .max = 2,
	  .help = "MQTT quality of service of what is published and "
		  "subscribed." },
	{ SECTION_MQTT, "protocol", CONF_ENUM, AT(conf_mqtt, protocol),
	  .def = "3.1.1", .names = mqtt_protocol_names,
	  .help = "MQTT protocol version spoken to the broker." },
	{ SECTION_MQTT, "tls_insecure", CONF_BOOL, AT(conf_mqtt, tls_insecure),
	  .def = "no",
	  .help = "Do not check that the broker's certificate names the "
		  "host (the chain is still verified). Needs tls = yes; for "
		  "tests only." },

	/* [history] */
	{ SECTION_HISTORY, "enabled", CONF_BOOL, AT(conf_history, enabled),
	  .def = "yes", .help = "Keep history in SQLite." },
	{ SECTION_HISTORY, "path", CONF_PATH, AT(conf_history, path),
	  .def = LOCALSTATEDIR "/lib/jkbmsd/history.db",
	  .doc_def = "/var/lib/jkbmsd/history.db",
	  .help = "The SQLite database. Left at its default, it goes "
		  "to $STATE_DIRECTORY/history.db when systemd's "
		  "StateDirectory= sets that." },
	{ SECTION_HISTORY, "flush_interval", CONF_DURATION,
	  AT(conf_history, flush_interval_usec), .def = "60s",
	  .min = SEC(1), .max = SEC(3600), .scale = 1,
	  .help = "Samples are written in one transaction this often "
		  "(few, large writes spare an SD card)." },
	{ SECTION_HISTORY, "sample_interval", CONF_DURATION,
	  AT(conf_history, sample_interval_usec), .def = "10s",
	  .min = SEC(1), .max = SEC(3600), .scale = 1,
	  .help = "One raw sample per BMS this often." },
	{ SECTION_HISTORY, "raw_retention", CONF_DURATION,
	  AT(conf_history, raw_retention_usec), .def = "30d",
	  .min = 0, .max = DAYS(3650), .scale = 1,
	  .help = "Raw samples older than this are deleted; 0 keeps them "
		  "forever." },
	{ SECTION_HISTORY, "aggregate_retention", CONF_DURATION,
	  AT(conf_history, aggregate_retention_usec), .def = "0",
	  .min = 0, .max = DAYS(36500), .scale = 1,
	  .help = "1-minute min/avg/max aggregates, events and the settings "
		  "audit older than this are deleted; 0 (the default) keeps "
		  "them forever." },

	/* [rs485 NAME] */
	{ SECTION_RS485, "device", CONF_PATH, AT(conf_rs485, device),
	  .required_always = true,
	  .help = "The serial port of the bus, e.g. /dev/ttyUSB0." },
	{ SECTION_RS485, "baud", CONF_ENUM, AT(conf_rs485, baud),
	  .def = "115200", .names = baud_names, .help = "Bit rate (8N1)." },
	{ SECTION_RS485, "mode", CONF_ENUM, AT(conf_rs485, listen),
	  .def = "master", .names = rs485_mode_names,
	  .help = "master: poll each BMS on the bus; listen: a BMS at "
		  "address 0 is the master, only listen to its traffic." },
	{ SECTION_RS485, "frame_gap", CONF_DURATION,
	  AT(conf_rs485, frame_gap_usec), .def = "50ms", .min = MSEC(50),
	  .max = SEC(10), .scale = 1,
	  .help = "Least silence between two frames on the bus." },

	/* [bms NAME] */
	{ SECTION_BMS, "transport", CONF_ENUM, AT(conf_bms, transport),
	  .names = conf_transport_names, .required = TRANSPORTS_ALL,
	  .help = "How the BMS is reached: ble (Bluetooth LE), serial (JK "
		  "RS485 \"4E 57\" protocol), modbus (JK-PB on an [rs485] "
		  "bus), can (SocketCAN), candump (a candump log file), sim "
		  "(the built-in simulator)." },
	{ SECTION_BMS, "address", CONF_ADDRESS, AT(conf_bms, address),
	  .transports = T(BLE) | T(MODBUS), .required = T(BLE) | T(MODBUS),
	  .help = "ble: the MAC address (AA:BB:CC:DD:EE:FF); modbus: the "
		  "Modbus address, 1 ... 247." },
	{ SECTION_BMS, "adapter", CONF_STRING, AT(conf_bms, adapter),
	  .def = "hci0", .check = CHECK_ADAPTER, .transports = T(BLE),
	  .help = "Bluetooth adapter." },
	/* [bms] transport = ble */
	{ SECTION_BMS, "pair", CONF_BOOL, AT(conf_bms, pair), .def = "no",
	  .transports = T(BLE),
	  .help = "Pair with the BMS (answering its PIN request with pin) "
		  "before use. Newer firmware needs it; without it jkbmsd "
		  "still pairs when BlueZ refuses access for lack of "
		  "pairing and a pin is set." },
	{ SECTION_BMS, "pin", CONF_SECRET, AT(conf_bms, pin),
	  .check = CHECK_ASCII, .min = 1, .max = 16, .transports = T(BLE),
	  .pair = "pin_file",
	  .help = "PIN the BMS asks for when pairing (often 1234 or "
		  "000000); never logged." },
	{ SECTION_BMS, "pin_file", CONF_SECRET_FILE, AT(conf_bms, pin_file),
	  .offset2 = offsetof(struct conf_bms, pin), .check = CHECK_ASCII,
	  .min = 1, .max = 16, .transports = T(BLE), .pair = "pin",
	  .help = "File holding the pairing PIN on its first line (mode "
		  "0600 or stricter)." },
	{ SECTION_BMS, "connect_timeout", CONF_DURATION,
	  AT(conf_bms, connect_timeout_usec), .def = "20s", .min = SEC(2),
	  .max = SEC(120), .scale = 1, .transports = T(BLE),
	  .help = "Longest wait for a BLE connection and for its services "
		  "to be resolved." },
	{ SECTION_BMS, "device", CONF_PATH, AT(conf_bms, device),
	  .transports = T(SERIAL), .required = T(SERIAL),
	  .help = "Serial port, e.g. /dev/ttyUSB0 (115200 8N1)." },
	{ SECTION_BMS, "bus", CONF_STRING, AT(conf_bms, bus),
	  .check = CHECK_NAME,
	  .transports = T(MODBUS), .required = T(MODBUS),
	  .help = "NAME of the [rs485 NAME] section of the bus." },
	{ SECTION_BMS, "interface", CONF_STRING, AT(conf_bms, interface),
	  .check = CHECK_WORD, .max = 15, .transports = T(CAN),
	  .required = T(CAN), .help = "CAN network interface, e.g. can0." },
	{ SECTION_BMS, "file", CONF_PATH, AT(conf_bms, file),
	  .transports = T(CANDUMP), .required = T(CANDUMP),
	  .help = "candump log (candump -l format) to replay." },
	{ SECTION_BMS, "variant", CONF_VARIANT, AT(conf_bms, variant),
	  .def = "auto",
	  .help = "Protocol variant: auto (detect it) or jk02_24s, "
		  "jk02_32s, jk04 (ble), serial (serial), pb_modbus, "
		  "jk02_32s (modbus), can (can, candump), jk02_24s, jk02_32s "
		  "(sim: what the simulator speaks; auto: jk02_32s, as "
		  "firmware 11 and later)." },
	{ SECTION_BMS, "password", CONF_SECRET, AT(conf_bms, password),
	  .def = "1234", .check = CHECK_ASCII, .min = 1, .max = 16,
	  .pair = "password_file",
	  .help = "Connection password the BMS must report (factory "
		  "default 1234, with a warning)." },
	{ SECTION_BMS, "password_file", CONF_SECRET_FILE,
	  AT(conf_bms, password_file),
	  .offset2 = offsetof(struct conf_bms, password),
	  .check = CHECK_ASCII, .min = 1, .max = 16,
	  .pair = "password",
	  .help = "File holding the connection password on its first line "
		  "(mode 0600 or stricter)." },
	{ SECTION_BMS, "settings_password", CONF_SECRET,
	  AT(conf_bms, settings_password), .def = "123456",
	  .check = CHECK_ASCII, .min = 1,
	  .max = 16, .pair = "settings_password_file",
	  .help = "Settings password: writes need it, given with the "
		  "request or by an authorisation window (factory default "
		  "123456, with a warning)." },
	{ SECTION_BMS, "settings_password_file", CONF_SECRET_FILE,
	  AT(conf_bms, settings_password_file),
	  .offset2 = offsetof(struct conf_bms, settings_password),
	  .check = CHECK_ASCII, .min = 1,
	  .max = 16, .pair = "settings_password",
	  .help = "File holding the settings password on its first line "
		  "(mode 0600 or stricter)." },
	{ SECTION_BMS, "poll_interval", CONF_DURATION,
	  AT(conf_bms, poll_interval_usec), .def = "5s", .min = MSEC(500),
	  .max = SEC(3600), .scale = 1,
	  .help = "How often the BMS is asked for its values." },
	{ SECTION_BMS, "writes", CONF_ENUM, AT(conf_bms, writes),
	  .def = "yes", .names = writes_names,
	  .help = "Who may change settings: no (read-only); yes (with the "
		  "settings password, given with the request or through "
		  "an authorisation window); always (also Home Assistant "
		  "entities outside a window: needs "
		  "settings_password_file)." },
	{ SECTION_BMS, "settings_max_failures", CONF_UINT,
	  AT(conf_bms, settings_max_failures), .def = "5", .min = 1,
	  .max = 32,
	  .help = "Wrong settings passwords within settings_failure_window "
		  "that lock the BMS's writes." },
	{ SECTION_BMS, "settings_failure_window", CONF_DURATION,
	  AT(conf_bms, settings_failure_window_usec), .def = "10m",
	  .min = SEC(1), .max = DAYS(1), .scale = 1,
	  .help = "Time in which settings_max_failures wrong settings "
		  "passwords lock the writes." },
	{ SECTION_BMS, "settings_lockout", CONF_DURATION,
	  AT(conf_bms, settings_lockout_usec), .def = "10m", .min = SEC(1),
	  .max = DAYS(1), .scale = 1,
	  .help = "How long writes stay locked after too many wrong "
		  "settings passwords." },
	{ SECTION_BMS, "chemistry", CONF_ENUM, AT(conf_bms, sim.chemistry),
	  .def = "lfp", .names = chemistry_names, .transports = T(SIM),
	  .help = "Cell chemistry of the simulated battery." },
	{ SECTION_BMS, "cells", CONF_UINT, AT(conf_bms, sim.cells),
	  .def = "16", .min = 8, .max = 25, .transports = T(SIM),
	  .help = "Cells in series." },
	{ SECTION_BMS, "capacity", CONF_DECIMAL, AT(conf_bms, sim.capacity_mah),
	  .def = "280", .min = 1000, .max = 5000000, .scale = 1000,
	  .transports = T(SIM), .help = "Capacity in Ah (up to 3 decimals)." },
	{ SECTION_BMS, "profile", CONF_ENUM, AT(conf_bms, sim.profile),
	  .def = "solar", .names = profile_names, .transports = T(SIM),
	  .help = "Load and charger: solar (charge by day, discharge by "
		  "night), cycle (full cycles), idle, abuse (overcurrent "
		  "and heat: trips protections now and then)." },
	{ SECTION_BMS, "seed", CONF_UINT, AT(conf_bms, sim.seed), .def = "1",
	  .min = 0, .max = UINT_MAX, .transports = T(SIM),
	  .help = "Seed of the small differences between cells; the same "
		  "seed gives the same battery." },
	{ SECTION_BMS, "time_scale", CONF_REAL, AT(conf_bms, sim.time_scale),
	  .def = "1", .min = 1, .max = 100000000, .scale = 1000,
	  .transports = T(SIM),
	  .help = "Simulated seconds per real second (up to 3 decimals); "
		  "frames still come at a real BMS's pace, two a second." },
	{ SECTION_BMS, "imbalance", CONF_UINT, AT(conf_bms, sim.imbalance_pct),
	  .def = "0", .min = 0, .max = 50, .transports = T(SIM),
	  .help = "Extra spread of the cells' initial state of charge, in "
		  "percent, so that the balancer has work to do." },
	{ SECTION_BMS, "write_fault", CONF_ENUM, AT(conf_bms, sim.write_fault),
	  .def = "none", .names = write_fault_names, .transports = T(SIM),
	  .help = "For tests of the write path: none; ignore (the simulated "
		  "BMS acknowledges setting writes but keeps its values); "
		  "drop (the link drops right after a setting write)." },

	/* [bank NAME] */
	{ SECTION_BANK, "members", CONF_MEMBERS, AT(conf_bank, members),
	  .offset2 = offsetof(struct conf_bank, n_members),
	  .required_always = true,
	  .help = "Comma-separated names of the [bms] sections in the "
		  "bank; a BMS belongs to at most one bank." },
	{ SECTION_BANK, "topology", CONF_ENUM, AT(conf_bank, topology),
	  .def = "parallel", .names = topology_names,
	  .help = "parallel: currents and capacities add up; series: "
		  "voltages add up." },
};

/* clang-format on */

const size_t conf_keys_count = sizeof(conf_keys) / sizeof(conf_keys[0]);

enum conf_section_kind conf_section_from_name(const char *s)
{
	int k;

	for (k = 0; k < SECTION__MAX; k++) {
		if (!strcmp(s, section_names[k]))
			return (enum conf_section_kind)k;
	}
	return SECTION__MAX;
}

const char *conf_section_name(enum conf_section_kind k)
{
	return k < SECTION__MAX ? section_names[k] : NULL;
}

bool conf_section_named(enum conf_section_kind k)
{
	return k == SECTION_BMS || k == SECTION_BANK || k == SECTION_RS485;
}

int conf_key_find(enum conf_section_kind k, const char *key)
{
	size_t i;

	for (i = 0; i < conf_keys_count; i++) {
		if (conf_keys[i].section == k && !strcmp(conf_keys[i].key, key))
			return (int)i;
	}
	return -ENOENT;
}

bool conf_key_applies(const struct conf_key *k, enum conf_transport t)
{
	if (k->section != SECTION_BMS || !k->transports)
		return true;
	return k->transports & TRANSPORT_BIT(t);
}

bool conf_key_required(const struct conf_key *k, enum conf_transport t)
{
	if (k->section != SECTION_BMS)
		return k->required_always;
	return k->required & TRANSPORT_BIT(t);
}

bool conf_variant_allowed(enum conf_transport t, int variant)
{
	if (variant == JK_VARIANT_AUTO)
		return true;
	if ((unsigned)t >= TRANSPORT__MAX || variant < 0 ||
	    variant >= JK_VARIANT__MAX)
		return false;
	return transport_variants[t] & (1u << (variant + 1));
}

const char *conf_name_of(const struct conf_name *names, int value)
{
	for (; names->name; names++) {
		if (names->value == value)
			return names->name;
	}
	return NULL;
}

int conf_name_lookup(const struct conf_name *names, const char *s, int *ret)
{
	for (; names->name; names++) {
		if (!strcmp(names->name, s)) {
			*ret = names->value;
			return 0;
		}
	}
	return -EINVAL;
}
