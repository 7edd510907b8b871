/* pcapng-dump - print a pcapng file's blocks and ipft traces, one fact per
 * line, for tests to assert on (and for people to look inside a file).
 *
 *   SHB 1.0 userappl="ipft 0.1.0" ...
 *   IDB 0 linktype=1 name="veth0" description="..." tsresol=9
 *   EPB 0 if=0 ts=1700000000.000000001 caplen=42 origlen=42 packetid=0x... flags=0x1 comment="..."
 *   TRACE packet_id=0x... flags=complete part=0/1 events=3
 *   EVENT 0 ts=... cpu=1 kind=tracepoint depth=0 name=kfree_skb reason=NO_SOCKET(3) location=...
 *   CB pen=32473 record=stats events=10 ...
 *   ISB if=0 ...
 *
 * Exit status 1 on a malformed file or trace, with the reason on stderr.
 * -p shows each packed attribute's key/values in braces: { dev="veth0" len=60 }.
 * -x PREFIX also writes every ipft record to PREFIX-N.rec (fuzzing seeds).
 * -j also judges each packet's whole trace, as a viewer shows it: the
 * parts of its own options, else the trace blocks before it with its
 * packet id, joined in file order (format.md 1.1, 1.2); a line on stderr
 * after the EPB when they do not join into a valid trace.
 */
#include "pcapng/pcapng.h"
#include "codec/ipft_format.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failed;

static void print_str(const char *key, const uint8_t *v, size_t len)
{
	printf(" %s=\"", key);
	for (size_t i = 0; i < len; i++)
		putchar(v[i] == '"' || v[i] < 0x20 ? '?' : v[i]);
	putchar('"');
}

static void print_flags(uint32_t f)
{
	static const char *const names[] = { "complete", "partial", "lost", "truncated",
					     "snapshot" };
	const char *sep = "=";

	printf(" flags");
	for (unsigned i = 0; i < 5; i++) {
		if (f & (1u << i)) {
			printf("%s%s", sep, names[i]);
			sep = ",";
		}
	}
	if (f & ~0x1fu)
		printf("%s0x%x", sep, f & ~0x1fu);
	if (!f)
		printf("=none");
}

static void print_kv(const struct ipft_rec *r, const struct ipft_attr_view *a)
{
	uint64_t v;

	printf(" %.*s=", a->key_len, a->key);
	switch (a->vtype) {
	case IPFT_VT_U64:
	case IPFT_VT_S64:
	case IPFT_VT_HEX64:
		if (ipft_kv_int(r, a, &v)) {
			if (a->vtype == IPFT_VT_U64)
				printf("%" PRIu64, v);
			else if (a->vtype == IPFT_VT_S64)
				printf("%" PRId64, (int64_t)v);
			else
				printf("0x%" PRIx64, v);
			return;
		}
		break;
	case IPFT_VT_STRING:
		printf("\"%.*s\"", (int)a->kval_len, (const char *)a->kval);
		return;
	}
	printf("bytes:");
	for (size_t i = 0; i < a->kval_len; i++)
		printf("%02x", a->kval[i]);
}

/* -p: a packed attribute's key/values in braces. */
static int show_packed;

/* The key/values of a packed attribute, as if each were a KV attribute. */
static int print_packed(const struct ipft_rec *r, const struct ipft_attr_view *a, char *err,
			size_t errlen)
{
	struct ipft_attr_view kv;
	size_t cur = 0;
	int rc;

	if (show_packed)
		printf(" {");
	while ((rc = ipft_rec_next_packed(r, a, &cur, &kv, err, errlen)) == 1)
		print_kv(r, &kv);
	if (show_packed)
		printf(" }");
	return rc;
}

/* -x PREFIX: also write each ipft record to PREFIX-N.rec (fuzzing seeds). */
static const char *extract_prefix;
static int n_extracted;

static void extract(const uint8_t *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s-%d.rec", extract_prefix, n_extracted++);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "pcapng-dump: cannot write %s\n", path);
		failed = 1;
	}
}

/* Prints one ipft record (from an EPB option or a Custom Block). */
static void dump_record(const uint8_t *buf, size_t len)
{
	struct ipft_rec r;
	struct ipft_event_view ev;
	struct ipft_attr_view a;
	size_t cur = 0, acur;
	char err[256];
	int rc, i = 0;

	if (extract_prefix)
		extract(buf, len);
	if (ipft_rec_parse(&r, buf, len, err, sizeof(err)) < 0) {
		fprintf(stderr, "pcapng-dump: bad ipft record: %s\n", err);
		failed = 1;
		return;
	}
	if (r.type == IPFT_REC_RUN_INFO || r.type == IPFT_REC_STATS) {
		printf("  %s", r.type == IPFT_REC_RUN_INFO ? "RUN_INFO" : "STATS");
		acur = 0;
		while ((rc = ipft_rec_next_attr(&r, NULL, &acur, &a, err, sizeof(err))) == 1)
			if (a.type == IPFT_ATTR_KV)
				print_kv(&r, &a);
		putchar('\n');
		if (rc < 0) {
			fprintf(stderr, "pcapng-dump: %s\n", err);
			failed = 1;
		}
		return;
	}
	if (r.type != IPFT_REC_TRACE) {
		printf("  RECORD type=%u\n", r.type);
		return;
	}
	/* The full decoder's stricter checks (event and attribute counts). */
	struct ipft_trace *t;
	if (ipft_trace_decode(buf, len, &t, err, sizeof(err)) < 0) {
		fprintf(stderr, "pcapng-dump: bad trace: %s\n", err);
		failed = 1;
	} else {
		ipft_trace_free(t);
	}
	printf("  TRACE packet_id=0x%016" PRIx64, r.packet_id);
	print_flags(r.flags);
	printf(" part=%u/%u events=%u\n", r.part, r.parts, r.n_events);
	while ((rc = ipft_rec_next_event(&r, &cur, &ev, err, sizeof(err))) == 1) {
		printf("    EVENT %d ts=%" PRIu64 ".%09" PRIu64 " cpu=%u kind=%s depth=%u name=%.*s",
		       i++, ev.ts_ns / 1000000000, ev.ts_ns % 1000000000, ev.cpu,
		       ipft_kind_name(ev.kind), ev.depth, ev.name_len, ev.name);
		if (ev.flags & IPFT_EVF_FIRST)
			printf(" first");
		if (ev.flags & IPFT_EVF_FREE)
			printf(" free");
		if (ev.flags & IPFT_EVF_SNAPSHOT)
			printf(" snapshot");
		acur = 0;
		while ((rc = ipft_rec_next_attr(&r, &ev, &acur, &a, err, sizeof(err))) == 1) {
			switch (a.type) {
			case IPFT_ATTR_DROP_REASON:
				printf(" reason_code=%u", ipft_rec_u32(&r, a.val_off));
				break;
			case IPFT_ATTR_DROP_REASON_NAME:
				printf(" reason=%.*s", a.len, (const char *)a.val);
				break;
			case IPFT_ATTR_DROP_LOCATION:
				printf(" location_addr=0x%" PRIx64, ipft_rec_u64(&r, a.val_off));
				break;
			case IPFT_ATTR_DROP_LOCATION_SYM:
				printf(" location=%.*s", a.len, (const char *)a.val);
				break;
			case IPFT_ATTR_RETVAL:
				printf(" retval=%" PRId64, (int64_t)ipft_rec_u64(&r, a.val_off));
				break;
			case IPFT_ATTR_DURATION:
				printf(" duration=%" PRIu64, ipft_rec_u64(&r, a.val_off));
				break;
			case IPFT_ATTR_FUNC_ADDR:
				printf(" addr=0x%" PRIx64, ipft_rec_u64(&r, a.val_off));
				break;
			case IPFT_ATTR_KV:
				print_kv(&r, &a);
				break;
			case IPFT_ATTR_PACKED:
				if (print_packed(&r, &a, err, sizeof(err)) < 0)
					rc = -1;
				break;
			}
			if (rc < 0)
				break;
		}
		putchar('\n');
		if (rc < 0)
			break;
	}
	if (rc < 0) {
		fprintf(stderr, "pcapng-dump: %s\n", err);
		failed = 1;
	}
}

/* -j: the trace records of Custom Blocks, kept for the packets after them. */
static int judge;
static struct held {
	uint64_t id;
	uint8_t *rec;
	size_t len;
} *held;
static size_t n_held;

static void hold_block_trace(const uint8_t *buf, size_t len)
{
	struct ipft_rec r;
	struct held *h;

	if (ipft_rec_parse(&r, buf, len, NULL, 0) < 0 || r.type != IPFT_REC_TRACE)
		return;
	if (!(h = realloc(held, (n_held + 1) * sizeof(*held))) || !(h[n_held].rec = malloc(len))) {
		fprintf(stderr, "pcapng-dump: out of memory\n");
		exit(1);
	}
	held = h;
	memcpy(h[n_held].rec, buf, len);
	h[n_held].id = r.packet_id;
	h[n_held++].len = len;
}

/* Joins the n trace parts p[i] (len[i] bytes) of EPB number epb. */
static void judge_parts(int epb, const uint8_t *const *p, const size_t *len, size_t n,
			const char *carrier)
{
	struct ipft_trace *t;
	char err[256];
	int rc = ipft_trace_decode(p[0], len[0], &t, err, sizeof(err));

	for (size_t i = 1; rc == 0 && i < n; i++)
		if ((rc = ipft_trace_decode_append(t, p[i], len[i], err, sizeof(err))) < 0)
			ipft_trace_free(t);
	if (rc == 0) {
		ipft_trace_free(t);
		return;
	}
	fprintf(stderr, "pcapng-dump: EPB %d: its trace (%zu %s) is malformed: %s\n", epb, n,
		carrier, err);
	failed = 1;
}

/* -j on EPB number epb: the trace parts of its options (records that are
 * not a valid record of another type), else the held blocks of its id. */
static void judge_packet(const struct pcapng_block *b, int epb)
{
	const uint8_t *p[256];
	size_t len[256], n = 0, cur = 0;
	struct pcapng_option o;
	uint64_t id = 0;
	bool has_id = false;

	while (pcapng_block_next_option(b, &cur, &o, NULL, 0) == 1) {
		uint32_t pen;
		const uint8_t *data;
		size_t dlen;
		struct ipft_rec r;

		if (o.code == PCAPNG_OPT_EPB_PACKETID && o.len == 8 && !has_id) {
			id = pcapng_opt_u64(b, &o);
			has_id = true;
		}
		if ((o.code != PCAPNG_OPT_CUSTOM_BIN_COPY && o.code != PCAPNG_OPT_CUSTOM_BIN_NOCOPY) ||
		    pcapng_opt_custom(b, &o, &pen, &data, &dlen) != 0 || pen != IPFT_PEN ||
		    !ipft_rec_is_ipft(data, dlen))
			continue;
		if (ipft_rec_parse(&r, data, dlen, NULL, 0) == 0 && r.type != IPFT_REC_TRACE)
			continue; /* judged on its own */
		if (n < sizeof(p) / sizeof(p[0])) {
			p[n] = data;
			len[n++] = dlen;
		}
	}
	if (n) {
		judge_parts(epb, p, len, n, "option parts");
		return;
	}
	for (size_t i = 0; has_id && i < n_held && n < sizeof(p) / sizeof(p[0]); i++) {
		if (held[i].id == id) {
			p[n] = held[i].rec;
			len[n++] = held[i].len;
		}
	}
	if (n)
		judge_parts(epb, p, len, n, "trace blocks");
}

static void dump_options(const struct pcapng_block *b)
{
	struct pcapng_option o;
	size_t cur = 0;
	char err[256];
	int rc;

	while ((rc = pcapng_block_next_option(b, &cur, &o, err, sizeof(err))) == 1) {
		uint32_t pen;
		const uint8_t *data;
		size_t len;

		if (o.code == PCAPNG_OPT_COMMENT) {
			print_str("comment", o.val, o.len);
		} else if (o.code == PCAPNG_OPT_CUSTOM_BIN_COPY || o.code == PCAPNG_OPT_CUSTOM_BIN_NOCOPY) {
			if (pcapng_opt_custom(b, &o, &pen, &data, &len) == 0)
				printf(" custom%u(pen=%u,%zu bytes)", o.code, pen, len);
		} else if (b->type == PCAPNG_BT_SHB) {
			static const char *names[] = { [2] = "hardware", [3] = "os", [4] = "userappl" };
			if (o.code < 5 && names[o.code])
				print_str(names[o.code], o.val, o.len);
		} else if (b->type == PCAPNG_BT_IDB) {
			if (o.code == PCAPNG_OPT_IF_NAME)
				print_str("name", o.val, o.len);
			else if (o.code == PCAPNG_OPT_IF_DESCRIPTION)
				print_str("description", o.val, o.len);
			else if (o.code == PCAPNG_OPT_IF_TSRESOL && o.len == 1)
				printf(" tsresol=%u", o.val[0]);
		} else if (b->type == PCAPNG_BT_EPB) {
			if (o.code == PCAPNG_OPT_EPB_FLAGS)
				printf(" flags=0x%x", pcapng_opt_u32(b, &o));
			else if (o.code == PCAPNG_OPT_EPB_PACKETID)
				printf(" packetid=0x%016" PRIx64, pcapng_opt_u64(b, &o));
		} else if (b->type == PCAPNG_BT_ISB) {
			static const char *names[] = {
				[2] = "starttime", [3] = "endtime", [4] = "ifrecv", [5] = "ifdrop",
				[6] = "filteraccept", [7] = "osdrop", [8] = "usrdeliv",
			};
			if (o.code == PCAPNG_OPT_ISB_STARTTIME || o.code == PCAPNG_OPT_ISB_ENDTIME)
				printf(" %s=%" PRIu64, names[o.code], pcapng_opt_ts(b, &o));
			else if (o.code > PCAPNG_OPT_ISB_ENDTIME && o.code <= PCAPNG_OPT_ISB_USRDELIV)
				printf(" %s=%" PRIu64, names[o.code], pcapng_opt_u64(b, &o));
		}
	}
	putchar('\n');
	if (rc < 0) {
		fprintf(stderr, "pcapng-dump: %s\n", err);
		failed = 1;
	}
	/* The traces after the block line. */
	cur = 0;
	while (pcapng_block_next_option(b, &cur, &o, err, sizeof(err)) == 1) {
		uint32_t pen;
		const uint8_t *data;
		size_t len;
		if ((o.code == PCAPNG_OPT_CUSTOM_BIN_COPY || o.code == PCAPNG_OPT_CUSTOM_BIN_NOCOPY) &&
		    pcapng_opt_custom(b, &o, &pen, &data, &len) == 0 && pen == IPFT_PEN)
			dump_record(data, len);
	}
}

int main(int argc, char **argv)
{
	struct pcapng_reader *r;
	struct pcapng_block b;
	char err[256];
	int rc, n = 0;

	for (;;) {
		if (argc >= 3 && strcmp(argv[1], "-p") == 0) {
			show_packed = 1;
			argv++;
			argc--;
		} else if (argc >= 3 && strcmp(argv[1], "-j") == 0) {
			judge = 1;
			argv++;
			argc--;
		} else if (argc >= 4 && strcmp(argv[1], "-x") == 0) {
			extract_prefix = argv[2];
			argv += 2;
			argc -= 2;
		} else {
			break;
		}
	}
	if (argc != 2) {
		fprintf(stderr, "usage: pcapng-dump [-j] [-p] [-x PREFIX] FILE\n");
		return 2;
	}
	r = pcapng_reader_open_path(argv[1], err, sizeof(err));
	if (!r) {
		fprintf(stderr, "pcapng-dump: %s\n", err);
		return 1;
	}
	while ((rc = pcapng_reader_next(r, &b)) == 1) {
		switch (b.type) {
		case PCAPNG_BT_SHB:
			printf("SHB %u.%u", b.u.shb.major, b.u.shb.minor);
			dump_options(&b);
			break;
		case PCAPNG_BT_IDB:
			printf("IDB linktype=%u snaplen=%u", b.u.idb.linktype, b.u.idb.snaplen);
			dump_options(&b);
			break;
		case PCAPNG_BT_EPB: {
			uint64_t ts = b.u.epb.ts, u = b.ts_units_per_sec;
			printf("EPB %d if=%u ts=%" PRIu64 ".%09" PRIu64 " caplen=%u origlen=%u", n++,
			       b.u.epb.if_id, ts / u,
			       (uint64_t)((unsigned __int128)(ts % u) * 1000000000 / u), b.u.epb.caplen,
			       b.u.epb.origlen);
			dump_options(&b);
			if (judge)
				judge_packet(&b, n - 1);
			break;
		}
		case PCAPNG_BT_ISB:
			printf("ISB if=%u", b.u.isb.if_id);
			dump_options(&b);
			break;
		case PCAPNG_BT_CB_COPY:
		case PCAPNG_BT_CB_NOCOPY:
			printf("CB pen=%u copy=%d len=%zu\n", b.u.cb.pen, b.type == PCAPNG_BT_CB_COPY,
			       b.u.cb.len);
			if (b.u.cb.pen == IPFT_PEN) {
				dump_record(b.u.cb.data, b.u.cb.len);
				if (judge)
					hold_block_trace(b.u.cb.data, b.u.cb.len);
			}
			break;
		default:
			printf("BLOCK type=0x%08x len=%u\n", b.type, b.total_len);
		}
	}
	if (rc < 0) {
		fprintf(stderr, "pcapng-dump: %s\n", pcapng_reader_error(r));
		failed = 1;
	}
	pcapng_reader_close(r);
	for (size_t i = 0; i < n_held; i++)
		free(held[i].rec);
	free(held);
	return failed;
}
