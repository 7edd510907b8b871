/* test-pcapng - the pcapng library and the trace format, in process.
 *
 * Round trips of every block and option, big-endian sections and records,
 * traces split over parts, every truncation point and random mutations of
 * files and records (run under ASan/UBSan by the sanitizer stage), and the
 * writer's rollback to whole blocks when the file system refuses a write.
 * Prints one line per check and "N passed, N failed".
 */
#include "pcapng/pcapng.h"
#include "codec/ipft_format.h"
#include "tests/pcapng/record_to_be.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;

#define CHECK(cond, ...)                                        \
	do {                                                    \
		if (cond) {                                     \
			passed++;                               \
		} else {                                        \
			failed++;                               \
			printf("FAIL %s:%d: ", __func__, __LINE__); \
			printf(__VA_ARGS__);                    \
			putchar('\n');                          \
		}                                               \
	} while (0)

static char tmpdir[] = "/tmp/ipft-test-pcapng-XXXXXX";

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* ---- trace format ----------------------------------------------------- */

static const uint8_t kv_bytes[] = { 1, 2, 3, 0, 5 };
static const struct ipft_kv kvs[] = {
	{ .key = "u", .type = IPFT_VT_U64, .u64 = 12345678901234ull },
	{ .key = "s", .type = IPFT_VT_S64, .u64 = (uint64_t)-42 },
	{ .key = "str", .type = IPFT_VT_STRING, .ptr = "veth0", .len = 5 },
	{ .key = "bytes", .type = IPFT_VT_BYTES, .ptr = kv_bytes, .len = 5 },
	{ .key = "hex", .type = IPFT_VT_HEX64, .u64 = 0xdeadbeefull },
};

static struct ipft_event sample_event(int i)
{
	static char names[64][32];
	struct ipft_event e = { .ts_ns = 1700000000000000000ull + (uint64_t)i * 1000,
				.cpu = (uint32_t)i % 4, .kind = (uint8_t)(1 + i % 3),
				.flags = (uint8_t)(i % 4), .depth = (uint16_t)(i % 7) };
	snprintf(names[i % 64], 32, "func_%d", i);
	e.name = names[i % 64];
	if (i % 5 == 0) {
		e.has |= IPFT_HAS_DROP_REASON | IPFT_HAS_DROP_LOCATION;
		e.drop_reason = 3;
		e.drop_reason_name = "NO_SOCKET";
		e.drop_location = 0xffffffff81000000ull + (uint64_t)i;
		e.drop_location_sym = "__udp4_lib_rcv+0x8f1";
	}
	if (i % 3 == 1) {
		e.has |= IPFT_HAS_RETVAL | IPFT_HAS_DURATION | IPFT_HAS_FUNC_ADDR;
		e.retval = -(int64_t)i;
		e.duration_ns = (uint64_t)i * 17;
		e.func_addr = 0xffffffff82000000ull + (uint64_t)i;
	}
	if (i % 4 == 2) {
		e.n_kv = 5;
		e.kv = kvs;
	}
	return e;
}

static bool same_event(const struct ipft_event *a, const struct ipft_event *b)
{
	if (a->ts_ns != b->ts_ns || a->cpu != b->cpu || a->kind != b->kind ||
	    a->flags != b->flags || a->depth != b->depth || strcmp(a->name, b->name) ||
	    a->has != b->has || a->n_kv != b->n_kv)
		return false;
	if ((a->has & IPFT_HAS_DROP_REASON) &&
	    (a->drop_reason != b->drop_reason || strcmp(a->drop_reason_name, b->drop_reason_name)))
		return false;
	if ((a->has & IPFT_HAS_DROP_LOCATION) &&
	    (a->drop_location != b->drop_location ||
	     strcmp(a->drop_location_sym, b->drop_location_sym)))
		return false;
	if ((a->has & IPFT_HAS_RETVAL) && a->retval != b->retval)
		return false;
	if ((a->has & IPFT_HAS_DURATION) && a->duration_ns != b->duration_ns)
		return false;
	if ((a->has & IPFT_HAS_FUNC_ADDR) && a->func_addr != b->func_addr)
		return false;
	for (size_t k = 0; k < a->n_kv; k++) {
		const struct ipft_kv *x = &a->kv[k], *y = &b->kv[k];
		if (strcmp(x->key, y->key) || x->type != y->type)
			return false;
		if (x->type == IPFT_VT_STRING || x->type == IPFT_VT_BYTES) {
			if (x->len != y->len || memcmp(x->ptr, y->ptr, x->len))
				return false;
		} else if (x->u64 != y->u64) {
			return false;
		}
	}
	return true;
}

struct records {
	uint8_t *buf[64];
	size_t len[64];
	int n;
};

static int collect(const uint8_t *rec, size_t len, void *arg)
{
	struct records *r = arg;
	if (r->n == 64)
		return -1;
	r->buf[r->n] = malloc(len);
	memcpy(r->buf[r->n], rec, len);
	r->len[r->n++] = len;
	return 0;
}

static void free_records(struct records *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->buf[i]);
	r->n = 0;
}

static void test_trace_round_trip(void)
{
	struct ipft_event ev[40];
	struct ipft_trace t = { .packet_id = 0x1234567800000001ull,
				.flags = IPFT_TRACE_COMPLETE | IPFT_TRACE_EVENTS_LOST,
				.n_events = 40, .events = ev };
	struct records r = { .n = 0 };
	struct ipft_trace *d = NULL;
	char err[256];

	for (int i = 0; i < 40; i++)
		ev[i] = sample_event(i);
	CHECK(ipft_trace_encode(&t, 65528, collect, &r) == 0 && r.n == 1, "single record: %d", r.n);
	CHECK(ipft_trace_decode(r.buf[0], r.len[0], &d, err, sizeof(err)) == 0, "decode: %s", err);
	if (d) {
		CHECK(d->packet_id == t.packet_id && d->flags == t.flags && d->n_events == 40,
		      "header fields");
		bool all = true;
		for (int i = 0; i < 40 && i < (int)d->n_events; i++)
			all &= same_event(&ev[i], &d->events[i]);
		CHECK(all, "every event and attribute survives");
		char *path = ipft_trace_path(d, 100);
		CHECK(path && strlen(path) <= 100 && strstr(path, "func_0 (NO_SOCKET)"),
		      "path: %s", path ? path : "(null)");
		free(path);
		ipft_trace_free(d);
	}
	free_records(&r);

	/* Split over parts; decoding all parts gives back every event. */
	CHECK(ipft_trace_encode(&t, 512, collect, &r) == 0 && r.n > 3, "split into %d parts", r.n);
	d = NULL;
	bool ok = r.n > 0 && ipft_trace_decode(r.buf[0], r.len[0], &d, err, sizeof(err)) == 0;
	for (int i = 1; ok && i < r.n; i++) {
		struct ipft_rec rec;
		ok = ipft_rec_parse(&rec, r.buf[i], r.len[i], err, sizeof(err)) == 0 &&
		     rec.part == i && rec.parts == r.n && r.len[i] <= 512 &&
		     ipft_trace_decode_append(d, r.buf[i], r.len[i], err, sizeof(err)) == 0;
	}
	CHECK(ok && d && d->n_events == 40, "parts decode and append: %s", err);
	bool all = d != NULL;
	for (int i = 0; d && i < 40 && i < (int)d->n_events; i++)
		all &= same_event(&ev[i], &d->events[i]);
	CHECK(all, "split trace keeps every event in order");
	ipft_trace_free(d);
	free_records(&r);

	/* An event larger than a record cannot be encoded. */
	CHECK(ipft_trace_encode(&t, 64, collect, &r) == -1, "oversized event refused");
	free_records(&r);

	/* Parts must come in order, of one packet. */
	ipft_trace_encode(&t, 512, collect, &r);
	d = NULL;
	CHECK(r.n > 2 && ipft_trace_decode(r.buf[1], r.len[1], &d, err, sizeof(err)) == 0 &&
	      ipft_trace_decode_append(d, r.buf[0], r.len[0], err, sizeof(err)) < 0 &&
	      strstr(err, "part 0 of"), "a part out of order is refused: %s", err);
	ipft_trace_free(d);
	struct ipft_trace other = t;
	struct records r2 = { .n = 0 };
	other.packet_id++;
	ipft_trace_encode(&other, 512, collect, &r2);
	d = NULL;
	CHECK(ipft_trace_decode(r.buf[0], r.len[0], &d, err, sizeof(err)) == 0 &&
	      ipft_trace_decode_append(d, r2.buf[1], r2.len[1], err, sizeof(err)) < 0 &&
	      strstr(err, "appended to packet"), "another packet's part is refused: %s", err);
	ipft_trace_free(d);
	free_records(&r2);
	free_records(&r);
}

static void test_trace_path(void)
{
	struct ipft_event ev[3] = {
		{ .kind = IPFT_KIND_FUNC_ENTRY, .name = "ip_rcv" },
		{ .kind = IPFT_KIND_FUNC_RETURN, .name = "ip_rcv" },
		{ .kind = IPFT_KIND_TRACEPOINT, .name = "kfree_skb", .has = IPFT_HAS_DROP_REASON,
		  .drop_reason = 3, .drop_reason_name = "NO_SOCKET" },
	};
	struct ipft_trace t = { .n_events = 3, .events = ev };
	char *p = ipft_trace_path(&t, 0);

	CHECK(p && strcmp(p, "ip_rcv > kfree_skb (NO_SOCKET)") == 0, "path: %s", p);
	free(p);
	p = ipft_trace_path(&t, 12);
	CHECK(p && strcmp(p, "ip_rcv > ...") == 0, "path cut at 12: %s", p);
	free(p);
	p = ipft_trace_path(&t, 30);
	CHECK(p && strcmp(p, "ip_rcv > kfree_skb (NO_SOCKET)") == 0, "path of exactly 30: %s", p);
	free(p);
	p = ipft_trace_path(&t, 2);
	CHECK(p && strcmp(p, "ip") == 0, "path cut at 2: %s", p);
	free(p);
}

static void test_trace_big_endian(void)
{
	struct ipft_event ev[12];
	struct ipft_trace t = { .packet_id = 0xa1b2c3d4e5f60708ull, .flags = IPFT_TRACE_PARTIAL,
				.n_events = 12, .events = ev };
	struct records r = { .n = 0 };
	struct ipft_trace *d = NULL;
	char err[256] = "";

	for (int i = 0; i < 12; i++)
		ev[i] = sample_event(i);
	ipft_trace_encode(&t, 65528, collect, &r);
	record_to_big_endian(r.buf[0], r.len[0]);
	CHECK(r.buf[0][IPFT_OFF(rec, byte_order)] == 'B' && ipft_trace_decode(r.buf[0], r.len[0], &d, err, sizeof(err)) == 0,
	      "big-endian record decodes: %s", err);
	bool all = d && d->packet_id == t.packet_id && d->n_events == 12;
	for (int i = 0; all && i < 12; i++)
		all &= same_event(&ev[i], &d->events[i]);
	CHECK(all, "big-endian record equals the original");
	ipft_trace_free(d);
	free_records(&r);
}

static void test_trace_malformed(void)
{
	struct ipft_event ev[10];
	struct ipft_trace t = { .packet_id = 7, .n_events = 10, .events = ev };
	struct records r = { .n = 0 };
	struct ipft_trace *d;
	char err[256];
	int accepted = 0;

	for (int i = 0; i < 10; i++)
		ev[i] = sample_event(i);
	ipft_trace_encode(&t, 65528, collect, &r);
	for (size_t n = 0; n < r.len[0]; n++) {
		d = NULL;
		if (ipft_trace_decode(r.buf[0], n, &d, err, sizeof(err)) == 0) {
			accepted++;
			ipft_trace_free(d);
		}
	}
	CHECK(accepted == 0, "every truncation of a record is rejected (%d accepted)", accepted);

	/* Random mutations: decoding may fail, it must not crash or overrun. */
	srand(1);
	uint8_t *m = malloc(r.len[0]);
	int rejected = 0;
	for (int iter = 0; iter < 20000; iter++) {
		memcpy(m, r.buf[0], r.len[0]);
		int flips = 1 + rand() % 4;
		for (int f = 0; f < flips; f++)
			m[(size_t)rand() % r.len[0]] = (uint8_t)rand();
		d = NULL;
		if (ipft_trace_decode(m, r.len[0], &d, err, sizeof(err)) < 0)
			rejected++;
		else
			ipft_trace_free(d);
	}
	free(m);
	CHECK(rejected > 0, "mutated records decoded without crashing (%d rejected)", rejected);
	/* The first event claims one attribute more than it holds. */
	uint8_t *c = malloc(r.len[0]);
	uint32_t n_attrs;
	memcpy(c, r.buf[0], r.len[0]);
	memcpy(&n_attrs, c + IPFT_TRACE_HDR_LEN + IPFT_OFF(event, n_attrs), sizeof(n_attrs));
	n_attrs++;
	memcpy(c + IPFT_TRACE_HDR_LEN + IPFT_OFF(event, n_attrs), &n_attrs, sizeof(n_attrs));
	d = NULL;
	CHECK(ipft_trace_decode(c, r.len[0], &d, err, sizeof(err)) < 0 && strstr(err, "claims"),
	      "a wrong attribute count is refused: %s", err);
	ipft_trace_free(d);
	free(c);
	CHECK(ipft_rec_parse(&(struct ipft_rec){ 0 }, (const uint8_t *)"IPFT\x09L", 6, err,
			     sizeof(err)) < 0, "short header rejected");
	uint8_t v2[40] = "IPFT\x02L";
	CHECK(ipft_rec_parse(&(struct ipft_rec){ 0 }, v2, sizeof(v2), err, sizeof(err)) < 0 &&
	      strstr(err, "version 2"), "newer version named: %s", err);
	free_records(&r);
}

static void test_info_record(void)
{
	uint8_t *rec = NULL;
	size_t len = 0, cur = 0;
	struct ipft_rec r;
	struct ipft_attr_view a;
	char err[128];
	int n = 0;

	CHECK(ipft_info_encode(IPFT_REC_STATS, kvs, 5, &rec, &len) == 0, "stats encodes");
	CHECK(ipft_rec_parse(&r, rec, len, err, sizeof(err)) == 0 && r.type == IPFT_REC_STATS &&
	      r.n_attrs == 5, "stats parses");
	while (ipft_rec_next_attr(&r, NULL, &cur, &a, err, sizeof(err)) == 1)
		n += a.type == IPFT_ATTR_KV && a.key_len == strlen(kvs[n].key) &&
		     memcmp(a.key, kvs[n].key, a.key_len) == 0;
	CHECK(n == 5, "stats keys in order (%d)", n);
	free(rec);
}

/* The named offsets and sizes are docs/format.md's tables. */
static void test_layout(void)
{
#define FIELD(part, field, off, size) \
	{ IPFT_OFF(part, field), IPFT_SIZE(part, field), off, size, #part "." #field }
	static const struct {
		size_t off, size, doc_off, doc_size;
		const char *name;
	} f[] = {
		FIELD(rec, magic, 0, 4), FIELD(rec, version, 4, 1), FIELD(rec, byte_order, 5, 1),
		FIELD(rec, type, 6, 2), FIELD(rec, len, 8, 4), FIELD(rec, reserved, 12, 4),
		FIELD(trace, packet_id, 16, 8), FIELD(trace, flags, 24, 4), FIELD(trace, part, 28, 2),
		FIELD(trace, parts, 30, 2), FIELD(trace, n_events, 32, 4),
		FIELD(trace, reserved, 36, 4), FIELD(info, n_attrs, 16, 4),
		FIELD(info, reserved, 20, 4), FIELD(event, len, 0, 2), FIELD(event, kind, 2, 1),
		FIELD(event, flags, 3, 1), FIELD(event, depth, 4, 2), FIELD(event, name_len, 6, 2),
		FIELD(event, cpu, 8, 4), FIELD(event, n_attrs, 12, 4), FIELD(event, ts_ns, 16, 8),
		FIELD(attr, type, 0, 2), FIELD(attr, len, 2, 2), FIELD(kv, key_len, 0, 1),
		FIELD(kv, vtype, 1, 1), FIELD(kv, flags, 2, 2),
	};
#undef FIELD
	int wrong = 0;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (f[i].off != f[i].doc_off || f[i].size != f[i].doc_size) {
			printf("FAIL layout: %s at %zu+%zu, documented %zu+%zu\n", f[i].name, f[i].off,
			       f[i].size, f[i].doc_off, f[i].doc_size);
			wrong++;
		}
	}
	CHECK(!wrong, "%d fields differ from docs/format.md", wrong);
	CHECK(IPFT_REC_HDR_LEN == 16 && IPFT_TRACE_HDR_LEN == 40 && IPFT_INFO_HDR_LEN == 24 &&
	      IPFT_EVENT_HDR_LEN == 24 && IPFT_ATTR_HDR_LEN == 4 && IPFT_KV_HDR_LEN == 4,
	      "header lengths as documented");
}

/* One verdict for every reader: whose the record is, and whether it holds. */
static void test_record_verdict(void)
{
	struct ipft_event ev[3] = { sample_event(0), sample_event(1), sample_event(2) };
	struct ipft_trace t = { .packet_id = 9, .n_events = 3, .events = ev };
	struct records r = { .n = 0 };
	uint8_t *info = NULL, other[IPFT_REC_HDR_LEN];
	size_t info_len = 0;
	char err[256] = "";

	CHECK(!ipft_rec_is_ipft((const uint8_t *)"IPF", 3) &&
	      !ipft_rec_is_ipft((const uint8_t *)"IPFX", 4) &&
	      ipft_rec_is_ipft((const uint8_t *)"IPFT", 4), "the magic tells ipft's records");
	CHECK(ipft_rec_parse(&(struct ipft_rec){ 0 }, (const uint8_t *)"xy", 2, err,
			     sizeof(err)) < 0 && strstr(err, "not an ipft record"),
	      "others' data is named as such: %s", err);
	ipft_trace_encode(&t, 65528, collect, &r);
	CHECK(r.n == 1 && ipft_rec_check(r.buf[0], r.len[0], err, sizeof(err)) == 0,
	      "a trace holds: %s", err);
	r.buf[0][IPFT_TRACE_HDR_LEN + IPFT_OFF(event, n_attrs)]++;
	CHECK(ipft_rec_check(r.buf[0], r.len[0], err, sizeof(err)) < 0 && strstr(err, "claims"),
	      "a trace is checked in full: %s", err);
	CHECK(ipft_info_encode(IPFT_REC_RUN_INFO, kvs, 5, &info, &info_len) == 0 &&
	      ipft_rec_check(info, info_len, err, sizeof(err)) == 0, "run information holds: %s", err);
	info[IPFT_INFO_HDR_LEN + IPFT_OFF(attr, len)] = 0xff;
	CHECK(ipft_rec_check(info, info_len, err, sizeof(err)) < 0 && strstr(err, "overruns"),
	      "its attributes are checked: %s", err);
	uint16_t type = 99; /* the record is in host byte order */
	uint32_t len = IPFT_REC_HDR_LEN;
	memcpy(other, info, sizeof(other));
	memcpy(other + IPFT_OFF(rec, type), &type, sizeof(type));
	memcpy(other + IPFT_OFF(rec, len), &len, sizeof(len));
	CHECK(ipft_rec_check(other, sizeof(other), err, sizeof(err)) == 0,
	      "a record of an unknown type is valid, to be skipped: %s", err);
	free(info);
	free_records(&r);
}

/* ---- pcapng blocks ---------------------------------------------------- */

static const uint8_t payload[] = { 0x45, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

static void write_sample_file(const char *path)
{
	struct pcapng_opts o;
	char err[256];
	struct pcapng_writer *w = pcapng_writer_open_path(path, err, sizeof(err));
	uint8_t trace[] = "not a trace but custom bytes";

	pcapng_opts_init(&o);
	pcapng_opts_add_str(&o, PCAPNG_OPT_SHB_USERAPPL, "ipft test");
	pcapng_opts_add_str(&o, PCAPNG_OPT_SHB_OS, "Linux");
	pcapng_opts_add_str(&o, PCAPNG_OPT_SHB_HARDWARE, "x86_64");
	pcapng_opts_add_str(&o, PCAPNG_OPT_COMMENT, "section comment");
	pcapng_write_shb(w, &o);
	pcapng_opts_reset(&o);
	pcapng_opts_add_str(&o, PCAPNG_OPT_IF_NAME, "veth0");
	pcapng_opts_add_str(&o, PCAPNG_OPT_IF_DESCRIPTION, "ifindex 2, netns 1");
	pcapng_opts_add_u8(&o, PCAPNG_OPT_IF_TSRESOL, 9);
	pcapng_write_idb(w, 101, 256, &o);
	for (int i = 0; i < 5; i++) {
		pcapng_opts_reset(&o);
		pcapng_opts_add_str(&o, PCAPNG_OPT_COMMENT, "ip_rcv > kfree_skb");
		pcapng_opts_add_u32(&o, PCAPNG_OPT_EPB_FLAGS, PCAPNG_EPB_FLAG_INBOUND);
		pcapng_opts_add_u64(&o, PCAPNG_OPT_EPB_PACKETID, 100 + (uint64_t)i);
		pcapng_opts_add_custom(&o, PCAPNG_OPT_CUSTOM_BIN_COPY, IPFT_PEN, trace, sizeof(trace));
		pcapng_opts_add_custom(&o, PCAPNG_OPT_CUSTOM_STR_COPY, 99, "text", 4);
		pcapng_opts_add_custom(&o, PCAPNG_OPT_CUSTOM_BIN_NOCOPY, 98, trace, 3);
		pcapng_write_epb(w, 0, 1700000000123456789ull + (uint64_t)i, payload,
				 (uint32_t)sizeof(payload) - (uint32_t)i, sizeof(payload), &o);
	}
	pcapng_write_cb(w, IPFT_PEN, trace, 5, true);
	pcapng_write_cb(w, 4242, trace, 8, false);
	pcapng_opts_reset(&o);
	pcapng_opts_add_ts(&o, PCAPNG_OPT_ISB_STARTTIME, 1700000000000000001ull);
	pcapng_opts_add_ts(&o, PCAPNG_OPT_ISB_ENDTIME, 1700000001000000002ull);
	pcapng_opts_add_u64(&o, PCAPNG_OPT_ISB_USRDELIV, 5);
	pcapng_write_isb(w, 0, 1700000001000000000ull, &o);
	CHECK(pcapng_write_epb(w, 7, 0, payload, 4, 4, NULL) < 0, "EPB for an undescribed interface refused");
	pcapng_writer_close(w);
	pcapng_opts_free(&o);
}

static void test_block_round_trip(void)
{
	char path[256];
	size_t len;
	uint8_t *buf;
	struct pcapng_reader *r;
	struct pcapng_block b;
	char err[256];
	int counts[8] = { 0 }, rc;
	bool opts_ok = true;

	snprintf(path, sizeof(path), "%s/blocks.pcapng", tmpdir);
	write_sample_file(path);
	buf = slurp(path, &len);
	r = buf ? pcapng_reader_open_mem(buf, len, err, sizeof(err)) : NULL;
	CHECK(r != NULL, "reader opens");
	while (r && (rc = pcapng_reader_next(r, &b)) == 1) {
		struct pcapng_option o;
		size_t cur = 0;
		int nopt = 0;
		while (pcapng_block_next_option(&b, &cur, &o, err, sizeof(err)) == 1) {
			nopt++;
			if (b.type == PCAPNG_BT_SHB && o.code == PCAPNG_OPT_SHB_USERAPPL)
				opts_ok &= o.len == 9 && memcmp(o.val, "ipft test", 9) == 0;
			if (b.type == PCAPNG_BT_IDB && o.code == PCAPNG_OPT_IF_TSRESOL)
				opts_ok &= o.len == 1 && o.val[0] == 9;
			if (b.type == PCAPNG_BT_EPB && o.code == PCAPNG_OPT_EPB_PACKETID)
				opts_ok &= pcapng_opt_u64(&b, &o) == 100 + (uint64_t)counts[2];
			if (b.type == PCAPNG_BT_EPB && o.code == PCAPNG_OPT_CUSTOM_BIN_COPY) {
				uint32_t pen;
				const uint8_t *d;
				size_t dl;
				opts_ok &= pcapng_opt_custom(&b, &o, &pen, &d, &dl) == 0 &&
					   pen == IPFT_PEN && dl == 29;
			}
			if (b.type == PCAPNG_BT_ISB && o.code == PCAPNG_OPT_ISB_USRDELIV)
				opts_ok &= pcapng_opt_u64(&b, &o) == 5;
			/* timestamps: high 32 bits first, as the pcapng spec says */
			if (b.type == PCAPNG_BT_ISB && o.code == PCAPNG_OPT_ISB_STARTTIME)
				opts_ok &= pcapng_opt_ts(&b, &o) == 1700000000000000001ull &&
					   o.len == 8 && memcmp(o.val, &(uint32_t){ 0x17979cfe }, 4) == 0;
			if (b.type == PCAPNG_BT_ISB && o.code == PCAPNG_OPT_ISB_ENDTIME)
				opts_ok &= pcapng_opt_ts(&b, &o) == 1700000001000000002ull;
		}
		switch (b.type) {
		case PCAPNG_BT_SHB: counts[0]++; opts_ok &= nopt == 4 && !b.swapped; break;
		case PCAPNG_BT_IDB: counts[1]++; opts_ok &= b.u.idb.linktype == 101 && b.u.idb.snaplen == 256 && nopt == 3; break;
		case PCAPNG_BT_EPB:
			opts_ok &= nopt == 6 && b.u.epb.ts == 1700000000123456789ull + (uint64_t)counts[2] &&
				   b.u.epb.caplen == sizeof(payload) - (uint32_t)counts[2] &&
				   b.u.epb.origlen == sizeof(payload) &&
				   memcmp(b.u.epb.data, payload, b.u.epb.caplen) == 0 &&
				   b.ts_units_per_sec == 1000000000ull;
			counts[2]++;
			break;
		case PCAPNG_BT_CB_COPY: counts[3]++; opts_ok &= b.u.cb.pen == IPFT_PEN; break;
		case PCAPNG_BT_CB_NOCOPY: counts[4]++; opts_ok &= b.u.cb.pen == 4242; break;
		case PCAPNG_BT_ISB: counts[5]++; opts_ok &= b.u.isb.ts == 1700000001000000000ull; break;
		}
	}
	CHECK(r && rc == 0, "clean end of file: %s", r ? pcapng_reader_error(r) : "");
	CHECK(counts[0] == 1 && counts[1] == 1 && counts[2] == 5 && counts[3] == 1 &&
	      counts[4] == 1 && counts[5] == 1, "every block read back");
	CHECK(opts_ok, "every block's fields and options read back");
	pcapng_reader_close(r);

	/* Every truncation point: an error unless cut at a block boundary. */
	int bad = 0, boundaries = 0;
	for (size_t n = 0; buf && n < len; n++) {
		struct pcapng_reader *t = pcapng_reader_open_mem(buf, n, err, sizeof(err));
		size_t end = 0;
		while ((rc = pcapng_reader_next(t, &b)) == 1)
			end = b.file_offset + b.total_len;
		if (rc == 0) {
			boundaries++;
			bad += end != n || n == 0;
		}
		pcapng_reader_close(t);
	}
	CHECK(bad == 0 && boundaries == 9, "truncations: %d accepted at boundaries, %d wrongly",
	      boundaries, bad);

	/* Mutations: the walk may stop with an error, never crash. */
	srand(2);
	uint8_t *m = malloc(len);
	int errors = 0;
	for (int iter = 0; buf && iter < 20000; iter++) {
		memcpy(m, buf, len);
		for (int f = 0; f < 1 + rand() % 3; f++)
			m[(size_t)rand() % len] = (uint8_t)rand();
		struct pcapng_reader *t = pcapng_reader_open_mem(m, len, err, sizeof(err));
		while ((rc = pcapng_reader_next(t, &b)) == 1) {
			struct pcapng_option o;
			size_t cur = 0;
			while (pcapng_block_next_option(&b, &cur, &o, err, sizeof(err)) == 1)
				;
		}
		errors += rc < 0;
		pcapng_reader_close(t);
	}
	CHECK(errors > 0, "mutated files walked without crashing (%d errors)", errors);
	free(m);
	free(buf);
}

static void put16be(uint8_t **p, uint16_t v) { (*p)[0] = (uint8_t)(v >> 8); (*p)[1] = (uint8_t)v; *p += 2; }
static void put32be(uint8_t **p, uint32_t v) { put16be(p, (uint16_t)(v >> 16)); put16be(p, (uint16_t)v); }

static void test_big_endian_section(void)
{
	uint8_t buf[256], *p = buf;
	struct pcapng_reader *r;
	struct pcapng_block b;
	char err[256];
	int n = 0;
	bool ok = true;

	/* SHB */
	put32be(&p, PCAPNG_BT_SHB); put32be(&p, 28); put32be(&p, PCAPNG_BYTE_ORDER_MAGIC);
	put16be(&p, 1); put16be(&p, 0); put32be(&p, 0xffffffff); put32be(&p, 0xffffffff);
	put32be(&p, 28);
	/* IDB, linktype 1, tsresol 6 */
	put32be(&p, PCAPNG_BT_IDB); put32be(&p, 32); put16be(&p, 1); put16be(&p, 0);
	put32be(&p, 65535); put16be(&p, PCAPNG_OPT_IF_TSRESOL); put16be(&p, 1);
	*p++ = 6; *p++ = 0; *p++ = 0; *p++ = 0; put32be(&p, 0); put32be(&p, 32);
	/* EPB with 4 bytes and epb_packetid */
	put32be(&p, PCAPNG_BT_EPB); put32be(&p, 52); put32be(&p, 0); put32be(&p, 1);
	put32be(&p, 2); put32be(&p, 4); put32be(&p, 60); memcpy(p, "abcd", 4); p += 4;
	put16be(&p, PCAPNG_OPT_EPB_PACKETID); put16be(&p, 8); put32be(&p, 0x01020304);
	put32be(&p, 0x05060708); put32be(&p, 0); put32be(&p, 52);

	r = pcapng_reader_open_mem(buf, (size_t)(p - buf), err, sizeof(err));
	while (pcapng_reader_next(r, &b) == 1) {
		n++;
		ok &= b.swapped;
		if (b.type == PCAPNG_BT_IDB)
			ok &= b.u.idb.linktype == 1 && b.u.idb.snaplen == 65535;
		if (b.type == PCAPNG_BT_EPB) {
			struct pcapng_option o;
			size_t cur = 0;
			ok &= b.u.epb.ts == (1ull << 32 | 2) && b.u.epb.caplen == 4 &&
			      b.u.epb.origlen == 60 && memcmp(b.u.epb.data, "abcd", 4) == 0 &&
			      b.ts_units_per_sec == 1000000;
			ok &= pcapng_block_next_option(&b, &cur, &o, err, sizeof(err)) == 1 &&
			      pcapng_opt_u64(&b, &o) == 0x0102030405060708ull;
		}
	}
	CHECK(n == 3 && ok, "big-endian section read (%d blocks)", n);
	pcapng_reader_close(r);
}

/* The file system refuses part of a flush: the file keeps whole blocks. */
static void test_writer_rollback(void)
{
	char path[256];
	pid_t pid;
	int status = 0;

	snprintf(path, sizeof(path), "%s/limited.pcapng", tmpdir);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 3000, 3000 };
		struct pcapng_opts o;
		char err[256];
		struct pcapng_writer *w;
		uint8_t data[100] = { 0x45 };
		int i;

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		w = pcapng_writer_open_path(path, err, sizeof(err));
		pcapng_opts_init(&o);
		pcapng_write_shb(w, NULL);
		pcapng_write_idb(w, 101, 256, NULL);
		for (i = 0; i < 1000; i++) {
			pcapng_opts_reset(&o);
			pcapng_opts_add_u64(&o, PCAPNG_OPT_EPB_PACKETID, (uint64_t)i);
			if (pcapng_write_epb(w, 0, (uint64_t)i, data, sizeof(data), sizeof(data), &o) < 0)
				break;
			if (i % 7 == 6 && pcapng_writer_flush(w) < 0)
				break;
		}
		_exit(pcapng_writer_errno(w) == EFBIG ? 0 : 3);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer reports EFBIG");

	size_t len;
	uint8_t *buf = slurp(path, &len);
	struct pcapng_reader *r = buf ? pcapng_reader_open_mem(buf, len, path, 0) : NULL;
	struct pcapng_block b;
	int rc = -1, epbs = 0;
	uint64_t expect = 0;
	bool in_order = true;
	while (r && (rc = pcapng_reader_next(r, &b)) == 1) {
		if (b.type == PCAPNG_BT_EPB) {
			in_order &= b.u.epb.ts == expect++;
			epbs++;
		}
	}
	CHECK(rc == 0 && len <= 3000 && epbs > 7 && in_order,
	      "limited file is valid: %zu bytes, %d packets, clean end %d", len, epbs, rc == 0);
	pcapng_reader_close(r);
	free(buf);

	/* A device that is always full. */
	char err[256];
	struct pcapng_writer *w = pcapng_writer_open_path("/dev/full", err, sizeof(err));
	CHECK(w && pcapng_write_shb(w, NULL) == 0 && pcapng_writer_flush(w) < 0 &&
	      pcapng_writer_errno(w) == ENOSPC && pcapng_write_idb(w, 1, 0, NULL) < 0,
	      "ENOSPC reported and later blocks refused");
	pcapng_writer_close(w);
}

/* Pipes: a flush hands over whole blocks; a closed reader is EPIPE. */
static void test_writer_pipe(void)
{
	int fds[2];
	char err[256];
	uint8_t data[64] = { 0x45 }, got[4096];
	struct pcapng_writer *w;
	ssize_t n;

	if (pipe(fds) < 0) {
		CHECK(0, "pipe: %s", strerror(errno));
		return;
	}
	w = pcapng_writer_open_fd(fds[1], true, err, sizeof(err));
	pcapng_write_shb(w, NULL);
	pcapng_write_idb(w, 101, 256, NULL);
	pcapng_write_epb(w, 0, 1, data, sizeof(data), sizeof(data), NULL);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	n = read(fds[0], got, sizeof(got));
	CHECK(n < 0 && errno == EAGAIN, "nothing reaches the pipe before a flush");
	CHECK(pcapng_writer_flush(w) == 0, "flush to a pipe");
	n = read(fds[0], got, sizeof(got));
	CHECK(n > 0 && (uint64_t)n == pcapng_writer_bytes(w), "a flush hands over every block (%zd)", n);
	struct pcapng_reader *r = pcapng_reader_open_mem(got, n > 0 ? (size_t)n : 0, err, sizeof(err));
	struct pcapng_block b;
	int blocks = 0, rc;
	while ((rc = pcapng_reader_next(r, &b)) == 1)
		blocks++;
	CHECK(rc == 0 && blocks == 3, "the reader end sees 3 whole blocks");
	pcapng_reader_close(r);

	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	pcapng_write_epb(w, 0, 2, data, sizeof(data), sizeof(data), NULL);
	CHECK(pcapng_writer_flush(w) < 0 && pcapng_writer_errno(w) == EPIPE,
	      "a closed pipe is EPIPE: %s", pcapng_writer_error(w));
	CHECK(pcapng_write_epb(w, 0, 3, data, sizeof(data), sizeof(data), NULL) < 0,
	      "blocks after EPIPE are refused");
	pcapng_writer_close(w);
	signal(SIGPIPE, SIG_DFL);

	/* A non-blocking pipe that fills up: the writer waits for the reader
	 * instead of failing with EAGAIN, and nothing is lost. */
	if (pipe(fds) < 0)
		return;
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	pid_t pid = fork();
	if (pid == 0) {
		size_t cap = 1 << 20, len = 0;
		uint8_t *all = malloc(cap);
		int epbs = 0;

		close(fds[1]);
		usleep(200000);
		while (all && (n = read(fds[0], all + len, cap - len)) > 0)
			len += (size_t)n;
		r = pcapng_reader_open_mem(all, len, err, sizeof(err));
		while ((rc = pcapng_reader_next(r, &b)) == 1)
			epbs += b.type == PCAPNG_BT_EPB;
		_exit(rc == 0 && epbs == 200 ? 0 : 1);
	}
	close(fds[0]);
	uint8_t big[1000] = { 0x45 };
	w = pcapng_writer_open_fd(fds[1], true, err, sizeof(err));
	pcapng_write_shb(w, NULL);
	pcapng_write_idb(w, 101, 2000, NULL);
	bool ok = true;
	for (int i = 0; i < 200; i++)
		ok &= pcapng_write_epb(w, 0, (uint64_t)i, big, sizeof(big), sizeof(big), NULL) == 0 &&
		      pcapng_writer_flush(w) == 0;
	ok &= pcapng_writer_close(w) == 0;
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(ok && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "200 KB through a full non-blocking pipe arrive whole");

	/* A stop that came while no write was blocked: a reader that does
	 * not read still ends the output after the grace, not never.  The
	 * pipe is filled first (blocking writes fail after a stop only). */
	static volatile sig_atomic_t stop;
	struct timespec t0, t1;
	if (pipe(fds) < 0)
		return;
	w = pcapng_writer_open_fd(fds[1], true, err, sizeof(err));
	pcapng_writer_give_up_on_stop(w, &stop);
	pcapng_write_shb(w, NULL);
	pcapng_write_idb(w, 101, 2000, NULL);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	while (write(fds[1], big, sizeof(big)) > 0)
		continue;
	while (write(fds[1], big, 1) > 0)
		continue;
	fcntl(fds[1], F_SETFL, 0);
	stop = 1;
	alarm(20); /* a writer that blocks for good ends the test */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int flushed = pcapng_writer_flush(w);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	alarm(0);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK(flushed < 0 && pcapng_writer_errno(w) == ETIMEDOUT && took >= 1.5 && took < 10,
	      "a stop before the write: given up after %.1f s: %s", took, pcapng_writer_error(w));
	pcapng_writer_close(w);
	close(fds[0]);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_trace_round_trip();
	test_trace_path();
	test_trace_big_endian();
	test_trace_malformed();
	test_info_record();
	test_layout();
	test_record_verdict();
	test_block_round_trip();
	test_big_endian_section();
	test_writer_rollback();
	test_writer_pipe();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
