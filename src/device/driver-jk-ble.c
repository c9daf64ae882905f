/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "jk-ble" driver: a JK BMS over Bluetooth LE through BlueZ
 * (src/transport/ble.c). The link delivers notification bytes to the
 * device's reassembly, decode and password pipeline; the device sends
 * 0x97 then 0x96 once the link is up. While online this driver asks
 * for 0x96 again when the stream stalls (firmware sometimes stops
 * streaming after a missed request), before the device's data timeout
 * gives up on the link. A release (jkbmsctl release) disconnects and
 * keeps away for a while so that the phone app can connect: a JK BMS
 * takes one central at a time.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <systemd/sd-event.h>

#include "jkbms/conf.h"
#include "jkbms/device.h"
#include "jkbms/driver.h"
#include "jkbms/frame.h"
#include "jkbms/log.h"
#include "jkbms/util.h"

#include "device/drivers.h"
#include "device/jk-ble.h"
#include "transport/ble.h"

/* Silence before 0x96 is asked again; at least the poll interval. */
#define JK_BLE_STALL_USEC (UINT64_C(3) * 1000000)

struct jk_ble {
	struct device *dev;
	struct ble_link *link;
	sd_event_source *stall; /* re-request 0x96 */
	uint64_t hold_until;
	bool up;
};

static uint64_t stall_usec(const struct jk_ble *j)
{
	uint64_t t = device_config(j->dev)->poll_interval_usec;

	return t > JK_BLE_STALL_USEC ? t : JK_BLE_STALL_USEC;
}

static void arm_stall(struct jk_ble *j)
{
	sd_event_source_set_time_relative(j->stall, stall_usec(j));
	sd_event_source_set_enabled(j->stall, SD_EVENT_ONESHOT);
}

static int on_stall(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct jk_ble *j = userdata;
	uint64_t last = device_link(j->dev)->last_frame_usec;
	uint8_t cmd[JK_CMD_LEN];

	if (!j->up)
		return 0;
	if (device_is_online(j->dev) && now_usec() - last >= stall_usec(j)) {
		jk_cmd_encode_request(cmd, JK_REQ_CELL_INFO);
		if (ble_link_write(j->link, cmd, sizeof(cmd)) == 0)
			dev_log_debug(device_log_ctx(j->dev), LOG_CAT_BLE,
				      "ble: no frame for a while: asked for "
				      "0x96 again");
	}
	arm_stall(j);
	return 0;
}

static void link_up(void *userdata)
{
	struct jk_ble *j = userdata;

	j->up = true;
	arm_stall(j);
	device_link_up(j->dev);
}

static void link_down(void *userdata, int err, const char *reason)
{
	struct jk_ble *j = userdata;

	j->up = false;
	sd_event_source_set_enabled(j->stall, SD_EVENT_OFF);
	device_link_down(j->dev, err, reason);
}

static void link_data(void *userdata, const uint8_t *data, size_t len)
{
	struct jk_ble *j = userdata;

	device_feed(j->dev, data, len);
}

static void link_rssi(void *userdata, int rssi)
{
	struct jk_ble *j = userdata;

	device_link_rssi(j->dev, rssi);
}

static const struct ble_link_ops link_ops = {
	.up = link_up,
	.down = link_down,
	.data = link_data,
	.rssi = link_rssi,
};

static int jk_ble_create(struct device *dev)
{
	const struct conf_bms *cfg = device_config(dev);
	struct ble_link_config lc = {
		.adapter = cfg->adapter ? cfg->adapter : "hci0",
		.address = cfg->address,
		.pin = cfg->pin,
		.pair = cfg->pair,
		.connect_timeout_usec = cfg->connect_timeout_usec
						? cfg->connect_timeout_usec
						: 20 * USEC_PER_SEC,
		.log = device_log_ctx(dev),
	};
	struct jk_ble *j;
	int r;

	if (!cfg->address)
		return -EINVAL;
	j = xcalloc(1, sizeof(*j));
	j->dev = dev;
	r = sd_event_add_time_relative(device_event(dev), &j->stall,
				       CLOCK_MONOTONIC, JK_BLE_STALL_USEC, 0,
				       on_stall, j);
	if (r < 0) {
		free(j);
		return r;
	}
	sd_event_source_set_enabled(j->stall, SD_EVENT_OFF);
	j->link = ble_link_new(device_event(dev), &lc, &link_ops, j);
	if (!j->link) {
		sd_event_source_disable_unref(j->stall);
		free(j);
		return -ENOTCONN;
	}
	device_set_driver_data(dev, j);
	return 0;
}

static void jk_ble_destroy(struct device *dev)
{
	struct jk_ble *j = device_driver_data(dev);

	if (!j)
		return;
	ble_link_free(j->link);
	sd_event_source_disable_unref(j->stall);
	free(j);
	device_set_driver_data(dev, NULL);
}

static int jk_ble_start(struct device *dev)
{
	struct jk_ble *j = device_driver_data(dev);
	uint64_t now = now_usec();
	char reason[96], t[32];

	if (!j)
		return -ENODEV;
	if (j->hold_until > now) {
		snprintf(reason, sizeof(reason),
			 "released for another central for %s more",
			 format_duration(t, sizeof(t), j->hold_until - now));
		device_link_down(dev, -EBUSY, reason);
		return 0;
	}
	j->hold_until = 0;
	return ble_link_start(j->link);
}

static void jk_ble_stop(struct device *dev)
{
	struct jk_ble *j = device_driver_data(dev);

	if (!j)
		return;
	j->up = false;
	sd_event_source_set_enabled(j->stall, SD_EVENT_OFF);
	ble_link_stop(j->link);
}

static int jk_ble_write(struct device *dev, const uint8_t *data, size_t len)
{
	struct jk_ble *j = device_driver_data(dev);

	if (!j)
		return -ENOTCONN;
	return ble_link_write(j->link, data, len);
}

const struct driver driver_jk_ble = {
	.name = "jk-ble",
	.transport = TRANSPORT_BLE,
	.create = jk_ble_create,
	.destroy = jk_ble_destroy,
	.start = jk_ble_start,
	.stop = jk_ble_stop,
	.write = jk_ble_write,
	/* ble.c times each step out; waiting in an adapter's queue may add. */
	.connect_timeout_usec = UINT64_C(300) * 1000000,
};

int jk_ble_release(struct device *dev, uint64_t usec)
{
	struct jk_ble *j;
	char reason[96], t[32];

	if (device_config(dev)->transport != TRANSPORT_BLE)
		return -EOPNOTSUPP;
	j = device_driver_data(dev);
	if (!j)
		return -ENODEV;
	if (usec == 0) {
		j->hold_until = 0;
		return 0;
	}
	j->hold_until = now_usec() + usec;
	dev_log(device_log_ctx(dev), LOG_NOTICE,
		"released for %s so that another central can connect",
		format_duration(t, sizeof(t), usec));
	jk_ble_stop(dev);
	snprintf(reason, sizeof(reason), "released for %s",
		 format_duration(t, sizeof(t), usec));
	device_link_down(dev, -EBUSY, reason);
	return 0;
}
