/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MQTT publishing figures: the latency from a complete frame (the moment
 * the device reports new values) to the state message arriving at a
 * subscriber through the broker on loopback (median, p99), and the CPU
 * time the daemon's loop spends per published state. Runs the real
 * pipeline in process: simulated BMSs, manager, MQTT sink; the
 * subscriber is a libmosquitto client in a thread of its own. Needs a
 * broker: bench/bench-mqtt.sh starts one. Figures, not pass/fail.
 *
 *   bench-mqtt --port P [--bms N] [--seconds S]
 */
#include "config.h"

#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <json-c/json.h>
#include <mosquitto.h>
#include <systemd/sd-event.h>

#include "jkbms/conf.h"
#include "jkbms/log.h"
#include "jkbms/state.h"
#include "jkbms/util.h"

#include "daemon/manager.h"
#include "sink/mqtt.h"
#include "util/values-json.h"

#define RING    64
#define SAMPLES 200000
#define BMS_MAX 16

struct sent {
	uint64_t hash;
	uint64_t usec;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct sent ring[BMS_MAX][RING];
static unsigned ring_pos[BMS_MAX];
static uint64_t *lat;
static size_t n_lat, n_recv, n_unmatched;
static bool measuring;

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
	return h;
}

static int bms_index(const char *name)
{
	return name[0] == 'b' ? atoi(name + 1) : -1;
}

/* First in the manager's watch list: runs before the sink publishes. */
static void on_frame(struct manager *m, struct device *dev,
		     enum device_event ev, void *userdata)
{
	struct json_object *o;
	const char *s;
	int i;

	if (!dev || ev != DEVICE_EVENT_VALUES || !device_is_online(dev))
		return;
	i = bms_index(device_name(dev));
	if (i < 0 || i >= BMS_MAX)
		return;
	o = values_to_json(&device_bms_state(dev)->v, F_LIVE);
	s = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	pthread_mutex_lock(&lock);
	ring[i][ring_pos[i] % RING].hash = hash(s, strlen(s));
	ring[i][ring_pos[i] % RING].usec = now_usec();
	ring_pos[i]++;
	pthread_mutex_unlock(&lock);
	json_object_put(o);
}

static void on_message(struct mosquitto *mosq, void *userdata,
		       const struct mosquitto_message *msg)
{
	uint64_t now = now_usec(), h;
	const char *name;
	unsigned k;
	int i;

	name = strchr(msg->topic, '/');
	if (!name || msg->payloadlen <= 0)
		return;
	i = bms_index(name + 1);
	if (i < 0 || i >= BMS_MAX)
		return;
	h = hash(msg->payload, (size_t)msg->payloadlen);
	pthread_mutex_lock(&lock);
	if (measuring) {
		n_recv++;
		for (k = 0; k < RING; k++) {
			const struct sent *s =
				&ring[i][(ring_pos[i] - 1 - k) % RING];

			if (s->hash == h && s->usec) {
				if (n_lat < SAMPLES)
					lat[n_lat++] = now - s->usec;
				break;
			}
		}
		if (k == RING)
			n_unmatched++;
	}
	pthread_mutex_unlock(&lock);
}

static void *subscriber(void *arg)
{
	mosquitto_loop_forever(arg, 100, 1);
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double thread_cpu_sec(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	       ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) /
		       1e6;
}

static int on_stop(sd_event_source *s, uint64_t usec, void *userdata)
{
	*(bool *)userdata = true;
	return 0;
}

/* Runs the loop for 'seconds'; returns its CPU time. */
static double run(sd_event *e, unsigned seconds)
{
	double t0 = thread_cpu_sec();
	bool stop = false;

	sd_event_add_time_relative(e, NULL, CLOCK_MONOTONIC,
				   seconds * USEC_PER_SEC, 0, on_stop, &stop);
	while (!stop)
		if (sd_event_run(e, UINT64_MAX) < 0)
			break;
	return thread_cpu_sec() - t0;
}

static struct conf *bench_conf(unsigned port, unsigned n, bool mqtt)
{
	char *text = xasprintf("[daemon]\nname = bench\n[history]\n"
			       "enabled = no\n[mqtt]\nenabled = %s\n"
			       "port = %u\nbase_topic = bench\nqos = 0\n",
			       mqtt ? "yes" : "no", port);
	struct conf *c;
	unsigned i;

	for (i = 0; i < n; i++) {
		char *t = xasprintf("%s[bms b%u]\ntransport = sim\n"
				    "cells = 16\nseed = %u\ntime_scale = 10\n",
				    text, i, i + 1);

		free(text);
		text = t;
	}
	c = conf_load("<bench>", text, stderr, NULL);
	free(text);
	if (c)
		c->mqtt.publish_interval_usec = 0; /* every change */
	return c;
}

/* One pass: [warm-up, then measuring] with or without MQTT. */
static double pass(unsigned port, unsigned n, unsigned seconds, bool mqtt,
		   uint64_t *ret_published)
{
	struct conf *c = bench_conf(port, n, mqtt);
	struct manager *m;
	struct mqtt *q = NULL;
	sd_event *e = NULL;
	double cpu;
	size_t before;

	if (!c)
		exit(EXIT_FAILURE);
	sd_event_new(&e);
	m = manager_new(e, c);
	manager_watch_add(m, on_frame, NULL);
	if (mqtt)
		q = mqtt_new(e, m);
	manager_start(m);
	run(e, 2);
	pthread_mutex_lock(&lock);
	measuring = mqtt;
	before = n_recv;
	pthread_mutex_unlock(&lock);
	cpu = run(e, seconds);
	pthread_mutex_lock(&lock);
	measuring = false;
	*ret_published = n_recv - before;
	pthread_mutex_unlock(&lock);
	q = mqtt_free(q);
	manager_stop(m);
	manager_free(m);
	sd_event_unref(e);
	return cpu;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "bms", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 's' },
		{}
	};
	unsigned port = 0, n = 4, seconds = 10;
	struct mosquitto *sub;
	double cpu_on, cpu_off;
	uint64_t published, dummy;
	pthread_t tid;
	int c;

	while ((c = getopt_long(argc, argv, "p:n:s:", options, NULL)) >= 0) {
		switch (c) {
		case 'p':
			port = (unsigned)atoi(optarg);
			break;
		case 'n':
			n = (unsigned)atoi(optarg);
			break;
		case 's':
			seconds = (unsigned)atoi(optarg);
			break;
		default:
			return EXIT_FAILURE;
		}
	}
	if (!port || !n || n > BMS_MAX || !seconds) {
		fprintf(stderr,
			"usage: bench-mqtt --port P [--bms 1..%d] "
			"[--seconds S]\n",
			BMS_MAX);
		return EXIT_FAILURE;
	}
	log_open(LOG_TARGET_STDERR);
	log_set_level(LOG_ERR);
	lat = xcalloc(SAMPLES, sizeof(*lat));

	mosquitto_lib_init();
	sub = mosquitto_new(NULL, true, NULL);
	mosquitto_message_callback_set(sub, on_message);
	mosquitto_int_option(sub, MOSQ_OPT_TCP_NODELAY, 1);
	if (mosquitto_connect(sub, "127.0.0.1", (int)port, 30) !=
	    MOSQ_ERR_SUCCESS) {
		fprintf(stderr, "bench-mqtt: no broker on 127.0.0.1:%u\n",
			port);
		return EXIT_FAILURE;
	}
	mosquitto_subscribe(sub, NULL, "bench/+/state", 0);
	pthread_create(&tid, NULL, subscriber, sub);

	cpu_on = pass(port, n, seconds, true, &published);
	cpu_off = pass(port, n, seconds, false, &dummy);

	mosquitto_disconnect(sub);
	pthread_join(tid, NULL);
	mosquitto_destroy(sub);
	mosquitto_lib_cleanup();

	qsort(lat, n_lat, sizeof(*lat), cmp_u64);
	printf("MQTT publishing, %u simulated BMS of 16 cells, %u s, QoS 0, "
	       "loopback broker\n",
	       n, seconds);
	printf("  states received        %zu (%zu not matched to a frame)\n",
	       n_recv, n_unmatched);
	if (n_lat)
		printf("  frame -> received      median %.3f ms, p99 %.3f ms, "
		       "max %.3f ms\n",
		       (double)lat[n_lat / 2] / 1e3,
		       (double)lat[n_lat * 99 / 100] / 1e3,
		       (double)lat[n_lat - 1] / 1e3);
	printf("  loop CPU with MQTT     %.3f s\n", cpu_on);
	printf("  loop CPU without MQTT  %.3f s\n", cpu_off);
	if (published)
		printf("  CPU per published state %.1f us (JSON and publish, "
		       "net of the pipeline without MQTT)\n",
		       (cpu_on - cpu_off) * 1e6 / (double)published);
	free(lat);
	return EXIT_SUCCESS;
}
