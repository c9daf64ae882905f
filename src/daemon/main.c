/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsd: options, configuration, the event loop and its signals, staged
 * init with an unwind ladder (iwd's main.c), sd_notify readiness and
 * status, and the demo mode that runs simulated BMSs through the real
 * pipeline.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "jkbms/conf.h"
#include "jkbms/log.h"
#include "jkbms/util.h"

#include "daemon/control-commands.h"
#include "daemon/control.h"
#include "daemon/demo.h"
#include "daemon/manager.h"
#include "sink/history-sink.h"
#include "sink/mqtt.h"

#define EXIT_CONFIG        CONF_EXIT_CONFIG
#define DEMO_INTERVAL_USEC (UINT64_C(2) * 1000000)

struct options {
	const char *config;
	const char *socket;
	const char *debug;
	enum log_target log_target;
	bool demo;
	bool config_given; /* -c: the demo takes its [mqtt] */
	bool check_config;
	bool print_config;
	uint64_t duration_usec;
	const char *mqtt; /* --mqtt HOST[:PORT] */
	const char *history; /* --history PATH: the demo's database */
};

struct daemon {
	struct options opt;
	sd_event *event;
	struct manager *manager;
	struct control *control;
	struct demo *demo;
	struct mqtt *mqtt;
	struct history_sink *history;
	unsigned debug_cli; /* -d categories */
};

static void help(FILE *out)
{
	fprintf(out,
		"Usage: jkbmsd [OPTIONS]\n\n"
		"Gateway daemon for JK battery management systems.\n\n"
		"  -c, --config FILE     configuration file (default %s)\n"
		"      --demo            run the built-in demo configuration "
		"(simulated BMSs);\n"
		"                        with -c, [mqtt] comes from FILE\n"
		"      --history PATH    the demo's history database "
		"(default: a temporary file)\n"
		"      --duration TIME   exit after TIME (\"30s\", \"5m\"), "
		"for tests\n"
		"      --check-config    check the configuration and exit "
		"(0, or 78 on errors)\n"
		"      --print-config    print the normalised configuration "
		"and exit\n"
		"  -d, --debug CATS      debug categories: device,frame,ble,"
		"serial,modbus,can,\n"
		"                        mqtt,history,control,sim,config or "
		"all\n"
		"      --log TARGET      auto, journal or stderr\n"
		"      --mqtt HOST[:PORT] publish to this MQTT broker "
		"(overrides [mqtt])\n"
		"  -s, --socket PATH     control socket (overrides "
		"control_socket)\n"
		"  -V, --version         print the version and exit\n"
		"  -h, --help            print this help and exit\n",
		CONF_DEFAULT_PATH);
}

enum {
	OPT_DEMO = 0x100,
	OPT_DURATION,
	OPT_CHECK_CONFIG,
	OPT_PRINT_CONFIG,
	OPT_LOG,
	OPT_MQTT,
	OPT_HISTORY,
};

/* Returns -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "demo", no_argument, NULL, OPT_DEMO },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "check-config", no_argument, NULL, OPT_CHECK_CONFIG },
		{ "print-config", no_argument, NULL, OPT_PRINT_CONFIG },
		{ "debug", required_argument, NULL, 'd' },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "mqtt", required_argument, NULL, OPT_MQTT },
		{ "history", required_argument, NULL, OPT_HISTORY },
		{ "socket", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	o->config = CONF_DEFAULT_PATH;
	o->log_target = LOG_TARGET_AUTO;
	while ((c = getopt_long(argc, argv, "c:d:s:Vh", options, NULL)) >= 0) {
		switch (c) {
		case 'c':
			o->config = optarg;
			o->config_given = true;
			break;
		case OPT_DEMO:
			o->demo = true;
			break;
		case OPT_HISTORY:
			o->history = optarg;
			break;
		case OPT_DURATION:
			if (parse_duration(optarg, &o->duration_usec) < 0 ||
			    o->duration_usec == 0) {
				fprintf(stderr, "jkbmsd: bad duration '%s'\n",
					optarg);
				return EXIT_FAILURE;
			}
			break;
		case OPT_CHECK_CONFIG:
			o->check_config = true;
			break;
		case OPT_PRINT_CONFIG:
			o->print_config = true;
			break;
		case 'd':
			o->debug = optarg;
			break;
		case OPT_MQTT:
			o->mqtt = optarg;
			break;
		case OPT_LOG:
			if (log_target_from_string(optarg, &o->log_target) <
			    0) {
				fprintf(stderr,
					"jkbmsd: --log takes auto, journal or "
					"stderr, not '%s'\n",
					optarg);
				return EXIT_FAILURE;
			}
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'V':
			printf("jkbmsd %s\n", PACKAGE_VERSION);
			return EXIT_SUCCESS;
		case 'h':
			help(stdout);
			return EXIT_SUCCESS;
		default:
			help(stderr);
			return EXIT_FAILURE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "jkbmsd: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_FAILURE;
	}
	return -1;
}

/*
 * The built-in demo; with -c FILE its [mqtt] comes from FILE (the rest of
 * FILE is checked, not used), so the demo publishes where the real
 * daemon would.
 */
static struct conf *demo_config(const struct options *o, FILE *errors,
				unsigned *ret_nerrors)
{
	struct conf *c, *user;
	struct conf_mqtt swap;

	c = conf_load("<demo>", conf_demo_text, errors, ret_nerrors);
	if (!c || !o->config_given)
		return c;
	user = conf_load(o->config, NULL, errors, ret_nerrors);
	if (!user)
		return conf_free(c);
	swap = c->mqtt;
	c->mqtt = user->mqtt;
	user->mqtt = swap;
	conf_free(user);
	return c;
}

static struct conf *load_config(const struct options *o, FILE *errors,
				unsigned *ret_nerrors)
{
	struct conf *c;

	if (o->demo)
		c = demo_config(o, errors, ret_nerrors);
	else
		c = conf_load(o->config, NULL, errors, ret_nerrors);
	if (c && o->mqtt && mqtt_conf_override(c, o->mqtt) < 0) {
		fprintf(errors, "--mqtt %s: expected HOST or HOST:PORT\n",
			o->mqtt);
		if (ret_nerrors)
			(*ret_nerrors)++;
		c = conf_free(c);
	}
	return c;
}

static void apply_log_config(struct daemon *d)
{
	const struct conf *c = manager_conf(d->manager);
	unsigned mask = 0;

	log_set_level(c->daemon.log_level);
	/* The demo's table is redrawn on the terminal: keep it readable. */
	if (d->opt.demo && isatty(STDOUT_FILENO) && isatty(STDERR_FILENO) &&
	    !log_to_journal() && c->daemon.log_level > LOG_WARNING)
		log_set_level(LOG_WARNING);
	if (c->daemon.debug && log_parse_categories(c->daemon.debug, &mask) < 0)
		log_warning("unknown debug category in '%s', ignoring",
			    c->daemon.debug);
	log_set_debug(mask | d->debug_cli);
}

static char *socket_path(const struct daemon *d)
{
	const char *conf_path = manager_conf(d->manager)->daemon.control_socket;

	if (d->opt.socket)
		return xstrdup(d->opt.socket);
	/* The system default only for root; users get their runtime dir. */
	if (conf_path &&
	    (geteuid() == 0 || strcmp(conf_path, CONF_DEFAULT_SOCKET) != 0))
		return xstrdup(conf_path);
	return control_socket_user_default();
}

static void notify_status(struct daemon *d)
{
	const char *mqtt = mqtt_state(d->mqtt);
	char buf[160];

	manager_summary(d->manager, buf, sizeof(buf));
	if (mqtt)
		sd_notifyf(0, "STATUS=%s, mqtt %s", buf, mqtt);
	else
		sd_notifyf(0, "STATUS=%s", buf);
}

static void on_mqtt_state(void *userdata)
{
	notify_status(userdata);
}

static void on_manager(struct manager *m, struct device *dev,
		       enum device_event ev, void *userdata)
{
	if (ev == DEVICE_EVENT_STATE)
		notify_status(userdata);
}

/*
 * SIGHUP and "jkbmsctl reload": a bad config keeps the running one.
 * Returns 0 or -EINVAL; msg says what happened (for the control reply).
 */
static int reload(struct daemon *d, char *msg, size_t msgsize)
{
	_cleanup_free_ char *text = NULL;
	struct conf *c;
	unsigned nerrors = 0;
	size_t size = 0;
	FILE *errors;
	int r = 0;

	sd_notify(0, "RELOADING=1");
	errors = open_memstream(&text, &size);
	if (!errors) {
		r = log_error_errno(-errno, "reload: %m");
		snprintf(msg, msgsize, "reload: %s", strerror(-r));
		sd_notify(0, "READY=1");
		return r;
	}
	c = load_config(&d->opt, errors, &nerrors);
	fclose(errors);
	if (!c) {
		char *line, *save = NULL;
		size_t len;

		len = (size_t)snprintf(msg, msgsize,
				       "reload failed with %u error%s, keeping "
				       "the running configuration",
				       nerrors, nerrors == 1 ? "" : "s");
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			log_error("%s", line);
			if (len < msgsize)
				len += (size_t)snprintf(
					msg + len, msgsize - len, "\n%s", line);
		}
		log_full(LOG_ERR, 0, LOG_ID_CONFIG_RELOAD, NULL, __FILE__,
			 __LINE__, __func__,
			 "reload failed with %u error%s, keeping the running "
			 "configuration",
			 nerrors, nerrors == 1 ? "" : "s");
		r = -EINVAL;
	} else {
		manager_reload(d->manager, c);
		d->history = history_sink_reload(d->history, d->event,
						 d->manager);
		apply_log_config(d);
		snprintf(msg, msgsize, "configuration reloaded from %s",
			 c->path ? c->path : "?");
	}
	sd_notify(0, "READY=1");
	notify_status(d);
	return r;
}

static int reload_from_control(void *userdata, char *msg, size_t msgsize)
{
	return reload(userdata, msg, msgsize);
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si,
		     void *userdata)
{
	struct daemon *d = userdata;

	switch (si->ssi_signo) {
	case SIGTERM:
	case SIGINT:
		log_info("%s received, shutting down",
			 si->ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
		sd_notify(0, "STOPPING=1");
		sd_event_exit(sd_event_source_get_event(s), 0);
		break;
	case SIGHUP: {
		char msg[256];

		log_info("SIGHUP received, reloading the configuration");
		reload(d, msg, sizeof(msg));
		break;
	}
	case SIGUSR2:
		log_toggle_debug();
		log_notice("debug logging %s", log_get_debug() ? "on" : "off");
		break;
	}
	return 0;
}

static int on_duration(sd_event_source *s, uint64_t usec, void *userdata)
{
	log_info("--duration reached, exiting");
	sd_event_exit(sd_event_source_get_event(s), 0);
	return 0;
}

static int setup_loop(struct daemon *d)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR2 };
	size_t i;
	int r;

	/* A write to a vanished peer or beyond a LimitFSIZE= is an error
	 * on that write, handled there, not the end of the daemon
	 * (libmosquitto ignores SIGPIPE too, but only once MQTT is used). */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);

	r = sd_event_default(&d->event);
	if (r < 0)
		return log_error_errno(r, "cannot create the event loop: %m");
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		r = sd_event_add_signal(d->event, NULL,
					sigs[i] | SD_EVENT_SIGNAL_PROCMASK,
					on_signal, d);
		if (r < 0)
			return log_error_errno(r, "cannot watch signal %d: %m",
					       sigs[i]);
	}
	r = sd_event_set_watchdog(d->event, true);
	if (r < 0)
		log_warning_errno(r, "cannot set up the watchdog: %m");
	if (d->opt.duration_usec) {
		r = sd_event_add_time_relative(d->event, NULL, CLOCK_MONOTONIC,
					       d->opt.duration_usec, 0,
					       on_duration, d);
		if (r < 0)
			return log_error_errno(r, "cannot add a timer: %m");
	}
	return 0;
}

static int run(struct daemon *d, struct conf *conf)
{
	_cleanup_free_ char *path = NULL;
	int r;

	r = setup_loop(d);
	if (r < 0) {
		conf_free(conf);
		return EXIT_FAILURE;
	}
	d->manager = manager_new(d->event, conf);
	apply_log_config(d);
	manager_watch_add(d->manager, on_manager, d);

	path = socket_path(d);
	control_reload_set(reload_from_control, d);
	r = control_new(d->event, d->manager, path, &d->control);
	if (r < 0 && !d->opt.demo) {
		r = EXIT_FAILURE;
		goto out;
	}
	if (r < 0)
		log_warning("demo runs without a control socket");

	log_info("jkbmsd %s started with %s: %zu BMS, %zu bank%s",
		 PACKAGE_VERSION, conf->path ? conf->path : "?",
		 manager_n_devices(d->manager), manager_n_banks(d->manager),
		 manager_n_banks(d->manager) == 1 ? "" : "s");
	d->mqtt = mqtt_new(d->event, d->manager);
	mqtt_set_state_callback(d->mqtt, on_mqtt_state, d);
	/* Before the start: it restores the devices' energy counters. */
	d->history = history_sink_new(d->event, d->manager, d->opt.demo,
				      d->opt.history);
	manager_start(d->manager);
	if (d->opt.demo)
		d->demo = demo_new(d->event, d->manager, DEMO_INTERVAL_USEC);

	sd_notify(0, "READY=1");
	notify_status(d);
	r = sd_event_loop(d->event);
	if (r < 0) {
		log_error_errno(r, "event loop failed: %m");
		r = EXIT_FAILURE;
	} else {
		r = EXIT_SUCCESS;
	}

out:
	d->demo = demo_free(d->demo);
	d->mqtt = mqtt_free(d->mqtt);
	manager_stop(d->manager);
	d->history = history_sink_free(d->history);
	d->control = control_free(d->control);
	d->manager = manager_free(d->manager);
	d->event = sd_event_unref(d->event);
	return r;
}

int main(int argc, char **argv)
{
	struct daemon d = { 0 };
	struct conf *conf;
	unsigned nerrors = 0;
	int r;

	r = parse_options(argc, argv, &d.opt);
	if (r >= 0)
		return r;
	log_open(d.opt.check_config || d.opt.print_config ? LOG_TARGET_STDERR
							  : d.opt.log_target);
	if (d.opt.debug &&
	    log_parse_categories(d.opt.debug, &d.debug_cli) < 0) {
		fprintf(stderr, "jkbmsd: unknown debug category in '%s'\n",
			d.opt.debug);
		return EXIT_FAILURE;
	}
	log_set_debug(d.debug_cli);

	conf = load_config(&d.opt, stderr, &nerrors);
	if (!conf) {
		fprintf(stderr, "jkbmsd: %s: %u error%s\n",
			d.opt.demo ? "<demo>" : d.opt.config, nerrors,
			nerrors == 1 ? "" : "s");
		return EXIT_CONFIG;
	}
	if (d.opt.check_config) {
		printf("%s: configuration OK (%zu BMS, %zu bank%s)\n",
		       conf->path ? conf->path : d.opt.config, conf->n_bms,
		       conf->n_banks, conf->n_banks == 1 ? "" : "s");
		conf_free(conf);
		return EXIT_SUCCESS;
	}
	if (d.opt.print_config) {
		conf_print(conf, stdout);
		conf_free(conf);
		return EXIT_SUCCESS;
	}
	return run(&d, conf);
}
