/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One value of one key into struct conf, by the key's type: the only
 * place that knows how a type is parsed, range-checked, stored, described
 * in an "(allowed: ...)" and freed. A message never repeats a secret.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jkbms/util.h"

#include "conf/conf-private.h"
#include "conf/conf-value.h"

#define ALLOWED_NAMES "a-z, 0-9, _ and -, 1..32 characters"

static void *member(void *base, size_t offset)
{
	return (char *)base + offset;
}

/* Integers of the sizes the table uses: bool, int/unsigned, 64 bits. */
static void store_int(void *p, size_t size, int64_t v)
{
	switch (size) {
	case sizeof(bool): {
		bool b = v != 0;

		memcpy(p, &b, sizeof(b));
		break;
	}
	case sizeof(uint32_t): {
		uint32_t x = (uint32_t)v; /* int, unsigned or enum */

		memcpy(p, &x, sizeof(x));
		break;
	}
	case sizeof(int64_t):
		memcpy(p, &v, sizeof(v));
		break;
	default:
		abort(); /* a table entry with an unknown size */
	}
}

static void store_string(void *base, size_t offset, char *s)
{
	char **slot = member(base, offset);

	free(*slot);
	*slot = s;
}

static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static int check_string(const struct conf_key *k, const char *v, char *why,
			size_t size)
{
	size_t len = strlen(v);
	bool ok = true;

	if (!len) {
		snprintf(why, size, "empty value");
		return -EINVAL;
	}
	if (k->max && len > k->max) {
		snprintf(why, size, "\"%s\" is too long (%zu characters)", v,
			 len);
		return -ERANGE;
	}
	switch (k->check) {
	case CHECK_NONE:
	case CHECK_ASCII:
		break;
	case CHECK_WORD:
		ok = conf_word_valid(v);
		break;
	case CHECK_TOPIC:
		ok = conf_topic_valid(v);
		break;
	case CHECK_NAME:
		ok = conf_name_valid(v);
		break;
	case CHECK_ADAPTER: {
		uint64_t n;

		ok = !strncmp(v, "hci", 3) && conf_parse_u64(v + 3, &n) == 0 &&
		     n < 1024;
		break;
	}
	}
	if (!ok) {
		snprintf(why, size, "\"%s\" is not valid", v);
		return -EINVAL;
	}
	return 0;
}

/* max: longest path, 0 for no limit. */
static int check_path(uint64_t max, const char *v, char *why, size_t size)
{
	if (v[0] != '/') {
		snprintf(why, size, "\"%s\" is not an absolute path", v);
		return -EINVAL;
	}
	if (max && strlen(v) > max) {
		snprintf(why, size, "\"%s\" is too long (%zu characters)", v,
			 strlen(v));
		return -ERANGE;
	}
	return 0;
}

/* 'what' is "" for an inline secret, "its first line " for a file. */
static int check_secret(const struct conf_key *k, const char *v,
			const char *what, char *why, size_t size)
{
	size_t i, len = strlen(v);

	if (len < k->min || len > k->max) {
		snprintf(why, size, "%sis %zu characters long", what, len);
		return -ERANGE;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c < 0x20 || c == 0x7f ||
		    (k->check == CHECK_ASCII && c > 0x7e)) {
			snprintf(why, size,
				 "%shas a character that is not "
				 "allowed",
				 what);
			return -EINVAL;
		}
	}
	return 0;
}

static int set_secret_file(const struct conf_key *k, void *base, const char *v,
			   char *why, size_t size)
{
	char *secret;
	int r;

	r = check_path(0, v, why, size);
	if (r < 0)
		return r;
	r = conf_secret_read(v, &secret, why, size);
	if (r < 0)
		return r;
	r = check_secret(k, secret, "its first line ", why, size);
	if (r < 0) {
		size_t n = strlen(why);

		free_secret(secret);
		/* the file is fine, its contents are not: say what may be */
		snprintf(why + n, size - n,
			 " (allowed: %llu..%llu %scharacters)",
			 (unsigned long long)k->min, (unsigned long long)k->max,
			 k->check == CHECK_ASCII ? "printable ASCII " : "");
		return r == -ERANGE ? -EMSGSIZE : -EBADMSG;
	}
	store_string(base, k->offset, xstrdup(v));
	free_secret(*(char **)member(base, k->offset2));
	*(char **)member(base, k->offset2) = secret;
	return 0;
}

static int range_error(const struct conf_key *k, const char *v, char *why,
		       size_t size)
{
	snprintf(why, size, "%s is out of range", v);
	return -ERANGE;
}

static int set_number(const struct conf_key *k, void *base, const char *v,
		      char *why, size_t size)
{
	uint64_t n;
	int r;

	switch (k->type) {
	case CONF_UINT:
		r = conf_parse_u64(v, &n);
		if (r == -EINVAL)
			snprintf(why, size, "\"%s\" is not a number", v);
		break;
	case CONF_DURATION:
		r = conf_parse_duration(v, &n);
		if (r == -EINVAL)
			snprintf(why, size, "\"%s\" is not a duration", v);
		break;
	case CONF_DECIMAL:
	case CONF_REAL:
		r = conf_parse_decimal(v, k->scale, &n);
		if (r == -EINVAL)
			snprintf(why, size, "\"%s\" is not a number", v);
		break;
	case CONF_STRING:
	case CONF_PATH:
	case CONF_BOOL:
	case CONF_ENUM:
	case CONF_LIST:
	case CONF_MEMBERS:
	case CONF_SECRET:
	case CONF_SECRET_FILE:
	case CONF_ADDRESS:
	case CONF_VARIANT:
	default:
		abort();
	}
	if (r == -ERANGE || (r == 0 && (n < k->min || n > k->max)))
		return range_error(k, v, why, size);
	if (r < 0)
		return r;
	if (k->type == CONF_DURATION && n % k->scale) {
		snprintf(why, size, "%s is not a whole number of seconds", v);
		return -EINVAL;
	}
	if (k->type == CONF_REAL) {
		double d = (double)n / (double)k->scale;

		memcpy(member(base, k->offset), &d, sizeof(d));
	} else if (k->type == CONF_DURATION) {
		store_int(member(base, k->offset), k->size,
			  (int64_t)(n / k->scale));
	} else {
		store_int(member(base, k->offset), k->size, (int64_t)n);
	}
	return 0;
}

/*
 * Calls fn for each comma-separated item, trimmed; stops at its error.
 * An empty value has no items.
 */
static int for_each_item(const char *v, int (*fn)(const char *item, void *data),
			 void *data)
{
	char *copy = xstrdup(v), *s = copy, *item;
	int r = 0;

	if (!*s) {
		free(copy);
		return 0;
	}
	do {
		char *end;

		item = s;
		s = strchr(s, ',');
		if (s)
			*s++ = '\0';
		while (*item == ' ' || *item == '\t')
			item++;
		end = item + strlen(item);
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		r = fn(item, data);
	} while (s && r == 0);
	free(copy);
	return r;
}

struct list_state {
	const struct conf_key *key;
	char **items;
	size_t n;
	char *why;
	size_t size;
};

static int add_item(const char *item, void *data)
{
	struct list_state *st = data;
	size_t i;
	int value;

	if (!*item) {
		snprintf(st->why, st->size, "empty item in list");
		return -EINVAL;
	}
	if (st->key->names &&
	    conf_name_lookup(st->key->names, item, &value) < 0) {
		snprintf(st->why, st->size, "\"%s\" is not valid", item);
		return -EINVAL;
	}
	if (!st->key->names && !conf_name_valid(item)) {
		snprintf(st->why, st->size, "\"%s\" is not a valid name", item);
		return -EINVAL;
	}
	for (i = 0; i < st->n; i++) {
		if (!strcmp(st->items[i], item)) {
			snprintf(st->why, st->size, "\"%s\" is listed twice",
				 item);
			return -EINVAL;
		}
	}
	st->items = xrealloc(st->items, (st->n + 1) * sizeof(char *));
	st->items[st->n++] = xstrdup(item);
	return 0;
}

static void free_items(char **items, size_t n)
{
	while (n > 0)
		free(items[--n]);
	free(items);
}

static int set_list(const struct conf_key *k, void *base, const char *v,
		    char *why, size_t size)
{
	struct list_state st = { .key = k, .why = why, .size = size };
	char *joined;
	size_t i, len = 1;
	int r;

	r = for_each_item(v, add_item, &st);
	if (r == 0 && k->type == CONF_MEMBERS && st.n == 0) {
		snprintf(why, size, "no members");
		r = -EINVAL;
	}
	if (r < 0) {
		free_items(st.items, st.n);
		return r;
	}
	if (k->type == CONF_MEMBERS) {
		char ***slot = member(base, k->offset);
		size_t *count = member(base, k->offset2);

		free_items(*slot, *count);
		*slot = st.items;
		*count = st.n;
		return 0;
	}
	for (i = 0; i < st.n; i++)
		len += strlen(st.items[i]) + 1;
	joined = xcalloc(1, len);
	for (i = 0; i < st.n; i++) {
		if (i)
			strcat(joined, ",");
		strcat(joined, st.items[i]);
	}
	free_items(st.items, st.n);
	store_string(base, k->offset, joined);
	return 0;
}

static int set_address(const struct conf_key *k, void *base, const char *v,
		       enum conf_transport t, char *why, size_t size)
{
	char mac[CONF_MAC_LEN + 1];
	uint64_t n;
	int r;

	if (t == TRANSPORT_MODBUS) {
		r = conf_parse_u64(v, &n);
		if (r == -EINVAL) {
			snprintf(why, size, "\"%s\" is not a Modbus address",
				 v);
			return r;
		}
		if (r < 0 || n < 1 || n > 247)
			return range_error(k, v, why, size);
		store_string(base, k->offset, xasprintf("%u", (unsigned)n));
		return 0;
	}
	if (conf_parse_mac(v, mac) < 0) {
		snprintf(why, size, "\"%s\" is not a MAC address", v);
		return -EINVAL;
	}
	store_string(base, k->offset, xstrdup(mac));
	return 0;
}

static int set_variant(const struct conf_key *k, void *base, const char *v,
		       enum conf_transport t, char *why, size_t size)
{
	enum jk_variant variant;

	if (jk_variant_from_name(v, &variant) < 0) {
		snprintf(why, size, "\"%s\" is not a protocol variant", v);
		return -EINVAL;
	}
	if (!conf_variant_allowed(t, variant)) {
		snprintf(why, size, "\"%s\" is not valid for transport %s", v,
			 conf_transport_name(t));
		return -EINVAL;
	}
	store_int(member(base, k->offset), k->size, variant);
	return 0;
}

int conf_value_set(const struct conf_key *k, void *base, const char *value,
		   enum conf_transport t, char *why, size_t size)
{
	int v, r;
	bool b;

	if (!*value && k->type != CONF_LIST && k->type != CONF_MEMBERS) {
		snprintf(why, size, "empty value");
		return -EINVAL;
	}
	switch (k->type) {
	case CONF_STRING:
		r = check_string(k, value, why, size);
		if (r < 0)
			return r;
		store_string(base, k->offset, xstrdup(value));
		return 0;
	case CONF_PATH:
		r = check_path(k->max, value, why, size);
		if (r < 0)
			return r;
		store_string(base, k->offset, xstrdup(value));
		return 0;
	case CONF_BOOL:
		if (conf_parse_bool(value, &b) < 0) {
			snprintf(why, size, "\"%s\" is not a boolean", value);
			return -EINVAL;
		}
		store_int(member(base, k->offset), k->size, b);
		return 0;
	case CONF_UINT:
	case CONF_DURATION:
	case CONF_DECIMAL:
	case CONF_REAL:
		return set_number(k, base, value, why, size);
	case CONF_ENUM:
		if (conf_name_lookup(k->names, value, &v) < 0) {
			snprintf(why, size, "\"%s\" is not valid", value);
			return -EINVAL;
		}
		store_int(member(base, k->offset), k->size, v);
		return 0;
	case CONF_LIST:
	case CONF_MEMBERS:
		return set_list(k, base, value, why, size);
	case CONF_SECRET:
		r = check_secret(k, value, "", why, size);
		if (r < 0)
			return r;
		free_secret(*(char **)member(base, k->offset));
		*(char **)member(base, k->offset) = xstrdup(value);
		return 0;
	case CONF_SECRET_FILE:
		return set_secret_file(k, base, value, why, size);
	case CONF_ADDRESS:
		return set_address(k, base, value, t, why, size);
	case CONF_VARIANT:
		return set_variant(k, base, value, t, why, size);
	}
	abort();
}

static size_t append_names(char *buf, size_t size, size_t n,
			   const struct conf_name *names)
{
	for (; names->name && n < size; names++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
				      names->name);
	return n;
}

static void describe_string(const struct conf_key *k, char *buf, size_t size)
{
	const char *what = "text";
	size_t n;

	switch (k->check) {
	case CHECK_NONE:
	case CHECK_ASCII:
		break;
	case CHECK_WORD:
		what = "text without blanks";
		break;
	case CHECK_TOPIC:
		what = "MQTT topic levels separated by /, without blanks, + "
		       "and #";
		break;
	case CHECK_NAME:
		what = ALLOWED_NAMES;
		break;
	case CHECK_ADAPTER:
		what = "hci0, hci1, ...";
		break;
	}
	n = (size_t)snprintf(buf, size, "%s", what);
	if (k->max && k->check != CHECK_NAME && n < size)
		snprintf(buf + n, size - n, ", at most %llu characters",
			 (unsigned long long)k->max);
}

const char *conf_key_allowed(const struct conf_key *k, enum conf_transport t,
			     char *buf, size_t size)
{
	char a[CONF_NUMBER_MAX], b[CONF_NUMBER_MAX];
	size_t n;
	int v;

	buf[0] = '\0';
	switch (k->type) {
	case CONF_STRING:
		describe_string(k, buf, size);
		break;
	case CONF_PATH:
		snprintf(buf, size, "an absolute path");
		break;
	case CONF_BOOL:
		snprintf(buf, size, "yes, no, true, false, on, off, 1, 0");
		break;
	case CONF_UINT:
		snprintf(buf, size, "%llu..%llu", (unsigned long long)k->min,
			 (unsigned long long)k->max);
		break;
	case CONF_DURATION:
		snprintf(buf, size, "%s..%s%s, units ms, s, m, h, d",
			 conf_format_duration(k->min, a, sizeof(a)),
			 conf_format_duration(k->max, b, sizeof(b)),
			 k->scale == USEC_PER_SEC ? " in whole seconds" : "");
		break;
	case CONF_DECIMAL:
	case CONF_REAL:
		snprintf(buf, size, "%s..%s",
			 conf_format_decimal(k->min, k->scale, a, sizeof(a)),
			 conf_format_decimal(k->max, k->scale, b, sizeof(b)));
		break;
	case CONF_ENUM:
	case CONF_LIST:
		append_names(buf, size, 0, k->names);
		break;
	case CONF_MEMBERS:
		snprintf(buf, size, "names of [bms] sections, comma-separated");
		break;
	case CONF_SECRET:
		snprintf(buf, size, "%llu..%llu %scharacters",
			 (unsigned long long)k->min, (unsigned long long)k->max,
			 k->check == CHECK_ASCII ? "printable ASCII " : "");
		break;
	case CONF_SECRET_FILE:
		snprintf(buf, size, "an absolute path");
		break;
	case CONF_ADDRESS:
		if (t == TRANSPORT_MODBUS)
			snprintf(buf, size, "1..247");
		else
			snprintf(buf, size, "a MAC address: AA:BB:CC:DD:EE:FF");
		break;
	case CONF_VARIANT:
		n = (size_t)snprintf(buf, size, "auto");
		for (v = 0; v < JK_VARIANT__MAX && n < size; v++) {
			if (conf_variant_allowed(t, v))
				n += (size_t)snprintf(buf + n, size - n, ", %s",
						      jk_variant_name(v));
		}
		break;
	}
	return buf;
}

void conf_value_free(const struct conf_key *k, void *base)
{
	switch (k->type) {
	case CONF_STRING:
	case CONF_PATH:
	case CONF_LIST:
	case CONF_ADDRESS:
	case CONF_SECRET_FILE:
		store_string(base, k->offset, NULL);
		break;
	case CONF_SECRET:
		free_secret(*(char **)member(base, k->offset));
		*(char **)member(base, k->offset) = NULL;
		break;
	case CONF_MEMBERS: {
		char ***slot = member(base, k->offset);
		size_t *count = member(base, k->offset2);

		free_items(*slot, *count);
		*slot = NULL;
		*count = 0;
		break;
	}
	case CONF_BOOL:
	case CONF_UINT:
	case CONF_DURATION:
	case CONF_ENUM:
	case CONF_VARIANT:
	case CONF_DECIMAL:
	case CONF_REAL:
		break;
	}
}
