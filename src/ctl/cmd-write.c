/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The writing commands of jkbmsctl, all through the daemon's "set":
 *
 *   set BMS KEY VALUE          any setting of the settings table
 *   switch BMS charge|discharge|balance on|off
 *   preset BMS lifepo4|li-ion|lto
 *   factory-reset BMS, restart BMS   (asked twice)
 *
 * with [--password-file F] (else the password is asked without echo,
 * unless an authorisation window is open: --window skips it), [--yes]
 * (no questions, for scripts) and [--json]. The exit status is 0 when
 * the BMS holds the new value (or acknowledged a command), 1 otherwise.
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "jkbms/settings.h"

#include "ctl/ctl.h"

struct write_opts {
	const char *password_file;
	bool window; /* rely on an open authorisation window */
	bool yes;
	bool json;
};

static bool negative_number(const char *s)
{
	return s[0] == '-' && s[1] >= '0' && s[1] <= '9';
}

#define ARGS_MAX 64

/*
 * A negative VALUE ("-20.5") is an operand, not an option: such arguments
 * move behind a "--", keeping their order, in a copy of argv.
 */
static char **protect_negatives(int *argc, char **argv)
{
	static char *args[ARGS_MAX + 2];
	char *neg[ARGS_MAX];
	int i, j = 1, k = 0;

	if (*argc > ARGS_MAX)
		return NULL;
	args[0] = argv[0];
	for (i = 1; i < *argc; i++) {
		if (negative_number(argv[i]))
			neg[k++] = argv[i];
		else
			args[j++] = argv[i];
	}
	if (k) {
		args[j++] = (char *)"--";
		for (i = 0; i < k; i++)
			args[j++] = neg[i];
	}
	args[j] = NULL;
	*argc = j;
	return args;
}

/*
 * Options shared by the commands; returns the argv index of the first
 * operand, -1 after printing the usage error, -2 after --help.
 */
static int parse_opts(int *argcp, char ***argvp, const char *usage,
		      struct write_opts *o)
{
	static const struct option options[] = {
		{ "password-file", required_argument, NULL, 'p' },
		{ "window", no_argument, NULL, 'w' },
		{ "yes", no_argument, NULL, 'y' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	char **argv = protect_negatives(argcp, *argvp);
	int argc = *argcp, c;

	if (!argv) {
		fprintf(stderr, "Usage: jkbmsctl %s\n", usage);
		return -1;
	}
	*argvp = argv;
	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "p:wyjh", options, NULL)) >= 0) {
		switch (c) {
		case 'p':
			o->password_file = optarg;
			break;
		case 'w':
			o->window = true;
			break;
		case 'y':
			o->yes = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			printf("Usage: jkbmsctl %s\n", usage);
			return -2;
		default:
			fprintf(stderr, "Usage: jkbmsctl %s\n", usage);
			return -1;
		}
	}
	return optind;
}

/* One line from stdin; true when it equals want (or "y"/"yes"). */
static bool ask(const char *question, const char *want)
{
	char line[128];
	size_t n;

	fprintf(stderr, "%s ", question);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	if (want)
		return strcmp(line, want) == 0;
	return !strcmp(line, "y") || !strcmp(line, "yes");
}

static void print_result(struct json_object *reply, const char *bms)
{
	struct json_object *o;
	const char *key = "", *outcome = "", *msg = "", *old = NULL,
		   *new = NULL, *unit = "";

	if (json_object_object_get_ex(reply, "key", &o))
		key = json_object_get_string(o);
	if (json_object_object_get_ex(reply, "outcome", &o))
		outcome = json_object_get_string(o);
	if (json_object_object_get_ex(reply, "message", &o))
		msg = json_object_get_string(o);
	if (json_object_object_get_ex(reply, "old", &o))
		old = json_object_get_string(o);
	if (json_object_object_get_ex(reply, "new", &o))
		new = json_object_get_string(o);
	if (json_object_object_get_ex(reply, "unit", &o))
		unit = json_object_get_string(o);
	if (new)
		printf("%s: %s %s%s%s -> %s%s%s: %s (%s)\n", bms, key,
		       old ? old : "?", old && *unit ? " " : "",
		       old ? unit : "", new, *unit ? " " : "", unit, outcome,
		       msg);
	else
		printf("%s: %s: %s (%s)\n", bms, key, outcome, msg);
	if (json_object_object_get_ex(reply, "warning", &o))
		printf("%s: warning: %s\n", bms, json_object_get_string(o));
}

/* Sends one "set"; 0 when the BMS took it, 1 otherwise. */
static int do_set(struct ctl *ctl, const char *bms, const char *key,
		  const char *value, bool force, const struct write_opts *o)
{
	struct json_object *req, *reply = NULL, *ok, *err;
	char password[CTL_PASSWORD_MAX];
	int r, rc = 1;

	req = ctl_request_new("set", bms);
	json_object_object_add(req, "key", json_object_new_string(key));
	json_object_object_add(req, "value", json_object_new_string(value));
	if (force)
		json_object_object_add(req, "force",
				       json_object_new_boolean(true));
	if (!o->window) {
		if (ctl_read_password(o->password_file, bms, password,
				      sizeof(password)) < 0) {
			json_object_put(req);
			return 1;
		}
		json_object_object_add(req, "password",
				       json_object_new_string(password));
		explicit_bzero(password, sizeof(password));
	}
	r = ctl_request(ctl, req, &reply);
	ctl_request_wipe(req, "password");
	json_object_put(req);
	if (r < 0)
		return 1;
	if (o->json)
		ctl_print_json(reply, stdout);
	if (json_object_object_get_ex(reply, "ok", &ok) &&
	    json_object_get_boolean(ok)) {
		if (!o->json)
			print_result(reply, bms);
		rc = 0;
	} else if (json_object_object_get_ex(reply, "outcome", &err)) {
		if (!o->json)
			print_result(reply, bms);
	} else {
		if (!json_object_object_get_ex(reply, "error", &err))
			err = NULL;
		fprintf(stderr, "jkbmsctl: %s\n",
			err ? json_object_get_string(err) : "request failed");
	}
	json_object_put(reply);
	return rc;
}

/*
 * What cannot be undone is asked twice: the question, then the BMS's
 * name typed back, so a "y" from habit or a pipe is not enough.
 */
static bool confirm_twice(const char *question, const char *bms)
{
	char q[200];

	if (!ask(question, NULL)) {
		fprintf(stderr, "jkbmsctl: not confirmed\n");
		return false;
	}
	snprintf(q, sizeof(q), "Type the name of the BMS (%s) to confirm:",
		 bms);
	if (!ask(q, bms)) {
		fprintf(stderr, "jkbmsctl: not confirmed\n");
		return false;
	}
	return true;
}

int ctl_set_run(struct ctl *ctl, int argc, char **argv)
{
	static const char usage[] =
		"set BMS KEY VALUE [--password-file F] [--window] [--yes] "
		"[--json]";
	struct write_opts o;
	const struct setting_desc *d;
	char q[160];
	int i, id;

	i = parse_opts(&argc, &argv, usage, &o);
	if (i < 0)
		return i == -2 ? 0 : 2;
	if (argc - i != 3) {
		fprintf(stderr, "Usage: jkbmsctl %s\n", usage);
		return 2;
	}
	id = setting_from_key(argv[i + 1]);
	if (id < 0) {
		fprintf(stderr,
			"jkbmsctl: unknown setting '%s' (see "
			"jkbmsctl settings %s)\n",
			argv[i + 1], argv[i]);
		return 2;
	}
	d = &settings_table[id];
	if ((d->flags & S_DANGEROUS) && !o.yes) {
		snprintf(q, sizeof(q),
			 "%s on %s cannot be undone. Continue? "
			 "[y/N]",
			 d->label, argv[i]);
		if (!confirm_twice(q, argv[i]))
			return 1;
	}
	return do_set(ctl, argv[i], argv[i + 1], argv[i + 2],
		      (d->flags & S_DANGEROUS) != 0, &o);
}

int ctl_switch_run(struct ctl *ctl, int argc, char **argv)
{
	static const char usage[] =
		"switch BMS charge|discharge|balance on|off "
		"[--password-file F] [--window] [--json]";
	static const char *const names[] = { "charge", "discharge", "balance" };
	static const char *const keys[] = { "charge_switch", "discharge_switch",
					    "balance_switch" };
	struct write_opts o;
	unsigned k;
	int i;

	i = parse_opts(&argc, &argv, usage, &o);
	if (i < 0)
		return i == -2 ? 0 : 2;
	if (argc - i != 3 ||
	    (strcmp(argv[i + 2], "on") && strcmp(argv[i + 2], "off"))) {
		fprintf(stderr, "Usage: jkbmsctl %s\n", usage);
		return 2;
	}
	for (k = 0; k < 3; k++)
		if (!strcmp(argv[i + 1], names[k]))
			return do_set(ctl, argv[i], keys[k], argv[i + 2], false,
				      &o);
	fprintf(stderr, "Usage: jkbmsctl %s\n", usage);
	return 2;
}

int ctl_preset_run(struct ctl *ctl, int argc, char **argv)
{
	static const char usage[] =
		"preset BMS lifepo4|li-ion|lto [--password-file F] "
		"[--window] [--yes] [--json]";
	static const char *const names[] = { "lifepo4", "li-ion", "lto" };
	static const char *const keys[] = { "preset_lfp", "preset_liion",
					    "preset_lto" };
	struct write_opts o;
	char q[200];
	unsigned k;
	int i;

	i = parse_opts(&argc, &argv, usage, &o);
	if (i < 0)
		return i == -2 ? 0 : 2;
	if (argc - i != 2) {
		fprintf(stderr, "Usage: jkbmsctl %s\n", usage);
		return 2;
	}
	for (k = 0; k < 3; k++) {
		if (strcmp(argv[i + 1], names[k]))
			continue;
		snprintf(q, sizeof(q),
			 "The %s preset replaces every protection setting "
			 "of %s. Continue? [y/N]",
			 names[k], argv[i]);
		if (!o.yes && !ask(q, NULL)) {
			fprintf(stderr, "jkbmsctl: not confirmed\n");
			return 1;
		}
		return do_set(ctl, argv[i], keys[k], "press", true, &o);
	}
	fprintf(stderr, "Usage: jkbmsctl %s\n", usage);
	return 2;
}

/* factory-reset and restart: asked twice, the second time for the name. */
static int twice(struct ctl *ctl, int argc, char **argv, const char *key,
		 const char *what)
{
	char usage[128], q[200];
	struct write_opts o;
	int i;

	snprintf(usage, sizeof(usage),
		 "%s BMS [--password-file F] [--window] [--yes] [--json]",
		 argv[0]);
	i = parse_opts(&argc, &argv, usage, &o);
	if (i < 0)
		return i == -2 ? 0 : 2;
	if (argc - i != 1) {
		fprintf(stderr, "Usage: jkbmsctl %s\n", usage);
		return 2;
	}
	if (!o.yes) {
		snprintf(q, sizeof(q), "%s %s? [y/N]", what, argv[i]);
		if (!confirm_twice(q, argv[i]))
			return 1;
	}
	return do_set(ctl, argv[i], key, "press", true, &o);
}

int ctl_factory_reset_run(struct ctl *ctl, int argc, char **argv)
{
	return twice(ctl, argc, argv, "factory_reset",
		     "Reset every setting to the factory values on");
}

int ctl_restart_run(struct ctl *ctl, int argc, char **argv)
{
	return twice(ctl, argc, argv, "restart", "Restart");
}
