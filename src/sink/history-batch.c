/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The in-memory side of the history writer: samples, closed minutes and
 * events wait in bounded FIFOs until a flush commits them, and each BMS
 * accumulates its current minute (min, sum, max, last, OR) from the
 * samples, so the aggregate of a minute is exactly that of its raw rows.
 * When the database stays unwritable long enough to fill a FIFO, the
 * oldest entries go first and are counted.
 */
#include "config.h"

#include <string.h>

#include "jkbms/util.h"
#include "jkbms/write.h"

#include "sink/history-private.h"

void fifo_init(struct history_fifo *f, size_t size, size_t max)
{
	memset(f, 0, sizeof(*f));
	f->size = size;
	f->max = max ? max : 1;
}

void fifo_free(struct history_fifo *f)
{
	free(f->items);
	f->items = NULL;
	f->n = f->cap = f->head = 0;
}

void *fifo_at(struct history_fifo *f, size_t i)
{
	return (char *)f->items + ((f->head + i) % f->cap) * f->size;
}

static void fifo_grow(struct history_fifo *f)
{
	size_t cap = f->cap ? f->cap * 2 : 64, i;
	char *items;

	if (cap > f->max)
		cap = f->max;
	items = xmalloc(cap * f->size);
	for (i = 0; i < f->n; i++)
		memcpy(items + i * f->size, fifo_at(f, i), f->size);
	free(f->items);
	f->items = items;
	f->cap = cap;
	f->head = 0;
}

void *fifo_push(struct history_fifo *f, bool *ret_dropped)
{
	void *slot;

	*ret_dropped = false;
	if (f->n == f->cap && f->cap < f->max)
		fifo_grow(f);
	if (f->n == f->cap) {
		/* Full: the oldest entry makes room. */
		f->head = (f->head + 1) % f->cap;
		f->n--;
		*ret_dropped = true;
	}
	slot = fifo_at(f, f->n++);
	memset(slot, 0, f->size);
	return slot;
}

void fifo_clear(struct history_fifo *f)
{
	f->n = 0;
	f->head = 0;
	/* Give back what an outage made us hold. */
	if (f->cap > 256) {
		free(f->items);
		f->items = NULL;
		f->cap = 0;
	}
}

unsigned history_bms_index(struct history *h, const char *name)
{
	struct history_bms *b;
	size_t i;

	for (i = 0; i < h->nbms; i++)
		if (strcmp(h->bms[i].name, name) == 0)
			return (unsigned)i;
	h->bms = xrealloc(h->bms, (h->nbms + 1) * sizeof(*h->bms));
	b = &h->bms[h->nbms];
	memset(b, 0, sizeof(*b));
	b->name = xstrdup(name);
	b->minute.t_ms = -1;
	return (unsigned)h->nbms++;
}

static void close_minute(struct history *h, unsigned bms)
{
	struct history_bms *b = &h->bms[bms];
	struct history_closed *c;
	bool dropped;

	if (b->minute.t_ms < 0)
		return;
	c = fifo_push(&h->minutes, &dropped);
	if (dropped)
		h->stats.minutes_dropped++;
	c->m = b->minute;
	c->bms = bms;
	memset(&b->minute, 0, sizeof(b->minute));
	b->minute.t_ms = -1;
}

void history_minute_add(struct history *h, struct history_bms *b,
			const struct history_row *row)
{
	struct history_minute *m = &b->minute;
	int64_t t = row->t_ms - row->t_ms % MSEC_PER_MINUTE;
	size_t i;

	if (m->t_ms >= 0 && m->t_ms != t)
		close_minute(h, row->bms);
	if (m->t_ms < 0) {
		memset(m, 0, sizeof(*m));
		m->t_ms = t;
	}
	m->n++;
	for (i = 0; i < h->ncols; i++) {
		int64_t v = row->val[i];

		if (!(row->set & (UINT64_C(1) << i)))
			continue;
		if (!m->cnt[i] || v < m->min[i])
			m->min[i] = v;
		if (!m->cnt[i] || v > m->max[i])
			m->max[i] = v;
		if (history_column_agg(h->cols[i]) == HISTORY_AGG_OR)
			m->sum[i] |= v;
		else
			m->sum[i] += v;
		m->last[i] = v;
		m->cnt[i]++;
	}
	if (row->ncells) {
		/* A changed cell count starts the average again. */
		if (m->ncells != row->ncells) {
			memset(m->cells_sum, 0, sizeof(m->cells_sum));
			m->ncells_n = 0;
			m->ncells = row->ncells;
		}
		for (i = 0; i < row->ncells; i++)
			m->cells_sum[i] += row->cells[i];
		m->ncells_n++;
	}
}

void history_minutes_close(struct history *h, int64_t now_ms, bool all)
{
	size_t i;

	for (i = 0; i < h->nbms; i++) {
		struct history_minute *m = &h->bms[i].minute;

		if (m->t_ms >= 0 &&
		    (all || m->t_ms + MSEC_PER_MINUTE <= now_ms))
			close_minute(h, (unsigned)i);
	}
}

void history_add_sample(struct history *h, const char *bms,
			const struct field_values *v)
{
	unsigned idx = history_bms_index(h, bms);
	struct history_bms *b = &h->bms[idx];
	struct history_row *row;
	bool dropped;
	size_t i;

	row = fifo_push(&h->samples, &dropped);
	if (dropped)
		h->stats.samples_dropped++;
	h->stats.samples++;
	row->t_ms = (int64_t)(history_now(h) / USEC_PER_SEC) * 1000;
	row->bms = idx;
	for (i = 0; i < h->ncols; i++) {
		if (!field_has(v, h->cols[i]))
			continue;
		row->set |= UINT64_C(1) << i;
		row->val[i] = v->num[h->cols[i]];
	}
	if (field_has(v, FIELD_CELL_VOLTAGE)) {
		row->ncells =
			v->ncells > JK_CELLS_MAX ? JK_CELLS_MAX : v->ncells;
		for (i = 0; i < row->ncells; i++) {
			int32_t mv = v->cell_voltage[i];

			row->cells[i] = (uint16_t)(mv < 0       ? 0
						   : mv > 65535 ? 65535
								: mv);
		}
	}
	if (field_has(v, FIELD_ENERGY_CHARGED) &&
	    field_has(v, FIELD_ENERGY_DISCHARGED)) {
		b->energy[0] = v->num[FIELD_ENERGY_CHARGED];
		b->energy[1] = v->num[FIELD_ENERGY_DISCHARGED];
		b->have_energy = true;
		b->energy_dirty = true;
	}
	history_minute_add(h, b, row);
}

static struct history_event *push_event(struct history *h, const char *bms)
{
	struct history_event *e;
	bool dropped;

	e = fifo_push(&h->events, &dropped);
	if (dropped)
		h->stats.events_dropped++;
	e->t_ms = (int64_t)(history_now(h) / USEC_PER_MSEC);
	e->bms = bms ? (int)history_bms_index(h, bms) : -1;
	return e;
}

void history_add_event(struct history *h, const char *bms, const char *kind,
		       const char *name, const char *message)
{
	struct history_event *e = push_event(h, bms);

	snprintf(e->kind, sizeof(e->kind), "%s", kind);
	snprintf(e->name, sizeof(e->name), "%s", name ? name : "");
	snprintf(e->message, sizeof(e->message), "%s", message ? message : "");
}

void history_add_audit(struct history *h, const struct audit_record *rec,
		       const char *source, const char *outcome)
{
	struct history_event *e = push_event(h, rec->bms);

	if (rec->realtime_usec)
		e->t_ms = (int64_t)(rec->realtime_usec / USEC_PER_MSEC);
	e->audit = true;
	snprintf(e->kind, sizeof(e->kind), "%s", outcome ? outcome : "");
	snprintf(e->source, sizeof(e->source), "%s", source ? source : "");
	snprintf(e->origin, sizeof(e->origin), "%s",
		 rec->origin ? rec->origin : "");
	snprintf(e->key, sizeof(e->key), "%s", rec->key ? rec->key : "");
	snprintf(e->old_value, sizeof(e->old_value), "%s", rec->old_value);
	snprintf(e->new_value, sizeof(e->new_value), "%s", rec->new_value);
	snprintf(e->message, sizeof(e->message), "%s",
		 rec->message ? rec->message : "");
}
