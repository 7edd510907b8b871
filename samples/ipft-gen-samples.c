/* ipft-gen-samples - writes the sample pcapng files of samples/ into a
 * directory.
 *
 * Each sample is a made-up run written by the tracer's own writer
 * (tracer/output/pcapng_out.c): synthetic packets, as the collector hands
 * them over (events, captured header bytes, flags), with fixed times,
 * packet ids and host strings, so that the files are byte-for-byte
 * reproducible and follow every change of what ipft writes.  The
 * Wireshark plugin's tests and the format documentation use them, and a
 * test regenerates them and compares with the checked-in copies.
 *
 *   ipft-gen-samples DIR
 */
#include "tracer/output/pcapng_out.h"
#include "tracer/output/run_info.h"
#include "tracer/collect/packets.h"
#include "tracer/collect/snaps.h"

#include <arpa/inet.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SNAPLEN 256
/* packet_id: a per-run salt in the high bits and a counter.  ipft draws the
 * salt at random; here each sample is its own "run" with a fixed salt, so
 * merging two samples keeps every id unique, as with real files. */
#define PACKET_ID(salt, n) ((uint64_t)(salt) << (64 - IPFT_ID_SALT_BITS) | (n))
/* 2023-11-14 22:13:20 UTC, in ns */
#define T0 1700000000000000000ull
#define NETNS_ROOT 4026531840u
#define NETNS_TEST 4026532287u

/* ---- frames: the header bytes a capture holds -------------------------- */

struct frame {
	uint8_t data[128];
	uint32_t len;
};

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static const uint8_t MAC_A[6] = { 0x02, 0x42, 0xac, 0x11, 0x00, 0x02 };
static const uint8_t MAC_B[6] = { 0x02, 0x42, 0xac, 0x11, 0x00, 0x03 };

/* Ethernet + IPv4 header for an L4 segment of l4_len bytes; returns the
 * offset of the L4 header. */
static size_t eth_ip(struct frame *k, const uint8_t *src_mac, const uint8_t *dst_mac,
		     uint32_t src, uint32_t dst, uint8_t proto, size_t l4_len, uint16_t ip_id)
{
	uint8_t *e = k->data, *ip = k->data + 14;

	memcpy(e, dst_mac, 6);
	memcpy(e + 6, src_mac, 6);
	put16(e + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + l4_len));
	put16(ip + 4, ip_id);
	put16(ip + 6, 0x4000); /* DF */
	ip[8] = 64;
	ip[9] = proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	k->len = (uint32_t)(14 + 20 + l4_len);
	return 34;
}

/* L4 checksum over the IPv4 pseudo header. */
static uint16_t l4_csum(const struct frame *k, size_t l4, size_t l4_len)
{
	const uint8_t *ip = k->data + 14;
	uint32_t sum = csum_add(0, ip + 12, 8);

	sum += ip[9];
	sum += (uint32_t)l4_len;
	return csum_fold(csum_add(sum, k->data + l4, l4_len));
}

static void udp_packet(struct frame *k, uint32_t src, uint32_t dst, uint16_t sport,
		       uint16_t dport, const char *payload)
{
	size_t plen = strlen(payload), l4_len = 8 + plen;
	size_t l4 = eth_ip(k, MAC_A, MAC_B, src, dst, 17, l4_len, 0x1c46);
	uint8_t *u = k->data + l4;

	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)l4_len);
	put16(u + 6, 0);
	memcpy(u + 8, payload, plen);
	uint16_t c = l4_csum(k, l4, l4_len);
	put16(u + 6, c ? c : 0xffff);
}

#define TCP_SYN 0x02
#define TCP_ACK 0x10

static void tcp_packet(struct frame *k, bool from_client, uint32_t seq, uint32_t ack,
		       uint8_t flags, uint16_t ip_id)
{
	uint32_t client = 0x0a000001, server = 0x0a000002; /* 10.0.0.1, 10.0.0.2 */
	bool mss = flags & TCP_SYN;
	size_t l4_len = mss ? 24 : 20;
	size_t l4 = eth_ip(k, from_client ? MAC_A : MAC_B, from_client ? MAC_B : MAC_A,
			   from_client ? client : server, from_client ? server : client, 6,
			   l4_len, ip_id);
	uint8_t *t = k->data + l4;

	memset(t, 0, l4_len);
	put16(t, from_client ? 45678 : 80);
	put16(t + 2, from_client ? 80 : 45678);
	put32(t + 4, seq);
	put32(t + 8, ack);
	t[12] = (uint8_t)((l4_len / 4) << 4);
	t[13] = flags;
	put16(t + 14, 64240);
	if (mss) {
		t[20] = 2; /* MSS */
		t[21] = 4;
		put16(t + 22, 1460);
	}
	put16(t + 16, l4_csum(k, l4, l4_len));
}

/* ---- a run: the writer fed with finished packets ------------------------ */

/* The device a packet's headers were captured on. */
struct dev {
	const char *name;
	uint32_t ifindex, netns;
};

static const struct dev VETH0 = { "veth0", 2, NETNS_TEST };
static const struct dev ETH0 = { "eth0", 2, NETNS_ROOT };
static const struct dev BR0 = { "br0", 5, NETNS_TEST };

/* Every sample claims the same run and machine. */
static const struct ipft_run_host HOST = {
	.application = "ipft 0.1.0 (ipft-gen-samples)",
	.os = "Linux 6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1",
	.hardware = "x86_64",
	.kernel = "6.1.0-13-amd64",
};
static const char *const ATTACHED[] = { "ip_rcv", "ip_local_deliver", "kfree_skb" };

struct sample {
	struct ipft_pcapng_out *out;
	struct ipft_run_info ri;
	struct ipft_run_stats st;
	char path[4096];
};

/* One traced packet: its events (the headers were captured at the
 * first), the frame and where it was captured. */
struct traced {
	uint64_t id;
	uint32_t flags;          /* IPFT_TRACE_* */
	struct ipft_event *events;
	size_t n_events;
	const struct dev *dev;
	bool outbound;           /* captured on the way out: no input device */
	struct frame frame;
	struct ipft_snaps *snaps; /* lineage and header snapshots, or NULL */
};

static int sample_open(struct sample *s, const char *dir, const char *name, bool trace_blocks)
{
	char err[512];

	memset(s, 0, sizeof(*s));
	s->ri = (struct ipft_run_info){
		.cmdline = "ipft -b kprobe -w trace.pcapng", .backend = "kprobe",
		.probe_names = ATTACHED, .n_probes = ARRAY_SIZE(ATTACHED),
		.snaplen = SNAPLEN, .start_real_ns = T0 - 500000000, .host = &HOST,
	};
	snprintf(s->path, sizeof(s->path), "%s/%s", dir, name);
	s->out = ipft_pcapng_out_open(s->path, &s->ri, trace_blocks, err, sizeof(err));
	if (!s->out)
		fprintf(stderr, "ipft-gen-samples: %s\n", err);
	return s->out ? 0 : -1;
}

/* The packet as the collector hands it to the writer when it is done. */
static void make_packet(struct ipft_packet *p, const struct traced *t)
{
	struct ipft_capture *c = &p->cap;

	p->packet_id = t->id;
	p->flags = t->flags;
	p->events = t->events;
	p->n_events = t->n_events;
	p->capture_name = t->events[0].name;
	p->captured = true;
	p->capture_probe = 0;
	p->first_hit = p->free_hit = -1;
	p->snaps = t->snaps;
	c->type = IPFT_REC_CAPTURE;
	c->packet_id = t->id;
	c->caplen = c->origlen = t->frame.len;
	c->ifindex = t->dev->ifindex;
	c->netns = t->dev->netns;
	c->skb_iif = t->outbound ? 0 : t->dev->ifindex;
	c->pkt_type = t->outbound ? PACKET_OUTGOING : PACKET_HOST;
	c->dev_type = ARPHRD_ETHER;
	c->layer = IPFT_CAPTURE_L2;
	c->protocol = htons(ETH_P_IP);
	snprintf(c->ifname, sizeof(c->ifname), "%s", t->dev->name);
	memcpy(c->data, t->frame.data, t->frame.len);
}

/* Writes a packet and counts it as ipft's statistics would.  Marks its
 * first event, and the last as the free when the trace is complete. */
static int sample_packet(struct sample *s, const struct traced *t)
{
	struct ipft_packet *p = calloc(1, sizeof(*p));
	int rc;

	if (!p)
		return -1;
	t->events[0].flags |= IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
	if (t->flags & IPFT_TRACE_COMPLETE)
		t->events[t->n_events - 1].flags |= IPFT_EVF_FREE;
	make_packet(p, t);
	rc = ipft_pcapng_out_packet(s->out, p);
	free(p); /* not its snaps: the sample's */
	if (rc < 0)
		return -1;
	s->st.events += t->n_events;
	s->st.packets++;
	s->st.written++;
	if (t->flags & IPFT_TRACE_PARTIAL)
		s->st.partial++;
	return 0;
}

/* Statistics and close; after a failed packet (ok false) the file is cut
 * back to its last whole block, as ipft leaves it, and the reason told. */
static int sample_close(struct sample *s, bool ok)
{
	char err[512] = "";

	if (!ok)
		snprintf(err, sizeof(err), "%s", *ipft_pcapng_out_error(s->out) ?
			 ipft_pcapng_out_error(s->out) : "cannot encode a trace");
	s->st.end_real_ns = T0 + 1000000000;
	if (ipft_pcapng_out_close(s->out, ok ? &s->st : NULL, err, sizeof(err)) < 0)
		ok = false;
	if (!ok)
		fprintf(stderr, "ipft-gen-samples: %s: %s\n", s->path, err);
	return ok ? 0 : -1;
}

/* ---- the samples --------------------------------------------------------- */

#define EV(t_, cpu_, kind_, name_) \
	{ .ts_ns = (t_), .cpu = (cpu_), .kind = (kind_), .name = (name_) }
/* s: a string literal */
#define KV_STR(k, s) { .key = (k), .type = IPFT_VT_STRING, .ptr = (s), .len = sizeof(s) - 1 }

static void dropped(struct ipft_event *e, uint32_t reason, const char *reason_name,
		    uint64_t location, const char *location_sym)
{
	e->has = IPFT_HAS_DROP_REASON | IPFT_HAS_DROP_LOCATION;
	e->drop_reason = reason;
	e->drop_reason_name = reason_name;
	e->drop_location = location;
	e->drop_location_sym = location_sym;
}

/* A UDP datagram to a closed port: freed in __udp4_lib_rcv with NO_SOCKET. */
static int udp_drop(const char *dir, const char *name, bool trace_blocks, uint32_t salt)
{
	struct ipft_event ev[] = {
		EV(T0 + 1000, 1, IPFT_KIND_TRACEPOINT, "netif_receive_skb"),
		EV(T0 + 2310, 1, IPFT_KIND_FUNC_ENTRY, "ip_rcv"),
		EV(T0 + 3075, 1, IPFT_KIND_FUNC_ENTRY, "ip_rcv_finish"),
		EV(T0 + 4420, 1, IPFT_KIND_FUNC_ENTRY, "ip_local_deliver"),
		EV(T0 + 5190, 1, IPFT_KIND_FUNC_ENTRY, "ip_local_deliver_finish"),
		EV(T0 + 6012, 1, IPFT_KIND_FUNC_ENTRY, "__udp4_lib_rcv"),
		EV(T0 + 8733, 1, IPFT_KIND_TRACEPOINT, "kfree_skb"),
	};
	struct traced t = { .id = PACKET_ID(salt, 1), .flags = IPFT_TRACE_COMPLETE,
			    .events = ev, .n_events = ARRAY_SIZE(ev), .dev = &VETH0 };
	struct sample s;

	dropped(&ev[ARRAY_SIZE(ev) - 1], 3, "NO_SOCKET", 0xffffffff81a4b2f1ull, "__udp4_lib_rcv+0x8f1");
	udp_packet(&t.frame, 0x0a000001, 0x0a000002, 40000, 9999, "hello, closed port\n");
	if (sample_open(&s, dir, name, trace_blocks) < 0)
		return -1;
	return sample_close(&s, sample_packet(&s, &t) == 0);
}

/* A TCP handshake on veth0: SYN in, SYN-ACK out, ACK in. */
static int tcp_handshake(const char *dir)
{
	struct ipft_event syn[] = {
		EV(T0 + 1000, 0, IPFT_KIND_TRACEPOINT, "netif_receive_skb"),
		EV(T0 + 2100, 0, IPFT_KIND_FUNC_ENTRY, "ip_rcv"),
		EV(T0 + 3400, 0, IPFT_KIND_FUNC_ENTRY, "ip_local_deliver"),
		EV(T0 + 4200, 0, IPFT_KIND_FUNC_ENTRY, "tcp_v4_rcv"),
		EV(T0 + 9800, 0, IPFT_KIND_TRACEPOINT, "consume_skb"),
	};
	struct ipft_event synack[] = {
		EV(T0 + 6100, 0, IPFT_KIND_FUNC_ENTRY, "ip_build_and_send_pkt"),
		EV(T0 + 6900, 0, IPFT_KIND_FUNC_ENTRY, "ip_output"),
		EV(T0 + 7300, 0, IPFT_KIND_FUNC_ENTRY, "ip_finish_output2"),
		EV(T0 + 8000, 0, IPFT_KIND_TRACEPOINT, "net_dev_queue"),
		EV(T0 + 8600, 0, IPFT_KIND_TRACEPOINT, "net_dev_xmit"),
		EV(T0 + 12000, 1, IPFT_KIND_TRACEPOINT, "consume_skb"),
	};
	struct ipft_event ack[] = {
		EV(T0 + 31000, 1, IPFT_KIND_TRACEPOINT, "netif_receive_skb"),
		EV(T0 + 32050, 1, IPFT_KIND_FUNC_ENTRY, "ip_rcv"),
		EV(T0 + 33300, 1, IPFT_KIND_FUNC_ENTRY, "ip_local_deliver"),
		EV(T0 + 34100, 1, IPFT_KIND_FUNC_ENTRY, "tcp_v4_rcv"),
		EV(T0 + 36700, 1, IPFT_KIND_TRACEPOINT, "consume_skb"),
	};
	static const struct {
		bool from_client;
		uint8_t flags;
		uint32_t seq, ack;
	} seg[] = {
		{ true, TCP_SYN, 1000, 0 },
		{ false, TCP_SYN | TCP_ACK, 5000, 1001 },
		{ true, TCP_ACK, 1001, 5001 },
	};
	struct traced t[] = {
		{ .events = syn, .n_events = ARRAY_SIZE(syn) },
		{ .events = synack, .n_events = ARRAY_SIZE(synack), .outbound = true },
		{ .events = ack, .n_events = ARRAY_SIZE(ack) },
	};
	struct sample s;
	bool ok = true;

	if (sample_open(&s, dir, "tcp-handshake.pcapng", false) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(t) && ok; i++) {
		t[i].id = PACKET_ID(0x7c3a91, i + 1);
		t[i].flags = IPFT_TRACE_COMPLETE;
		t[i].dev = &VETH0;
		tcp_packet(&t[i].frame, seg[i].from_client, seg[i].seq, seg[i].ack,
			   seg[i].flags, (uint16_t)(0x4d21 + i));
		ok = sample_packet(&s, &t[i]) == 0;
	}
	return sample_close(&s, ok);
}

/* function_graph style: entries and returns with depth, duration, retval. */
static int function_graph(const char *dir)
{
	static const struct {
		const char *name;
		uint64_t addr;
	} fn[] = {
		{ "ip_rcv", 0xffffffff81a0e3c0ull },
		{ "ip_rcv_core", 0xffffffff81a0d9a0ull },
		{ "ip_rcv_finish", 0xffffffff81a0e1b0ull },
		{ "ip_local_deliver", 0xffffffff81a0f610ull },
		{ "__udp4_lib_rcv", 0xffffffff81a4a8c0ull },
	};
	/* call tree: ip_rcv { ip_rcv_core {} ip_rcv_finish { ip_local_deliver {
	 * __udp4_lib_rcv {} } } } as (function, entry?) in time order */
	static const struct {
		int fn;
		bool entry;
		int64_t retval;
	} seq[] = {
		{ 0, true, 0 },  { 1, true, 0 },  { 1, false, -131938271062784 },
		{ 2, true, 0 },  { 3, true, 0 },  { 4, true, 0 },
		{ 4, false, 0 }, { 3, false, 0 }, { 2, false, 0 }, { 0, false, 0 },
	};
	struct ipft_event ev[ARRAY_SIZE(seq)] = { 0 };
	struct traced t = { .id = PACKET_ID(0x2e8d04, 1), .flags = IPFT_TRACE_PARTIAL,
			    .events = ev, .n_events = ARRAY_SIZE(ev), .dev = &ETH0 };
	uint64_t entry_ts[ARRAY_SIZE(fn)] = { 0 };
	uint16_t depth = 0;
	struct sample s;

	for (size_t i = 0; i < ARRAY_SIZE(seq); i++) {
		struct ipft_event *e = &ev[i];
		int f = seq[i].fn;

		e->ts_ns = T0 + 1000 + 850 * i;
		e->cpu = 3;
		e->name = fn[f].name;
		e->has = IPFT_HAS_FUNC_ADDR;
		e->func_addr = fn[f].addr;
		if (seq[i].entry) {
			e->kind = IPFT_KIND_FUNC_ENTRY;
			e->depth = depth++;
			entry_ts[f] = e->ts_ns;
		} else {
			e->kind = IPFT_KIND_FUNC_RETURN;
			e->depth = --depth;
			e->has |= IPFT_HAS_RETVAL | IPFT_HAS_DURATION;
			e->retval = seq[i].retval;
			e->duration_ns = e->ts_ns - entry_ts[f];
		}
	}
	udp_packet(&t.frame, 0x0a000001, 0x0a000002, 40001, 9999, "function graph");
	if (sample_open(&s, dir, "function-graph.pcapng", false) < 0)
		return -1;
	return sample_close(&s, sample_packet(&s, &t) == 0);
}

/* A packet looping through a misconfigured bridge pair: thousands of
 * events, more than one 64 KiB option can hold. */
static int big_trace(const char *dir)
{
	static const char *const loop[] = {
		"br_handle_frame", "br_forward", "__dev_queue_xmit", "veth_xmit",
		"netif_rx", "__netif_receive_skb_core",
	};
	enum { N = 3000 };
	struct ipft_event *ev = calloc(N, sizeof(*ev));
	struct traced t = { .id = PACKET_ID(0xb1f6c3, 1),
			    .flags = IPFT_TRACE_PARTIAL | IPFT_TRACE_TRUNCATED,
			    .events = ev, .n_events = N, .dev = &BR0 };
	struct sample s;
	int rc = -1;

	if (!ev)
		return -1;
	for (size_t i = 0; i < N; i++) {
		ev[i].ts_ns = T0 + 1000 + 400 * i;
		ev[i].cpu = (uint32_t)(i / 600);
		ev[i].kind = IPFT_KIND_FUNC_ENTRY;
		ev[i].name = loop[i % 6];
		ev[i].has = IPFT_HAS_FUNC_ADDR;
		ev[i].func_addr = 0xffffffff81b00000ull + 0x1a0 * (i % 6);
	}
	udp_packet(&t.frame, 0x0a000001, 0x0a0000ff, 40002, 9998, "loop");
	if (sample_open(&s, dir, "big-trace.pcapng", false) == 0)
		rc = sample_close(&s, sample_packet(&s, &t) == 0);
	free(ev);
	return rc;
}

/* Extra data as typed key/value attributes: one of each value type. */
static int kv_sample(const char *dir)
{
	static const uint8_t cb[8] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03 };
	static const struct ipft_kv kv1[] = {
		{ .key = "len", .type = IPFT_VT_U64, .u64 = 61 },
		{ .key = "headroom_delta", .type = IPFT_VT_S64, .u64 = (uint64_t)-14 },
		KV_STR("dev", "veth0"),
		{ .key = "cb", .type = IPFT_VT_BYTES, .ptr = cb, .len = sizeof(cb) },
		{ .key = "mark", .type = IPFT_VT_HEX64, .u64 = 0xc0ffee },
	};
	static const struct ipft_kv kv2[] = {
		KV_STR("verdict", "NF_DROP"),
		{ .key = "hook", .type = IPFT_VT_U64, .u64 = 1 },
	};
	struct ipft_event ev[] = {
		EV(T0 + 1000, 2, IPFT_KIND_TRACEPOINT, "netif_receive_skb"),
		EV(T0 + 2500, 2, IPFT_KIND_FUNC_ENTRY, "nf_hook_slow"),
		EV(T0 + 4100, 2, IPFT_KIND_TRACEPOINT, "kfree_skb"),
	};
	struct traced t = { .id = PACKET_ID(0x49d27a, 1), .flags = IPFT_TRACE_COMPLETE,
			    .events = ev, .n_events = ARRAY_SIZE(ev), .dev = &VETH0 };
	struct sample s;

	ev[0].kv = kv1;
	ev[0].n_kv = ARRAY_SIZE(kv1);
	ev[1].kv = kv2;
	ev[1].n_kv = ARRAY_SIZE(kv2);
	dropped(&ev[ARRAY_SIZE(ev) - 1], 9, "NETFILTER_DROP", 0xffffffff819c4d2aull, "nf_hook_slow+0xaa");
	udp_packet(&t.frame, 0x0a000001, 0x0a000002, 40003, 8125, "metrics:1|c");
	if (sample_open(&s, dir, "kv.pcapng", false) < 0)
		return -1;
	/* Every key a KV attribute, "len", "dev" and "mark" too: the layout
	 * of files written before packing, which readers still open. */
	ipft_pcapng_out_kv_only(s.out);
	return sample_close(&s, sample_packet(&s, &t) == 0);
}

/* A header snapshot of a packet in snaps (room for a whole struct
 * ipft_snap), taken at event ev on dev, the headers of frame. */
static void snapshot(struct ipft_snaps *snaps, const struct ipft_event *events, int32_t ev,
		     const struct dev *dev, const struct frame *frame)
{
	struct ipft_snap *sn = ipft_snap_at(snaps, snaps->n++);
	struct ipft_capture *c = &sn->cap;

	sn->event = ev;
	sn->wall_ts = events[ev].ts_ns;
	c->type = IPFT_REC_CAPTURE;
	c->snapshot = (uint8_t)snaps->n;
	c->caplen = c->origlen = frame->len;
	c->ifindex = dev->ifindex;
	c->netns = dev->netns;
	c->pkt_type = PACKET_OUTGOING;
	c->dev_type = ARPHRD_ETHER;
	c->layer = IPFT_CAPTURE_L2;
	c->protocol = htons(ETH_P_IP);
	snprintf(c->ifname, sizeof(c->ifname), "%s", dev->name);
	memcpy(c->data, frame->data, frame->len);
}

static const struct dev VETH1 = { "veth1", 3, NETNS_ROOT };

/* A datagram through a router namespace that translates it (DNAT of
 * 10.0.1.1:7000 to 10.0.2.2:9, masquerade to 10.0.2.1) to a closed port:
 * its first EPB with the headers as sent, a header snapshot (a packet
 * too: a new flow) where the router sends it on; and the clone a tap
 * made of it as it left, a packet of its own, an exported PDU. */
static int lineage_sample(const char *dir)
{
	size_t stride = sizeof(struct ipft_snap);
	struct ipft_event ev[] = {
		EV(T0 + 1000, 0, IPFT_KIND_TRACEPOINT, "net_dev_queue"),
		EV(T0 + 1800, 0, IPFT_KIND_TRACEPOINT, "net_dev_start_xmit"),
		EV(T0 + 2600, 0, IPFT_KIND_TRACEPOINT, "netif_rx_entry"),
		EV(T0 + 3900, 0, IPFT_KIND_TRACEPOINT, "netif_receive_skb"),
		EV(T0 + 6100, 0, IPFT_KIND_TRACEPOINT, "net_dev_queue"),
		EV(T0 + 6900, 0, IPFT_KIND_TRACEPOINT, "net_dev_start_xmit"),
		EV(T0 + 7500, 0, IPFT_KIND_TRACEPOINT, "netif_rx_entry"),
		EV(T0 + 8800, 0, IPFT_KIND_TRACEPOINT, "netif_receive_skb"),
		EV(T0 + 9900, 0, IPFT_KIND_TRACEPOINT, "kfree_skb"),
	};
	struct ipft_event clone_ev[] = { EV(T0 + 1400, 0, IPFT_KIND_TRACEPOINT, "consume_skb") };
	struct traced t = { .id = PACKET_ID(0x11ea9e, 1), .flags = IPFT_TRACE_COMPLETE,
			    .events = ev, .n_events = ARRAY_SIZE(ev), .dev = &VETH0,
			    .outbound = true };
	struct traced c = { .id = PACKET_ID(0x11ea9e, 2), .flags = IPFT_TRACE_COMPLETE,
			    .events = clone_ev, .n_events = 1, .dev = &VETH0, .outbound = true };
	struct ipft_snaps *snaps = calloc(1, sizeof(*snaps) + stride);
	struct ipft_snaps *lin = calloc(1, sizeof(*lin));
	struct frame after;
	struct sample s;
	int rc = -1;

	if (!snaps || !lin)
		goto out;
	snaps->stride = stride;
	ev[4].flags |= IPFT_EVF_SNAPSHOT;
	dropped(&ev[ARRAY_SIZE(ev) - 1], 3, "NO_SOCKET", 0xffffffff81a4b2f1ull, "__udp4_lib_rcv+0x8f1");
	udp_packet(&t.frame, 0x0a000102, 0x0a000101, 40000, 7000, "through the router\n");
	udp_packet(&after, 0x0a000201, 0x0a000202, 40000, 9, "through the router\n");
	snapshot(snaps, ev, 4, &VETH1, &after);
	t.snaps = snaps;
	c.frame = t.frame;
	*lin = (struct ipft_snaps){ .parent_id = t.id, .kind = IPFT_LINEAGE_CLONE,
				    .parent_headers = true };
	c.snaps = lin;
	if (sample_open(&s, dir, "lineage.pcapng", false) == 0)
		rc = sample_close(&s, sample_packet(&s, &t) == 0 && sample_packet(&s, &c) == 0);
out:
	free(snaps);
	free(lin);
	return rc;
}

int main(int argc, char **argv)
{
	const char *dir;
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: ipft-gen-samples DIR\n");
		return 2;
	}
	dir = argv[1];
	rc |= udp_drop(dir, "udp-drop.pcapng", false, 0x5a17e0);
	rc |= udp_drop(dir, "trace-blocks.pcapng", true, 0x0d6e55);
	rc |= tcp_handshake(dir);
	rc |= function_graph(dir);
	rc |= big_trace(dir);
	rc |= kv_sample(dir);
	rc |= lineage_sample(dir);
	return rc ? 1 : 0;
}
