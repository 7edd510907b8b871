/* trim_trace.c - traces without kernel addresses (trim_internal.h).
 *
 * A trace is decoded with the codec, all its parts joined, and encoded
 * again without the FUNC_ADDR and DROP_LOCATION attributes (the drop
 * location's symbol, DROP_LOCATION_SYM, stays): as EPB options of at most
 * an option's size, or as one Custom Block, as the tracer writes them.
 * Attributes the codec does not know are left out with them.  A trace
 * whose parts did not all come is flagged EVENTS_LOST.
 */
#include "tracer/trim/trim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A trace in Custom Blocks is one block, as ipft writes it. */
#define BLOCK_REC_MAX (UINT32_MAX / 4)

static int emit_option(const uint8_t *rec, size_t len, void *arg)
{
	struct trimmer *t = arg;

	return pcapng_opts_add_custom(&t->opts, PCAPNG_OPT_CUSTOM_BIN_COPY, IPFT_PEN, rec, len);
}

static int emit_block(const uint8_t *rec, size_t len, void *arg)
{
	struct trimmer *t = arg;

	if (pcapng_write_cb(t->w, IPFT_PEN, rec, len, true) < 0) {
		t->write_failed = true;
		return -1;
	}
	return 0;
}

/* tr encoded again, its events without kernel addresses. */
static int encode_without_addresses(struct trimmer *t, const struct ipft_trace *tr, bool block)
{
	struct ipft_event *ev = calloc(tr->n_events ? tr->n_events : 1, sizeof(*ev));
	struct ipft_trace out = *tr;
	int rc;

	if (!ev) {
		snprintf(t->err, sizeof(t->err), "out of memory");
		return -1;
	}
	for (size_t i = 0; i < tr->n_events; i++) {
		ev[i] = tr->events[i];
		ev[i].has &= ~(IPFT_HAS_FUNC_ADDR | IPFT_HAS_DROP_LOCATION);
	}
	out.events = ev;
	rc = ipft_trace_encode(&out, block ? BLOCK_REC_MAX : PCAPNG_OPT_MAX_LEN - 4,
			       block ? emit_block : emit_option, t);
	free(ev);
	if (rc && !t->write_failed)
		snprintf(t->err, sizeof(t->err), "packet 0x%016llx: its trace cannot be encoded again",
			 (unsigned long long)tr->packet_id);
	return rc ? -1 : 0;
}

/* The next part of a trace: decoded into *tr (a new trace when NULL).
 * r is the part's parsed header. */
static int take_part(struct trimmer *t, uint64_t offset, struct ipft_trace **tr,
		     const uint8_t *rec, size_t len)
{
	char err[256], what[300];
	int rc = *tr ? ipft_trace_decode_append(*tr, rec, len, err, sizeof(err)) :
		       ipft_trace_decode(rec, len, tr, err, sizeof(err));

	if (rc < 0) {
		snprintf(what, sizeof(what), "malformed ipft trace: %s", err);
		return trim_bad_input(t, offset, what);
	}
	return 0;
}

static int parse(struct trimmer *t, uint64_t offset, struct ipft_rec *r, const uint8_t *rec,
		 size_t len)
{
	char err[256], what[300];

	if (ipft_rec_parse(r, rec, len, err, sizeof(err)) < 0) {
		snprintf(what, sizeof(what), "malformed ipft record: %s", err);
		return trim_bad_input(t, offset, what);
	}
	return 0;
}

int trim_trace_options(struct trimmer *t, uint64_t offset, const uint8_t *const *recs,
		       const size_t *lens, size_t n)
{
	struct ipft_trace *tr = NULL;
	struct ipft_rec r;
	uint16_t parts = 0;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = parse(t, offset, &r, recs[i], lens[i]);
		if (rc == 0 && !(t->what & TRIM_ADDRESSES))
			rc = emit_option(recs[i], r.len, t);
		else if (rc == 0)
			rc = take_part(t, offset, &tr, recs[i], lens[i]);
		parts = r.parts;
	}
	if (rc == 0 && tr) {
		if (n < parts)
			tr->flags |= IPFT_TRACE_EVENTS_LOST;
		rc = encode_without_addresses(t, tr, false);
	}
	ipft_trace_free(tr);
	return rc;
}

int trim_flush_pending(struct trimmer *t)
{
	struct trim_pending *p = &t->pending;
	int rc;

	if (!p->t)
		return 0;
	if (p->got < p->parts)
		p->t->flags |= IPFT_TRACE_EVENTS_LOST;
	rc = encode_without_addresses(t, p->t, true);
	ipft_trace_free(p->t);
	memset(p, 0, sizeof(*p));
	return rc;
}

int trim_trace_block(struct trimmer *t, uint64_t offset, const uint8_t *rec, size_t len)
{
	struct trim_pending *p = &t->pending;
	struct ipft_rec r;

	if (parse(t, offset, &r, rec, len) < 0)
		return -1;
	if (!(t->what & TRIM_ADDRESSES))
		return emit_block(rec, r.len, t);
	/* Not the next part of the trace gathered so far: that one is over. */
	if (p->t && (r.packet_id != p->t->packet_id || r.parts != p->parts || r.part <= p->last) &&
	    trim_flush_pending(t) < 0)
		return -1;
	if (take_part(t, offset, &p->t, rec, len) < 0)
		return -1;
	p->parts = r.parts;
	p->last = r.part;
	p->got++;
	return r.part + 1 == r.parts ? trim_flush_pending(t) : 0;
}
