/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading the INI text with libinih as Debian builds it (r55): the handler
 * gets no line number, a line longer than the buffer would be split into
 * several, and a syntax error only shows up as one line number returned at
 * the end. So libinih reads through our reader (STYLE 3.7), which:
 * - counts lines, so that the handler knows where it is;
 * - rejects an over-long line or one with control characters as a whole;
 * - parses "[kind NAME]" headers itself (libinih would call us only for
 *   keys, so an empty or duplicate section would go unseen) and reports
 *   a bad header, a line without '=', or a "key: value" line;
 * - strips the indentation, so libinih never sees a continuation line.
 * A rejected line reaches libinih as an empty one. libinih is left to do
 * what it does well: split "key = value", trim, drop "; comments".
 */
#include "config.h"

#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/util.h"

#include "conf/conf-private.h"
#include "conf/conf-value.h"

#define ALLOWED_SECTIONS \
	"daemon, mqtt, history, rs485 NAME, bms NAME, bank NAME"
#define ALLOWED_NAMES "a-z, 0-9, _ and -, 1..32 characters"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * One physical line into p->buf, without its "\n"; false at the end. Only
 * the first LINE_KEEP bytes are kept: a longer line is an error anyway, and
 * its length is all the message needs. A file larger than FILE_MAX ends
 * early (p->too_big): conf_load() must end even on /dev/zero.
 */
#define LINE_KEEP (CONF_MAX_LINE + 64)
#define FILE_MAX  (1024 * 1024)

static bool next_line(struct conf_parse *p, size_t *ret_len)
{
	size_t n = 0;
	int c = 0, prev = 0;

	if (!p->buf)
		p->buf = xcalloc(1, LINE_KEEP + 1);
	for (;;) {
		if (p->f) {
			c = getc(p->f);
			if (c == EOF) {
				if (ferror(p->f))
					p->read_error = true;
				break;
			}
		} else {
			if (!p->left)
				break;
			c = (unsigned char)*p->text++;
			p->left--;
		}
		if (++p->size > FILE_MAX) {
			p->too_big = true;
			return false;
		}
		if (c == '\n')
			break;
		if (n < LINE_KEEP)
			p->buf[n] = (char)c;
		n++;
		prev = c;
	}
	if (n == 0 && c != '\n')
		return false;
	if (c == '\n' && prev == '\r')
		n--; /* CRLF */
	p->buf[n < LINE_KEEP ? n : LINE_KEEP] = '\0';
	*ret_len = n;
	return true;
}

static void add_section(struct conf_parse *p, enum conf_section_kind kind,
			const char *name)
{
	struct conf_raw_section *s;

	p->sections = xrealloc(p->sections,
			       (p->n_sections + 1) * sizeof(*p->sections));
	s = &p->sections[p->n_sections];
	*s = (struct conf_raw_section){
		.kind = kind,
		.name = xstrdup(name),
		.line = p->line,
		.values = xcalloc(conf_keys_count, sizeof(char *)),
		.lines = xcalloc(conf_keys_count, sizeof(unsigned)),
	};
	p->cur = (long)p->n_sections++;
}

/* "[kind NAME]" with the brackets stripped and trimmed: opens a section. */
static void open_section(struct conf_parse *p, char *text)
{
	enum conf_section_kind kind;
	char *name = text;
	size_t i;

	p->cur = SECTION_IGNORED;
	while (*name && !is_blank(*name))
		name++;
	if (*name) {
		*name++ = '\0';
		while (is_blank(*name))
			name++;
	}
	kind = conf_section_from_name(text);
	if (kind == SECTION__MAX) {
		conf_error(p, p->line,
			   "[%s%s%s]: unknown section (allowed: %s)", text,
			   *name ? " " : "", name, ALLOWED_SECTIONS);
		return;
	}
	if (conf_section_named(kind) && !*name) {
		conf_error(p, p->line,
			   "[%s]: missing name (allowed: [%s NAME])", text,
			   text);
		return;
	}
	if (!conf_section_named(kind) && *name) {
		conf_error(p, p->line,
			   "[%s %s]: unexpected name (allowed: [%s])", text,
			   name, text);
		return;
	}
	if (*name && !conf_name_valid(name)) {
		conf_error(p, p->line, "[%s %s]: invalid name (allowed: %s)",
			   text, name, ALLOWED_NAMES);
		return;
	}
	/* jkbms/bank/<bank>/... would clash with jkbms/<bms>/... */
	if (kind == SECTION_BMS && !strcmp(name, "bank")) {
		conf_error(p, p->line,
			   "[bms bank]: the name \"bank\" is reserved for the "
			   "MQTT topics of banks");
		return;
	}
	for (i = 0; i < p->n_sections; i++) {
		const struct conf_raw_section *s = &p->sections[i];

		if (s->kind == kind && (!s->name || !strcmp(s->name, name))) {
			conf_error(p, p->line,
				   "[%s%s%s]: duplicate section (first on "
				   "line %u)",
				   text, *name ? " " : "", name, s->line);
			return;
		}
	}
	add_section(p, kind, *name ? name : NULL);
}

/* Returns the trimmed contents of a section header, or NULL if bad. */
static char *header_text(struct conf_parse *p, char *line)
{
	char *end, *rest;

	/* libinih ends a header at "]" or at a " ;" comment */
	for (end = line + 1; *end && *end != ']'; end++) {
		if (*end == ';' && is_blank(end[-1]))
			break;
	}
	if (*end != ']') {
		conf_error(p, p->line,
			   "section header without \"]\" (allowed: [kind] or "
			   "[kind NAME])");
		return NULL;
	}
	*end = '\0';
	for (rest = end + 1; is_blank(*rest); rest++)
		;
	if (*rest && *rest != ';' && *rest != '#') {
		conf_error(p, p->line, "text after \"]\" (allowed: a comment)");
		return NULL;
	}
	line++;
	while (is_blank(*line))
		line++;
	for (end = line + strlen(line); end > line && is_blank(end[-1]);)
		*--end = '\0';
	return line;
}

/* Is this "key = value"? libinih splits at the first '=' or ':'. */
static bool key_line_ok(struct conf_parse *p, const char *line)
{
	const char *s;

	for (s = line; *s && *s != '=' && *s != ':'; s++) {
		if (*s == ';' && s > line && is_blank(s[-1]))
			break;
	}
	if (*s == '=' && s > line)
		return true;
	if (*s == '=')
		conf_error(p, p->line,
			   "missing key before \"=\" (allowed: "
			   "key = value)");
	else
		conf_error(p, p->line,
			   "expected \"key = value\" (allowed: "
			   "key = value, [section], # comment)");
	return false;
}

/*
 * A rejected line that looks like a section header still ends the section
 * before it: its keys must not land in the previous one.
 */
static const char *reject(struct conf_parse *p, const char *line)
{
	while (is_blank(*line))
		line++;
	if (*line == '[')
		p->cur = SECTION_IGNORED;
	return "";
}

/* Takes the line in p->buf apart; returns what libinih may see of it. */
static const char *check_line(struct conf_parse *p, size_t len, int max)
{
	char *line = p->buf, *end;
	size_t i;

	if (p->line == 1 && len >= 3 && !memcmp(line, "\xef\xbb\xbf", 3)) {
		line += 3; /* UTF-8 byte order mark */
		len -= 3;
	}
	if (len > (size_t)max) {
		conf_error(p, p->line,
			   "line too long (%zu characters, allowed: at most "
			   "%d)",
			   len, max);
		return reject(p, line);
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			conf_error(p, p->line,
				   "control character 0x%02x (allowed: "
				   "printable text and tabs)",
				   c);
			return reject(p, line);
		}
	}
	while (is_blank(*line))
		line++;
	for (end = line + strlen(line); end > line && is_blank(end[-1]);)
		*--end = '\0';
	if (!*line || *line == '#' || *line == ';')
		return "";
	if (*line == '[') {
		char *text = header_text(p, line);

		if (!text) {
			p->cur = SECTION_IGNORED;
			return "";
		}
		open_section(p, text);
		/* libinih keeps the section name to itself; we do not use it */
		return "[]";
	}
	if (!key_line_ok(p, line))
		return "";
	return line;
}

static char *reader(char *str, int num, void *stream)
{
	struct conf_parse *p = stream;
	const char *line;
	size_t len;

	if (!next_line(p, &len))
		return NULL;
	p->line++;
	/* room for "\n" and "\0", and libinih's "\r" rule: num - 3 */
	line = check_line(p, len,
			  num - 3 < CONF_MAX_LINE ? num - 3 : CONF_MAX_LINE);
	snprintf(str, (size_t)num, "%s\n", line);
	return str;
}

static void unknown_key(struct conf_parse *p, const struct conf_raw_section *s,
			const char *key)
{
	char allowed[1024] = "";
	size_t i, n = 0;

	for (i = 0; i < conf_keys_count && n < sizeof(allowed); i++) {
		if (conf_keys[i].section != s->kind)
			continue;
		n += (size_t)snprintf(allowed + n, sizeof(allowed) - n, "%s%s",
				      n ? ", " : "", conf_keys[i].key);
	}
	conf_error_at(p, p->line, s, key, "unknown key (allowed: %s)", allowed);
}

static int handler(void *user, const char *section, const char *key,
		   const char *value)
{
	struct conf_parse *p = user;
	struct conf_raw_section *s;
	int i;

	if (p->cur == SECTION_IGNORED)
		return 1;
	if (p->cur == SECTION_NONE) {
		conf_error(p, p->line,
			   "%s: key outside any section (allowed: after a "
			   "[section] line)",
			   key);
		return 1;
	}
	s = &p->sections[p->cur];
	i = conf_key_find(s->kind, key);
	if (i < 0) {
		unknown_key(p, s, key);
		return 1;
	}
	if (s->values[i]) {
		conf_error_at(p, p->line, s, key,
			      "duplicate key (first on line %u)", s->lines[i]);
		return 1;
	}
	s->values[i] = xstrdup(value);
	s->lines[i] = p->line;
	return 1;
}

void conf_read(struct conf_parse *p)
{
	int r;

	p->cur = SECTION_NONE;
	r = ini_parse_stream(reader, p, handler, p);
	if (r > 0) {
		size_t i;

		/* Only a line we let through unchecked can get here. */
		for (i = 0; i < p->n_errors; i++) {
			if (p->errors[i].line == (unsigned)r)
				return;
		}
		conf_error(p, (unsigned)r, "syntax error");
	} else if (r < 0) {
		conf_error(p, 0, "cannot parse (libinih error %d)", r);
	}
	if (p->read_error)
		conf_error(p, 0, "read error");
	if (p->too_big)
		conf_error(p, p->line + 1,
			   "file too large (allowed: at most %d bytes)",
			   FILE_MAX);
}
