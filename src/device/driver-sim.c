/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "sim" transport: an in-process simulated BMS (src/sim) behind what
 * looks like a BLE link. A timer advances the simulation by the elapsed
 * real time times the configured time scale (its frames keep a real
 * BMS's pace in real time) and hands its output to the
 * device in notification-sized chunks of varying size, so the demo runs
 * the real reassembly, decode and state pipeline. Commands from the
 * device go to the simulator as a BLE write would.
 *
 * The battery keeps living while the link is down (the timer runs from
 * create to destroy); only its output is dropped then.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <systemd/sd-event.h>

#include "jkbms/conf.h"
#include "jkbms/device.h"
#include "jkbms/driver.h"
#include "jkbms/log.h"
#include "jkbms/sim.h"
#include "jkbms/util.h"

#include "device/drivers.h"

#define SIM_TICK_USEC    (100 * USEC_PER_MSEC)
#define SIM_CONNECT_USEC (150 * USEC_PER_MSEC)
#define SIM_MTU_MIN      20
#define SIM_MTU_MAX      244

struct sim_link {
	struct device *dev;
	struct sim_bms *sim;
	sd_event_source *tick;
	sd_event_source *connect;
	sd_event_source *drop; /* write_fault = drop: the link goes */
	uint64_t last_usec;
	double time_scale;
	uint32_t rnd;
	bool up;
};

static uint32_t next_rnd(struct sim_link *l)
{
	uint32_t x = l->rnd;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	l->rnd = x ? x : 1;
	return l->rnd;
}

/* Output as notifications: 20..244 bytes each, like BLE MTUs vary. */
static void deliver(struct sim_link *l)
{
	uint8_t buf[SIM_MTU_MAX];

	for (;;) {
		size_t mtu = SIM_MTU_MIN +
			     next_rnd(l) % (SIM_MTU_MAX - SIM_MTU_MIN + 1);
		size_t n = sim_read(l->sim, buf, mtu);

		if (n == 0)
			return;
		if (l->up)
			device_feed(l->dev, buf, n);
	}
}

static int on_tick(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct sim_link *l = userdata;
	uint64_t now = now_usec();
	double scaled = (double)(now - l->last_usec) * l->time_scale;
	uint64_t dt = (uint64_t)scaled;

	l->last_usec = now;
	if (dt > 0)
		sim_step(l->sim, dt);
	deliver(l);
	sd_event_source_set_time_relative(s, SIM_TICK_USEC);
	return 0;
}

static int on_connect(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct sim_link *l = userdata;

	l->connect = sd_event_source_disable_unref(l->connect);
	/* A fresh link: what was queued before belongs to no one. */
	l->up = false;
	deliver(l);
	l->up = true;
	device_link_up(l->dev);
	return 0;
}

static int on_drop(sd_event_source *s, void *userdata)
{
	struct sim_link *l = userdata;

	l->drop = sd_event_source_disable_unref(l->drop);
	l->up = false;
	device_link_down(l->dev, -ECONNRESET,
			 "link dropped after a setting write (write_fault)");
	return 0;
}

/* A setting write, not a request (protocols.md 1.2). */
static bool is_setting_write(const uint8_t *data, size_t len)
{
	uint8_t reg;

	if (jk_cmd_check(data, len, &reg, NULL) < 0)
		return false;
	return reg != JK_REQ_DEVICE_INFO && reg != JK_REQ_CELL_INFO &&
	       reg != JK_REQ_LOGBOOK;
}

static int sim_create(struct device *dev)
{
	const struct conf_bms *cfg = device_config(dev);
	struct sim_link *l;
	enum jk_variant v;
	int r;

	l = xcalloc(1, sizeof(*l));
	l->dev = dev;
	/* Without a configured layout the simulator speaks firmware 11+. */
	v = cfg->variant == JK_VARIANT_AUTO ? JK_VARIANT_JK02_32S
					    : cfg->variant;
	l->sim = sim_new(&cfg->sim, v, cfg->name);
	if (!l->sim) {
		free(l);
		return -EINVAL;
	}
	l->time_scale = cfg->sim.time_scale > 0 ? cfg->sim.time_scale : 1.0;
	l->rnd = cfg->sim.seed * 2654435761u + 1;
	l->last_usec = now_usec();
	r = sd_event_add_time_relative(device_event(dev), &l->tick,
				       CLOCK_MONOTONIC, SIM_TICK_USEC, 0,
				       on_tick, l);
	if (r >= 0)
		r = sd_event_source_set_enabled(l->tick, SD_EVENT_ON);
	if (r < 0) {
		sim_free(l->sim);
		sd_event_source_disable_unref(l->tick);
		free(l);
		return r;
	}
	device_set_driver_data(dev, l);
	return 0;
}

static void sim_destroy(struct device *dev)
{
	struct sim_link *l = device_driver_data(dev);

	if (!l)
		return;
	sd_event_source_disable_unref(l->connect);
	sd_event_source_disable_unref(l->drop);
	sd_event_source_disable_unref(l->tick);
	sim_free(l->sim);
	free(l);
	device_set_driver_data(dev, NULL);
}

static int sim_start(struct device *dev)
{
	struct sim_link *l = device_driver_data(dev);

	if (!l)
		return -ENODEV;
	l->up = false;
	if (l->connect)
		return 0;
	/* Connecting takes a moment, as it would over the air. */
	return sd_event_add_time_relative(device_event(dev), &l->connect,
					  CLOCK_MONOTONIC, SIM_CONNECT_USEC, 0,
					  on_connect, l);
}

static void sim_stop(struct device *dev)
{
	struct sim_link *l = device_driver_data(dev);

	if (!l)
		return;
	l->connect = sd_event_source_disable_unref(l->connect);
	l->drop = sd_event_source_disable_unref(l->drop);
	l->up = false;
}

static int sim_write(struct device *dev, const uint8_t *data, size_t len)
{
	struct sim_link *l = device_driver_data(dev);

	if (!l || !l->up)
		return -ENOTCONN;
	sim_receive(l->sim, data, len);
	/* after the bytes went out, never from inside this call */
	if (device_config(dev)->sim.write_fault == SIM_WRITE_FAULT_DROP &&
	    !l->drop && is_setting_write(data, len))
		return sd_event_add_defer(device_event(dev), &l->drop, on_drop,
					  l) < 0
			       ? -ENOMEM
			       : 0;
	return 0;
}

const struct driver driver_sim = {
	.name = "sim",
	.transport = TRANSPORT_SIM,
	.create = sim_create,
	.destroy = sim_destroy,
	.start = sim_start,
	.stop = sim_stop,
	.write = sim_write,
};
