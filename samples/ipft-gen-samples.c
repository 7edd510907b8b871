/* ipft-gen-samples - writes the sample pcapng files of samples/ into a
 * directory.
 *
 * The samples look like what `ipft` writes (same blocks, options and trace
 * records) but are built from fixed packets, timestamps and paths, so they
 * are byte-for-byte reproducible: the Wireshark plugin's tests and the
 * format documentation use them, and a test regenerates them and compares
 * with the checked-in copies.
 *
 *   ipft-gen-samples DIR
 */
#include "pcapng/pcapng.h"
#include "codec/ipft_format.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINKTYPE_ETHERNET 1
#define SNAPLEN 256
#define PATH_MAX_LEN 1024
/* packet_id: a per-run salt in the high bits and a counter.  ipft draws the
 * salt at random; here each sample is its own "run" with a fixed salt, so
 * merging two samples keeps every id unique, as with real files. */
#define PACKET_ID(salt, n) ((uint64_t)(salt) << (64 - IPFT_ID_SALT_BITS) | (n))
/* 2023-11-14 22:13:20 UTC, in ns */
#define T0 1700000000000000000ull
#define NETNS_ROOT 4026531840u
#define NETNS_TEST 4026532287u

/* ---- packets ----------------------------------------------------------- */

struct pkt {
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
static size_t eth_ip(struct pkt *k, const uint8_t *src_mac, const uint8_t *dst_mac,
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
static uint16_t l4_csum(const struct pkt *k, size_t l4, size_t l4_len)
{
	const uint8_t *ip = k->data + 14;
	uint32_t sum = csum_add(0, ip + 12, 8);

	sum += ip[9];
	sum += (uint32_t)l4_len;
	return csum_fold(csum_add(sum, k->data + l4, l4_len));
}

static void udp_packet(struct pkt *k, uint32_t src, uint32_t dst, uint16_t sport,
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

static void tcp_packet(struct pkt *k, bool from_client, uint32_t seq, uint32_t ack,
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

/* ---- file structure ---------------------------------------------------- */

struct sample {
	struct pcapng_writer *w;
	struct pcapng_opts opts;
	const char *path;
	bool trace_blocks;
	bool wrote_info;
	uint64_t packets;
	uint64_t events;
};

static int open_sample(struct sample *s, const char *dir, const char *name,
		       const char *comment)
{
	static char path[4096];
	char err[256];

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s->path = path;
	s->w = pcapng_writer_open_path(path, err, sizeof(err));
	if (!s->w) {
		fprintf(stderr, "ipft-gen-samples: %s\n", err);
		return -1;
	}
	pcapng_opts_init(&s->opts);
	pcapng_opts_add_str(&s->opts, PCAPNG_OPT_SHB_USERAPPL, "ipft 0.1.0 (ipft-gen-samples)");
	pcapng_opts_add_str(&s->opts, PCAPNG_OPT_SHB_OS,
			    "Linux 6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1");
	pcapng_opts_add_str(&s->opts, PCAPNG_OPT_SHB_HARDWARE, "x86_64");
	pcapng_opts_add_str(&s->opts, PCAPNG_OPT_COMMENT, comment);
	pcapng_write_shb(s->w, &s->opts); /* a failure is reported by close_sample() */
	return 0;
}

static int add_iface(struct sample *s, const char *name, uint32_t ifindex, uint32_t netns)
{
	char desc[128];

	snprintf(desc, sizeof(desc), "ifindex %u, netns %u", ifindex, netns);
	pcapng_opts_reset(&s->opts);
	pcapng_opts_add_str(&s->opts, PCAPNG_OPT_IF_NAME, name);
	pcapng_opts_add_str(&s->opts, PCAPNG_OPT_IF_DESCRIPTION, desc);
	pcapng_opts_add_u8(&s->opts, PCAPNG_OPT_IF_TSRESOL, 9);
	return pcapng_write_idb(s->w, LINKTYPE_ETHERNET, SNAPLEN, &s->opts);
}

static int info_block(struct sample *s, enum ipft_rec_type type, const struct ipft_kv *kv,
		      size_t n)
{
	uint8_t *rec;
	size_t len;
	int rc;

	if (ipft_info_encode(type, kv, n, &rec, &len) < 0)
		return -1;
	rc = pcapng_write_cb(s->w, IPFT_PEN, rec, len, true);
	free(rec);
	return rc;
}

#define KV_STR(k, v) { .key = (k), .type = IPFT_VT_STRING, .ptr = (v), .len = strlen(v) }
#define KV_U64(k, v) { .key = (k), .type = IPFT_VT_U64, .u64 = (v) }

static const char CMDLINE[] = "ipft -b kprobe -w trace.pcapng";

static int run_info(struct sample *s)
{
	const struct ipft_kv kv[] = {
		KV_STR("cmdline", CMDLINE),
		KV_STR("kernel", "6.1.0-13-amd64"),
		KV_STR("backend", "kprobe"),
		KV_U64("attach_points", 3),
		KV_STR("attach", "ip_rcv"),
		KV_STR("attach", "ip_local_deliver"),
		KV_STR("attach", "kfree_skb"),
	};
	return info_block(s, IPFT_REC_RUN_INFO, kv, sizeof(kv) / sizeof(kv[0]));
}

static int add_option(const uint8_t *rec, size_t len, void *arg)
{
	return pcapng_opts_add_custom(arg, PCAPNG_OPT_CUSTOM_BIN_COPY, IPFT_PEN, rec, len);
}

static int add_block(const uint8_t *rec, size_t len, void *arg)
{
	return pcapng_write_cb(arg, IPFT_PEN, rec, len, true);
}

/* One traced packet: EPB with comment, flags, packet id and the trace, as
 * ipft writes it; RUN_INFO follows the first EPB. */
static int packet(struct sample *s, int if_id, uint32_t direction, const struct pkt *k,
		  const struct ipft_trace *t)
{
	char *path = ipft_trace_path(t, PATH_MAX_LEN);
	int rc = -1;

	if (!path)
		return -1;
	pcapng_opts_reset(&s->opts);
	pcapng_opts_add_str(&s->opts, PCAPNG_OPT_COMMENT, path);
	pcapng_opts_add_u32(&s->opts, PCAPNG_OPT_EPB_FLAGS, direction);
	pcapng_opts_add_u64(&s->opts, PCAPNG_OPT_EPB_PACKETID, t->packet_id);
	if (s->trace_blocks) {
		if (ipft_trace_encode(t, UINT32_MAX / 4, add_block, s->w) != 0)
			goto out;
	} else if (ipft_trace_encode(t, PCAPNG_OPT_MAX_LEN - 4, add_option, &s->opts) != 0) {
		goto out;
	}
	if (pcapng_write_epb(s->w, (uint32_t)if_id, t->events[0].ts_ns, k->data, k->len,
			     k->len, &s->opts) < 0)
		goto out;
	s->packets++;
	s->events += t->n_events;
	if (!s->wrote_info) {
		s->wrote_info = true;
		if (run_info(s) < 0)
			goto out;
	}
	rc = 0;
out:
	free(path);
	return rc;
}

/* ISBs for n_ifaces interfaces, STATS, and close.  ok is false when
 * writing the packets failed; the writer then holds the reason. */
static int close_sample(struct sample *s, int n_ifaces, uint64_t end_ts, bool ok)
{
	char err[256];
	int rc = ok ? 0 : -1;

	for (int i = 0; i < n_ifaces && rc == 0; i++) {
		pcapng_opts_reset(&s->opts);
		pcapng_opts_add_ts(&s->opts, PCAPNG_OPT_ISB_STARTTIME, T0 - 500000000);
		pcapng_opts_add_ts(&s->opts, PCAPNG_OPT_ISB_ENDTIME, end_ts);
		pcapng_opts_add_u64(&s->opts, PCAPNG_OPT_ISB_USRDELIV, s->packets);
		rc = pcapng_write_isb(s->w, (uint32_t)i, end_ts, &s->opts);
	}
	const struct ipft_kv kv[] = {
		KV_U64("events", s->events),
		KV_U64("packets", s->packets),
		KV_U64("packets_written", s->packets),
		KV_U64("partial_traces", 0),
		KV_U64("lost_events_ringbuf_full", 0),
		KV_U64("lost_packets_map_full", 0),
		KV_U64("reused_skb_addresses", 0),
	};
	if (rc == 0)
		rc = info_block(s, IPFT_REC_STATS, kv, sizeof(kv) / sizeof(kv[0]));
	if (rc == 0)
		rc = pcapng_writer_flush(s->w);
	if (rc < 0)
		snprintf(err, sizeof(err), "%s", *pcapng_writer_error(s->w) ?
			 pcapng_writer_error(s->w) : "cannot encode a trace");
	if (pcapng_writer_close(s->w) < 0 && rc == 0) {
		snprintf(err, sizeof(err), "close failed");
		rc = -1;
	}
	if (rc < 0)
		fprintf(stderr, "ipft-gen-samples: %s: %s\n", s->path, err);
	pcapng_opts_free(&s->opts);
	return rc;
}

/* ---- the samples --------------------------------------------------------- */

#define EV(t_, cpu_, kind_, name_) \
	{ .ts_ns = (t_), .cpu = (cpu_), .kind = (kind_), .name = (name_) }

/* A UDP datagram to a closed port: freed in __udp4_lib_rcv with NO_SOCKET. */
static int udp_drop(const char *dir, const char *name, bool trace_blocks, uint32_t salt)
{
	struct sample s;
	struct pkt k;
	struct ipft_event ev[] = {
		EV(T0 + 1000, 1, IPFT_KIND_TRACEPOINT, "netif_receive_skb"),
		EV(T0 + 2310, 1, IPFT_KIND_FUNC_ENTRY, "ip_rcv"),
		EV(T0 + 3075, 1, IPFT_KIND_FUNC_ENTRY, "ip_rcv_finish"),
		EV(T0 + 4420, 1, IPFT_KIND_FUNC_ENTRY, "ip_local_deliver"),
		EV(T0 + 5190, 1, IPFT_KIND_FUNC_ENTRY, "ip_local_deliver_finish"),
		EV(T0 + 6012, 1, IPFT_KIND_FUNC_ENTRY, "__udp4_lib_rcv"),
		EV(T0 + 8733, 1, IPFT_KIND_TRACEPOINT, "kfree_skb"),
	};
	size_t n = sizeof(ev) / sizeof(ev[0]);
	struct ipft_trace t = { .packet_id = PACKET_ID(salt, 1), .flags = IPFT_TRACE_COMPLETE,
				.n_events = n, .events = ev };

	ev[0].flags = IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
	ev[n - 1].flags = IPFT_EVF_FREE;
	ev[n - 1].has = IPFT_HAS_DROP_REASON | IPFT_HAS_DROP_LOCATION;
	ev[n - 1].drop_reason = 3;
	ev[n - 1].drop_reason_name = "NO_SOCKET";
	ev[n - 1].drop_location = 0xffffffff81a4b2f1ull;
	ev[n - 1].drop_location_sym = "__udp4_lib_rcv+0x8f1";

	udp_packet(&k, 0x0a000001, 0x0a000002, 40000, 9999, "hello, closed port\n");
	if (open_sample(&s, dir, name, "ipft sample: a UDP datagram to a closed port") < 0)
		return -1;
	s.trace_blocks = trace_blocks;
	bool ok = add_iface(&s, "veth0", 2, NETNS_TEST) >= 0 &&
		  packet(&s, 0, PCAPNG_EPB_FLAG_INBOUND, &k, &t) == 0;
	return close_sample(&s, 1, T0 + 1000000000, ok);
}

/* A TCP handshake on veth0: SYN in, SYN-ACK out, ACK in. */
static int tcp_handshake(const char *dir)
{
	struct sample s;
	struct pkt k;

	if (open_sample(&s, dir, "tcp-handshake.pcapng", "ipft sample: a TCP handshake") < 0)
		return -1;
	bool ok = add_iface(&s, "veth0", 2, NETNS_TEST) >= 0;

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
	struct {
		struct ipft_event *ev;
		size_t n;
		bool from_client;
		uint8_t flags;
		uint32_t seq, ack;
		uint32_t dir;
	} pk[] = {
		{ syn, 5, true, TCP_SYN, 1000, 0, PCAPNG_EPB_FLAG_INBOUND },
		{ synack, 6, false, TCP_SYN | TCP_ACK, 5000, 1001, PCAPNG_EPB_FLAG_OUTBOUND },
		{ ack, 5, true, TCP_ACK, 1001, 5001, PCAPNG_EPB_FLAG_INBOUND },
	};
	for (size_t i = 0; i < 3 && ok; i++) {
		struct ipft_trace t = { .packet_id = PACKET_ID(0x7c3a91, i + 1), .flags = IPFT_TRACE_COMPLETE,
					.n_events = pk[i].n, .events = pk[i].ev };
		pk[i].ev[0].flags = IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
		pk[i].ev[pk[i].n - 1].flags = IPFT_EVF_FREE;
		tcp_packet(&k, pk[i].from_client, pk[i].seq, pk[i].ack, pk[i].flags,
			   (uint16_t)(0x4d21 + i));
		ok = packet(&s, 0, pk[i].dir, &k, &t) == 0;
	}
	return close_sample(&s, 1, T0 + 1000000000, ok);
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
	struct ipft_event ev[10];
	uint64_t entry_ts[5] = { 0 };
	uint16_t depth = 0;
	struct sample s;
	struct pkt k;

	memset(ev, 0, sizeof(ev));
	for (size_t i = 0; i < 10; i++) {
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
	ev[0].flags = IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
	struct ipft_trace t = { .packet_id = PACKET_ID(0x2e8d04, 1), .flags = IPFT_TRACE_PARTIAL,
				.n_events = 10, .events = ev };

	udp_packet(&k, 0x0a000001, 0x0a000002, 40001, 9999, "function graph");
	if (open_sample(&s, dir, "function-graph.pcapng",
			"ipft sample: function_graph tracer, entry and return events") < 0)
		return -1;
	bool ok = add_iface(&s, "eth0", 2, NETNS_ROOT) >= 0 &&
		  packet(&s, 0, PCAPNG_EPB_FLAG_INBOUND, &k, &t) == 0;
	return close_sample(&s, 1, T0 + 1000000000, ok);
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
	struct sample s;
	struct pkt k;

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
	ev[0].flags = IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
	struct ipft_trace t = { .packet_id = PACKET_ID(0xb1f6c3, 1),
				.flags = IPFT_TRACE_PARTIAL | IPFT_TRACE_TRUNCATED,
				.n_events = N, .events = ev };

	udp_packet(&k, 0x0a000001, 0x0a0000ff, 40002, 9998, "loop");
	if (open_sample(&s, dir, "big-trace.pcapng",
			"ipft sample: a trace larger than one pcapng option (split in parts)") < 0) {
		free(ev);
		return -1;
	}
	bool ok = add_iface(&s, "br0", 5, NETNS_TEST) >= 0 &&
		  packet(&s, 0, PCAPNG_EPB_FLAG_INBOUND, &k, &t) == 0;
	free(ev);
	return close_sample(&s, 1, T0 + 1000000000, ok);
}

/* Extra data as typed key/value attributes: one of each value type. */
static int kv_sample(const char *dir)
{
	static const uint8_t cb[8] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03 };
	const struct ipft_kv kv1[] = {
		KV_U64("len", 61),
		{ .key = "headroom_delta", .type = IPFT_VT_S64, .u64 = (uint64_t)-14 },
		KV_STR("dev", "veth0"),
		{ .key = "cb", .type = IPFT_VT_BYTES, .ptr = cb, .len = sizeof(cb) },
		{ .key = "mark", .type = IPFT_VT_HEX64, .u64 = 0xc0ffee },
	};
	const struct ipft_kv kv2[] = {
		KV_STR("verdict", "NF_DROP"),
		{ .key = "hook", .type = IPFT_VT_U64, .u64 = 1 },
	};
	struct ipft_event ev[] = {
		EV(T0 + 1000, 2, IPFT_KIND_TRACEPOINT, "netif_receive_skb"),
		EV(T0 + 2500, 2, IPFT_KIND_FUNC_ENTRY, "nf_hook_slow"),
		EV(T0 + 4100, 2, IPFT_KIND_TRACEPOINT, "kfree_skb"),
	};
	struct sample s;
	struct pkt k;

	ev[0].flags = IPFT_EVF_FIRST | IPFT_EVF_CAPTURE;
	ev[0].n_kv = sizeof(kv1) / sizeof(kv1[0]);
	ev[0].kv = kv1;
	ev[1].n_kv = sizeof(kv2) / sizeof(kv2[0]);
	ev[1].kv = kv2;
	ev[2].flags = IPFT_EVF_FREE;
	ev[2].has = IPFT_HAS_DROP_REASON | IPFT_HAS_DROP_LOCATION;
	ev[2].drop_reason = 9;
	ev[2].drop_reason_name = "NETFILTER_DROP";
	ev[2].drop_location = 0xffffffff819c4d2aull;
	ev[2].drop_location_sym = "nf_hook_slow+0xaa";
	struct ipft_trace t = { .packet_id = PACKET_ID(0x49d27a, 1), .flags = IPFT_TRACE_COMPLETE,
				.n_events = 3, .events = ev };

	udp_packet(&k, 0x0a000001, 0x0a000002, 40003, 8125, "metrics:1|c");
	if (open_sample(&s, dir, "kv.pcapng",
			"ipft sample: extra data as key/value attributes of every type") < 0)
		return -1;
	bool ok = add_iface(&s, "veth0", 2, NETNS_TEST) >= 0 &&
		  packet(&s, 0, PCAPNG_EPB_FLAG_INBOUND, &k, &t) == 0;
	return close_sample(&s, 1, T0 + 1000000000, ok);
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
	return rc ? 1 : 0;
}
