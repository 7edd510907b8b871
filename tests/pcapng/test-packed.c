/* test-packed - the packed key/values (IPFT_ATTR_PACKED, docs/format.md 2.4, PACKED).
 *
 * A trace whose events carry -x meta's and -x task's keys among others
 * decodes to the same key/values in the same order, packed or not, in
 * little- and big-endian records; keys their writer names by bit
 * (ipft_kv.packed, as ipft's collectors do) encode as the same bytes as
 * keys named by string; what cannot be packed (another type, a
 * value too wide, an extension's key, keys out of the table's order)
 * stays a KV attribute; the packed form is smaller; every truncation and
 * a value overrunning the attribute are refused.  Run under ASan/UBSan by
 * the sanitizer stage.
 */
#include "codec/ipft_format.h"
#include "codec/ipft_packed.h"
#include "tests/pcapng/record_to_be.h"
#include "tests/unit_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U64(k, v) { .key = k, .type = IPFT_VT_U64, .u64 = v }
#define HEX(k, v) { .key = k, .type = IPFT_VT_HEX64, .u64 = v }
#define STR(k, s) { .key = k, .type = IPFT_VT_STRING, .ptr = s, .len = sizeof(s) - 1 }

/* A first event as -x meta,task writes it, after the lineage's keys. */
static const struct ipft_kv first_kv[] = {
	U64("parent_id", 7), STR("dev", "veth0"), U64("ifindex", 12), U64("netns", 4026531840u),
	U64("len", 60), U64("data_len", 0), HEX("mark", 0xc0ffee), HEX("protocol", 0x800),
	STR("pkt_type", "host"), U64("cloned", 1), U64("gso_size", 0), U64("gso_segs", 1),
	STR("gso_type", "none"), STR("context", "task"), U64("pid", 4242), U64("tgid", 4240),
	STR("comm", "sender"),
};
/* What stays a KV attribute: too wide, another type, an extension's,
 * and a key out of order ("len" after "mark" starts a new run). */
static const struct ipft_kv odd_kv[] = {
	U64("len", 1ull << 32), HEX("protocol", 0x10000), U64("dev", 3),
	{ .key = "len", .type = IPFT_VT_U64, .flags = IPFT_KV_EXT, .u64 = 5 },
	HEX("mark", 1), U64("len", 46), U64("snd_cwnd", 10),
};

static struct ipft_event events[] = {
	{ .ts_ns = 1, .cpu = 1, .kind = IPFT_KIND_TRACEPOINT, .name = "net_dev_queue",
	  .kv = first_kv, .n_kv = sizeof(first_kv) / sizeof(first_kv[0]) },
	{ .ts_ns = 2, .cpu = 1, .kind = IPFT_KIND_TRACEPOINT, .name = "netif_receive_skb",
	  .kv = odd_kv, .n_kv = sizeof(odd_kv) / sizeof(odd_kv[0]) },
};
static const struct ipft_trace trace = { .packet_id = 0x42, .n_events = 2, .events = events };

struct record {
	uint8_t *buf;
	size_t len;
};

static int keep(const uint8_t *rec, size_t len, void *arg)
{
	struct record *r = arg;

	if (r->buf)
		return -1; /* one record expected */
	r->buf = malloc(len);
	memcpy(r->buf, rec, len);
	r->len = len;
	return 0;
}

static struct record encode(unsigned opts)
{
	struct record r = { NULL, 0 };

	CHECK(ipft_trace_encode_opts(&trace, 65528, opts, keep, &r) == 0 && r.buf,
	      "encodes (opts %u)", opts);
	return r;
}

static bool same_kv(const struct ipft_kv *a, const struct ipft_kv *b)
{
	if (strcmp(a->key, b->key) || a->type != b->type || a->flags != b->flags)
		return false;
	if (a->type == IPFT_VT_STRING || a->type == IPFT_VT_BYTES)
		return a->len == b->len && memcmp(a->ptr, b->ptr, a->len) == 0;
	return a->u64 == b->u64;
}

/* The decoded record says what was encoded, key by key, in order. */
static bool decodes_same(const struct record *r, const char *what)
{
	struct ipft_trace *d = NULL;
	char err[256] = "";
	bool same;

	if (ipft_trace_decode(r->buf, r->len, &d, err, sizeof(err)) < 0) {
		printf("%s: %s\n", what, err);
		return false;
	}
	same = d->n_events == trace.n_events;
	for (size_t i = 0; same && i < trace.n_events; i++) {
		same = d->events[i].n_kv == events[i].n_kv;
		for (size_t k = 0; same && k < events[i].n_kv; k++)
			same = same_kv(&d->events[i].kv[k], &events[i].kv[k]);
	}
	ipft_trace_free(d);
	return same;
}

/* Counts the attributes of each type in the record's events. */
static void count_attrs(const struct record *r, unsigned *kv, unsigned *packed)
{
	struct ipft_rec rec;
	struct ipft_event_view ev;
	struct ipft_attr_view a;
	size_t cur = 0, acur;

	*kv = *packed = 0;
	if (ipft_rec_parse(&rec, r->buf, r->len, NULL, 0) < 0)
		return;
	while (ipft_rec_next_event(&rec, &cur, &ev, NULL, 0) == 1)
		for (acur = 0; ipft_rec_next_attr(&rec, &ev, &acur, &a, NULL, 0) == 1;)
			*kv += a.type == IPFT_ATTR_KV, *packed += a.type == IPFT_ATTR_PACKED;
}

static void test_round_trip(void)
{
	struct record packed = encode(0), plain = encode(IPFT_ENC_KV_ONLY);
	unsigned kv, pk;

	CHECK(decodes_same(&packed, "packed"), "packed: the same key/values, in order");
	CHECK(decodes_same(&plain, "KV only"), "KV only: the same key/values, in order");
	count_attrs(&packed, &kv, &pk);
	/* First event: parent_id, then one run of 16; second: 4 KV (too
	 * wide, too wide, another type, an extension's), the run "mark",
	 * the run "len", then snd_cwnd. */
	CHECK(pk == 3 && kv == 6, "packed: 3 packed attributes, 6 KV (%u, %u)", pk, kv);
	count_attrs(&plain, &kv, &pk);
	CHECK(pk == 0 && kv == 24, "KV only: none packed (%u, %u)", pk, kv);
	/* Sixteen keys of 20 to 28 bytes each become one attribute of 72. */
	CHECK(packed.len + 250 < plain.len, "packed: 250 bytes smaller at least (%zu, %zu)",
	      packed.len, plain.len);
	record_to_big_endian(packed.buf, packed.len);
	CHECK(packed.buf[IPFT_OFF(rec, byte_order)] == IPFT_BO_BIG &&
	      decodes_same(&packed, "big-endian"), "big-endian packed: the same key/values");
	free(packed.buf);
	free(plain.buf);
}

/* The first packed attribute of the record's first event, or 0. */
static size_t first_packed(const struct record *r, struct ipft_attr_view *a)
{
	struct ipft_rec rec;
	struct ipft_event_view ev;
	size_t cur = 0, acur = 0;

	if (ipft_rec_parse(&rec, r->buf, r->len, NULL, 0) < 0 ||
	    ipft_rec_next_event(&rec, &cur, &ev, NULL, 0) != 1)
		return 0;
	while (ipft_rec_next_attr(&rec, &ev, &acur, a, NULL, 0) == 1)
		if (a->type == IPFT_ATTR_PACKED)
			return a->off;
	return 0;
}

static void test_malformed(void)
{
	struct record r = encode(0);
	struct ipft_trace *d = NULL;
	struct ipft_attr_view a;
	char err[256] = "";
	size_t off = first_packed(&r, &a);
	int refused = 0, tried = 0;

	CHECK(off, "the first event has a packed attribute");
	/* Every shorter value length: a value overruns or the mask is cut. */
	for (uint16_t len = 0; off && len < a.len; len++) {
		uint8_t *copy = malloc(r.len);
		memcpy(copy, r.buf, r.len);
		memcpy(copy + off + IPFT_OFF(attr, len), &len, sizeof(len));
		tried++;
		if (ipft_trace_decode(copy, r.len, &d, err, sizeof(err)) < 0)
			refused++;
		else
			ipft_trace_free(d);
		free(copy);
	}
	CHECK(refused == tried, "every shortened packed attribute refused (%d of %d): %s", refused,
	      tried, err);
	/* A string's length byte pointing past the attribute. */
	if (off) {
		r.buf[a.val_off + 2] = 0xff; /* "dev"'s length */
		CHECK(ipft_trace_decode(r.buf, r.len, &d, err, sizeof(err)) < 0 &&
		      strstr(err, "attribute 9"), "a string past the attribute refused: %s", err);
	}
	free(r.buf);
}

/* Keys named by their bit (ipft_kv.packed) encode as keys named by
 * string do, also where they cannot be packed (too wide). */
static void test_named_by_bit(void)
{
	struct record by_name = encode(0), by_bit;
	struct ipft_kv *kv[2];

	for (size_t i = 0; i < 2; i++) {
		kv[i] = malloc(events[i].n_kv * sizeof(*kv[i]));
		memcpy(kv[i], events[i].kv, events[i].n_kv * sizeof(*kv[i]));
		for (size_t k = 0; k < events[i].n_kv; k++)
			for (unsigned b = 0; b < IPFT_PACKED_KEYS; b++)
				if (strcmp(kv[i][k].key, ipft_packed_key[b]) == 0) {
					kv[i][k].key = ipft_packed_key[b];
					kv[i][k].packed = (uint8_t)(b + 1);
				}
		events[i].kv = kv[i];
	}
	by_bit = encode(0);
	for (size_t i = 0; i < 2; i++)
		events[i].kv = i ? odd_kv : first_kv;
	CHECK(by_bit.len == by_name.len && memcmp(by_bit.buf, by_name.buf, by_bit.len) == 0,
	      "keys named by bit: the same record (%zu, %zu bytes)", by_bit.len, by_name.len);
	free(kv[0]);
	free(kv[1]);
	free(by_name.buf);
	free(by_bit.buf);
}

int main(void)
{
	test_round_trip();
	test_named_by_bit();
	test_malformed();
	if (failures) {
		fprintf(stderr, "test-packed: %d checks failed\n", failures);
		return 1;
	}
	printf("test-packed: all checks passed\n");
	return 0;
}
