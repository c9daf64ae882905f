/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulator on the wire: requests answered as protocols.md 1.2/1.3
 * says, frames that decode (jk_reasm + jk_frame_decode) to the BMS's own
 * values exactly, setting writes by 20-byte command frames read back in
 * the next settings frame, the buttons, resynchronisation on junk, the
 * bounded output queue, and the same bytes for the same seed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim-test.h"

static const enum jk_variant variants[] = {
	JK_VARIANT_JK02_24S,
	JK_VARIANT_JK02_32S,
};

static void test_new_rejects(void **state)
{
	struct conf_sim c = sim_test_conf(SIM_LFP, 16, SIM_PROFILE_IDLE, 1);
	struct sim_bms *s;

	assert_null(sim_new(NULL, JK_VARIANT_JK02_24S, "x"));
	assert_null(sim_new(&c, JK_VARIANT_JK04, "x"));
	assert_null(sim_new(&c, JK_VARIANT_SERIAL, "x"));
	assert_null(sim_new(&c, JK_VARIANT_PB_MODBUS, "x"));
	c.cells = 7;
	assert_null(sim_new(&c, JK_VARIANT_JK02_32S, "x"));
	c.cells = 26;
	assert_null(sim_new(&c, JK_VARIANT_JK02_32S, "x"));
	c.cells = 25;
	assert_null(sim_new(&c, JK_VARIANT_JK02_24S, "x"));
	s = sim_new(&c, JK_VARIANT_AUTO, "x");
	assert_non_null(s);
	assert_int_equal(sim_variant(s), JK_VARIANT_JK02_32S);
	sim_free(s);
	c.cells = 8;
	s = sim_new(&c, JK_VARIANT_AUTO, NULL);
	assert_non_null(s);
	assert_int_equal(sim_variant(s), JK_VARIANT_JK02_24S);
	sim_free(s);
	c.capacity_mah = 500;
	assert_null(sim_new(&c, JK_VARIANT_JK02_24S, "x"));
	c.capacity_mah = 100000;
	c.chemistry = (enum sim_chemistry)7;
	assert_null(sim_new(&c, JK_VARIANT_JK02_24S, "x"));
	c.chemistry = SIM_LTO;
	c.profile = (enum sim_profile)9;
	assert_null(sim_new(&c, JK_VARIANT_JK02_24S, "x"));
	assert_null(sim_free(NULL));
}

/* Every field the frame decoded to is the BMS's value, and vice versa. */
static void assert_fields_match(const struct field_values *dec,
				const struct field_values *own, unsigned flags)
{
	unsigned id, i;

	for (id = 0; id < FIELD__MAX; id++) {
		bool mine = field_has(own, (enum field_id)id) &&
			    (field_table[id].flags & flags) &&
			    !(field_table[id].flags & F_DERIVED);

		if (mine && id != FIELD_VARIANT &&
		    !field_has(dec, (enum field_id)id))
			fail_msg("field %s not decoded", field_table[id].key);
		if (!field_has(dec, (enum field_id)id))
			continue;
		if (!field_has(own, (enum field_id)id))
			fail_msg("field %s decoded, not the BMS's",
				 field_table[id].key);
		switch (field_table[id].type) {
		case FIELD_TYPE_TEXT:
			assert_string_equal(dec->text[id], own->text[id]);
			break;
		case FIELD_TYPE_CELLS:
			assert_int_equal(dec->ncells, own->ncells);
			for (i = 0; i < own->ncells; i++) {
				assert_int_equal(dec->cell_voltage[i],
						 own->cell_voltage[i]);
				assert_int_equal(dec->cell_resistance[i],
						 own->cell_resistance[i]);
			}
			break;
		case FIELD_TYPE_NUM:
		case FIELD_TYPE_BOOL:
		case FIELD_TYPE_ENUM:
		case FIELD_TYPE_ALARMS:
			if (dec->num[id] != own->num[id])
				fail_msg("field %s: decoded %lld, BMS %lld",
					 field_table[id].key,
					 (long long)dec->num[id],
					 (long long)own->num[id]);
			break;
		}
	}
}

/* Settings decoded from a frame are the BMS's, and all of them are there. */
static void assert_settings_match(const struct setting_values *dec,
				  const struct setting_values *own,
				  enum jk_variant v, enum setting_source src)
{
	unsigned id;

	for (id = 0; id < SETTING__MAX; id++) {
		const struct setting_place *p =
			setting_get_place((enum setting_id)id, v);

		if (p && p->source == src && !bits_test(&dec->set, id))
			fail_msg("setting %s not decoded",
				 settings_table[id].key);
		if (!bits_test(&dec->set, id))
			continue;
		assert_true(bits_test(&own->set, id));
		if (dec->val[id] != own->val[id])
			fail_msg("setting %s: decoded %lld, BMS %lld",
				 settings_table[id].key,
				 (long long)dec->val[id],
				 (long long)own->val[id]);
	}
}

struct round_trip {
	struct sim_bms *s;
	unsigned cell_frames, settings_frames, info_frames;
	uint32_t alarms;
	bool negative, balancing;
};

static void on_frame(struct sim_test_rx *rx, void *data)
{
	struct round_trip *rt = data;
	struct field_values own;

	sim_values(rt->s, &own);
	switch (rx->dec.type) {
	case JK_FRAME_CELL_INFO:
		assert_fields_match(&rx->dec.fields, &own, F_LIVE);
		rt->cell_frames++;
		rt->alarms |= (uint32_t)own.num[FIELD_ALARM_BITS];
		rt->negative |= own.num[FIELD_CURRENT] < 0;
		rt->balancing |= own.num[FIELD_BALANCING] != BALANCING_OFF;
		break;
	case JK_FRAME_SETTINGS:
		assert_settings_match(&rx->dec.settings, sim_settings(rt->s),
				      sim_variant(rt->s), SOURCE_SETTINGS);
		rt->settings_frames++;
		break;
	case JK_FRAME_DEVICE_INFO:
		assert_fields_match(&rx->dec.fields, &own, F_INFO);
		assert_settings_match(&rx->dec.settings, sim_settings(rt->s),
				      sim_variant(rt->s), SOURCE_DEVICE_INFO);
		rt->info_frames++;
		break;
	case JK_FRAME_LOGBOOK:
		fail_msg("no logbook was asked for");
		break;
	}
}

static void test_device_info(void **state)
{
	unsigned v;

	for (v = 0; v < 2; v++) {
		struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_SOLAR,
						 4, variants[v]);
		struct round_trip rt = { .s = s };
		struct sim_test_rx rx;

		assert_non_null(s);
		sim_test_ticks(s, 1234);
		sim_test_rx_init(&rx);
		sim_test_request(s, JK_REQ_DEVICE_INFO);
		sim_test_receive(s, &rx, on_frame, &rt);
		assert_int_equal(rt.info_frames, 1);
		assert_int_equal(rx.reasm.acks, 1);
		assert_int_equal(rx.bad, 0);
		assert_string_equal(rx.dec.fields.text[FIELD_MODEL],
				    "JK-B5A25S-60P");
		assert_string_equal(rx.dec.fields.text[FIELD_HARDWARE_VERSION],
				    "10.XW");
		assert_string_equal(rx.dec.fields.text[FIELD_SOFTWARE_VERSION],
				    v ? "11.48" : "10.10");
		assert_int_equal(
			jk_variant_from_software(
				rx.dec.fields.text[FIELD_SOFTWARE_VERSION]),
			variants[v]);
		assert_string_equal(rx.dec.fields.text[FIELD_NAME], "test-bms");
		assert_int_equal(
			strlen(rx.dec.fields.text[FIELD_SERIAL_NUMBER]), 12);
		assert_int_equal(
			strlen(rx.dec.fields.text[FIELD_MANUFACTURING_DATE]),
			6);
		assert_int_equal(rx.dec.fields.num[FIELD_UPTIME], 123);
		assert_string_equal(rx.dec.secrets.connection_password, "1234");
		assert_string_equal(rx.dec.secrets.settings_password, "123456");

		sim_set_passwords(s, "secret", "0123456789abcdefXYZ");
		sim_test_request(s, JK_REQ_DEVICE_INFO);
		sim_test_receive(s, &rx, on_frame, &rt);
		assert_int_equal(rt.info_frames, 2);
		assert_string_equal(rx.dec.secrets.connection_password,
				    "secret");
		assert_string_equal(rx.dec.secrets.settings_password,
				    "0123456789abcdef");
		sim_free(s);
	}
}

/* 0x96: settings frame, ack, then a cell-info frame every 0.5 s. */
static void test_stream(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_CYCLE, 4,
					 JK_VARIANT_JK02_24S);
	struct round_trip rt = { .s = s };
	struct sim_test_rx rx;
	uint8_t first[JK_FRAME_LEN + JK_CMD_LEN];
	unsigned i;

	assert_non_null(s);
	sim_test_rx_init(&rx);
	sim_test_ticks(s, 3);
	sim_test_ticks(s, 50);
	assert_int_equal(sim_read(s, first, sizeof(first)), 0);
	sim_test_request(s, JK_REQ_CELL_INFO);
	/* the settings frame comes first, the ack right behind it */
	assert_int_equal(sim_read(s, first, sizeof(first)), sizeof(first));
	assert_int_equal(first[4], JK_FRAME_SETTINGS);
	assert_int_equal(first[JK_FRAME_LEN + 4], 0xC8);
	sim_test_receive(s, &rx, on_frame, &rt);
	assert_int_equal(rt.cell_frames, 1);
	sim_test_ticks(s, 4);
	sim_test_receive(s, &rx, on_frame, &rt);
	assert_int_equal(rt.cell_frames, 1);
	sim_test_ticks(s, 1);
	sim_test_receive(s, &rx, on_frame, &rt);
	assert_int_equal(rt.cell_frames, 2);
	for (i = 0; i < 10; i++) {
		sim_test_ticks(s, 5);
		sim_test_receive(s, &rx, on_frame, &rt);
	}
	assert_int_equal(rt.cell_frames, 12);
	assert_int_equal(rx.reasm.acks, 0); /* the one ack was read raw */
	assert_int_equal(rx.bad, 0);
	sim_free(s);
}

/*
 * The frames decode to the BMS's own values exactly, for both variants
 * and every chemistry, through two hours of abuse (alarms, negative
 * currents, balancing all show up).
 */
static void test_round_trip(void **state)
{
	static const enum sim_chemistry chems[] = { SIM_LFP, SIM_LIION,
						    SIM_LTO };
	unsigned v, c, t;

	for (v = 0; v < 2; v++) {
		for (c = 0; c < 3; c++) {
			struct sim_bms *s = sim_test_new(chems[c], v ? 25 : 24,
							 SIM_PROFILE_ABUSE,
							 100 + c, variants[v]);
			struct round_trip rt = { .s = s };
			struct sim_test_rx rx;

			assert_non_null(s);
			sim_test_rx_init(&rx);
			sim_test_request(s, JK_REQ_DEVICE_INFO);
			sim_test_request(s, JK_REQ_CELL_INFO);
			sim_test_receive(s, &rx, on_frame, &rt);
			for (t = 0; t < 2 * 3600 * 2; t++) {
				sim_test_ticks(s, 5);
				sim_test_receive(s, &rx, on_frame, &rt);
			}
			assert_int_equal(rx.bad, 0);
			assert_int_equal(rx.reasm.frames_bad, 0);
			assert_int_equal(rt.info_frames, 1);
			assert_int_equal(rt.settings_frames, 1);
			assert_true(rt.cell_frames > 2 * 3600 * 2 - 200);
			assert_true(rt.alarms != 0);
			assert_true(rt.negative);
			assert_true(rt.balancing);
			sim_free(s);
		}
	}
}

/* Writes a value and reads it back through a fresh settings frame. */
static void write_and_read_back(struct sim_bms *s, enum setting_id id,
				int64_t value, int64_t expect, bool acked)
{
	struct round_trip rt = { .s = s };
	struct sim_test_rx rx;

	sim_test_rx_init(&rx);
	assert_int_equal(sim_test_write(s, id, value), 0);
	sim_test_request(s, JK_REQ_CELL_INFO);
	sim_test_receive(s, &rx, on_frame, &rt);
	assert_int_equal(rx.reasm.acks, acked ? 2 : 1);
	assert_int_equal(rt.settings_frames, 1);
	assert_int_equal(rt.cell_frames, 1);
	if (sim_settings(s)->val[id] != expect)
		fail_msg("%s: wrote %lld, holds %lld", settings_table[id].key,
			 (long long)value, (long long)sim_settings(s)->val[id]);
}

/*
 * Every number and switch the variant holds: a 20-byte write of its
 * minimum and maximum shows in the next settings frame.
 */
static void test_writes_read_back(void **state)
{
	unsigned v, id, n;

	for (v = 0; v < 2; v++) {
		struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE,
						 8, variants[v]);

		assert_non_null(s);
		n = 0;
		for (id = 0; id < SETTING__MAX; id++) {
			const struct setting_desc *d = &settings_table[id];
			const struct setting_place *p = setting_get_place(
				(enum setting_id)id, variants[v]);

			if (!p || p->source != SOURCE_SETTINGS ||
			    (d->flags & S_READONLY) ||
			    (d->kind != SETTING_KIND_NUMBER &&
			     d->kind != SETTING_KIND_SWITCH))
				continue;
			write_and_read_back(s, (enum setting_id)id, d->min,
					    d->min, true);
			write_and_read_back(s, (enum setting_id)id, d->max,
					    d->max, true);
			n++;
		}
		print_message("# %s: %u settings written and read back\n",
			      jk_variant_name(variants[v]), n);
		assert_true(n >= (v ? 50u : 28u));

		/* manual 5.3.3 s): acked, but MOS limits stay fixed */
		write_and_read_back(s, SETTING_MOS_OTP, 900, 1000, true);
		/* outside the table's range: ignored, no ack */
		write_and_read_back(s, SETTING_CELL_UVP, 900, 5000, false);
		write_and_read_back(s, SETTING_CELL_UVP, 2600, 2600, true);
		sim_free(s);
	}
}

static void test_write_changes_behaviour(void **state)
{
	/* protocols.md 2.1: mpp-solar's setChargingOn, with 0 for off */
	static const uint8_t charging_off[JK_CMD_LEN] = {
		0xAA, 0x55, 0x90, 0xEB, 0x1D, 0x04, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9B,
	};
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 8,
					 JK_VARIANT_JK02_24S);
	uint8_t cmd[JK_CMD_LEN];

	assert_non_null(s);
	sim_receive(s, charging_off, sizeof(charging_off));
	assert_int_equal(sim_settings(s)->val[SETTING_CHARGE_SWITCH], 0);
	sim_test_ticks(s, 1);
	assert_false(s->params.charge_switch);
	memcpy(cmd, charging_off, sizeof(cmd));
	cmd[6] = 1;
	cmd[19] = 0x9C;
	sim_receive(s, cmd, sizeof(cmd));
	assert_int_equal(sim_settings(s)->val[SETTING_CHARGE_SWITCH], 1);
	sim_free(s);
}

static unsigned count_acks(struct sim_bms *s)
{
	struct sim_test_rx rx;

	sim_test_rx_init(&rx);
	sim_test_receive(s, &rx, NULL, NULL);
	return (unsigned)rx.reasm.acks;
}

static void test_buttons(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 8,
					 JK_VARIANT_JK02_32S);
	const struct setting_values *set = sim_settings(s);
	struct field_values v;
	uint32_t boots;
	uint8_t buf[64];

	assert_non_null(s);
	/* appendix values by value: "LI-ION" column = LFP, and vice versa */
	assert_int_equal(set->val[SETTING_CELL_UVP], 2500);
	assert_int_equal(set->val[SETTING_CELL_OVP], 3650);
	assert_int_equal(set->val[SETTING_MAX_DISCHARGE_CURRENT], 400000);
	assert_int_equal(set->val[SETTING_CHARGE_UTP], -200);
	assert_int_equal(sim_test_write(s, SETTING_PRESET_LIION, 0), 0);
	assert_int_equal(count_acks(s), 1);
	assert_int_equal(set->val[SETTING_CELL_UVP], 2800);
	assert_int_equal(set->val[SETTING_CELL_UVPR], 3200);
	assert_int_equal(set->val[SETTING_CELL_OVP], 4200);
	assert_int_equal(set->val[SETTING_CELL_OVPR], 4100);
	assert_int_equal(set->val[SETTING_POWER_OFF_VOLTAGE], 2799);
	assert_int_equal(set->val[SETTING_CELL_COUNT], 16);
	assert_int_equal(set->val[SETTING_CAPACITY], 100000);
	assert_int_equal(set->val[SETTING_CHARGE_SWITCH], 1);
	assert_int_equal(sim_test_write(s, SETTING_PRESET_LTO, 0), 0);
	assert_int_equal(set->val[SETTING_CELL_UVP], 1800);
	assert_int_equal(set->val[SETTING_CELL_OVP], 2800);
	assert_int_equal(sim_test_write(s, SETTING_PRESET_LFP, 0), 0);
	assert_int_equal(set->val[SETTING_CELL_UVP], 2500);
	assert_int_equal(set->val[SETTING_CELL_OVPR], 3600);
	sim_test_drain(s);

	/* factory reset: appendix rows 23-27 too */
	assert_int_equal(sim_test_write(s, SETTING_FACTORY_RESET, 0), 0);
	assert_int_equal(count_acks(s), 1);
	assert_int_equal(set->val[SETTING_CELL_COUNT], 25);
	assert_int_equal(set->val[SETTING_CAPACITY], 400000);
	assert_int_equal(set->val[SETTING_CHARGE_SWITCH], 0);
	assert_int_equal(set->val[SETTING_DISCHARGE_SWITCH], 0);
	assert_int_equal(set->val[SETTING_BALANCE_SWITCH], 0);
	sim_test_ticks(s, 1);
	sim_values(s, &v);
	assert_int_equal(v.num[FIELD_ALARM_BITS], 1u << 2);
	assert_int_equal(v.num[FIELD_CHARGE_MOSFET], 0);
	assert_int_equal(v.num[FIELD_DISCHARGE_MOSFET], 0);

	/* restart: acked, booted again, stream stopped */
	sim_test_request(s, JK_REQ_CELL_INFO);
	sim_test_ticks(s, 20);
	sim_test_drain(s);
	boots = s->power_on_count;
	assert_int_equal(sim_test_write(s, SETTING_RESTART, 0), 0);
	assert_int_equal(count_acks(s), 1);
	assert_true(sim_powered(s));
	assert_int_equal(s->power_on_count, boots + 1);
	sim_test_ticks(s, 20);
	assert_int_equal(sim_read(s, buf, sizeof(buf)), 0);
	sim_values(s, &v);
	assert_int_equal(v.num[FIELD_UPTIME], 2);

	/* shutdown: acked, then silence */
	assert_int_equal(sim_test_write(s, SETTING_SHUTDOWN, 0), 0);
	assert_int_equal(count_acks(s), 1);
	assert_false(sim_powered(s));
	sim_test_request(s, JK_REQ_DEVICE_INFO);
	assert_int_equal(sim_read(s, buf, sizeof(buf)), 0);
	sim_free(s);

	/* JK02_24S has no such registers: ignored */
	s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 8, JK_VARIANT_JK02_24S);
	assert_non_null(s);
	assert_int_equal(sim_test_write(s, SETTING_PRESET_LIION, 0),
			 -EOPNOTSUPP);
	jk_cmd_encode(buf, 0x68, NULL, 0);
	sim_receive(s, buf, JK_CMD_LEN);
	assert_int_equal(count_acks(s), 0);
	assert_int_equal(sim_settings(s)->val[SETTING_CELL_UVP], 2500);
	sim_free(s);
}

static void on_logbook(struct sim_test_rx *rx, void *data)
{
	if (rx->dec.type == JK_FRAME_LOGBOOK)
		*(struct jk_logbook *)data = rx->dec.logbook;
}

/*
 * 0xA1: JK02_32S answers with its logbook frame and an ack (protocols.md
 * 1.11): the boot, then a cell over-charge trip of the highest cell
 * (0x64 + its 0-based index); JK02_24S has no logbook and stays silent.
 */
static void test_logbook(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 8,
					 JK_VARIANT_JK02_24S);
	struct sim_test_rx rx;
	struct jk_logbook lb = { 0 };
	unsigned i;

	assert_non_null(s);
	sim_test_request(s, JK_REQ_LOGBOOK);
	assert_int_equal(count_acks(s), 0);
	sim_free(s);

	s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 8, JK_VARIANT_JK02_32S);
	assert_non_null(s);
	sim_test_request(s, JK_REQ_LOGBOOK);
	sim_test_rx_init(&rx);
	sim_test_receive(s, &rx, on_logbook, &lb);
	assert_int_equal(rx.frames[JK_FRAME_LOGBOOK], 1);
	assert_int_equal(rx.reasm.acks, 1);
	assert_int_equal(lb.count, 1);
	assert_int_equal(lb.n, 1);
	assert_int_equal(lb.entry[0].code, 0x01);

	/* Charge hard until a cell passes OVP (bounded: 4 simulated h). */
	sim_force_current(s, 100000, true);
	for (i = 0; i < 4 * 3600 && !(sim_alarms(s) & (1u << 4)); i++)
		sim_test_ticks(s, 10);
	assert_true(sim_alarms(s) & (1u << 4));
	sim_test_drain(s);
	sim_test_request(s, JK_REQ_LOGBOOK);
	sim_test_rx_init(&rx);
	sim_test_receive(s, &rx, on_logbook, &lb);
	assert_int_equal(lb.n, 2);
	assert_int_equal(lb.entry[1].code, 0x64 + s->pack.max_idx);
	assert_true(lb.entry[1].time > lb.entry[0].time);
	sim_free(s);
}

static void on_device_info(struct sim_test_rx *rx, void *data)
{
	if (rx->dec.type == JK_FRAME_DEVICE_INFO)
		*(struct setting_values *)data = rx->dec.settings;
}

/* The protocol selects live in the device-info frame (protocols.md 1.10). */
static void test_device_info_settings(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 8,
					 JK_VARIANT_JK02_32S);
	struct setting_values got = { 0 };
	struct sim_test_rx rx;

	assert_non_null(s);
	assert_int_equal(sim_test_write(s, SETTING_CAN_PROTOCOL, 2), 0);
	assert_int_equal(sim_test_write(s, SETTING_UART1_PROTOCOL, 1), 0);
	sim_test_drain(s);
	sim_test_request(s, JK_REQ_DEVICE_INFO);
	sim_test_rx_init(&rx);
	sim_test_receive(s, &rx, on_device_info, &got);
	assert_true(bits_test(&got.set, SETTING_CAN_PROTOCOL));
	assert_int_equal(got.val[SETTING_CAN_PROTOCOL], 2);
	assert_int_equal(got.val[SETTING_UART1_PROTOCOL], 1);
	sim_free(s);
}

/* Junk, split commands and bad checksums (protocols.md 1.2, 1.4). */
static void test_resync(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_IDLE, 8,
					 JK_VARIANT_JK02_24S);
	static const uint8_t junk[] = { 'A',  'T',  '\r', '\n',
					0xAA, 0x55, 0x00, 0xAA };
	uint8_t cmd[JK_CMD_LEN], bad[JK_CMD_LEN];
	struct round_trip rt = { .s = s };
	struct sim_test_rx rx;
	unsigned i;

	assert_non_null(s);
	sim_test_rx_init(&rx);
	jk_cmd_encode_request(cmd, JK_REQ_DEVICE_INFO);
	/* junk, then a command one byte at a time */
	sim_receive(s, junk, sizeof(junk));
	for (i = 0; i < JK_CMD_LEN; i++)
		sim_receive(s, cmd + i, 1);
	sim_test_receive(s, &rx, on_frame, &rt);
	assert_int_equal(rt.info_frames, 1);

	/* a bad checksum is dropped; the good command behind it answers */
	memcpy(bad, cmd, sizeof(bad));
	bad[19] ^= 0x01;
	sim_receive(s, bad, sizeof(bad));
	sim_receive(s, cmd, 7);
	sim_receive(s, cmd + 7, JK_CMD_LEN - 7);
	sim_test_receive(s, &rx, on_frame, &rt);
	assert_int_equal(rt.info_frames, 2);
	assert_int_equal(rx.reasm.acks, 2);

	/* a command hidden inside a broken one's bytes is found */
	memcpy(bad, cmd, 10);
	sim_receive(s, bad, 10);
	sim_receive(s, cmd, sizeof(cmd));
	sim_test_receive(s, &rx, on_frame, &rt);
	assert_int_equal(rt.info_frames, 3);

	/* a well-formed command of no known register: no answer */
	jk_cmd_encode(cmd, 0x55, NULL, 0);
	sim_receive(s, cmd, sizeof(cmd));
	assert_int_equal(count_acks(s), 0);
	sim_free(s);
}

/* Reads everything queued into a growing buffer. */
static size_t read_all(struct sim_bms *s, uint8_t *buf, size_t cap)
{
	size_t n = 0, r;

	while ((r = sim_read(s, buf + n, cap - n)))
		n += r;
	return n;
}

static size_t scripted_run(unsigned seed, uint8_t *out, size_t cap)
{
	struct sim_bms *s = sim_test_new(SIM_LIION, 13, SIM_PROFILE_ABUSE, seed,
					 JK_VARIANT_JK02_32S);
	size_t n = 0;
	unsigned t;

	assert_non_null(s);
	sim_test_request(s, JK_REQ_DEVICE_INFO);
	sim_test_request(s, JK_REQ_CELL_INFO);
	for (t = 0; t < 3600; t++) {
		sim_step(s, 500000 + (t % 7) * 1000);
		if (t == 100)
			sim_test_write(s, SETTING_MAX_BALANCE_CURRENT, 1500);
		if (t == 2000)
			sim_test_write(s, SETTING_CHARGE_OTP, 500);
		n += read_all(s, out + n, cap - n);
	}
	sim_free(s);
	return n;
}

/* Same seed and inputs, same bytes; another seed, other bytes. */
static void test_determinism(void **state)
{
	size_t cap = 4000 * (JK_FRAME_LEN + JK_CMD_LEN);
	uint8_t *a = test_malloc(cap), *b = test_malloc(cap);
	size_t na, nb;

	na = scripted_run(77, a, cap);
	nb = scripted_run(77, b, cap);
	assert_true(na > 3600 * JK_FRAME_LEN);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	nb = scripted_run(78, b, cap);
	assert_true(nb != na || memcmp(a, b, na));
	test_free(a);
	test_free(b);
}

/* Nobody reads: the queue keeps the newest 64 KiB and counts the rest. */
static void test_queue_bounded(void **state)
{
	struct sim_bms *s = sim_test_new(SIM_LFP, 16, SIM_PROFILE_SOLAR, 8,
					 JK_VARIANT_JK02_24S);
	struct round_trip rt = { .s = s };
	struct sim_test_rx rx;
	uint64_t frames;

	assert_non_null(s);
	sim_test_rx_init(&rx);
	sim_test_request(s, JK_REQ_CELL_INFO);
	sim_step(s, UINT64_C(3600) * 1000000);
	frames = s->wire.frames_sent;
	assert_int_equal(frames, 2 + 7200);
	assert_int_equal(s->wire.out_len, SIM_OUT_CAP);
	assert_int_equal(sim_dropped_bytes(s),
			 frames * JK_FRAME_LEN + JK_CMD_LEN - SIM_OUT_CAP);
	/* what is left reassembles: whole frames after a cut one */
	sim_test_receive(s, &rx, NULL, &rt);
	assert_int_equal(rx.bad, 0);
	assert_int_equal(rx.frames[JK_FRAME_CELL_INFO],
			 SIM_OUT_CAP / JK_FRAME_LEN);
	sim_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_rejects),
		cmocka_unit_test(test_device_info),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_writes_read_back),
		cmocka_unit_test(test_write_changes_behaviour),
		cmocka_unit_test(test_buttons),
		cmocka_unit_test(test_logbook),
		cmocka_unit_test(test_device_info_settings),
		cmocka_unit_test(test_resync),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_queue_bounded),
	};

	return cmocka_run_group_tests_name("sim-wire", tests, NULL, NULL);
}
