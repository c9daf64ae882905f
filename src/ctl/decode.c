/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jkbmsctl decode: the offline twin of the BLE driver (gpsd's gpsdecode).
 * Notifications go through the same reassembler and decoders as in the
 * daemon, the model derives what it derives there (min/max/delta, power,
 * alarms), and the JSON uses the field and settings tables, so what this
 * prints is what MQTT would publish. The golden tests (tests/vectors) are
 * this command run over every captured vector.
 *
 * Variant, when not given: the layout a frame shows (jk_variant_from_frame;
 * a logbook frame means jk02_32s) wins; else the last variant decided, by
 * a frame or by the software version of a device-info frame seen earlier
 * in the input (major >= 11: jk02_32s); else jk02_24s (protocols.md 1.5).
 * A JK02 settings frame does not show 24S from 32S: before anything else
 * has told, it decodes as jk02_24s.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jkbms/fields.h"
#include "jkbms/frame.h"
#include "jkbms/state.h"
#include "jkbms/variant.h"
#include "jkbms/hex.h"

#include "ctl/decode.h"
#include "util/values-json.h"

#define EXIT_BAD_INPUT	2
/* one line per frame, "/" as it is */
#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

struct decoder {
	FILE *out;
	FILE *err;
	struct jk_reasm reasm;
	enum jk_variant forced;		/* --variant, or AUTO */
	enum jk_variant known;		/* last decided, or AUTO */
	uint64_t notifications;
	uint64_t bytes;
	uint64_t decoded;
	uint64_t undecodable;
	struct jk_decoded dec;		/* large: kept out of the stack */
	struct field_values live;
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: jkbmsctl decode [--variant V] [--stats] [HEX...]\n"
		   "Decodes JK notifications given as hex (arguments, or one "
		   "per line on stdin;\n'#' lines are comments) and prints "
		   "one JSON object per complete frame.\n"
		   "  --variant V  jk02_24s, jk02_32s, jk04 or auto "
		   "(default: auto)\n"
		   "  --stats      print frame counters on stderr\n");
}

/*
 * Parses hex into buf (at least strlen(s) / 2 bytes); blanks and ':'
 * between bytes are allowed. Returns the length or -EINVAL with *what
 * saying why.
 */
static ssize_t hex_parse(const char *s, uint8_t *buf, const char **what)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int d;

		if (*s == ' ' || *s == '\t' || *s == ':' || *s == '\r' ||
		    *s == '\n') {
			if (hi >= 0) {
				*what = "odd number of hex digits";
				return -EINVAL;
			}
			continue;
		}
		d = hex_digit(*s);
		if (d < 0) {
			*what = "not a hex digit";
			return -EINVAL;
		}
		if (hi < 0) {
			hi = d;
		} else {
			buf[n++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	if (hi >= 0) {
		*what = "odd number of hex digits";
		return -EINVAL;
	}
	return (ssize_t)n;
}

static enum jk_variant pick_variant(struct decoder *d, const uint8_t *frame)
{
	enum jk_variant v;

	if (d->forced != JK_VARIANT_AUTO)
		return d->forced;
	v = jk_variant_from_frame(frame, JK_FRAME_LEN);
	/* only jk02_32s has a logbook (protocols.md 1.11) */
	if (v == JK_VARIANT_AUTO && frame[4] == JK_FRAME_LOGBOOK)
		v = JK_VARIANT_JK02_32S;
	if (v != JK_VARIANT_AUTO) {
		d->known = v;
		return v;
	}
	return d->known != JK_VARIANT_AUTO ? d->known : JK_VARIANT_JK02_24S;
}

/* Copies every key of src (a new object) into dst, except the header's. */
static void merge(struct json_object *dst, struct json_object *src)
{
	json_object_object_foreach(src, key, val) {
		if (!strcmp(key, "frame") || !strcmp(key, "variant"))
			continue;
		json_object_object_add(dst, key, json_object_get(val));
	}
	json_object_put(src);
}

/* "count" as the BMS reports it, "entries" [{"time": s, "code": n}...] */
static void add_logbook(struct json_object *o, const struct jk_logbook *lb)
{
	struct json_object *a = json_object_new_array();
	unsigned i;

	for (i = 0; i < lb->n && i < JK_LOGBOOK_MAX; i++) {
		struct json_object *e = json_object_new_object();
		int64_t t = lb->entry[i].time;
		int code = lb->entry[i].code;

		json_object_object_add(e, "time", json_object_new_int64(t));
		json_object_object_add(e, "code", json_object_new_int(code));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "count", json_object_new_int64(lb->count));
	json_object_object_add(o, "entries", a);
}

/*
 * A device-info frame decodes with any variant, but the settings it holds
 * (protocol selects) exist only on some: decode once, learn the variant
 * from the software version, and decode again if it changed.
 */
static int decode_device_info(struct decoder *d, const uint8_t *frame,
			      enum jk_variant *v)
{
	const struct jk_decoded *dec = &d->dec;
	enum jk_variant sw;
	int r;

	r = jk_frame_decode(frame, JK_FRAME_LEN, *v, &d->dec);
	if (r < 0 || d->forced != JK_VARIANT_AUTO ||
	    !field_has(&dec->fields, FIELD_SOFTWARE_VERSION))
		return r;
	sw = jk_variant_from_software(dec->fields.text[FIELD_SOFTWARE_VERSION]);
	/* "major < 11" cannot tell jk02_24s from jk04: keep what frames said */
	if (sw == JK_VARIANT_AUTO ||
	    (sw == JK_VARIANT_JK02_24S && d->known == JK_VARIANT_JK04))
		return r;
	d->known = sw;
	if (sw == *v)
		return r;
	*v = sw;
	return jk_frame_decode(frame, JK_FRAME_LEN, sw, &d->dec);
}

static void emit(struct decoder *d, const uint8_t *frame)
{
	enum jk_frame_type type = (enum jk_frame_type)frame[4];
	enum jk_variant v = pick_variant(d, frame);
	struct json_object *o;
	const char *name;
	int r;

	if (type == JK_FRAME_DEVICE_INFO)
		r = decode_device_info(d, frame, &v);
	else
		r = jk_frame_decode(frame, JK_FRAME_LEN, v, &d->dec);
	name = jk_frame_type_name(d->dec.type);
	if (r < 0 || !name) {
		d->undecodable++;
		return;
	}
	d->decoded++;

	o = json_object_new_object();
	json_object_object_add(o, "frame", json_object_new_string(name));
	json_object_object_add(o, "variant",
			       json_object_new_string(jk_variant_name(v)));
	switch (d->dec.type) {
	case JK_FRAME_CELL_INFO:
		/* the model's derived values, as the daemon publishes them */
		d->live = d->dec.fields;
		field_set_num(&d->live, FIELD_VARIANT, v);
		state_derive(&d->live);
		merge(o, values_to_json(&d->live, F_LIVE));
		break;
	case JK_FRAME_DEVICE_INFO:
		merge(o, values_to_json(&d->dec.fields, F_INFO));
		merge(o, settings_to_json(&d->dec.settings));
		break;
	case JK_FRAME_SETTINGS:
		merge(o, settings_to_json(&d->dec.settings));
		break;
	case JK_FRAME_LOGBOOK:
		add_logbook(o, &d->dec.logbook);
		break;
	}
	fprintf(d->out, "%s\n", json_object_to_json_string_ext(o, JSON_FLAGS));
	json_object_put(o);
}

static void feed(struct decoder *d, const uint8_t *data, size_t len)
{
	const uint8_t *frame;

	d->notifications++;
	d->bytes += len;
	while (jk_reasm_next(&d->reasm, &data, &len, &frame) == 0)
		emit(d, frame);
}

/* One notification of hex text; 'where' names it in messages. */
static int feed_hex(struct decoder *d, const char *text, const char *where)
{
	uint8_t *buf = malloc(strlen(text) / 2 + 1);
	const char *what = NULL;
	ssize_t n;

	if (!buf) {
		fprintf(d->err, "jkbmsctl decode: out of memory\n");
		return -ENOMEM;
	}
	n = hex_parse(text, buf, &what);
	if (n < 0) {
		fprintf(d->err, "jkbmsctl decode: %s: %s\n", where, what);
		free(buf);
		return -EINVAL;
	}
	if (n > 0)
		feed(d, buf, (size_t)n);
	free(buf);
	return 0;
}

static int feed_stream(struct decoder *d, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	int r = 0;

	while (getline(&line, &cap, in) >= 0) {
		const char *s = line;
		char where[32];

		lineno++;
		s += strspn(s, " \t");
		if (*s == '#' || *s == '\n' || *s == '\r' || !*s)
			continue;
		snprintf(where, sizeof(where), "line %lu", lineno);
		r = feed_hex(d, s, where);
		if (r < 0)
			break;
	}
	free(line);
	return r;
}

static void print_stats(const struct decoder *d)
{
	const struct jk_reasm *r = &d->reasm;

	fprintf(d->err,
		"notifications: %" PRIu64 "\n"
		"bytes: %" PRIu64 "\n"
		"frames: %" PRIu64 "\n"
		"frames decoded: %" PRIu64 "\n"
		"frames undecodable: %" PRIu64 "\n"
		"frames bad (checksum or type): %" PRIu64 "\n"
		"acks: %" PRIu64 "\n"
		"bytes skipped: %" PRIu64 "\n"
		"bytes pending: %zu\n",
		d->notifications, d->bytes, r->frames_good, d->decoded,
		d->undecodable, r->frames_bad, r->acks, r->bytes_skipped,
		r->len);
}

int ctl_decode_run(int argc, char **argv, FILE *in, FILE *out, FILE *err)
{
	struct decoder *d;
	bool stats = false, options = true;
	int first_hex = 0, i, r = 0;

	d = calloc(1, sizeof(*d));
	if (!d) {
		fprintf(err, "jkbmsctl decode: out of memory\n");
		return EXIT_BAD_INPUT;
	}
	d->out = out;
	d->err = err;
	d->forced = JK_VARIANT_AUTO;
	d->known = JK_VARIANT_AUTO;
	jk_reasm_init(&d->reasm);

	/* options first, then hex; "--" ends the options */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *name = NULL;

		if (!options || a[0] != '-') {
			if (!first_hex)
				first_hex = i;
			continue;
		}
		if (first_hex) {
			fprintf(err, "jkbmsctl decode: option %s after hex\n",
				a);
			r = -EINVAL;
			goto out;
		}
		if (!strcmp(a, "--")) {
			options = false;
		} else if (!strcmp(a, "--stats")) {
			stats = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(out);
			goto out;
		} else if (!strcmp(a, "--variant")) {
			if (++i >= argc) {
				fprintf(err, "jkbmsctl decode: --variant "
					     "needs a value\n");
				r = -EINVAL;
				goto out;
			}
			name = argv[i];
		} else if (!strncmp(a, "--variant=", 10)) {
			name = a + 10;
		} else {
			fprintf(err, "jkbmsctl decode: unknown option %s\n", a);
			usage(err);
			r = -EINVAL;
			goto out;
		}
		if (name && (jk_variant_from_name(name, &d->forced) < 0 ||
			     (d->forced != JK_VARIANT_AUTO &&
			      d->forced > JK_VARIANT_JK04))) {
			fprintf(err, "jkbmsctl decode: unknown variant '%s' "
				     "(jk02_24s, jk02_32s, jk04, auto)\n",
				name);
			r = -EINVAL;
			goto out;
		}
	}

	if (first_hex) {
		for (i = first_hex; i < argc && r >= 0; i++) {
			char where[32];

			snprintf(where, sizeof(where), "argument %d",
				 i - first_hex + 1);
			r = feed_hex(d, argv[i], where);
		}
	} else {
		r = feed_stream(d, in);
	}
	if (stats)
		print_stats(d);
out:
	fflush(out);
	free(d);
	return r < 0 ? EXIT_BAD_INPUT : 0;
}
