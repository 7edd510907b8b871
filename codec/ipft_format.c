/* ipft_format.c - encoder and decoder of the ipft trace format.
 *
 * The layout is described in ipft_format.h and docs/format.md.  The decoder
 * checks every length and offset against the record before using it: it is
 * fed whatever a pcapng file carries, including by the Wireshark plugin.
 */
#include "codec/ipft_format.h"
#include "codec/ipft_packed.h"

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

/* Bytes of an attribute whose value has len bytes. */
static size_t attr_size(size_t len)
{
	return IPFT_ATTR_HDR_LEN + PAD4(len);
}

/* Length of a KV attribute's value: its header, the key, the value. */
static size_t kv_len(const struct ipft_kv *kv)
{
	return IPFT_KV_HDR_LEN + str_len(kv->key) + kv_value_len(kv);
}

/* The attribute of e's key/values from kv[i] on: IPFT_ATTR_PACKED for a
 * run of keys packed together (*n of them, their bits in bits if not
 * NULL), IPFT_ATTR_KV for kv[i] alone; *len is its value's length.  0 when
 * it cannot be encoded. */
static uint16_t kv_attr(const struct ipft_event *e, size_t i, unsigned opts, size_t *n,
			size_t *len, uint8_t *bits)
{
	if (!(opts & IPFT_ENC_KV_ONLY) &&
	    (*n = ipft_packed_run(e->kv + i, e->n_kv - i, len, bits)))
		return IPFT_ATTR_PACKED;
	*n = 1;
	*len = kv_len(&e->kv[i]);
	return str_len(e->kv[i].key) <= UINT8_MAX && *len <= UINT16_MAX ? IPFT_ATTR_KV : 0;
}

/* A key/value written as a KV attribute of its own, in the bits the
 * first pass leaves for the second (plan_parts). */
#define NOT_PACKED 0xff

/* Encoded size of one event, or 0 if it cannot be encoded; each
 * key/value's packed bit in bits[0..e->n_kv), or NOT_PACKED, so that
 * writing it finds its runs without looking the keys up again. */
static size_t event_size(const struct ipft_event *e, unsigned opts, uint8_t *bits)
{
	size_t n = IPFT_EVENT_HDR_LEN + PAD4(str_len(e->name));

	if (str_len(e->name) > UINT16_MAX)
		return 0;
	if (e->has & IPFT_HAS_DROP_REASON) {
		n += attr_size(sizeof(e->drop_reason));
		if (e->drop_reason_name)
			n += attr_size(strlen(e->drop_reason_name));
	}
	if (e->has & IPFT_HAS_DROP_LOCATION)
		n += attr_size(sizeof(e->drop_location));
	if (e->drop_location_sym)
		n += attr_size(strlen(e->drop_location_sym));
	if (e->has & IPFT_HAS_RETVAL)
		n += attr_size(sizeof(e->retval));
	if (e->has & IPFT_HAS_DURATION)
		n += attr_size(sizeof(e->duration_ns));
	if (e->has & IPFT_HAS_FUNC_ADDR)
		n += attr_size(sizeof(e->func_addr));
	for (size_t i = 0, k, len; i < e->n_kv; i += k) {
		uint16_t type = kv_attr(e, i, opts, &k, &len, bits + i);
		if (!type)
			return 0;
		if (type == IPFT_ATTR_KV)
			bits[i] = NOT_PACKED;
		n += attr_size(len);
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

static void put_attr(struct out *o, uint16_t type, const void *v, size_t len)
{
	struct ipft_wire_attr h = { .type = type, .len = (uint16_t)len };

	put(o, &h, sizeof(h));
	put(o, v, len);
	put_pad(o, len);
}

static void put_attr_str(struct out *o, uint16_t type, const char *s)
{
	put_attr(o, type, s, strlen(s));
}

static void put_kv(struct out *o, const struct ipft_kv *kv)
{
	size_t klen = str_len(kv->key), vlen = kv_value_len(kv), len = kv_len(kv);
	struct ipft_wire_attr a = { .type = IPFT_ATTR_KV, .len = (uint16_t)len };
	struct ipft_wire_kv h = { .key_len = (uint8_t)klen, .vtype = kv->type, .flags = kv->flags };

	put(o, &a, sizeof(a));
	put(o, &h, sizeof(h));
	put(o, kv->key, klen);
	if (vlen == 8 && (kv->type == IPFT_VT_U64 || kv->type == IPFT_VT_S64 ||
			  kv->type == IPFT_VT_HEX64))
		put(o, &kv->u64, sizeof(kv->u64));
	else
		put(o, kv->ptr, vlen);
	put_pad(o, len);
}

/* The attributes other than key/values (put_kvs counts those). */
static unsigned attr_count(const struct ipft_event *e)
{
	unsigned n = 0;

	if (e->has & IPFT_HAS_DROP_REASON)
		n += 1 + (e->drop_reason_name != NULL);
	n += !!(e->has & IPFT_HAS_DROP_LOCATION) + (e->drop_location_sym != NULL);
	n += !!(e->has & IPFT_HAS_RETVAL) + !!(e->has & IPFT_HAS_DURATION) +
	     !!(e->has & IPFT_HAS_FUNC_ADDR);
	return n;
}

/* e's key/values, as packed attributes and KV attributes, by the bits
 * event_size() left: a packed run is keys whose bits rise, as
 * ipft_packed_run() cut them.  How many attributes. */
static unsigned put_kvs(struct out *o, const struct ipft_event *e, const uint8_t *bits)
{
	unsigned n_attrs = 0;

	for (size_t i = 0, k; i < e->n_kv; i += k, n_attrs++) {
		k = 1;
		if (bits[i] == NOT_PACKED) {
			put_kv(o, &e->kv[i]);
			continue;
		}
		while (i + k < e->n_kv && bits[i + k] != NOT_PACKED && bits[i + k] > bits[i + k - 1])
			k++;
		size_t len = ipft_packed_len(e->kv + i, bits + i, k);
		struct ipft_wire_attr h = { .type = IPFT_ATTR_PACKED, .len = (uint16_t)len };
		put(o, &h, sizeof(h));
		ipft_packed_put(o->p, e->kv + i, bits + i, k);
		o->p += len;
		put_pad(o, len);
	}
	return n_attrs;
}

static void put_event(struct out *o, const struct ipft_event *e, size_t size,
		      const uint8_t *bits)
{
	size_t nlen = str_len(e->name);
	struct ipft_wire_event h = {
		.len = (uint16_t)size, .kind = e->kind, .flags = e->flags, .depth = e->depth,
		.name_len = (uint16_t)nlen, .cpu = e->cpu, .n_attrs = attr_count(e),
		.ts_ns = e->ts_ns,
	};
	uint8_t *start = o->p;

	put(o, &h, sizeof(h));
	put(o, e->name, nlen);
	put_pad(o, nlen);
	if (e->has & IPFT_HAS_DROP_REASON) {
		put_attr(o, IPFT_ATTR_DROP_REASON, &e->drop_reason, sizeof(e->drop_reason));
		if (e->drop_reason_name)
			put_attr_str(o, IPFT_ATTR_DROP_REASON_NAME, e->drop_reason_name);
	}
	if (e->has & IPFT_HAS_DROP_LOCATION)
		put_attr(o, IPFT_ATTR_DROP_LOCATION, &e->drop_location, sizeof(e->drop_location));
	if (e->drop_location_sym)
		put_attr_str(o, IPFT_ATTR_DROP_LOCATION_SYM, e->drop_location_sym);
	if (e->has & IPFT_HAS_RETVAL)
		put_attr(o, IPFT_ATTR_RETVAL, &e->retval, sizeof(e->retval));
	if (e->has & IPFT_HAS_DURATION)
		put_attr(o, IPFT_ATTR_DURATION, &e->duration_ns, sizeof(e->duration_ns));
	if (e->has & IPFT_HAS_FUNC_ADDR)
		put_attr(o, IPFT_ATTR_FUNC_ADDR, &e->func_addr, sizeof(e->func_addr));
	/* The key/values' attributes are counted as they are written. */
	h.n_attrs += put_kvs(o, e, bits);
	memcpy(start + IPFT_OFF(event, n_attrs), &h.n_attrs, sizeof(h.n_attrs));
}

static uint8_t host_byte_order(void)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return IPFT_BO_BIG;
#else
	return IPFT_BO_LITTLE;
#endif
}

static struct ipft_wire_rec rec_header(uint16_t type, size_t len)
{
	struct ipft_wire_rec h = {
		.version = IPFT_FORMAT_VERSION, .byte_order = host_byte_order(), .type = type,
		.len = (uint32_t)len,
	};

	memcpy(h.magic, IPFT_MAGIC, sizeof(h.magic));
	return h;
}

/* First pass of the encoder: each event's size, its key/values' packed
 * bits (from bits on, event after event), how many parts the events
 * need and the largest part (the buffer is sized for that, not for
 * max_rec_len, which callers writing Custom Blocks set very high). */
static int plan_parts(const struct ipft_trace *t, size_t max_rec_len, unsigned opts,
		      size_t *sizes, uint8_t *bits, size_t *parts, size_t *largest)
{
	size_t used = IPFT_TRACE_HDR_LEN;

	*parts = 0;
	*largest = 0;
	for (size_t i = 0; i < t->n_events; bits += t->events[i++].n_kv) {
		sizes[i] = event_size(&t->events[i], opts, bits);
		if (!sizes[i] || IPFT_TRACE_HDR_LEN + sizes[i] > max_rec_len)
			return -1;
		if (used + sizes[i] > max_rec_len) {
			++*parts;
			*largest = used > *largest ? used : *largest;
			used = IPFT_TRACE_HDR_LEN;
		}
		used += sizes[i];
	}
	++*parts;
	*largest = used > *largest ? used : *largest;
	return *parts > UINT16_MAX ? -1 : 0;
}

int ipft_trace_encode(const struct ipft_trace *t, size_t max_rec_len,
		      ipft_emit_fn emit, void *arg)
{
	return ipft_trace_encode_opts(t, max_rec_len, 0, emit, arg);
}

int ipft_trace_encode_opts(const struct ipft_trace *t, size_t max_rec_len, unsigned opts,
			   ipft_emit_fn emit, void *arg)
{
	size_t small[64], *sizes = small, first = 0, parts, largest, n_kv = 0;
	uint8_t small_bits[512], *bits = small_bits, *ev_bits;
	uint8_t *buf = NULL;
	int rc = -1;

	if (max_rec_len < IPFT_TRACE_HDR_LEN || max_rec_len > UINT32_MAX)
		return -1;
	for (size_t i = 0; i < t->n_events; i++)
		n_kv += t->events[i].n_kv;
	/* Most traces have a few dozen events: no allocation for those. */
	if ((t->n_events > sizeof(small) / sizeof(small[0]) &&
	     !(sizes = calloc(t->n_events, sizeof(*sizes)))) ||
	    (n_kv > sizeof(small_bits) && !(bits = malloc(n_kv))))
		goto out;
	if (plan_parts(t, max_rec_len, opts, sizes, bits, &parts, &largest) < 0 ||
	    !(buf = malloc(largest)))
		goto out;
	ev_bits = bits;
	/* Second pass: one record per part. */
	for (size_t part = 0; part < parts; part++) {
		size_t len = IPFT_TRACE_HDR_LEN, n = 0;
		while (first + n < t->n_events && len + sizes[first + n] <= max_rec_len)
			len += sizes[first + n++];
		struct ipft_wire_trace h = {
			.rec = rec_header(IPFT_REC_TRACE, len), .packet_id = t->packet_id,
			.flags = t->flags, .part = (uint16_t)part, .parts = (uint16_t)parts,
			.n_events = (uint32_t)n,
		};
		struct out o = { buf };
		put(&o, &h, sizeof(h));
		for (size_t i = 0; i < n; ev_bits += t->events[first + i++].n_kv)
			put_event(&o, &t->events[first + i], sizes[first + i], ev_bits);
		first += n;
		rc = emit(buf, len, arg);
		if (rc)
			break;
	}
out:
	if (sizes != small)
		free(sizes);
	if (bits != small_bits)
		free(bits);
	free(buf);
	return rc;
}

int ipft_info_encode(enum ipft_rec_type type, const struct ipft_kv *kv, size_t n,
		     uint8_t **out, size_t *len)
{
	size_t size = IPFT_INFO_HDR_LEN;

	for (size_t i = 0; i < n; i++) {
		if (str_len(kv[i].key) > UINT8_MAX || kv_len(&kv[i]) > UINT16_MAX)
			return -1;
		size += attr_size(kv_len(&kv[i]));
	}
	if (size > UINT32_MAX || n > UINT32_MAX || !(*out = malloc(size)))
		return -1;
	struct ipft_wire_info h = { .rec = rec_header((uint16_t)type, size), .n_attrs = (uint32_t)n };
	struct out o = { *out };
	put(&o, &h, sizeof(h));
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

bool ipft_rec_is_ipft(const uint8_t *buf, size_t len)
{
	return len >= IPFT_SIZE(rec, magic) &&
	       memcmp(buf + IPFT_OFF(rec, magic), IPFT_MAGIC, IPFT_SIZE(rec, magic)) == 0;
}

/* The TRACE header's fields, once the record header is known. */
static int parse_trace_header(struct ipft_rec *r, char *err, size_t errlen)
{
	if (r->len < IPFT_TRACE_HDR_LEN) {
		errf(err, errlen, "trace record of %zu bytes is shorter than its header", r->len);
		return -1;
	}
	r->packet_id = ipft_rec_u64(r, IPFT_OFF(trace, packet_id));
	r->flags = ipft_rec_u32(r, IPFT_OFF(trace, flags));
	r->part = ipft_rec_u16(r, IPFT_OFF(trace, part));
	r->parts = ipft_rec_u16(r, IPFT_OFF(trace, parts));
	r->n_events = ipft_rec_u32(r, IPFT_OFF(trace, n_events));
	r->body_off = IPFT_TRACE_HDR_LEN;
	if (r->parts == 0 || r->part >= r->parts) {
		errf(err, errlen, "trace part %u of %u is impossible", r->part, r->parts);
		return -1;
	}
	if (r->n_events > (r->len - IPFT_TRACE_HDR_LEN) / IPFT_EVENT_HDR_LEN) {
		errf(err, errlen, "trace claims %u events but has room for fewer", r->n_events);
		return -1;
	}
	return 0;
}

static int parse_info_header(struct ipft_rec *r, char *err, size_t errlen)
{
	if (r->len < IPFT_INFO_HDR_LEN) {
		errf(err, errlen, "info record of %zu bytes is shorter than its header", r->len);
		return -1;
	}
	r->n_attrs = ipft_rec_u32(r, IPFT_OFF(info, n_attrs));
	r->body_off = IPFT_INFO_HDR_LEN;
	return 0;
}

int ipft_rec_parse(struct ipft_rec *r, const uint8_t *buf, size_t buf_len,
		   char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	if (!ipft_rec_is_ipft(buf, buf_len)) {
		errf(err, errlen, "not an ipft record: it does not start with the magic \"IPFT\"");
		return -1;
	}
	if (buf_len < IPFT_REC_HDR_LEN) {
		errf(err, errlen, "record of %zu bytes is shorter than its %zu-byte header",
		     buf_len, IPFT_REC_HDR_LEN);
		return -1;
	}
	r->buf = buf;
	r->version = buf[IPFT_OFF(rec, version)];
	if (r->version == 0 || r->version > IPFT_FORMAT_VERSION) {
		errf(err, errlen, "unsupported ipft format version %u", r->version);
		return -1;
	}
	uint8_t byte_order = buf[IPFT_OFF(rec, byte_order)];
	if (byte_order != IPFT_BO_LITTLE && byte_order != IPFT_BO_BIG) {
		errf(err, errlen, "unknown byte order 0x%02x", byte_order);
		return -1;
	}
	r->big_endian = byte_order == IPFT_BO_BIG;
	r->type = ipft_rec_u16(r, IPFT_OFF(rec, type));
	uint32_t len = ipft_rec_u32(r, IPFT_OFF(rec, len));
	if (len < IPFT_REC_HDR_LEN || len > buf_len) {
		errf(err, errlen, "record length %u does not fit the %zu bytes available",
		     len, buf_len);
		return -1;
	}
	r->len = len;
	r->body_off = IPFT_REC_HDR_LEN;
	switch (r->type) {
	case IPFT_REC_TRACE:
		return parse_trace_header(r, err, errlen);
	case IPFT_REC_RUN_INFO:
	case IPFT_REC_STATS:
		return parse_info_header(r, err, errlen);
	default:
		return 0; /* unknown types: the header is valid, the body is not ours to read */
	}
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
	ev->len = ipft_rec_u16(r, off + IPFT_OFF(event, len));
	if (ev->len < IPFT_EVENT_HDR_LEN || ev->len % 4 || ev->len > r->len - off) {
		errf(err, errlen, "event at offset %zu has a bad length %zu", off, ev->len);
		return -1;
	}
	ev->kind = r->buf[off + IPFT_OFF(event, kind)];
	ev->flags = r->buf[off + IPFT_OFF(event, flags)];
	ev->depth = ipft_rec_u16(r, off + IPFT_OFF(event, depth));
	ev->name_len = ipft_rec_u16(r, off + IPFT_OFF(event, name_len));
	ev->cpu = ipft_rec_u32(r, off + IPFT_OFF(event, cpu));
	ev->n_attrs = ipft_rec_u32(r, off + IPFT_OFF(event, n_attrs));
	ev->ts_ns = ipft_rec_u64(r, off + IPFT_OFF(event, ts_ns));
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

/* The key and value of a KV attribute whose value a points at. */
static int parse_kv(const struct ipft_rec *r, struct ipft_attr_view *a, char *err, size_t errlen)
{
	if (a->len < IPFT_KV_HDR_LEN ||
	    a->val[IPFT_OFF(kv, key_len)] > a->len - IPFT_KV_HDR_LEN) {
		errf(err, errlen, "key/value attribute at offset %zu is malformed", a->off);
		return -1;
	}
	a->key_len = a->val[IPFT_OFF(kv, key_len)];
	a->vtype = a->val[IPFT_OFF(kv, vtype)];
	a->kflags = ipft_rec_u16(r, a->val_off + IPFT_OFF(kv, flags));
	a->key_off = a->val_off + IPFT_KV_HDR_LEN;
	a->key = (const char *)r->buf + a->key_off;
	a->kval_off = a->key_off + a->key_len;
	a->kval = r->buf + a->kval_off;
	a->kval_len = a->len - IPFT_KV_HDR_LEN - a->key_len;
	return 0;
}

int ipft_rec_next_attr(const struct ipft_rec *r, const struct ipft_event_view *ev,
		       size_t *cursor, struct ipft_attr_view *a, char *err, size_t errlen)
{
	size_t start = ev ? ev->attrs_off : r->body_off;
	size_t end = ev ? ev->attrs_end : r->len;
	size_t off = *cursor ? *cursor : start;

	if (off >= end)
		return 0;
	if (end - off < IPFT_ATTR_HDR_LEN) {
		errf(err, errlen, "attribute at offset %zu is truncated", off);
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->off = off;
	a->type = ipft_rec_u16(r, off + IPFT_OFF(attr, type));
	a->len = ipft_rec_u16(r, off + IPFT_OFF(attr, len));
	a->val_off = off + IPFT_ATTR_HDR_LEN;
	if (PAD4(a->len) > end - a->val_off) {
		errf(err, errlen, "attribute at offset %zu: value of %u bytes overruns its container",
		     off, a->len);
		return -1;
	}
	a->val = r->buf + a->val_off;
	if (a->type == IPFT_ATTR_KV && parse_kv(r, a, err, errlen) < 0)
		return -1;
	*cursor = a->val_off + PAD4(a->len);
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

/* One key/value (a KV attribute or a packed key) appended to e's. */
static int decode_kv(struct trace_owner *o, const struct ipft_rec *r,
		     const struct ipft_attr_view *a, struct ipft_event *e,
		     struct ipft_kv **kvs, size_t *kv_cap)
{
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
	kv->flags = a->kflags;
	/* A packed key's name is static. */
	if (!(kv->key = a->packed ? a->key : own_str(o, a->key, a->key_len)))
		return -1;
	if (!ipft_kv_int(r, a, &kv->u64)) {
		/* strings and bytes: NUL-terminated copy, len without the NUL */
		if (!(kv->ptr = own_str(o, a->kval, a->kval_len)))
			return -1;
		kv->len = a->kval_len;
	}
	e->n_kv++;
	return 0;
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
		return decode_kv(o, r, a, e, kvs, kv_cap);
	case IPFT_ATTR_PACKED: {
		struct ipft_attr_view kv;
		size_t cur = 0;
		int rc;

		while ((rc = ipft_rec_next_packed(r, a, &cur, &kv, NULL, 0)) == 1)
			if (decode_kv(o, r, &kv, e, kvs, kv_cap) < 0)
				return -1;
		return rc;
	}
	default:
		return 0; /* unknown attributes are skipped */
	}
}

/* Takes the header of the next part: of the same packet, and in order, as
 * parts are written (events then stay in time order). */
static int take_part(struct trace_owner *o, const struct ipft_rec *r, char *err, size_t errlen)
{
	if (o->have_part && r->packet_id != o->t.packet_id) {
		errf(err, errlen, "part of packet 0x%llx appended to packet 0x%llx",
		     (unsigned long long)r->packet_id, (unsigned long long)o->t.packet_id);
		return -1;
	}
	if (o->have_part && (r->parts != o->parts || r->part <= o->last_part)) {
		errf(err, errlen, "part %u of %u follows part %u of %u", r->part, r->parts,
		     o->last_part, o->parts);
		return -1;
	}
	o->have_part = true;
	o->parts = r->parts;
	o->last_part = r->part;
	o->t.packet_id = r->packet_id;
	o->t.flags |= r->flags;
	return 0;
}

/* The next free event of o, zeroed; NULL when out of memory. */
static struct ipft_event *new_event(struct trace_owner *o)
{
	if (o->t.n_events == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 16;
		struct ipft_event *e = realloc(o->events, cap * sizeof(*e));
		if (!e)
			return NULL;
		o->events = e;
		o->cap = cap;
		o->t.events = e;
	}
	return memset(&o->events[o->t.n_events], 0, sizeof(struct ipft_event));
}

/* The attributes of ev into e; their number must be the one ev claims. */
static int decode_attrs(struct trace_owner *o, const struct ipft_rec *r,
			const struct ipft_event_view *ev, struct ipft_event *e,
			char *err, size_t errlen)
{
	struct ipft_kv *kvs = NULL;
	size_t kv_cap = 0, cur = 0;
	struct ipft_attr_view a;
	uint32_t n_attrs = 0;
	int rc;

	while ((rc = ipft_rec_next_attr(r, ev, &cur, &a, err, errlen)) == 1) {
		n_attrs++;
		if (decode_attr(o, r, &a, e, &kvs, &kv_cap) < 0) {
			free(kvs);
			errf(err, errlen, "attribute %u at offset %zu is malformed", a.type, a.off);
			return -1;
		}
	}
	e->kv = own(o, kvs);
	if (rc < 0 || (kvs && !e->kv))
		return -1;
	if (n_attrs != ev->n_attrs) {
		errf(err, errlen, "event at offset %zu claims %u attributes but holds %u",
		     ev->off, ev->n_attrs, n_attrs);
		return -1;
	}
	return 0;
}

/* One event of the record, appended to o's trace. */
static int decode_event(struct trace_owner *o, const struct ipft_rec *r,
			const struct ipft_event_view *ev, char *err, size_t errlen)
{
	struct ipft_event *e = new_event(o);

	if (!e || !(e->name = own_str(o, ev->name, ev->name_len))) {
		errf(err, errlen, "out of memory");
		return -1;
	}
	e->ts_ns = ev->ts_ns;
	e->cpu = ev->cpu;
	e->kind = ev->kind;
	e->flags = ev->flags;
	e->depth = ev->depth;
	if (decode_attrs(o, r, ev, e, err, errlen) < 0)
		return -1;
	o->t.n_events++;
	return 0;
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
	if (take_part(o, &r, err, errlen) < 0)
		return -1;
	while ((rc = ipft_rec_next_event(&r, &cur, &ev, err, errlen)) == 1) {
		if (decode_event(o, &r, &ev, err, errlen) < 0)
			return -1;
		seen++;
	}
	if (rc < 0)
		return -1;
	if (seen != r.n_events) {
		errf(err, errlen, "trace claims %u events but holds %u", r.n_events, seen);
		return -1;
	}
	return 0;
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

int ipft_rec_check(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	struct ipft_rec r;
	struct ipft_trace *t;
	struct ipft_attr_view a;
	size_t cur = 0;
	int rc;

	if (ipft_rec_parse(&r, buf, len, err, errlen) < 0)
		return -1;
	switch (r.type) {
	case IPFT_REC_TRACE:
		if (ipft_trace_decode(buf, len, &t, err, errlen) < 0)
			return -1;
		ipft_trace_free(t);
		return 0;
	case IPFT_REC_RUN_INFO:
	case IPFT_REC_STATS:
		while ((rc = ipft_rec_next_attr(&r, NULL, &cur, &a, err, errlen)) == 1)
			continue;
		return rc;
	default:
		return 0; /* a type this version does not know: skipped, as format.md says */
	}
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

/* Where the packet is: the meta collector's "dev" and "netns" keys. */
struct path_dev {
	const char *dev;
	size_t dev_len;
	uint64_t netns;
	bool known;
};

/* Whether event e says the device or the namespace changed (d updated). */
static bool path_dev_changed(const struct ipft_event *e, struct path_dev *d)
{
	bool changed = false;

	for (size_t i = 0; i < e->n_kv; i++) {
		const struct ipft_kv *kv = &e->kv[i];
		/* Most keys are named by another bit: not these two. */
		if (kv->packed && kv->packed != IPFT_PK_DEV + 1 && kv->packed != IPFT_PK_NETNS + 1)
			continue;
		if (kv->type == IPFT_VT_STRING && ipft_kv_has_packed_key(kv, IPFT_PK_DEV)) {
			d->dev = kv->ptr;
			d->dev_len = kv->len;
			changed = true;
		} else if (kv->type == IPFT_VT_U64 && ipft_kv_has_packed_key(kv, IPFT_PK_NETNS)) {
			d->netns = kv->u64;
			changed = true;
		}
	}
	d->known |= changed;
	return changed;
}

/* "[veth1, ns 4026531840] ". */
static int path_append_dev(char **s, size_t *len, size_t *cap, const struct path_dev *d)
{
	char num[24];
	size_t n = sizeof(num);
	uint64_t v = d->netns;

	do
		num[--n] = (char)('0' + v % 10);
	while ((v /= 10) && n);
	if (path_append(s, len, cap, "[", 1) < 0 ||
	    path_append(s, len, cap, d->dev, d->dev_len) < 0 ||
	    path_append(s, len, cap, ", ns ", 5) < 0 ||
	    path_append(s, len, cap, num + n, sizeof(num) - n) < 0)
		return -1;
	return path_append(s, len, cap, "] ", 2);
}

/* Built with memcpy, not snprintf: every written packet has one, and a
 * formatted print per event was a visible part of ipft's time.  A change
 * to another device or namespace (the meta collector's keys) is shown
 * before the event where it was seen, after the first; none to no device
 * (a socket's queue). */
char *ipft_trace_path(const struct ipft_trace *t, size_t max_len)
{
	struct path_dev dev = { 0 };
	size_t cap = 256, len = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[0] = 0;
	for (size_t i = 0; i < t->n_events; i++) {
		const struct ipft_event *e = &t->events[i];
		const char *reason = (e->has & IPFT_HAS_DROP_REASON) ? e->drop_reason_name : NULL;

		bool was_known = dev.known;

		if (e->kind == IPFT_KIND_FUNC_RETURN)
			continue; /* the path lists where the packet went, once per call */
		if ((len && path_append(&s, &len, &cap, " > ", 3) < 0) ||
		    (path_dev_changed(e, &dev) && was_known && dev.dev_len &&
		     path_append_dev(&s, &len, &cap, &dev) < 0) ||
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
