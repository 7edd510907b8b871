/* replay.c - ipft's user space alone: ring-buffer records through the
 * assembly (tracer/collect/assemble.c) and the pcapng writer
 * (tracer/output/pcapng_out.c), without a kernel.
 *
 *   replay [-n PACKETS] [-p PASSES] [-w FILE] [-s SNAPLEN] [--trace-blocks] [-x meta]
 *
 * The records are the ones the BPF side sends for a 64-byte UDP flood over
 * veth (bench/overhead.sh): per datagram one CAPTURE record of the full
 * snaplen (106 bytes used) at its first hit, and one HITS record when it
 * ends.  The mix is what `ipft -w` wrote for bench/udp-flood on the 6.18
 * development VM (docs/performance.md): half the datagrams delivered and
 * freed by consume_skb on the receiving CPU (7 hits), a quarter dropped
 * with NO_SOCKET (7 hits), 3 % dropped with SOCKET_RCVBUFF (8 hits), the
 * rest retired by the kernel with 6 hits when the full tracking map made
 * room (their HITS record comes 65536 packets later).  The kernel's clock
 * runs at 300 000 datagrams a second; records are handed over in the
 * order their time says, as the ring buffer would.
 *
 * PACKETS datagrams (default 250 000) are generated in memory, then
 * replayed PASSES times (default 4; ids and times shifted each pass, not
 * timed) three ways: through the assembly alone (a write callback that
 * does nothing), and through the assembly and the pcapng writer to FILE
 * (default /dev/null; a file on tmpfs shows write()'s copy too), once with
 * the trace as an EPB option and once as Custom Blocks.  For each it
 * prints events and packets per second of CPU time of this process (one
 * thread: per core) and of wall-clock time.  Drop reasons and locations
 * are named from this kernel's BTF and /proc/kallsyms when readable, as
 * ipft would.  With -x meta the hits carry what the meta collector sends
 * (tracer/collectors/meta_slot.h): the lengths in every hit, the skb's data
 * after the first hit (its device: the capture's), the second device at
 * the veth hop.
 */
#include "tracer/collect/assemble.h"
#include "tracer/collect/clock.h"
#include "tracer/collectors/collectors.h"
#include "tracer/kernel/drop_reason.h"
#include "tracer/kernel/kallsyms.h"
#include "tracer/output/pcapng_out.h"
#include "tracer/output/run_info.h"
#include "tracer/probes/probe.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS 1000000000ull
#define RATE 300000ull            /* datagrams per second of kernel time */
#define EVICT_LAG 65536           /* a retired packet's hits, this many packets later */
#define POLL_NS (50 * 1000000ull) /* the run loop's poll: set_now and expiry */
#define FLUSH_TIMEOUT_NS (10 * NS)
#define SWEEP_NS (5 * NS)
#define ORDER_SETTLE_NS (200 * 1000000ull)
#define MAX_EVENTS_PER_PACKET 4096
#define ID_SALT 0x5eed000000000000ull
#define MONO_START (1000 * NS)
#define TAI_OFFSET 1790000000000000000ll
/* SKB_DROP_REASON_* of Linux 6.x */
#define REASON_NO_SOCKET 3
#define REASON_SOCKET_RCVBUFF 6

/* The attach points of a tracepoint run, in the order ipft lists them. */
static const char *const tp_names[] = {
	"kfree_skb", "consume_skb", "skb_copy_datagram_iovec", "net_dev_start_xmit",
	"net_dev_xmit", "net_dev_queue", "netif_receive_skb", "netif_rx",
	"napi_gro_frags_entry", "napi_gro_receive_entry", "netif_receive_skb_entry",
	"netif_receive_skb_list_entry", "netif_rx_entry", "sock_rcvqueue_full",
	"udp_fail_queue_rcv_skb", "tcp_retransmit_skb", "tcp_send_reset", "tcp_sendmsg_locked",
	"tcp_probe", "tcp_bad_csum", "qdisc_dequeue", "qdisc_enqueue", "icmp_send",
};
enum { P_KFREE = 0, P_CONSUME = 1, P_START_XMIT = 3, P_XMIT = 4, P_QUEUE = 5, P_RECEIVE = 6,
       P_RX = 7, P_RX_ENTRY = 12, P_UDP_FAIL = 14 };
#define N_PROBES (sizeof(tp_names) / sizeof(tp_names[0]))

/* How a datagram ends. */
enum ending { CONSUMED, NO_SOCKET, RCVBUFF, RETIRED };

/* One record of the stream, before it is laid out. */
struct pending {
	uint64_t t;       /* kernel time it reaches the ring buffer */
	uint32_t pkt;
	uint8_t hits;     /* 0: the capture, 1: the hits */
};

struct stream {
	uint8_t *buf;     /* records, each a u32 size then the record, 8-aligned */
	size_t len;
	uint64_t span_ns; /* kernel time one pass covers */
	size_t packets, events;
};

static uint64_t drop_location;
static bool meta; /* -x meta */

/* -x meta: what the kernel adds after a hit where the device changed;
 * after the first, what the skb is, saying that the device is the one of
 * the capture that went out at that hit. */
static void add_meta(struct ipft_live *r, const char *dev, uint32_t netns, bool first)
{
	if (first) {
		struct ipft_meta_skb *m = (struct ipft_meta_skb *)&r->slot[r->n++];
		memset(m, 0, sizeof(*m));
		m->protocol = __builtin_bswap16(0x0800);
		m->kind = IPFT_DATA_META_SKB;
		m->aux = IPFT_META_SKB_DEV_IN_CAPTURE;
		r->n_data++;
		return;
	}
	struct ipft_meta_dev *d = (struct ipft_meta_dev *)&r->slot[r->n++];

	memset(d, 0, sizeof(*d));
	strncpy(d->ifname, dev, sizeof(d->ifname));
	d->ifindex = 2;
	d->netns = netns;
	d->kind = IPFT_DATA_META_DEV;
	r->n_data++;
}

static enum ending ending_of(uint32_t i)
{
	uint32_t r = (i * 2654435761u) % 100; /* spread evenly, the same every run */

	return r < 50 ? CONSUMED : r < 76 ? NO_SOCKET : r < 79 ? RCVBUFF : RETIRED;
}

static uint64_t start_of(uint32_t i)
{
	return MONO_START + (uint64_t)i * NS / RATE;
}

/* The datagram's hits from its first one: the send path and the veth to
 * the receive path on the sender's CPU, then how it ended. */
static void fill_hits(struct ipft_live *r, uint32_t i, uint64_t id)
{
	static const uint32_t path[] = { P_QUEUE, P_START_XMIT, P_RX_ENTRY, P_RX, P_XMIT, P_RECEIVE };
	static const uint32_t gap_ns[] = { 0, 1400, 1800, 400, 500, 600 };
	enum ending e = ending_of(i);
	uint64_t ts = start_of(i);

	memset(r, 0, offsetof(struct ipft_live, slot));
	r->type = IPFT_REC_HITS;
	r->packet_id = id;
	r->first_ts = ts;
	r->flags = IPFT_LIVE_FIRST;
	r->captured = 1;
	r->rx_seen = 1;
	for (size_t k = 0; k < sizeof(path) / sizeof(path[0]); k++) {
		ts += gap_ns[k];
		r->slot[r->n++] = (struct ipft_slot){ .ts = ts, .probe_id = path[k], .cpu = 0,
						      .kind = IPFT_HIT_TRACEPOINT };
		if (meta) {
			r->slot[r->n - 1].skb.len = path[k] == P_QUEUE || path[k] == P_START_XMIT ? 106 : 92;
			if (k == 0 || path[k] == P_RX_ENTRY)
				add_meta(r, k ? "vethb" : "vetha", k ? 4026532597u : 4026532281u, !k);
		}
	}
	if (e == RCVBUFF) {
		ts += 2500;
		r->slot[r->n++] = (struct ipft_slot){ .ts = ts, .probe_id = P_UDP_FAIL, .cpu = 0,
						      .kind = IPFT_HIT_TRACEPOINT };
	}
	if (e == RETIRED) {
		r->flags |= IPFT_LIVE_RETIRED;
		return;
	}
	ts += e == CONSUMED ? 40000 : 3000;
	r->slot[r->n] = (struct ipft_slot){ .ts = ts, .probe_id = e == CONSUMED ? P_CONSUME : P_KFREE,
					    .cpu = e == CONSUMED ? 1 : 0,
					    .kind = IPFT_HIT_TRACEPOINT };
	r->free_slot = (uint8_t)r->n++;
	r->flags |= IPFT_LIVE_FREE | IPFT_LIVE_FREED_HERE;
	if (e != CONSUMED) {
		r->flags |= IPFT_LIVE_HAS_REASON;
		r->drop_reason = e == NO_SOCKET ? REASON_NO_SOCKET : REASON_SOCKET_RCVBUFF;
		r->drop_location = drop_location;
	}
}

/* Ethernet, IPv4, UDP and 64 bytes of payload, as udp-flood sends. */
static void fill_capture(struct ipft_capture *c, size_t snaplen, uint32_t i, uint64_t id)
{
	static const uint8_t frame[42] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,  /* Ethernet */
		0x45, 0, 0, 92, 0, 0, 0x40, 0, 64, 17, 0, 0,                  /* IPv4 */
		10, 250, 0, 1, 10, 250, 0, 2,
		0xc3, 0x50, 0x13, 0x89, 0, 72, 0, 0,                          /* UDP */
	};
	uint64_t ts = start_of(i);

	memset(c, 0, offsetof(struct ipft_capture, data) + snaplen);
	c->type = IPFT_REC_CAPTURE;
	c->packet_id = id;
	c->first_ts = ts;
	c->mono_ns = ts + 900;
	c->tai_ns = ts + 900 + TAI_OFFSET;
	c->caplen = 106 < snaplen ? 106 : (uint32_t)snaplen;
	c->origlen = 106;
	c->ifindex = 2;
	c->netns = 4026532600u;
	c->probe_id = P_QUEUE;
	c->dev_type = 1;
	c->layer = IPFT_CAPTURE_L2;
	c->pkt_type = 4; /* PACKET_OUTGOING */
	c->protocol = 0x0008;
	snprintf(c->ifname, sizeof(c->ifname), "ipftb%ua", 4242u);
	memcpy(c->data, frame, c->caplen < sizeof(frame) ? c->caplen : sizeof(frame));
	c->data[18] = (uint8_t)(i >> 8); /* the IP id */
	c->data[19] = (uint8_t)i;
}

static int by_time(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t ? 1 : x->pkt < y->pkt ? -1 : x->pkt > y->pkt;
}

static uint8_t *put(struct stream *s, size_t size)
{
	uint8_t *p = s->buf + s->len;

	memcpy(p, &(uint32_t){ (uint32_t)size }, sizeof(uint32_t));
	s->len += (8 + size + 7) & ~(size_t)7;
	return p + 8;
}

/* One pass: every datagram's two records in the order of their time. */
static int generate(struct stream *s, size_t packets, size_t snaplen)
{
	size_t cap_size = offsetof(struct ipft_capture, data) + snaplen;
	size_t max_hits = offsetof(struct ipft_live, slot) + 11 * sizeof(struct ipft_slot);
	struct pending *q = calloc(2 * packets, sizeof(*q));
	struct ipft_live r;

	s->buf = malloc(packets * ((8 + cap_size + 7) + (8 + max_hits + 7)));
	if (!q || !s->buf) {
		free(q);
		return -1;
	}
	for (uint32_t i = 0; i < packets; i++) {
		enum ending e = ending_of(i);
		fill_hits(&r, i, 0);
		q[2 * i] = (struct pending){ .t = start_of(i) + 900, .pkt = i };
		q[2 * i + 1] = (struct pending){
			.t = e == RETIRED ? start_of(i + EVICT_LAG) : r.slot[r.n - 1].ts, .pkt = i,
			.hits = 1 };
	}
	qsort(q, 2 * packets, sizeof(*q), by_time);
	s->len = 0;
	s->events = 0;
	for (size_t k = 0; k < 2 * packets; k++) {
		uint64_t id = ID_SALT | (q[k].pkt + 1);
		if (q[k].hits) {
			fill_hits(&r, q[k].pkt, id);
			size_t size = offsetof(struct ipft_live, slot) + r.n * sizeof(r.slot[0]);
			memcpy(put(s, size), &r, size);
			s->events += r.n - r.n_data;
		} else {
			fill_capture((struct ipft_capture *)put(s, cap_size), snaplen, q[k].pkt, id);
		}
	}
	s->packets = packets;
	s->span_ns = start_of((uint32_t)packets) - start_of(0);
	free(q);
	return 0;
}

/* The next pass: later packets, later times. */
static void shift(struct stream *s, uint64_t id_step, uint64_t ns)
{
	for (size_t off = 0; off < s->len;) {
		uint32_t size;
		uint8_t *rec = s->buf + off + 8;
		memcpy(&size, s->buf + off, sizeof(size));
		if (((struct ipft_live *)rec)->type == IPFT_REC_HITS) {
			struct ipft_live *r = (struct ipft_live *)rec;
			r->packet_id += id_step;
			r->first_ts += ns;
			for (size_t i = 0; i < r->n; i++)
				if (!ipft_slot_is_data(&r->slot[i]))
					r->slot[i].ts += ns;
		} else {
			struct ipft_capture *c = (struct ipft_capture *)rec;
			c->packet_id += id_step;
			c->first_ts += ns;
			c->mono_ns += ns;
			c->tai_ns += ns;
		}
		off += (8 + size + 7) & ~(size_t)7;
	}
}

/* The address of a symbol in /proc/kallsyms, 0 if hidden or absent. */
static uint64_t ksym_addr(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[256], sym[128], type;
	unsigned long long addr;
	uint64_t found = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %127s", &addr, &type, sym) == 3 && !strcmp(sym, name)) {
			found = addr;
			break;
		}
	if (f)
		fclose(f);
	return found;
}

static uint64_t clock_of(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

struct sink {
	struct ipft_pcapng_out *out;
	uint64_t written;
};

static int write_none(const struct ipft_packet *p, void *arg)
{
	(void)p;
	((struct sink *)arg)->written++;
	return 0;
}

static int write_pcapng(const struct ipft_packet *p, void *arg)
{
	struct sink *k = arg;

	k->written++;
	return ipft_pcapng_out_packet(k->out, p);
}

struct setup {
	struct ipft_probe_set *probes;
	struct ipft_kallsyms *ksyms;
	struct ipft_drop_reasons *reasons;
	struct ipft_clock *clock;
	struct ipft_run_info *ri;
	size_t snaplen, passes;
	const char *path;         /* NULL: the assembly alone */
	bool trace_blocks;
};

/* Replays the stream PASSES times; prints one line. */
static int replay(struct stream *s, const struct setup *u, const char *what)
{
	struct sink sink = { 0 };
	struct ipft_assembler_cfg ac = {
		.probes = u->probes, .ksyms = u->ksyms, .reasons = u->reasons,
		.max_inflight = 65536, .max_hits = MAX_EVENTS_PER_PACKET, .snaplen = u->snaplen,
		.clock = u->clock, .write = u->path ? write_pcapng : write_none, .arg = &sink,
		.collect = meta ? IPFT_COLLECT_META : 0,
		.order_window_ns = FLUSH_TIMEOUT_NS + 2 * SWEEP_NS, .order_settle_ns = ORDER_SETTLE_NS,
	};
	struct ipft_assembler *a = ipft_assembler_new(&ac);
	uint64_t cpu = 0, wall = 0, events = 0, packets = 0, id_step = 0, ns_step = 0;
	char err[256];

	if (!a) {
		fprintf(stderr, "replay: out of memory\n");
		return -1;
	}
	if (u->path && !(sink.out = ipft_pcapng_out_open(u->path, u->ri, u->trace_blocks, err,
							 sizeof(err)))) {
		fprintf(stderr, "replay: %s\n", err);
		ipft_assembler_free(a);
		return -1;
	}
	for (size_t pass = 0; pass < u->passes; pass++) {
		uint64_t c0 = clock_of(CLOCK_PROCESS_CPUTIME_ID), w0 = clock_of(CLOCK_MONOTONIC);
		uint64_t base = MONO_START + ns_step, next_poll = base;

		for (size_t off = 0; off < s->len;) {
			uint32_t size;
			const uint8_t *rec = s->buf + off + 8;
			memcpy(&size, s->buf + off, sizeof(size));
			/* The run loop: the time after each poll (captures come at
			 * the flood's pace), expiry, a flush a second. */
			const struct ipft_capture *c = (const void *)rec;
			if (c->type == IPFT_REC_CAPTURE && c->mono_ns >= next_poll) {
				next_poll += POLL_NS;
				ipft_assembler_set_now(a, next_poll);
				if (next_poll > FLUSH_TIMEOUT_NS + 2 * SWEEP_NS)
					ipft_assembler_expire(a, next_poll - FLUSH_TIMEOUT_NS - 2 * SWEEP_NS);
				if (sink.out && (next_poll - base) % NS < POLL_NS &&
				    ipft_pcapng_out_flush(sink.out) < 0)
					break;
			}
			ipft_assembler_record(a, rec, size);
			off += (8 + size + 7) & ~(size_t)7;
		}
		cpu += clock_of(CLOCK_PROCESS_CPUTIME_ID) - c0;
		wall += clock_of(CLOCK_MONOTONIC) - w0;
		events += s->events;
		packets += s->packets;
		/* Untimed: the next pass's records follow this one's. */
		id_step += s->packets + EVICT_LAG;
		ns_step += s->span_ns + (uint64_t)EVICT_LAG * NS / RATE;
		shift(s, s->packets + EVICT_LAG, s->span_ns + (uint64_t)EVICT_LAG * NS / RATE);
	}
	/* What is left at the stop, as ipft's drain writes it. */
	uint64_t c0 = clock_of(CLOCK_PROCESS_CPUTIME_ID), w0 = clock_of(CLOCK_MONOTONIC);
	ipft_assembler_flush_all(a);
	if (sink.out && ipft_pcapng_out_flush(sink.out) < 0)
		fprintf(stderr, "replay: writing %s failed: %s\n", u->path,
			ipft_pcapng_out_error(sink.out));
	cpu += clock_of(CLOCK_PROCESS_CPUTIME_ID) - c0;
	wall += clock_of(CLOCK_MONOTONIC) - w0;
	/* Undo the shifts: the stream is the first pass again. */
	shift(s, -id_step, -ns_step);
	printf("%-34s %9.0f events/s %9.0f packets/s per CPU second; wall clock %9.0f events/s "
	       "(%llu events, %llu packets, %llu written)\n",
	       what, (double)events * NS / (double)cpu, (double)packets * NS / (double)cpu,
	       (double)events * NS / (double)wall, (unsigned long long)events,
	       (unsigned long long)packets, (unsigned long long)sink.written);
	fflush(stdout);
	if (sink.out)
		ipft_pcapng_out_close(sink.out, NULL, err, sizeof(err));
	ipft_assembler_free(a);
	return sink.written == packets ? 0 : -1;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: replay [-n PACKETS] [-p PASSES] [-w FILE] [-s SNAPLEN] [-m MODE] [-x meta]\n"
		"  MODE: all (default), assemble, option, blocks\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct ipft_probe probe_v[N_PROBES];
	struct ipft_probe_set probes = { .v = probe_v, .n = N_PROBES };
	const char *names[N_PROBES];
	struct ipft_run_info ri = { .cmdline = "bench/replay", .backend = "tracepoint",
				    .probe_names = names, .n_probes = N_PROBES };
	struct ipft_clock clock;
	struct setup u = { .probes = &probes, .clock = &clock, .ri = &ri, .snaplen = 256,
			   .passes = 4, .path = "/dev/null" };
	const char *mode = "all";
	size_t packets = 250000;
	struct stream s = { 0 };
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "n:p:w:s:m:x:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': packets = strtoul(optarg, NULL, 0); break;
		case 'p': u.passes = strtoul(optarg, NULL, 0); break;
		case 'w': u.path = optarg; break;
		case 's': u.snaplen = strtoul(optarg, NULL, 0); break;
		case 'm': mode = optarg; break;
		case 'x': meta = strcmp(optarg, "meta") == 0; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (packets < 1000 || packets > 10000000 || !u.passes || u.snaplen < 64 ||
	    u.snaplen > IPFT_SNAPLEN_MAX) {
		usage(stderr);
		return 1;
	}
	memset(probe_v, 0, sizeof(probe_v));
	for (size_t i = 0; i < N_PROBES; i++) {
		probe_v[i] = (struct ipft_probe){ .id = (uint32_t)i, .name = (char *)tp_names[i],
						  .type = IPFT_PROBE_TRACEPOINT };
		names[i] = tp_names[i];
	}
	ri.snaplen = (uint32_t)u.snaplen;
	ipft_clock_fixed(&clock, TAI_OFFSET);
	u.ksyms = ipft_kallsyms_load();
	u.reasons = ipft_drop_reasons_load();
	drop_location = ksym_addr("__udp4_lib_rcv");
	drop_location = drop_location ? drop_location + 0x4bc : 0xffffffff81a2b4bcull;
	if (generate(&s, packets, u.snaplen) < 0) {
		fprintf(stderr, "replay: out of memory\n");
		return 1;
	}
	printf("replay: %zu datagrams (%zu events) a pass, %zu passes, snaplen %zu; drop "
	       "reasons %s, kallsyms %s\n", s.packets, s.events, u.passes, u.snaplen,
	       u.reasons ? "named" : "unnamed", ipft_kallsyms_hidden(u.ksyms) ? "hidden" : "read");
	if (!strcmp(mode, "all") || !strcmp(mode, "assemble")) {
		struct setup v = u;
		v.path = NULL;
		rc |= replay(&s, &v, "assembly alone");
	}
	if (!strcmp(mode, "all") || !strcmp(mode, "option"))
		rc |= replay(&s, &u, "assembly + pcapng (trace option)");
	if (!strcmp(mode, "all") || !strcmp(mode, "blocks")) {
		struct setup v = u;
		v.trace_blocks = true;
		rc |= replay(&s, &v, "assembly + pcapng (trace blocks)");
	}
	free(s.buf);
	ipft_kallsyms_free(u.ksyms);
	ipft_drop_reasons_free(u.reasons);
	ipft_clock_free(&clock);
	return rc ? 1 : 0;
}
