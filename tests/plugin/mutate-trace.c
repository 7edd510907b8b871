/* mutate-trace - a damaged copy of a real trace file, for
 * tests/plugin/mutated.sh.  The copy stays valid pcapng block by block
 * (every block and option that changes is rewritten with its new length);
 * what changes is inside the ipft records, in EPB options 2989 and in
 * Custom Blocks under ipft's PEN: lengths, counts, part numbers, flags,
 * kinds, timestamps, strings (invalid UTF-8, control characters, grown
 * names), attribute types and lengths, key/value fields, records and
 * events truncated, duplicated, dropped, swapped or split into parts, and
 * whole options and blocks duplicated, dropped or moved.  Some mutations
 * keep a record valid (a shorter trace with its counts fixed, a trace
 * split into two parts, odd but well-formed strings), most break it.
 *
 *   mutate-trace SEED IN OUT
 *
 * The same SEED and IN give the same OUT.  Each record is mutated with
 * probability 1/2, by one to three mutations.  Prints "records N mutated
 * M" on stdout.  IN must be in this machine's byte order (ipft writes its
 * own); exit status 1 with a message otherwise.
 */
#include "pcapng/pcapng.h"
#include "codec/ipft_format.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REC_MAX (PCAPNG_OPT_MAX_LEN - 4) /* the largest record an option holds */
#define PAD4(n) (((n) + 3u) & ~(size_t)3u)

/* ---- a byte buffer --------------------------------------------------- */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "mutate-trace: out of memory\n");
		exit(1);
	}
	return p;
}

static void reserve(struct buf *b, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
}

static void put(struct buf *b, const void *p, size_t n)
{
	if (!n)
		return;
	reserve(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void put_zero(struct buf *b, size_t n)
{
	reserve(b, n);
	memset(b->p + b->len, 0, n);
	b->len += n;
}

static void put32(struct buf *b, uint32_t v) { put(b, &v, 4); }

/* insert: n bytes of p (zeros if NULL) at off.  cut: n bytes at off removed. */
static void insert(struct buf *b, size_t off, const void *p, size_t n)
{
	reserve(b, n);
	memmove(b->p + off + n, b->p + off, b->len - off);
	if (p)
		memcpy(b->p + off, p, n);
	else
		memset(b->p + off, 0, n);
	b->len += n;
}

static void cut(struct buf *b, size_t off, size_t n)
{
	memmove(b->p + off, b->p + off + n, b->len - off - n);
	b->len -= n;
}

static struct buf copy_of(const uint8_t *p, size_t n)
{
	struct buf b = { 0 };
	put(&b, p, n);
	return b;
}

/* Fields in host byte order (the records' own, 'L' on x86), bounds-checked:
 * a read past the end is 0, a write past the end does nothing. */
static uint64_t rd(const struct buf *b, size_t off, size_t size)
{
	uint64_t v = 0;
	if (off + size <= b->len)
		memcpy(&v, b->p + off, size);
	return v;
}

static void wr(struct buf *b, size_t off, size_t size, uint64_t v)
{
	if (off + size <= b->len)
		memcpy(b->p + off, &v, size);
}

/* ---- deterministic randomness (splitmix64) ---------------------------- */

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n) { return n ? (uint32_t)(rnd() % n) : 0; }

/* One of the n values v. */
static uint64_t pick(const uint64_t *v, size_t n) { return v[below((uint32_t)n)]; }
#define PICK(...) pick((const uint64_t[]){ __VA_ARGS__ }, \
		       sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))

/* ---- the record's layout (codec/ipft_format.h), read leniently -------- */

/* A field's offset (plus the event's or attribute's) and size. */
#define F(part, field) IPFT_OFF(part, field), IPFT_SIZE(part, field)
#define EV_HDR IPFT_EVENT_HDR_LEN
#define ATTR_HDR IPFT_ATTR_HDR_LEN

static unsigned rec_type(const struct buf *r) { return (unsigned)rd(r, F(rec, type)); }

/* Offsets of the events of a trace, as far as their lengths lead. */
static size_t events(const struct buf *r, size_t *off, size_t max)
{
	size_t n = 0, o = IPFT_TRACE_HDR_LEN;

	if (rec_type(r) != IPFT_REC_TRACE)
		return 0;
	while (n < max && o + EV_HDR <= r->len) {
		size_t el = rd(r, o + F(event, len));
		if (el < EV_HDR || el % 4 || o + el > r->len)
			break;
		off[n++] = o;
		o += el;
	}
	return n;
}

static size_t ev_len(const struct buf *r, size_t e) { return rd(r, e + F(event, len)); }
static size_t ev_name_len(const struct buf *r, size_t e) { return rd(r, e + F(event, name_len)); }
static size_t attr_len(const struct buf *r, size_t a) { return rd(r, a + F(attr, len)); }

/* Offsets of the attributes in [from, to). */
static size_t attrs(const struct buf *r, size_t from, size_t to, size_t *off, size_t max)
{
	size_t n = 0;

	while (n < max && from + ATTR_HDR <= to && to <= r->len) {
		off[n++] = from;
		from += ATTR_HDR + PAD4(attr_len(r, from));
	}
	return n;
}

/* Every attribute of the record: of each event, or of an info record. */
static size_t all_attrs(const struct buf *r, size_t *off, size_t max)
{
	size_t ev[4096], n = 0;

	if (rec_type(r) == IPFT_REC_RUN_INFO || rec_type(r) == IPFT_REC_STATS)
		return attrs(r, IPFT_INFO_HDR_LEN, r->len, off, max);
	size_t ne = events(r, ev, 4096);
	for (size_t i = 0; i < ne && n < max; i++) {
		size_t start = ev[i] + EV_HDR + PAD4(ev_name_len(r, ev[i]));
		n += attrs(r, start, ev[i] + ev_len(r, ev[i]), off + n, max - n);
	}
	return n;
}

/* A string of the record: an event name, a string attribute, the key and
 * value of a key/value attribute.  0 when there is none. */
static size_t a_string(const struct buf *r, size_t *off)
{
	size_t ev[4096], at[4096], ne = events(r, ev, 4096), na = all_attrs(r, at, 4096);
	size_t cand_off[64], cand_len[64], n = 0;

	for (size_t i = 0; i < ne && n < 32; i++) {
		cand_off[n] = ev[i] + EV_HDR;
		cand_len[n++] = ev_name_len(r, ev[i]);
	}
	for (size_t i = 0; i < na && n < 64; i++) {
		size_t t = rd(r, at[i] + F(attr, type)), l = attr_len(r, at[i]);
		if (t == IPFT_ATTR_DROP_REASON_NAME || t == IPFT_ATTR_DROP_LOCATION_SYM) {
			cand_off[n] = at[i] + ATTR_HDR;
			cand_len[n++] = l;
		} else if (t == IPFT_ATTR_KV && l >= IPFT_KV_HDR_LEN) {
			cand_off[n] = at[i] + ATTR_HDR + IPFT_KV_HDR_LEN;
			cand_len[n++] = l - IPFT_KV_HDR_LEN;
		}
	}
	if (!n)
		return 0;
	size_t i = below((uint32_t)n);
	*off = cand_off[i];
	return cand_off[i] + cand_len[i] <= r->len ? cand_len[i] : r->len - cand_off[i];
}

/* Byte sequences that are trouble in a string. */
static const char *const nasty[] = {
	"\xff", "\xc3\x28", "\x80", "\xe2\x82", "\xf0\x9f\x98", "\xed\xa0\x80", "\0", "\n",
	"\x1b[31m", "%s%n%x", "\"'<>&", "\xc3\xa9", "\xf0\x9f\x98\x80", "\x7f", " > ", "\t",
};

static void nasty_bytes(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		const char *s = nasty[below(sizeof(nasty) / sizeof(nasty[0]))];
		size_t l = s[0] ? strlen(s) : 1;
		for (size_t j = 0; j < l && i < n; j++)
			p[i++] = (uint8_t)s[j];
	}
}

static void set_rec_len(struct buf *r) { wr(r, F(rec, len), r->len); }

static void set_n_events(struct buf *r, uint64_t n) { wr(r, F(trace, n_events), n); }
static uint64_t n_events(const struct buf *r) { return rd(r, F(trace, n_events)); }

/* ---- mutations of one record ------------------------------------------- */

static void m_rec_len(struct buf *r)
{
	uint64_t l = r->len;
	wr(r, F(rec, len), PICK(l - 1, l + 1, l - 4, l + 4, 0, IPFT_REC_HDR_LEN - 1,
				IPFT_REC_HDR_LEN, IPFT_TRACE_HDR_LEN - 1, 0xffffffff, rnd(),
				l + 0x10000));
}

static void m_header(struct buf *r)
{
	switch (below(4)) {
	case 0: wr(r, F(rec, version), PICK(0, IPFT_FORMAT_VERSION + 1, 0xff)); break;
	case 1: wr(r, F(rec, byte_order), PICK(IPFT_BO_BIG, 'l', 0)); break;
	case 2: wr(r, F(rec, type), PICK(0, 1, 2, 3, 4, 0xffff)); break;
	default: wr(r, F(rec, reserved), rnd()); break;
	}
}

static void m_trace_field(struct buf *r)
{
	uint64_t n = n_events(r), parts = rd(r, F(trace, parts));

	switch (below(5)) {
	case 0: wr(r, F(trace, packet_id), PICK(0, rnd())); break;
	case 1: wr(r, F(trace, flags), PICK(0, 1, 2, 4, 8, 0xf, 0x10, rnd())); break;
	case 2:
		switch (below(5)) {
		case 0: wr(r, F(trace, part), parts); break;
		case 1: wr(r, F(trace, parts), 0); break;
		case 2: wr(r, F(trace, part), 1); wr(r, F(trace, parts), 2); break;
		case 3: wr(r, F(trace, part), 0); wr(r, F(trace, parts), 2); break;
		default: wr(r, F(trace, part), 0xffff); wr(r, F(trace, parts), 0xffff); break;
		}
		break;
	case 3: set_n_events(r, PICK(n + 1, n - 1, 0, 0xffffffff, n * 2)); break;
	default: wr(r, F(trace, reserved), rnd()); break;
	}
}

static void m_info_count(struct buf *r)
{
	uint64_t n = rd(r, F(info, n_attrs));
	wr(r, F(info, n_attrs), PICK(n + 1, n - 1, 0, 0xffffffff));
}

static void m_event_field(struct buf *r)
{
	size_t ev[4096], ne = events(r, ev, 4096);
	if (!ne) {
		m_trace_field(r);
		return;
	}
	size_t e = ev[below((uint32_t)ne)];
	uint64_t l = ev_len(r, e), nl = ev_name_len(r, e), na = rd(r, e + F(event, n_attrs));

	switch (below(8)) {
	case 0:
		wr(r, e + F(event, len), PICK(l - 1, l + 1, l - 4, l + 4, 0, 4, EV_HDR, 0xffff, rnd()));
		break;
	case 1: wr(r, e + F(event, kind), PICK(0, 1, 2, 3, 4, 0xff)); break;
	case 2: wr(r, e + F(event, flags), rnd()); break;
	case 3: wr(r, e + F(event, depth), PICK(0, 1, 0xffff, rnd())); break;
	case 4: wr(r, e + F(event, name_len), PICK(nl - 1, nl + 1, 0, nl + 4, 0xffff, l)); break;
	case 5: wr(r, e + F(event, cpu), PICK(0xffffffff, rnd())); break;
	case 6: wr(r, e + F(event, n_attrs), PICK(na + 1, na - 1, 0, 0xffffffff)); break;
	default: /* the time: none, the end of time, anywhere, a second back */
		wr(r, e + F(event, ts_ns),
		   PICK(0, ~0ull, rnd(), rd(r, e + F(event, ts_ns)) - 1000000000));
		break;
	}
}

static void m_attr_field(struct buf *r)
{
	size_t at[4096], n = all_attrs(r, at, 4096);
	if (!n) {
		m_event_field(r);
		return;
	}
	size_t a = at[below((uint32_t)n)];
	size_t kv = a + ATTR_HDR; /* where a key/value attribute's header starts */
	uint64_t l = attr_len(r, a), kl = rd(r, kv + F(kv, key_len));

	switch (rd(r, a + F(attr, type)) == IPFT_ATTR_KV ? below(6) : below(3)) {
	case 0: wr(r, a + F(attr, type), PICK(0, 1 + below(8), 9, 0xffff)); break;
	case 1: wr(r, a + F(attr, len), PICK(l - 1, l + 1, 0, l + 4, 0xffff, rnd())); break;
	case 2: /* the value */
		for (size_t i = 0; i < l && a + ATTR_HDR + i < r->len; i++)
			if (below(3) == 0)
				r->p[a + ATTR_HDR + i] = (uint8_t)rnd();
		break;
	case 3: wr(r, kv + F(kv, key_len), PICK(0, kl - 1, kl + 1, 255, l - IPFT_KV_HDR_LEN,
						 l - IPFT_KV_HDR_LEN + 1));
		break;
	case 4: wr(r, kv + F(kv, vtype), PICK(0, 1, 2, 3, 4, 5, 6, 0xff)); break;
	default: wr(r, kv + F(kv, flags), rnd()); break;
	}
}

/* Odd bytes in a string, its length unchanged: the record stays valid. */
static void m_string(struct buf *r)
{
	size_t off, n = a_string(r, &off);
	if (!n) {
		m_attr_field(r);
		return;
	}
	size_t from = below((uint32_t)n), k = 1 + below((uint32_t)(n - from));
	nasty_bytes(r->p + off + from, k);
}

/* An event's name grown by k bytes, every length fixed: still valid. */
static void m_grow_name(struct buf *r)
{
	size_t ev[4096], ne = events(r, ev, 4096);
	if (!ne) {
		m_string(r);
		return;
	}
	size_t e = ev[below((uint32_t)ne)], nl = ev_name_len(r, e), el = ev_len(r, e);
	size_t k = PICK(1, 3, 4, 61, 1000, 4000), grow = PAD4(nl + k) - PAD4(nl);
	uint8_t *name = r->p + e + EV_HDR;
	if (el + grow > 0xfffc || nl + k > 0xffff || r->len + grow > REC_MAX ||
	    e + EV_HDR + PAD4(nl) > r->len)
		return;
	insert(r, e + EV_HDR + PAD4(nl), NULL, grow);
	name = r->p + e + EV_HDR;
	memset(name + nl, 0, PAD4(nl + k) - nl);
	if (below(2))
		memset(name + nl, 'A' + (int)below(26), k);
	else
		nasty_bytes(name + nl, k);
	wr(r, e + F(event, name_len), nl + k);
	wr(r, e + F(event, len), el + grow);
	set_rec_len(r);
}

static void m_truncate(struct buf *r)
{
	size_t hdr = IPFT_REC_HDR_LEN;
	r->len = r->len > hdr && below(8) ? hdr + below((uint32_t)(r->len - hdr))
					  : below((uint32_t)r->len);
	if (below(2))
		set_rec_len(r);
}

/* The trace cut after k of its events, its length fixed; its count too,
 * mostly (a valid shorter trace). */
static void m_truncate_events(struct buf *r)
{
	size_t ev[4096], ne = events(r, ev, 4096);
	if (!ne) {
		m_truncate(r);
		return;
	}
	size_t k = below((uint32_t)ne);
	r->len = ev[k];
	set_rec_len(r);
	if (below(3))
		set_n_events(r, k);
}

static void m_dup_event(struct buf *r)
{
	size_t ev[4096], ne = events(r, ev, 4096);
	if (!ne) {
		m_trace_field(r);
		return;
	}
	size_t e = ev[below((uint32_t)ne)], el = ev_len(r, e);
	if (r->len + el > REC_MAX)
		return;
	uint8_t *copy = xrealloc(NULL, el);
	memcpy(copy, r->p + e, el);
	insert(r, e + el, copy, el);
	free(copy);
	set_rec_len(r);
	if (below(3))
		set_n_events(r, n_events(r) + 1);
}

static void m_drop_event(struct buf *r)
{
	size_t ev[4096], ne = events(r, ev, 4096);
	if (!ne) {
		m_trace_field(r);
		return;
	}
	size_t e = ev[below((uint32_t)ne)];
	cut(r, e, ev_len(r, e));
	set_rec_len(r);
	if (below(3))
		set_n_events(r, n_events(r) - 1);
}

/* Two neighbouring events swapped: valid, time runs backwards. */
static void m_swap_events(struct buf *r)
{
	size_t ev[4096], ne = events(r, ev, 4096);
	if (ne < 2) {
		m_dup_event(r);
		return;
	}
	size_t i = below((uint32_t)(ne - 1)), a = ev[i], al = ev_len(r, a), bl = ev_len(r, ev[i + 1]);
	uint8_t *tmp = xrealloc(NULL, al);
	memcpy(tmp, r->p + a, al);
	memmove(r->p + a, r->p + a + al, bl);
	memcpy(r->p + a + bl, tmp, al);
	free(tmp);
}

static void m_flip(struct buf *r)
{
	size_t keep = IPFT_SIZE(rec, magic);
	if (r->len <= keep)
		return;
	for (uint32_t i = 0, n = 1 + below(4); i < n; i++)
		r->p[keep + below((uint32_t)(r->len - keep))] = (uint8_t)rnd();
}

static void m_append(struct buf *r)
{
	size_t n = 4 * (1 + below(16));
	if (r->len + n > REC_MAX)
		return;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)rnd();
		put(r, &c, 1);
	}
	if (below(2))
		set_rec_len(r);
}

/* Rarely: no longer ipft's (someone else's data under the shared PEN). */
static void m_magic(struct buf *r)
{
	size_t n = IPFT_SIZE(rec, magic);
	if (r->len)
		r->p[IPFT_OFF(rec, magic) + below((uint32_t)(r->len < n ? r->len : n))] ^=
			(uint8_t)(1 + below(255));
}

typedef void (*mutation)(struct buf *);
static const mutation mutations[] = {
	m_rec_len, m_header, m_trace_field, m_trace_field, m_info_count, m_event_field,
	m_event_field, m_event_field, m_attr_field, m_attr_field, m_attr_field, m_string,
	m_string, m_grow_name, m_truncate, m_truncate_events, m_truncate_events, m_dup_event,
	m_drop_event, m_swap_events, m_flip, m_flip, m_append,
};

static void mutate_record(struct buf *r)
{
	uint32_t n = 1 + below(3);

	if (below(64) == 0) {
		m_magic(r);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		mutation m = mutations[below(sizeof(mutations) / sizeof(mutations[0]))];
		if (m == m_info_count && rec_type(r) == IPFT_REC_TRACE)
			m = m_trace_field;
		m(r);
	}
}

/* ---- records to carriers ------------------------------------------------ */

/* What one record becomes: 0, 1 or 2 records (dropped, mutated,
 * duplicated or split into two parts). */
struct out_recs {
	struct buf r[2];
	int n;
};

static unsigned n_records, n_mutated;

/* A valid trace of one part split into parts 0 and 1 of 2 at event k;
 * sometimes the parts swapped (a join out of order). */
static bool split(const struct buf *r, struct out_recs *o)
{
	size_t ev[4096], ne = events(r, ev, 4096);
	if (ne < 2 || rd(r, F(trace, parts)) != 1 || rd(r, F(rec, len)) != r->len)
		return false;
	size_t k = 1 + below((uint32_t)(ne - 1));
	o->r[0] = copy_of(r->p, ev[k]);
	o->r[1] = copy_of(r->p, IPFT_TRACE_HDR_LEN);
	put(&o->r[1], r->p + ev[k], r->len - ev[k]);
	for (int i = 0; i < 2; i++) {
		set_rec_len(&o->r[i]);
		wr(&o->r[i], F(trace, part), (uint64_t)i);
		wr(&o->r[i], F(trace, parts), 2);
	}
	set_n_events(&o->r[0], k);
	set_n_events(&o->r[1], ne - k);
	o->n = 2;
	if (below(4) == 0) {
		struct buf t = o->r[0];
		o->r[0] = o->r[1];
		o->r[1] = t;
	}
	return true;
}

static void transform(const uint8_t *rec, size_t len, struct out_recs *o)
{
	o->n = 1;
	o->r[0] = copy_of(rec, len);
	n_records++;
	if (below(2))
		return;
	n_mutated++;
	switch (below(16)) {
	case 0: /* dropped */
		free(o->r[0].p);
		o->n = 0;
		return;
	case 1: /* twice: a duplicated part */
		o->r[1] = copy_of(rec, len);
		o->n = 2;
		return;
	case 2: {
		struct buf whole = o->r[0];
		if (split(&whole, o)) {
			free(whole.p);
			return;
		}
		break;
	}
	}
	mutate_record(&o->r[0]);
}

/* ---- blocks -------------------------------------------------------------- */

#define EPB_FIXED 20 /* interface, timestamp high and low, captured and original length */

static bool is_cb(uint32_t type)
{
	return type == PCAPNG_BT_CB_COPY || type == PCAPNG_BT_CB_NOCOPY;
}

static bool is_custom_bin(uint16_t code)
{
	return code == PCAPNG_OPT_CUSTOM_BIN_COPY || code == PCAPNG_OPT_CUSTOM_BIN_NOCOPY;
}

static void block_start(struct buf *b, uint32_t type)
{
	put32(b, type);
	put32(b, 0); /* total length, set by block_end */
}

static void block_end(struct buf *out, size_t start)
{
	uint32_t total = (uint32_t)(out->len - start + 4);
	memcpy(out->p + start + 4, &total, 4);
	put32(out, total);
}

static void put_option(struct buf *b, uint16_t code, const uint8_t *v, size_t len)
{
	uint16_t h[2] = { code, (uint16_t)len };
	put(b, h, 4);
	put(b, v, len);
	put_zero(b, PAD4(len) - len);
}

/* An EPB with its ipft options transformed; other options as they were. */
static void epb(struct buf *out, const uint8_t *body, size_t body_len)
{
	uint32_t caplen;
	size_t start = out->len, o;

	memcpy(&caplen, body + 12, 4);
	o = EPB_FIXED + PAD4(caplen);
	if (o > body_len) { /* not ipft's: as it was */
		block_start(out, PCAPNG_BT_EPB);
		put(out, body, body_len);
		block_end(out, start);
		return;
	}
	block_start(out, PCAPNG_BT_EPB);
	put(out, body, o);
	while (o + 4 <= body_len) {
		uint16_t code, len;
		uint32_t pen;
		memcpy(&code, body + o, 2);
		memcpy(&len, body + o + 2, 2);
		if (code == 0 || o + 4 + PAD4(len) > body_len)
			break;
		const uint8_t *v = body + o + 4;
		o += 4 + PAD4(len);
		if (is_custom_bin(code) && len >= 4 && (memcpy(&pen, v, 4), pen == IPFT_PEN)) {
			struct out_recs r;
			transform(v + 4, len - 4u, &r);
			for (int i = 0; i < r.n; i++) {
				struct buf val = { 0 };
				put(&val, v, 4);
				put(&val, r.r[i].p, r.r[i].len);
				put_option(out, code, val.p, val.len);
				free(val.p);
				free(r.r[i].p);
			}
			continue;
		}
		put_option(out, code, v, len);
	}
	put_zero(out, 4); /* opt_endofopt */
	block_end(out, start);
}

/* A Custom Block under ipft's PEN, transformed: dropped, or written once
 * or twice; *deferred gets a copy to write after the next block. */
static void cb(struct buf *out, uint32_t type, const uint8_t *body, size_t body_len,
	       struct buf *deferred)
{
	struct out_recs r;

	transform(body + 4, body_len - 4, &r);
	for (int i = 0; i < r.n; i++) {
		struct buf *to = out;
		if (i == 0 && r.n == 1 && deferred && below(16) == 0)
			to = deferred; /* after its packet: too late for it */
		size_t start = to->len;
		block_start(to, type);
		put(to, body, 4);
		put(to, r.r[i].p, r.r[i].len);
		put_zero(to, PAD4(r.r[i].len) - r.r[i].len);
		block_end(to, start);
		free(r.r[i].p);
	}
}

int main(int argc, char **argv)
{
	struct buf in = { 0 }, out = { 0 }, deferred = { 0 };
	uint8_t chunk[65536];
	size_t n, o = 0;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: mutate-trace SEED IN OUT\n");
		return 2;
	}
	rng = strtoull(argv[1], NULL, 0) * 0x2545f4914f6cdd1dull;
	if (!(f = fopen(argv[2], "rb"))) {
		perror(argv[2]);
		return 1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		put(&in, chunk, n);
	fclose(f);

	while (o + 12 <= in.len) {
		uint32_t type, total, magic = 0;
		memcpy(&type, in.p + o, 4);
		memcpy(&total, in.p + o + 4, 4);
		if (type == PCAPNG_BT_SHB && o + 12 <= in.len)
			memcpy(&magic, in.p + o + 8, 4);
		if ((type == PCAPNG_BT_SHB && magic != PCAPNG_BYTE_ORDER_MAGIC) || total < 12 ||
		    total % 4 || o + total > in.len) {
			fprintf(stderr, "mutate-trace: %s: not pcapng in this byte order at offset %zu\n",
				argv[2], o);
			return 1;
		}
		const uint8_t *body = in.p + o + 8;
		size_t body_len = total - 12;
		size_t before = out.len;
		uint32_t pen = 0;
		if (body_len >= 4)
			memcpy(&pen, body, 4);
		if (type == PCAPNG_BT_EPB && body_len >= EPB_FIXED)
			epb(&out, body, body_len);
		else if (is_cb(type) && body_len >= 4 && pen == IPFT_PEN)
			cb(&out, type, body, body_len, deferred.len ? NULL : &deferred);
		else
			put(&out, in.p + o, total);
		/* A deferred block follows the next block written. */
		if (deferred.len && out.len > before && !is_cb(type)) {
			put(&out, deferred.p, deferred.len);
			deferred.len = 0;
		}
		o += total;
	}
	put(&out, deferred.p, deferred.len);
	if (!(f = fopen(argv[3], "wb")) || fwrite(out.p, 1, out.len, f) != out.len || fclose(f)) {
		perror(argv[3]);
		return 1;
	}
	printf("records %u mutated %u\n", n_records, n_mutated);
	free(in.p);
	free(out.p);
	free(deferred.p);
	return 0;
}
