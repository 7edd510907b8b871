/* ipft_format.c - encoder and decoder of the ipft trace format.
 *
 * The layout is described in ipft_format.h and docs/format.md.  The decoder
 * checks every length and offset against the record before using it: it is
 * fed whatever a pcapng file carries, including by the Wireshark plugin.
 */
#include "codec/ipft_format.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAD4(n) (((size_t)(n) + 3) & ~(size_t)3)

static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- encoder ---------------------------------------------------------- */

static size_t str_len(const char *s)
{
	return s ? strlen(s) : 0;
}

static size_t kv_value_len(const struct ipft_kv *kv)
{
	switch (kv->type) {
	case IPFT_VT_U64:
	case IPFT_VT_S64:
	case IPFT_VT_HEX64:
		return 8;
	default:
		return kv->len;
	}
}

/* Encoded size of one event, or 0 if it cannot be encoded. */
static size_t event_size(const struct ipft_event *e)
{
	size_t n = IPFT_EVENT_HDR_LEN + PAD4(str_len(e->name));

	if (str_len(e->name) > UINT16_MAX)
		return 0;
	if (e->has & IPFT_HAS_DROP_REASON) {
		n += 4 + 4;
		if (e->drop_reason_name)
			n += 4 + PAD4(strlen(e->drop_reason_name));
	}
	if (e->has & IPFT_HAS_DROP_LOCATION) {
		n += 4 + 8;
		if (e->drop_location_sym)
			n += 4 + PAD4(strlen(e->drop_location_sym));
	}
	if (e->has & IPFT_HAS_RETVAL)
		n += 4 + 8;
	if (e->has & IPFT_HAS_DURATION)
		n += 4 + 8;
	if (e->has & IPFT_HAS_FUNC_ADDR)
		n += 4 + 8;
	for (size_t i = 0; i < e->n_kv; i++) {
		size_t klen = str_len(e->kv[i].key), vlen = kv_value_len(&e->kv[i]);
		if (klen > UINT8_MAX || 4 + klen + vlen > UINT16_MAX)
			return 0;
		n += 4 + PAD4(4 + klen + vlen);
	}
	return n <= UINT16_MAX - 3 ? n : 0;
}

struct out {
	uint8_t *p;
};

static void put(struct out *o, const void *v, size_t n)
{
	if (n)
		memcpy(o->p, v, n);
	o->p += n;
}

static void put_pad(struct out *o, size_t n)
{
	size_t pad = PAD4(n) - n;
	memset(o->p, 0, pad);
	o->p += pad;
}

static void put_u8(struct out *o, uint8_t v) { put(o, &v, 1); }
static void put_u16(struct out *o, uint16_t v) { put(o, &v, 2); }
static void put_u32(struct out *o, uint32_t v) { put(o, &v, 4); }
static void put_u64(struct out *o, uint64_t v) { put(o, &v, 8); }

static void put_attr(struct out *o, uint16_t type, const void *v, size_t len)
{
	put_u16(o, type);
	put_u16(o, (uint16_t)len);
	put(o, v, len);
	put_pad(o, len);
}

static void put_attr_str(struct out *o, uint16_t type, const char *s)
{
	put_attr(o, type, s, strlen(s));
}

static void put_kv(struct out *o, const struct ipft_kv *kv)
{
	size_t klen = str_len(kv->key), vlen = kv_value_len(kv);

	put_u16(o, IPFT_ATTR_KV);
	put_u16(o, (uint16_t)(4 + klen + vlen));
	put_u8(o, (uint8_t)klen);
	put_u8(o, kv->type);
	put_u16(o, 0);
	put(o, kv->key, klen);
	if (vlen == 8 && (kv->type == IPFT_VT_U64 || kv->type == IPFT_VT_S64 ||
			  kv->type == IPFT_VT_HEX64))
		put_u64(o, kv->u64);
	else
		put(o, kv->ptr, vlen);
	put_pad(o, 4 + klen + vlen);
}

static unsigned attr_count(const struct ipft_event *e)
{
	unsigned n = (unsigned)e->n_kv;

	if (e->has & IPFT_HAS_DROP_REASON)
		n += 1 + (e->drop_reason_name != NULL);
	if (e->has & IPFT_HAS_DROP_LOCATION)
		n += 1 + (e->drop_location_sym != NULL);
	n += !!(e->has & IPFT_HAS_RETVAL) + !!(e->has & IPFT_HAS_DURATION) +
	     !!(e->has & IPFT_HAS_FUNC_ADDR);
	return n;
}

static void put_event(struct out *o, const struct ipft_event *e, size_t size)
{
	size_t nlen = str_len(e->name);

	put_u16(o, (uint16_t)size);
	put_u8(o, e->kind);
	put_u8(o, e->flags);
	put_u16(o, e->depth);
	put_u16(o, (uint16_t)nlen);
	put_u32(o, e->cpu);
	put_u32(o, attr_count(e));
	put_u64(o, e->ts_ns);
	put(o, e->name, nlen);
	put_pad(o, nlen);
	if (e->has & IPFT_HAS_DROP_REASON) {
		put_attr(o, IPFT_ATTR_DROP_REASON, &e->drop_reason, 4);
		if (e->drop_reason_name)
			put_attr_str(o, IPFT_ATTR_DROP_REASON_NAME, e->drop_reason_name);
	}
	if (e->has & IPFT_HAS_DROP_LOCATION) {
		put_attr(o, IPFT_ATTR_DROP_LOCATION, &e->drop_location, 8);
		if (e->drop_location_sym)
			put_attr_str(o, IPFT_ATTR_DROP_LOCATION_SYM, e->drop_location_sym);
	}
	if (e->has & IPFT_HAS_RETVAL)
		put_attr(o, IPFT_ATTR_RETVAL, &e->retval, 8);
	if (e->has & IPFT_HAS_DURATION)
		put_attr(o, IPFT_ATTR_DURATION, &e->duration_ns, 8);
	if (e->has & IPFT_HAS_FUNC_ADDR)
		put_attr(o, IPFT_ATTR_FUNC_ADDR, &e->func_addr, 8);
	for (size_t i = 0; i < e->n_kv; i++)
		put_kv(o, &e->kv[i]);
}

static uint8_t host_byte_order(void)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return IPFT_BO_BIG;
#else
	return IPFT_BO_LITTLE;
#endif
}

static void put_header(struct out *o, uint16_t type, size_t len)
{
	put(o, IPFT_MAGIC, 4);
	put_u8(o, IPFT_FORMAT_VERSION);
	put_u8(o, host_byte_order());
	put_u16(o, type);
	put_u32(o, (uint32_t)len);
	put_u32(o, 0);
}

int ipft_trace_encode(const struct ipft_trace *t, size_t max_rec_len,
		      ipft_emit_fn emit, void *arg)
{
	size_t small[64], *sizes = small, first = 0, parts = 0;
	uint8_t *buf = NULL;
	int rc = 0;

	if (max_rec_len < IPFT_TRACE_HDR_LEN || max_rec_len > UINT32_MAX)
		return -1;
	/* Most traces have a few dozen events: no allocation for those. */
	if (t->n_events > sizeof(small) / sizeof(small[0]) &&
	    !(sizes = calloc(t->n_events, sizeof(*sizes))))
		return -1;
	/* First pass: sizes, how many parts the events need and the largest
	 * part (the buffer is sized for that, not for max_rec_len, which
	 * callers writing Custom Blocks set very high). */
	size_t used = IPFT_TRACE_HDR_LEN, largest = 0;
	for (size_t i = 0; i < t->n_events; i++) {
		sizes[i] = event_size(&t->events[i]);
		if (!sizes[i] || IPFT_TRACE_HDR_LEN + sizes[i] > max_rec_len) {
			rc = -1;
			goto out;
		}
		if (used + sizes[i] > max_rec_len) {
			parts++;
			largest = used > largest ? used : largest;
			used = IPFT_TRACE_HDR_LEN;
		}
		used += sizes[i];
	}
	parts++;
	largest = used > largest ? used : largest;
	if (parts > UINT16_MAX || !(buf = malloc(largest))) {
		rc = -1;
		goto out;
	}
	/* Second pass: one record per part. */
	for (size_t part = 0; part < parts; part++) {
		size_t len = IPFT_TRACE_HDR_LEN, n = 0;
		while (first + n < t->n_events && len + sizes[first + n] <= max_rec_len)
			len += sizes[first + n++];
		struct out o = { buf };
		put_header(&o, IPFT_REC_TRACE, len);
		put_u64(&o, t->packet_id);
		put_u32(&o, t->flags);
		put_u16(&o, (uint16_t)part);
		put_u16(&o, (uint16_t)parts);
		put_u32(&o, (uint32_t)n);
		put_u32(&o, 0);
		for (size_t i = 0; i < n; i++)
			put_event(&o, &t->events[first + i], sizes[first + i]);
		first += n;
		rc = emit(buf, len, arg);
		if (rc)
			break;
	}
out:
	if (sizes != small)
		free(sizes);
	free(buf);
	return rc;
}

int ipft_info_encode(enum ipft_rec_type type, const struct ipft_kv *kv, size_t n,
		     uint8_t **out, size_t *len)
{
	size_t size = IPFT_INFO_HDR_LEN;

	for (size_t i = 0; i < n; i++) {
		size_t klen = str_len(kv[i].key), vlen = kv_value_len(&kv[i]);
		if (klen > UINT8_MAX || 4 + klen + vlen > UINT16_MAX)
			return -1;
		size += 4 + PAD4(4 + klen + vlen);
	}
	if (size > UINT32_MAX || !(*out = malloc(size)))
		return -1;
	struct out o = { *out };
	put_header(&o, (uint16_t)type, size);
	put_u32(&o, (uint32_t)n);
	put_u32(&o, 0);
	for (size_t i = 0; i < n; i++)
		put_kv(&o, &kv[i]);
	*len = size;
	return 0;
}

/* ---- decoder ---------------------------------------------------------- */

uint16_t ipft_rec_u16(const struct ipft_rec *r, size_t off)
{
	const uint8_t *p = r->buf + off;
	return r->big_endian ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

uint32_t ipft_rec_u32(const struct ipft_rec *r, size_t off)
{
	uint32_t hi = ipft_rec_u16(r, off), lo = ipft_rec_u16(r, off + 2);
	return r->big_endian ? hi << 16 | lo : lo << 16 | hi;
}

uint64_t ipft_rec_u64(const struct ipft_rec *r, size_t off)
{
	uint64_t a = ipft_rec_u32(r, off), b = ipft_rec_u32(r, off + 4);
	return r->big_endian ? a << 32 | b : b << 32 | a;
}

int ipft_rec_parse(struct ipft_rec *r, const uint8_t *buf, size_t buf_len,
		   char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	if (buf_len < IPFT_REC_HDR_LEN) {
		errf(err, errlen, "record of %zu bytes is shorter than its %d-byte header",
		     buf_len, IPFT_REC_HDR_LEN);
		return -1;
	}
	if (memcmp(buf, IPFT_MAGIC, 4) != 0) {
		errf(err, errlen, "record does not start with the magic \"IPFT\"");
		return -1;
	}
	r->buf = buf;
	r->version = buf[4];
	if (r->version == 0 || r->version > IPFT_FORMAT_VERSION) {
		errf(err, errlen, "unsupported ipft format version %u", r->version);
		return -1;
	}
	if (buf[5] != IPFT_BO_LITTLE && buf[5] != IPFT_BO_BIG) {
		errf(err, errlen, "unknown byte order 0x%02x", buf[5]);
		return -1;
	}
	r->big_endian = buf[5] == IPFT_BO_BIG;
	r->len = buf_len; /* for the readers below until the real length is known */
	r->type = ipft_rec_u16(r, 6);
	uint32_t len = ipft_rec_u32(r, 8);
	if (len < IPFT_REC_HDR_LEN || len > buf_len) {
		errf(err, errlen, "record length %u does not fit the %zu bytes available",
		     len, buf_len);
		return -1;
	}
	r->len = len;
	r->body_off = IPFT_REC_HDR_LEN;
	switch (r->type) {
	case IPFT_REC_TRACE:
		if (len < IPFT_TRACE_HDR_LEN) {
			errf(err, errlen, "trace record of %u bytes is shorter than its header", len);
			return -1;
		}
		r->packet_id = ipft_rec_u64(r, 16);
		r->flags = ipft_rec_u32(r, 24);
		r->part = ipft_rec_u16(r, 28);
		r->parts = ipft_rec_u16(r, 30);
		r->n_events = ipft_rec_u32(r, 32);
		r->body_off = IPFT_TRACE_HDR_LEN;
		if (r->parts == 0 || r->part >= r->parts) {
			errf(err, errlen, "trace part %u of %u is impossible", r->part, r->parts);
			return -1;
		}
		if (r->n_events > (len - IPFT_TRACE_HDR_LEN) / IPFT_EVENT_HDR_LEN) {
			errf(err, errlen, "trace claims %u events but has room for fewer",
			     r->n_events);
			return -1;
		}
		break;
	case IPFT_REC_RUN_INFO:
	case IPFT_REC_STATS:
		if (len < IPFT_INFO_HDR_LEN) {
			errf(err, errlen, "info record of %u bytes is shorter than its header", len);
			return -1;
		}
		r->n_attrs = ipft_rec_u32(r, 16);
		r->body_off = IPFT_INFO_HDR_LEN;
		break;
	default:
		break; /* unknown types: the header is valid, the body is not ours to read */
	}
	return 0;
}

int ipft_rec_next_event(const struct ipft_rec *r, size_t *cursor,
			struct ipft_event_view *ev, char *err, size_t errlen)
{
	size_t off = *cursor ? *cursor : r->body_off;

	if (r->type != IPFT_REC_TRACE) {
		errf(err, errlen, "record type %u holds no events", r->type);
		return -1;
	}
	if (off >= r->len)
		return 0;
	if (r->len - off < IPFT_EVENT_HDR_LEN) {
		errf(err, errlen, "event at offset %zu is truncated", off);
		return -1;
	}
	memset(ev, 0, sizeof(*ev));
	ev->off = off;
	ev->len = ipft_rec_u16(r, off);
	if (ev->len < IPFT_EVENT_HDR_LEN || ev->len % 4 || ev->len > r->len - off) {
		errf(err, errlen, "event at offset %zu has a bad length %zu", off, ev->len);
		return -1;
	}
	ev->kind = r->buf[off + 2];
	ev->flags = r->buf[off + 3];
	ev->depth = ipft_rec_u16(r, off + 4);
	ev->name_len = ipft_rec_u16(r, off + 6);
	ev->cpu = ipft_rec_u32(r, off + 8);
	ev->n_attrs = ipft_rec_u32(r, off + 12);
	ev->ts_ns = ipft_rec_u64(r, off + 16);
	ev->name_off = off + IPFT_EVENT_HDR_LEN;
	if (PAD4(ev->name_len) > ev->len - IPFT_EVENT_HDR_LEN) {
		errf(err, errlen, "event at offset %zu: name of %u bytes overruns the event",
		     off, ev->name_len);
		return -1;
	}
	ev->name = (const char *)r->buf + ev->name_off;
	ev->attrs_off = ev->name_off + PAD4(ev->name_len);
	ev->attrs_end = off + ev->len;
	*cursor = off + ev->len;
	return 1;
}

int ipft_rec_next_attr(const struct ipft_rec *r, const struct ipft_event_view *ev,
		       size_t *cursor, struct ipft_attr_view *a, char *err, size_t errlen)
{
	size_t start = ev ? ev->attrs_off : r->body_off;
	size_t end = ev ? ev->attrs_end : r->len;
	size_t off = *cursor ? *cursor : start;

	if (off >= end)
		return 0;
	if (end - off < 4) {
		errf(err, errlen, "attribute at offset %zu is truncated", off);
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->off = off;
	a->type = ipft_rec_u16(r, off);
	a->len = ipft_rec_u16(r, off + 2);
	a->val_off = off + 4;
	if (PAD4(a->len) > end - off - 4) {
		errf(err, errlen, "attribute at offset %zu: value of %u bytes overruns its container",
		     off, a->len);
		return -1;
	}
	a->val = r->buf + a->val_off;
	if (a->type == IPFT_ATTR_KV) {
		if (a->len < 4 || a->val[0] > a->len - 4) {
			errf(err, errlen, "key/value attribute at offset %zu is malformed", off);
			return -1;
		}
		a->key_len = a->val[0];
		a->vtype = a->val[1];
		a->key_off = a->val_off + 4;
		a->key = (const char *)r->buf + a->key_off;
		a->kval_off = a->key_off + a->key_len;
		a->kval = r->buf + a->kval_off;
		a->kval_len = a->len - 4 - a->key_len;
	}
	*cursor = off + 4 + PAD4(a->len);
	return 1;
}

/* ---- full decoder ----------------------------------------------------- */

/* A decoded trace owns every string and array it points to. */
struct trace_owner {
	struct ipft_trace t;
	struct ipft_event *events;
	size_t cap;
	void **allocs;
	size_t n_allocs, cap_allocs;
	bool have_part;        /* a part was decoded: the checks below apply */
	uint16_t parts, last_part;
};

static void *own(struct trace_owner *o, void *p)
{
	if (!p)
		return NULL;
	if (o->n_allocs == o->cap_allocs) {
		size_t cap = o->cap_allocs ? 2 * o->cap_allocs : 32;
		void **a = realloc(o->allocs, cap * sizeof(*a));
		if (!a) {
			free(p);
			return NULL;
		}
		o->allocs = a;
		o->cap_allocs = cap;
	}
	o->allocs[o->n_allocs++] = p;
	return p;
}

static char *own_str(struct trace_owner *o, const void *s, size_t len)
{
	char *c = malloc(len + 1);
	if (c) {
		memcpy(c, s, len);
		c[len] = 0;
	}
	return own(o, c);
}

static int decode_attr(struct trace_owner *o, const struct ipft_rec *r,
		       const struct ipft_attr_view *a, struct ipft_event *e,
		       struct ipft_kv **kvs, size_t *kv_cap)
{
	switch (a->type) {
	case IPFT_ATTR_DROP_REASON:
		if (a->len < 4)
			return -1;
		e->has |= IPFT_HAS_DROP_REASON;
		e->drop_reason = ipft_rec_u32(r, a->val_off);
		return 0;
	case IPFT_ATTR_DROP_REASON_NAME:
		return (e->drop_reason_name = own_str(o, a->val, a->len)) ? 0 : -1;
	case IPFT_ATTR_DROP_LOCATION:
		if (a->len < 8)
			return -1;
		e->has |= IPFT_HAS_DROP_LOCATION;
		e->drop_location = ipft_rec_u64(r, a->val_off);
		return 0;
	case IPFT_ATTR_DROP_LOCATION_SYM:
		return (e->drop_location_sym = own_str(o, a->val, a->len)) ? 0 : -1;
	case IPFT_ATTR_RETVAL:
	case IPFT_ATTR_DURATION:
	case IPFT_ATTR_FUNC_ADDR:
		if (a->len < 8)
			return -1;
		uint64_t v = ipft_rec_u64(r, a->val_off);
		if (a->type == IPFT_ATTR_RETVAL) {
			e->has |= IPFT_HAS_RETVAL;
			e->retval = (int64_t)v;
		} else if (a->type == IPFT_ATTR_DURATION) {
			e->has |= IPFT_HAS_DURATION;
			e->duration_ns = v;
		} else {
			e->has |= IPFT_HAS_FUNC_ADDR;
			e->func_addr = v;
		}
		return 0;
	case IPFT_ATTR_KV:
		if (e->n_kv == *kv_cap) {
			size_t cap = *kv_cap ? 2 * *kv_cap : 4;
			struct ipft_kv *k = realloc(*kvs, cap * sizeof(*k));
			if (!k)
				return -1;
			*kvs = k;
			*kv_cap = cap;
		}
		struct ipft_kv *kv = &(*kvs)[e->n_kv];
		memset(kv, 0, sizeof(*kv));
		kv->type = a->vtype;
		if (!(kv->key = own_str(o, a->key, a->key_len)))
			return -1;
		if ((a->vtype == IPFT_VT_U64 || a->vtype == IPFT_VT_S64 ||
		     a->vtype == IPFT_VT_HEX64) && a->kval_len == 8) {
			kv->u64 = ipft_rec_u64(r, a->kval_off);
		} else {
			/* strings and bytes: NUL-terminated copy, len without the NUL */
			if (!(kv->ptr = own_str(o, a->kval, a->kval_len)))
				return -1;
			kv->len = a->kval_len;
		}
		e->n_kv++;
		return 0;
	default:
		return 0; /* unknown attributes are skipped */
	}
}

static int decode_into(struct trace_owner *o, const uint8_t *buf, size_t len,
		       char *err, size_t errlen)
{
	struct ipft_rec r;
	struct ipft_event_view ev;
	size_t cur = 0;
	uint32_t seen = 0;
	int rc;

	if (ipft_rec_parse(&r, buf, len, err, errlen) < 0)
		return -1;
	if (r.type != IPFT_REC_TRACE) {
		errf(err, errlen, "record type %u is not a trace", r.type);
		return -1;
	}
	if (o->have_part && r.packet_id != o->t.packet_id) {
		errf(err, errlen, "part of packet 0x%llx appended to packet 0x%llx",
		     (unsigned long long)r.packet_id, (unsigned long long)o->t.packet_id);
		return -1;
	}
	/* Parts come in order, as they are written: events stay in time order. */
	if (o->have_part && (r.parts != o->parts || r.part <= o->last_part)) {
		errf(err, errlen, "part %u of %u follows part %u of %u", r.part, r.parts,
		     o->last_part, o->parts);
		return -1;
	}
	o->have_part = true;
	o->parts = r.parts;
	o->last_part = r.part;
	o->t.packet_id = r.packet_id;
	o->t.flags |= r.flags;
	while ((rc = ipft_rec_next_event(&r, &cur, &ev, err, errlen)) == 1) {
		if (o->t.n_events == o->cap) {
			size_t cap = o->cap ? 2 * o->cap : 16;
			struct ipft_event *e = realloc(o->events, cap * sizeof(*e));
			if (!e)
				goto nomem;
			o->events = e;
			o->cap = cap;
			o->t.events = e;
		}
		struct ipft_event *e = &o->events[o->t.n_events];
		struct ipft_kv *kvs = NULL;
		size_t kv_cap = 0, acur = 0;
		struct ipft_attr_view a;

		memset(e, 0, sizeof(*e));
		e->ts_ns = ev.ts_ns;
		e->cpu = ev.cpu;
		e->kind = ev.kind;
		e->flags = ev.flags;
		e->depth = ev.depth;
		if (!(e->name = own_str(o, ev.name, ev.name_len)))
			goto nomem;
		uint32_t n_attrs = 0;
		while ((rc = ipft_rec_next_attr(&r, &ev, &acur, &a, err, errlen)) == 1) {
			n_attrs++;
			if (decode_attr(o, &r, &a, e, &kvs, &kv_cap) < 0) {
				free(kvs);
				errf(err, errlen, "attribute %u at offset %zu is malformed",
				     a.type, a.off);
				return -1;
			}
		}
		e->kv = own(o, kvs);
		if (rc < 0 || (kvs && !e->kv))
			return -1;
		if (n_attrs != ev.n_attrs) {
			errf(err, errlen, "event at offset %zu claims %u attributes but holds %u",
			     ev.off, ev.n_attrs, n_attrs);
			return -1;
		}
		o->t.n_events++;
		seen++;
	}
	if (rc < 0)
		return -1;
	if (seen != r.n_events) {
		errf(err, errlen, "trace claims %u events but holds %u", r.n_events, seen);
		return -1;
	}
	return 0;
nomem:
	errf(err, errlen, "out of memory");
	return -1;
}

int ipft_trace_decode(const uint8_t *buf, size_t len, struct ipft_trace **out,
		      char *err, size_t errlen)
{
	struct trace_owner *o = calloc(1, sizeof(*o));

	if (!o) {
		errf(err, errlen, "out of memory");
		return -1;
	}
	if (decode_into(o, buf, len, err, errlen) < 0) {
		ipft_trace_free(&o->t);
		return -1;
	}
	*out = &o->t;
	return 0;
}

int ipft_trace_decode_append(struct ipft_trace *t, const uint8_t *buf, size_t len,
			     char *err, size_t errlen)
{
	return decode_into((struct trace_owner *)t, buf, len, err, errlen);
}

void ipft_trace_free(struct ipft_trace *t)
{
	struct trace_owner *o = (struct trace_owner *)t;

	if (!o)
		return;
	for (size_t i = 0; i < o->n_allocs; i++)
		free(o->allocs[i]);
	free(o->allocs);
	free(o->events);
	free(o);
}

const char *ipft_kind_name(uint8_t kind)
{
	switch (kind) {
	case IPFT_KIND_FUNC_ENTRY: return "entry";
	case IPFT_KIND_FUNC_RETURN: return "return";
	case IPFT_KIND_TRACEPOINT: return "tracepoint";
	default: return "unknown";
	}
}

/* Appends n bytes of v to the growing string *s (len bytes used, cap
 * allocated); -1 when out of memory (*s is freed). */
static int path_append(char **s, size_t *len, size_t *cap, const char *v, size_t n)
{
	while (*len + n + 1 > *cap) {
		char *b = realloc(*s, *cap * 2);
		if (!b) {
			free(*s);
			*s = NULL;
			return -1;
		}
		*s = b;
		*cap *= 2;
	}
	memcpy(*s + *len, v, n);
	*len += n;
	(*s)[*len] = 0;
	return 0;
}

/* Built with memcpy, not snprintf: every written packet has one, and a
 * formatted print per event was a visible part of ipft's time. */
char *ipft_trace_path(const struct ipft_trace *t, size_t max_len)
{
	size_t cap = 256, len = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[0] = 0;
	for (size_t i = 0; i < t->n_events; i++) {
		const struct ipft_event *e = &t->events[i];
		const char *reason = (e->has & IPFT_HAS_DROP_REASON) ? e->drop_reason_name : NULL;

		if (e->kind == IPFT_KIND_FUNC_RETURN)
			continue; /* the path lists where the packet went, once per call */
		if ((len && path_append(&s, &len, &cap, " > ", 3) < 0) ||
		    path_append(&s, &len, &cap, e->name ? e->name : "", str_len(e->name)) < 0)
			return NULL;
		if (reason && (path_append(&s, &len, &cap, " (", 2) < 0 ||
			       path_append(&s, &len, &cap, reason, strlen(reason)) < 0 ||
			       path_append(&s, &len, &cap, ")", 1) < 0))
			return NULL;
	}
	/* max_len 0: no limit; otherwise cut and mark the cut with "...". */
	if (max_len && len > max_len) {
		if (max_len >= 3)
			memcpy(s + max_len - 3, "...", 4);
		else
			s[max_len] = 0;
	}
	return s;
}
