/* gen-samples - write ipft's sample pcapng files, byte for byte the same on
 * every run (fixed timestamps and ids), into a directory.
 *
 *   gen-samples DIR
 *
 * The files are checked in under samples/ and a test regenerates and
 * compares them; the Wireshark plugin's tests read them.  Each one shows a
 * case of docs/format.md with realistic content: a UDP datagram dropped for
 * lack of a socket, a TCP handshake, a function_graph trace, the Custom
 * Block carrier, a trace split over several options, and key/value data.
 */
#include "pcapng/pcapng.h"
#include "pcapng/ipft_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1763800000000000000ull   /* 2025-11-22T08:26:40Z */
#define SALT 0x5a3c1f0000000000ull
#define NETNS_HOST 4026531840u
#define NETNS_PEER 4026532290u

static const char *outdir;
static int failures;

struct sample {
	struct pcapng_writer *w;
	struct pcapng_opts o;
	const char *name;
	bool trace_blocks, wrote_info;
};

static void check(struct sample *s, int rc)
{
	if (rc < 0) {
		fprintf(stderr, "gen-samples: %s: %s\n", s->name, pcapng_writer_error(s->w));
		failures++;
	}
}

static void begin(struct sample *s, const char *name, bool trace_blocks)
{
	char path[4096];
	char err[256];

	memset(s, 0, sizeof(*s));
	s->name = name;
	s->trace_blocks = trace_blocks;
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	s->w = pcapng_writer_open_path(path, err, sizeof(err));
	if (!s->w) {
		fprintf(stderr, "gen-samples: %s\n", err);
		exit(1);
	}
	pcapng_opts_init(&s->o);
	pcapng_opts_add_str(&s->o, PCAPNG_OPT_SHB_USERAPPL, "ipft sample generator");
	pcapng_opts_add_str(&s->o, PCAPNG_OPT_SHB_OS, "Linux 6.12.0 (sample)");
	pcapng_opts_add_str(&s->o, PCAPNG_OPT_SHB_HARDWARE, "x86_64");
	pcapng_opts_add_str(&s->o, PCAPNG_OPT_COMMENT, "ipft sample file: see docs/format.md");
	check(s, pcapng_write_shb(s->w, &s->o));
}

static int iface(struct sample *s, const char *name, uint16_t linktype, uint32_t ifindex,
		 uint32_t netns)
{
	char desc[96];
	int id;

	pcapng_opts_reset(&s->o);
	pcapng_opts_add_str(&s->o, PCAPNG_OPT_IF_NAME, name);
	snprintf(desc, sizeof(desc), "ifindex %u, netns %u", ifindex, netns);
	pcapng_opts_add_str(&s->o, PCAPNG_OPT_IF_DESCRIPTION, desc);
	pcapng_opts_add_u8(&s->o, PCAPNG_OPT_IF_TSRESOL, 9);
	id = pcapng_write_idb(s->w, linktype, 256, &s->o);
	check(s, id);
	return id;
}

static int add_opt(const uint8_t *rec, size_t len, void *arg)
{
	return pcapng_opts_add_custom(arg, PCAPNG_OPT_CUSTOM_BIN_COPY, IPFT_PEN, rec, len);
}

static int add_cb(const uint8_t *rec, size_t len, void *arg)
{
	return pcapng_write_cb(arg, IPFT_PEN, rec, len, true);
}

static void run_info(struct sample *s)
{
	static const struct ipft_kv kv[] = {
		{ .key = "cmdline", .type = IPFT_VT_STRING, .ptr = "ipft -w sample.pcapng", .len = 21 },
		{ .key = "kernel", .type = IPFT_VT_STRING, .ptr = "6.12.0", .len = 6 },
		{ .key = "backend", .type = IPFT_VT_STRING, .ptr = "tracepoint", .len = 10 },
		{ .key = "attach_points", .type = IPFT_VT_U64, .u64 = 30 },
	};
	uint8_t *rec;
	size_t len;

	if (ipft_info_encode(IPFT_REC_RUN_INFO, kv, 4, &rec, &len) == 0) {
		check(s, pcapng_write_cb(s->w, IPFT_PEN, rec, len, true));
		free(rec);
	}
}

/* One packet: EPB with the trace as options, or Custom Blocks + EPB. */
static void packet(struct sample *s, int if_id, const struct ipft_trace *t, uint32_t dir,
		   const uint8_t *data, uint32_t len)
{
	char *path = ipft_trace_path(t, 1024);

	pcapng_opts_reset(&s->o);
	pcapng_opts_add_str(&s->o, PCAPNG_OPT_COMMENT, path ? path : "");
	pcapng_opts_add_u32(&s->o, PCAPNG_OPT_EPB_FLAGS, dir);
	pcapng_opts_add_u64(&s->o, PCAPNG_OPT_EPB_PACKETID, t->packet_id);
	if (s->trace_blocks)
		check(s, ipft_trace_encode(t, 1 << 20, add_cb, s->w));
	else
		check(s, ipft_trace_encode(t, PCAPNG_OPT_MAX_LEN - 4, add_opt, &s->o));
	check(s, pcapng_write_epb(s->w, (uint32_t)if_id, t->events[0].ts_ns, data, len, len, &s->o));
	free(path);
	if (!s->wrote_info) {
		s->wrote_info = true;
		run_info(s);
	}
}

static void end(struct sample *s, uint64_t packets)
{
	const struct ipft_kv kv[] = {
		{ .key = "events", .type = IPFT_VT_U64, .u64 = packets * 6 },
		{ .key = "packets", .type = IPFT_VT_U64, .u64 = packets },
		{ .key = "lost_events_ringbuf_full", .type = IPFT_VT_U64, .u64 = 0 },
		{ .key = "lost_packets_map_full", .type = IPFT_VT_U64, .u64 = 0 },
	};
	uint8_t *rec;
	size_t len;

	if (ipft_info_encode(IPFT_REC_STATS, kv, 4, &rec, &len) == 0) {
		check(s, pcapng_write_cb(s->w, IPFT_PEN, rec, len, true));
		free(rec);
	}
	check(s, pcapng_writer_close(s->w));
	pcapng_opts_free(&s->o);
}

/* ---- packet bytes ----------------------------------------------------- */

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Ethernet + IPv4 + UDP/TCP header (+ payload), valid checksums for IP. */
static uint32_t build(uint8_t *b, uint8_t proto, uint8_t src_last, uint8_t dst_last,
		      uint16_t sport, uint16_t dport, uint8_t tcp_flags, const char *payload)
{
	static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	static const uint8_t mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
	size_t plen = strlen(payload), l4 = proto == 6 ? 20 : 8;
	uint16_t ip_len = (uint16_t)(20 + l4 + plen);
	uint8_t *ip = b + 14, *th = ip + 20;

	memset(b, 0, 14 + ip_len);
	memcpy(b, src_last == 1 ? mac_b : mac_a, 6);
	memcpy(b + 6, src_last == 1 ? mac_a : mac_b, 6);
	b[12] = 0x08;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(ip_len >> 8);
	ip[3] = (uint8_t)ip_len;
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = proto;
	ip[12] = 10, ip[13] = 0, ip[14] = 0, ip[15] = src_last;
	ip[16] = 10, ip[17] = 0, ip[18] = 0, ip[19] = dst_last;
	uint16_t c = csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	th[0] = (uint8_t)(sport >> 8), th[1] = (uint8_t)sport;
	th[2] = (uint8_t)(dport >> 8), th[3] = (uint8_t)dport;
	if (proto == 6) {
		th[4] = 0x11, th[7] = tcp_flags & 0x10 ? 0x01 : 0x00; /* seq */
		th[12] = 0x50;
		th[13] = tcp_flags;
		th[14] = 0xfa, th[15] = 0xf0;
	} else {
		th[4] = (uint8_t)((8 + plen) >> 8), th[5] = (uint8_t)(8 + plen);
	}
	memcpy(th + l4, payload, plen);
	return (uint32_t)(14 + ip_len);
}

#define EV(ts_, name_) { .ts_ns = (ts_), .cpu = 1, .kind = IPFT_KIND_TRACEPOINT, .name = (name_) }

static void udp_drop(bool trace_blocks)
{
	struct sample s;
	struct ipft_event ev[] = {
		EV(T0 + 1000, "net_dev_queue"), EV(T0 + 3100, "net_dev_start_xmit"),
		EV(T0 + 5200, "netif_rx"), EV(T0 + 9800, "netif_receive_skb"),
		EV(T0 + 14000, "kfree_skb"),
	};
	struct ipft_trace t = { .packet_id = SALT | 1, .flags = IPFT_TRACE_COMPLETE,
				.n_events = 5, .events = ev };
	uint8_t pkt[128];
	uint32_t len = build(pkt, 17, 1, 2, 40000, 9, 0, "hello");

	ev[0].flags = IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
	ev[4].flags = IPFT_EVF_FREE;
	ev[4].has = IPFT_HAS_DROP_REASON | IPFT_HAS_DROP_LOCATION;
	ev[4].drop_reason = 3;
	ev[4].drop_reason_name = "NO_SOCKET";
	ev[4].drop_location = 0xffffffff81c2d6f1ull;
	ev[4].drop_location_sym = "__udp4_lib_rcv+0x8f1";
	begin(&s, trace_blocks ? "trace-blocks.pcapng" : "udp-drop.pcapng", trace_blocks);
	int a = iface(&s, "veth-a", 1, 2, NETNS_HOST);
	packet(&s, a, &t, PCAPNG_EPB_FLAG_OUTBOUND, pkt, len);

	/* A second datagram that was delivered (consumed), for contrast. */
	struct ipft_event ok[] = {
		EV(T0 + 500000, "net_dev_queue"), EV(T0 + 502000, "netif_rx"),
		EV(T0 + 506000, "netif_receive_skb"), EV(T0 + 530000, "skb_copy_datagram_iovec"),
		EV(T0 + 531000, "consume_skb"),
	};
	struct ipft_trace t2 = { .packet_id = SALT | 2, .flags = IPFT_TRACE_COMPLETE,
				 .n_events = 5, .events = ok };
	ok[0].flags = IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
	ok[4].flags = IPFT_EVF_FREE;
	len = build(pkt, 17, 1, 2, 40001, 9999, 0, "world");
	packet(&s, a, &t2, PCAPNG_EPB_FLAG_OUTBOUND, pkt, len);
	end(&s, 2);
}

static void tcp_handshake(void)
{
	struct sample s;
	static const char *const names[] = { "net_dev_queue", "netif_rx", "netif_receive_skb",
					     "consume_skb" };
	static const uint8_t flags[] = { 0x02, 0x12, 0x10 };
	uint8_t pkt[128];

	begin(&s, "tcp-handshake.pcapng", false);
	int a = iface(&s, "veth-a", 1, 2, NETNS_HOST);
	int b = iface(&s, "veth-b", 1, 3, NETNS_PEER);
	for (int i = 0; i < 3; i++) {
		struct ipft_event ev[4];
		uint64_t base = T0 + (uint64_t)i * 40000;
		for (int k = 0; k < 4; k++)
			ev[k] = (struct ipft_event)EV(base + (uint64_t)k * 2500, names[k]);
		ev[0].flags = IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
		ev[3].flags = IPFT_EVF_FREE;
		struct ipft_trace t = { .packet_id = SALT | (uint64_t)(10 + i),
					.flags = IPFT_TRACE_COMPLETE, .n_events = 4, .events = ev };
		bool reply = i == 1;
		uint32_t len = build(pkt, 6, reply ? 2 : 1, reply ? 1 : 2, reply ? 80 : 41000,
				     reply ? 41000 : 80, flags[i], "");
		packet(&s, reply ? b : a, &t, PCAPNG_EPB_FLAG_OUTBOUND, pkt, len);
	}
	end(&s, 3);
}

static void function_graph(void)
{
	struct sample s;
	struct {
		const char *name;
		uint8_t kind;
		uint16_t depth;
	} calls[] = {
		{ "__netif_receive_skb_core", IPFT_KIND_FUNC_ENTRY, 0 },
		{ "ip_rcv", IPFT_KIND_FUNC_ENTRY, 1 },
		{ "ip_rcv_core", IPFT_KIND_FUNC_ENTRY, 2 },
		{ "ip_rcv_core", IPFT_KIND_FUNC_RETURN, 2 },
		{ "ip_local_deliver", IPFT_KIND_FUNC_ENTRY, 2 },
		{ "ip_local_deliver", IPFT_KIND_FUNC_RETURN, 2 },
		{ "ip_rcv", IPFT_KIND_FUNC_RETURN, 1 },
		{ "__netif_receive_skb_core", IPFT_KIND_FUNC_RETURN, 0 },
	};
	struct ipft_event ev[8];
	uint64_t entry_ts[3] = { 0 };
	uint8_t pkt[128];

	for (int i = 0; i < 8; i++) {
		uint64_t ts = T0 + 1000 + (uint64_t)i * 700;
		ev[i] = (struct ipft_event){ .ts_ns = ts, .cpu = 0, .kind = calls[i].kind,
					     .depth = calls[i].depth, .name = calls[i].name };
		ev[i].has = IPFT_HAS_FUNC_ADDR;
		ev[i].func_addr = 0xffffffff81b00000ull + (uint64_t)(calls[i].name[3] * 0x100);
		if (calls[i].kind == IPFT_KIND_FUNC_ENTRY) {
			entry_ts[calls[i].depth] = ts;
		} else {
			ev[i].has |= IPFT_HAS_RETVAL | IPFT_HAS_DURATION;
			ev[i].retval = 0;
			ev[i].duration_ns = ts - entry_ts[calls[i].depth];
		}
	}
	ev[0].flags = IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
	struct ipft_trace t = { .packet_id = SALT | 20, .flags = IPFT_TRACE_PARTIAL,
				.n_events = 8, .events = ev };
	begin(&s, "function-graph.pcapng", false);
	int a = iface(&s, "veth-b", 1, 3, NETNS_PEER);
	uint32_t len = build(pkt, 17, 1, 2, 40000, 7, 0, "graph");
	packet(&s, a, &t, PCAPNG_EPB_FLAG_INBOUND, pkt, len);
	end(&s, 1);
}

static void big_trace(void)
{
	enum { N = 3000 };
	struct sample s;
	struct ipft_event *ev = calloc(N, sizeof(*ev));
	char (*names)[32] = calloc(N, 32);
	uint8_t pkt[128];

	if (!ev || !names)
		exit(1);
	for (int i = 0; i < N; i++) {
		snprintf(names[i], 32, "netfilter_hook_%04d", i);
		ev[i] = (struct ipft_event){ .ts_ns = T0 + (uint64_t)i * 100, .cpu = (uint32_t)(i % 2),
					     .kind = IPFT_KIND_FUNC_ENTRY, .name = names[i] };
	}
	ev[0].flags = IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
	struct ipft_trace t = { .packet_id = SALT | 30, .flags = IPFT_TRACE_PARTIAL,
				.n_events = N, .events = ev };
	begin(&s, "big-trace.pcapng", false);
	int a = iface(&s, "veth-a", 1, 2, NETNS_HOST);
	uint32_t len = build(pkt, 17, 1, 2, 40000, 9, 0, "big");
	packet(&s, a, &t, PCAPNG_EPB_FLAG_OUTBOUND, pkt, len);
	end(&s, 1);
	free(ev);
	free(names);
}

static void kv(void)
{
	static const uint8_t bytes[] = { 0xde, 0xad, 0xbe, 0xef };
	struct ipft_kv data[] = {
		{ .key = "skb_len", .type = IPFT_VT_U64, .u64 = 47 },
		{ .key = "delta", .type = IPFT_VT_S64, .u64 = (uint64_t)-5 },
		{ .key = "dev", .type = IPFT_VT_STRING, .ptr = "veth-b", .len = 6 },
		{ .key = "cb", .type = IPFT_VT_BYTES, .ptr = bytes, .len = 4 },
		{ .key = "mark", .type = IPFT_VT_HEX64, .u64 = 0xbeef },
	};
	struct ipft_event ev[] = {
		EV(T0 + 100, "netif_receive_skb"), EV(T0 + 900, "ip_rcv"), EV(T0 + 1500, "consume_skb"),
	};
	uint8_t pkt[128];

	ev[0].flags = IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
	ev[1].kind = IPFT_KIND_FUNC_ENTRY;
	ev[1].n_kv = 5;
	ev[1].kv = data;
	ev[2].flags = IPFT_EVF_FREE;
	struct ipft_trace t = { .packet_id = SALT | 40, .flags = IPFT_TRACE_COMPLETE,
				.n_events = 3, .events = ev };
	struct sample s;
	begin(&s, "kv.pcapng", false);
	int a = iface(&s, "veth-b", 1, 3, NETNS_PEER);
	uint32_t len = build(pkt, 17, 1, 2, 40000, 53, 0, "kv");
	packet(&s, a, &t, PCAPNG_EPB_FLAG_INBOUND, pkt, len);
	end(&s, 1);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-samples DIR\n");
		return 2;
	}
	outdir = argv[1];
	udp_drop(false);
	udp_drop(true);
	tcp_handshake();
	function_graph();
	big_trace();
	kv();
	return failures ? 1 : 0;
}
