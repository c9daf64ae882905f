/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration (DESIGN "Config", a contract with users' files).
 * Parsed from INI by src/conf through one key table; every error is
 * reported at file:line and all of them are collected before giving up.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jkbms/bank.h"
#include "jkbms/variant.h"

#define CONF_DEFAULT_PATH	SYSCONFDIR "/jkbmsd/jkbmsd.conf"
#define CONF_DEFAULT_SOCKET	"/run/jkbmsd/control"
#define CONF_EXIT_CONFIG	78	/* EX_CONFIG */

enum conf_transport {
	TRANSPORT_BLE,
	TRANSPORT_SERIAL,
	TRANSPORT_MODBUS,
	TRANSPORT_CAN,
	TRANSPORT_CANDUMP,
	TRANSPORT_SIM,
	TRANSPORT__MAX,
};

/* Who may change settings of a BMS (key "writes"). */
enum conf_writes {
	WRITES_NO,	/* read-only */
	WRITES_YES,	/* with the settings password or an open auth window */
	WRITES_ALWAYS,	/* also Home Assistant entities outside a window */
};

enum sim_chemistry {
	SIM_LFP,
	SIM_LIION,
	SIM_LTO,
};

/* Load/charger profile of a simulated BMS. */
enum sim_profile {
	SIM_PROFILE_SOLAR,	/* charge by day, discharge by night */
	SIM_PROFILE_CYCLE,	/* full charge/discharge cycles */
	SIM_PROFILE_IDLE,
	SIM_PROFILE_ABUSE,	/* overcurrent bursts, heat: trips protections */
};

/* What a simulated BMS does with setting writes (tests of the write path). */
enum sim_write_fault {
	SIM_WRITE_FAULT_NONE,
	SIM_WRITE_FAULT_IGNORE,	/* acknowledge, keep the old value */
	SIM_WRITE_FAULT_DROP,	/* the link drops right after the write */
};

struct conf_sim {
	enum sim_chemistry chemistry;
	unsigned cells;			/* 8 ... 25 */
	int64_t capacity_mah;
	enum sim_profile profile;
	unsigned seed;
	double time_scale;		/* simulated seconds per real second */
	unsigned imbalance_pct;		/* extra initial SOC spread of cells */
	enum sim_write_fault write_fault; /* tests: what a write meets */
};

struct conf_bms {
	char *name;
	enum conf_transport transport;
	char *address;			/* MAC, or Modbus address */
	char *adapter;			/* hci0 */
	char *device;			/* /dev/ttyUSB0 */
	char *bus;			/* [rs485 NAME] for modbus */
	char *interface;		/* can0 */
	char *file;			/* candump log */
	enum jk_variant variant;	/* JK_VARIANT_AUTO: detect */
	char *password;			/* connection password (resolved) */
	char *settings_password;	/* settings password (resolved) */
	bool password_is_default;
	bool settings_password_is_default;
	uint64_t poll_interval_usec;
	enum conf_writes writes;
	struct conf_sim sim;
	unsigned line;			/* where the section starts */
	char *password_file;		/* where password came from, or NULL */
	char *settings_password_file;	/* same for settings_password */
	unsigned modbus_address;	/* transport modbus: 1 ... 247 */
	/* transport ble */
	bool pair;			/* pair (with pin) before use */
	char *pin;			/* PIN the BMS asks when pairing */
	char *pin_file;			/* where pin came from, or NULL */
	uint64_t connect_timeout_usec;	/* Connect and service discovery */
	/* Settings writes: lockout after repeated wrong passwords. */
	unsigned settings_max_failures;
	uint64_t settings_failure_window_usec;
	uint64_t settings_lockout_usec;
};

struct conf_bank {
	char *name;
	char **members;			/* BMS names */
	size_t n_members;
	enum bank_topology topology;
	unsigned line;
};

struct conf_rs485 {
	char *name;
	char *device;
	unsigned baud;
	bool listen;			/* mode = listen: sniff a master BMS */
	uint64_t frame_gap_usec;	/* >= 50 ms between frames */
	unsigned line;
};

struct conf_daemon {
	char *name;
	char *control_socket;
	int log_level;			/* syslog priority, LOG_INFO default */
	char *debug;			/* debug categories, comma separated */
	/*
	 * control_socket was not given: a daemon not running as root may
	 * pick a per-user path instead of CONF_DEFAULT_SOCKET.
	 */
	bool control_socket_is_default;
};

struct conf_mqtt {
	bool enabled;
	char *host;
	unsigned port;
	char *username;
	char *password;			/* resolved from password_file */
	char *password_file;		/* where password came from, or NULL */
	char *client_id;		/* default: the [daemon] name */
	char *base_topic;		/* "jkbms" */
	bool discovery;
	char *discovery_prefix;		/* "homeassistant" */
	bool tls;
	char *cafile;
	char *certfile;
	char *keyfile;
	unsigned keepalive;
	uint64_t publish_interval_usec;
	/* MQTT publishing (src/sink/mqtt*.c) */
	bool tls_insecure;		/* no broker host name check */
	unsigned qos;			/* 0, 1, 2 */
	int protocol;			/* enum conf_mqtt_protocol */
	bool retain_state;		/* state documents retained too */
	uint64_t bank_interval_usec;	/* least time between bank states */
};

enum conf_mqtt_protocol {
	CONF_MQTT_V311,
	CONF_MQTT_V5,
};

struct conf_history {
	bool enabled;
	char *path;
	uint64_t flush_interval_usec;
	uint64_t sample_interval_usec;
	uint64_t raw_retention_usec;
	uint64_t aggregate_retention_usec;
};

struct conf {
	char *path;			/* file it came from, "<demo>" ... */
	struct conf_daemon daemon;
	struct conf_mqtt mqtt;
	struct conf_history history;
	struct conf_bms *bms;
	size_t n_bms;
	struct conf_bank *banks;
	size_t n_banks;
	struct conf_rs485 *rs485;
	size_t n_rs485;
};

/*
 * Parses a file (or, with text != NULL, the given text under the name
 * 'path'; path NULL means CONF_DEFAULT_PATH). Every error goes to 'errors'
 * (unless NULL) as "path:line: [section] key: what (allowed: ...)", sorted
 * by line, all of them. Returns a conf, or NULL with *ret_nerrors > 0
 * (ret_nerrors may be NULL). Password files are read here, so a conf holds
 * resolved secrets; conf_free() wipes them.
 */
struct conf *conf_load(const char *path, const char *text, FILE *errors,
		       unsigned *ret_nerrors);
struct conf *conf_free(struct conf *c);
/*
 * Prints the normalised config, defaults included, as a valid INI file.
 * Secrets never appear: a password read from a file is printed as its
 * password_file, a factory-default password is left out (it is the
 * default again when read back), any other inline password becomes the
 * comment "# password = (hidden)".
 */
void conf_print(const struct conf *c, FILE *out);
/* Flags of conf_print_flags(). */
enum conf_print_flags {
	CONF_PRINT_SECRETS = 1 << 0,	/* print inline passwords as they are */
};
void conf_print_flags(const struct conf *c, FILE *out, unsigned flags);
const struct conf_bms *conf_find_bms(const struct conf *c, const char *name);
/*
 * Reload: are two sections the same, key by key through the key table
 * (secrets by value and by file)? Section line numbers do not count.
 */
bool conf_bms_equal(const struct conf_bms *a, const struct conf_bms *b);
bool conf_mqtt_equal(const struct conf_mqtt *a, const struct conf_mqtt *b);
bool conf_history_equal(const struct conf_history *a,
			const struct conf_history *b);
bool conf_rs485_equal(const struct conf_rs485 *a, const struct conf_rs485 *b);
const char *conf_transport_name(enum conf_transport t);
const struct conf_bank *conf_find_bank(const struct conf *c, const char *name);
/* The bank a BMS belongs to, or NULL. */
const struct conf_bank *conf_bank_of(const struct conf *c, const char *bms);
/* The built-in demo configuration (jkbmsd --demo). */
extern const char conf_demo_text[];
