/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device state machine against a scripted driver: the handshake
 * (0x97, then 0x96), the connection-password check, frames refused before
 * it, variant detection, link loss and backoff, observers. The frames are
 * built with the codec's own encoders and fed in BLE-sized pieces.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <systemd/sd-event.h>

#include "jkbms/conf.h"
#include "jkbms/device.h"
#include "jkbms/driver.h"
#include "jkbms/frame.h"
#include "jkbms/log.h"
#include "jkbms/state.h"

/* The scripted driver and the registry this test links instead. */
static struct {
	int starts, stops, creates, destroys;
	int start_result;
	uint8_t last_reg;
	int writes;
} drv;

static int mock_create(struct device *dev)
{
	drv.creates++;
	device_set_driver_data(dev, &drv);
	return 0;
}

static void mock_destroy(struct device *dev)
{
	drv.destroys++;
	device_set_driver_data(dev, NULL);
}

static int mock_start(struct device *dev)
{
	drv.starts++;
	return drv.start_result;
}

static void mock_stop(struct device *dev)
{
	drv.stops++;
}

static int mock_write(struct device *dev, const uint8_t *data, size_t len)
{
	uint8_t reg, n;

	assert_int_equal(jk_cmd_check(data, len, &reg, &n), 0);
	drv.last_reg = reg;
	drv.writes++;
	return 0;
}

static const struct driver mock_driver = {
	.name = "mock",
	.transport = TRANSPORT_SIM,
	.create = mock_create,
	.destroy = mock_destroy,
	.start = mock_start,
	.stop = mock_stop,
	.write = mock_write,
};

const struct driver *driver_find(enum conf_transport t)
{
	return t == TRANSPORT_SIM ? &mock_driver : NULL;
}

const struct driver *driver_find_name(const char *name)
{
	return strcmp(name, "mock") == 0 ? &mock_driver : NULL;
}

/* Observer: counts events, remembers the last state seen. */
static struct {
	int state_events, value_events, settings_events;
	enum device_state last;
} obs;

static void on_event(struct device *dev, enum device_event ev,
		     const struct bits *changed, void *userdata)
{
	switch (ev) {
	case DEVICE_EVENT_STATE:
		obs.state_events++;
		obs.last = device_get_state(dev);
		break;
	case DEVICE_EVENT_VALUES:
		assert_non_null(changed);
		obs.value_events++;
		break;
	case DEVICE_EVENT_SETTINGS:
		obs.settings_events++;
		break;
	}
}

struct fixture {
	sd_event *event;
	struct conf_bms cfg;
	struct device *dev;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	memset(&drv, 0, sizeof(drv));
	memset(&obs, 0, sizeof(obs));
	log_set_level(LOG_WARNING);
	assert_int_equal(sd_event_new(&f->event), 0);
	f->cfg.name = (char *)"house-1";
	f->cfg.transport = TRANSPORT_SIM;
	f->cfg.variant = JK_VARIANT_AUTO;
	f->cfg.password = (char *)"4321";
	f->cfg.poll_interval_usec = 1000000;
	f->dev = device_new(&f->cfg, f->event);
	device_watch_add(f->dev, on_event, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	device_free(f->dev);
	assert_int_equal(drv.destroys, drv.creates);
	sd_event_unref(f->event);
	free(f);
	return 0;
}

/* Feeds a frame in pieces of 20, 61, 128... bytes, like notifications. */
static void feed(struct device *dev, const uint8_t *frame, size_t len)
{
	static const size_t sizes[] = { 20, 61, 128, 7, 244 };
	size_t off = 0, i = 0;

	while (off < len) {
		size_t n = sizes[i++ % 5];

		if (n > len - off)
			n = len - off;
		device_feed(dev, frame + off, n);
		off += n;
	}
}

static void feed_device_info(struct device *dev, const char *password,
			     const char *software)
{
	struct field_values info;
	struct jk_secrets secrets;
	uint8_t frame[JK_FRAME_LEN];

	memset(&info, 0, sizeof(info));
	memset(&secrets, 0, sizeof(secrets));
	strcpy(info.text[FIELD_MODEL], "JK_B5A25S60P");
	bits_set(&info.set, FIELD_MODEL);
	strcpy(info.text[FIELD_SOFTWARE_VERSION], software);
	bits_set(&info.set, FIELD_SOFTWARE_VERSION);
	strcpy(secrets.connection_password, password);
	strcpy(secrets.settings_password, "123456");
	assert_int_equal(jk_frame_encode_device_info(&info, &secrets,
						     JK_VARIANT_JK02_32S, 1,
						     frame),
			 0);
	feed(dev, frame, sizeof(frame));
}

static void feed_cells(struct device *dev, enum jk_variant v)
{
	struct field_values cells;
	uint8_t frame[JK_FRAME_LEN];
	unsigned i;

	memset(&cells, 0, sizeof(cells));
	cells.ncells = 16;
	for (i = 0; i < 16; i++)
		cells.cell_voltage[i] = 3300 + (int32_t)i;
	bits_set(&cells.set, FIELD_CELL_VOLTAGE);
	field_set_num(&cells, FIELD_CELL_COUNT, 16);
	field_set_num(&cells, FIELD_VOLTAGE, 52920);
	field_set_num(&cells, FIELD_CURRENT, -1500);
	field_set_num(&cells, FIELD_SOC, 77);
	assert_int_equal(jk_frame_encode_cell_info(&cells, v, 2, frame), 0);
	feed(dev, frame, sizeof(frame));
}

static void connect_to_handshake(struct fixture *f)
{
	assert_int_equal(device_start(f->dev), 0);
	assert_int_equal(drv.creates, 1);
	assert_int_equal(drv.starts, 1);
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_CONNECTING);
	device_link_up(f->dev);
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_HANDSHAKE);
	assert_int_equal(drv.last_reg, JK_REQ_DEVICE_INFO);
}

static void test_handshake_online(void **state)
{
	struct fixture *f = *state;
	const struct bms_state *s = device_bms_state(f->dev);

	connect_to_handshake(f);
	feed_device_info(f->dev, "4321", "11.48");
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_HANDSHAKE);
	assert_int_equal(drv.last_reg, JK_REQ_CELL_INFO);
	assert_int_equal(device_variant(f->dev), JK_VARIANT_JK02_32S);
	assert_true(field_has(&s->v, FIELD_MODEL));

	feed_cells(f->dev, JK_VARIANT_JK02_32S);
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_ONLINE);
	assert_true(device_is_online(f->dev));
	assert_int_equal(obs.last, DEVICE_STATE_ONLINE);
	assert_int_equal(obs.state_events, 3);
	assert_true(obs.value_events >= 2);
	assert_true(field_has(&s->v, FIELD_SOC));
	assert_int_equal(s->v.num[FIELD_SOC], 77);
	assert_int_equal(s->v.ncells, 16);
	assert_int_equal(device_link(f->dev)->frames_good, 2);
	assert_int_equal(device_link(f->dev)->frames_bad, 0);
	assert_int_equal(device_link(f->dev)->bytes_rx, 600);
	assert_int_equal(device_link(f->dev)->bytes_tx, 40);
}

static void test_wrong_password(void **state)
{
	struct fixture *f = *state;
	const struct bms_state *s = device_bms_state(f->dev);
	unsigned i;

	connect_to_handshake(f);
	feed_device_info(f->dev, "1234", "11.48");
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_AUTH_FAILED);
	assert_int_equal(obs.last, DEVICE_STATE_AUTH_FAILED);
	assert_int_equal(drv.stops, 1);
	assert_int_equal(device_link(f->dev)->auth_failures, 1);
	assert_non_null(strstr(device_reason(f->dev), "password mismatch"));
	/* Nothing of it is kept: no info, no live values. */
	for (i = 0; i < FIELD__MAX; i++)
		assert_false(field_has(&s->v, i));
	/* Late bytes of the refused link are dropped. */
	feed_cells(f->dev, JK_VARIANT_JK02_32S);
	assert_false(field_has(&s->v, FIELD_SOC));
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_AUTH_FAILED);
}

static void test_no_frames_before_password(void **state)
{
	struct fixture *f = *state;
	const struct bms_state *s = device_bms_state(f->dev);

	connect_to_handshake(f);
	feed_cells(f->dev, JK_VARIANT_JK02_32S);
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_HANDSHAKE);
	assert_false(field_has(&s->v, FIELD_SOC));
	assert_false(field_has(&s->v, FIELD_CELL_VOLTAGE));
}

static void test_variant_from_frames(void **state)
{
	struct fixture *f = *state;

	/* Software says 24S, the frames are 32S: the frames win. */
	connect_to_handshake(f);
	feed_device_info(f->dev, "4321", "10.10");
	assert_int_equal(device_variant(f->dev), JK_VARIANT_JK02_24S);
	feed_cells(f->dev, JK_VARIANT_JK02_32S);
	assert_int_equal(device_variant(f->dev), JK_VARIANT_JK02_32S);
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_ONLINE);
	assert_int_equal(device_bms_state(f->dev)->v.num[FIELD_SOC], 77);
	/* The settings read with the wrong layout are asked for again. */
	assert_int_equal(drv.last_reg, JK_REQ_CELL_INFO);
	assert_int_equal(drv.writes, 3);
}

static void test_variant_from_config(void **state)
{
	struct fixture *f = *state;

	f->cfg.variant = JK_VARIANT_JK02_24S;
	device_free(f->dev);
	f->dev = device_new(&f->cfg, f->event);
	connect_to_handshake(f);
	feed_device_info(f->dev, "4321", "11.48");
	assert_int_equal(device_variant(f->dev), JK_VARIANT_JK02_24S);
	feed_cells(f->dev, JK_VARIANT_JK02_24S);
	assert_int_equal(device_variant(f->dev), JK_VARIANT_JK02_24S);
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_ONLINE);
	assert_int_equal(device_bms_state(f->dev)->v.num[FIELD_SOC], 77);
}

static void test_link_loss(void **state)
{
	struct fixture *f = *state;
	const struct bms_state *s = device_bms_state(f->dev);

	connect_to_handshake(f);
	feed_device_info(f->dev, "4321", "11.48");
	feed_cells(f->dev, JK_VARIANT_JK02_32S);
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_ONLINE);

	device_link_down(f->dev, -ECONNRESET, "link lost");
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_BACKOFF);
	assert_int_equal(device_link(f->dev)->reconnects, 1);
	assert_int_equal(drv.stops, 1);
	assert_non_null(strstr(device_reason(f->dev), "retrying in"));
	/* Live values go, device info stays. */
	assert_false(field_has(&s->v, FIELD_SOC));
	assert_true(field_has(&s->v, FIELD_MODEL));
	/* A second report of the same loss changes nothing. */
	device_link_down(f->dev, -ECONNRESET, "again");
	assert_int_equal(device_link(f->dev)->reconnects, 1);
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_BACKOFF);
	/* Bytes while down are not decoded. */
	feed_cells(f->dev, JK_VARIANT_JK02_32S);
	assert_false(field_has(&s->v, FIELD_SOC));
}

static void test_start_failure_and_stop(void **state)
{
	struct fixture *f = *state;

	drv.start_result = -EIO;
	assert_int_equal(device_start(f->dev), 0);
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_BACKOFF);
	assert_int_equal(device_link(f->dev)->reconnects, 0);
	device_stop(f->dev);
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_DISABLED);
	/* A link-up after stop is ignored. */
	device_link_up(f->dev);
	assert_int_equal(device_get_state(f->dev), DEVICE_STATE_DISABLED);
}

static void test_no_driver(void **state)
{
	struct fixture *f = *state;
	struct conf_bms ble = f->cfg;
	struct device *dev;

	ble.name = (char *)"shed";
	ble.transport = TRANSPORT_BLE;
	ble.address = (char *)"C8:47:8C:00:00:01";
	dev = device_new(&ble, f->event);
	assert_int_equal(device_start(dev), -EOPNOTSUPP);
	assert_int_equal(device_get_state(dev), DEVICE_STATE_DISABLED);
	assert_non_null(strstr(device_reason(dev), "no driver"));
	device_free(dev);
}

static void test_state_names(void **state)
{
	assert_string_equal(device_state_name(DEVICE_STATE_DISABLED),
			    "disabled");
	assert_string_equal(device_state_name(DEVICE_STATE_AUTH_FAILED),
			    "auth-failed");
	assert_null(device_state_name(DEVICE_STATE__MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_handshake_online, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wrong_password, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_frames_before_password,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_variant_from_frames, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_variant_from_config, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_link_loss, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_start_failure_and_stop,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_driver, setup,
						teardown),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests_name("device", tests, NULL, NULL);
}
