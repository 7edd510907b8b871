/* test-assemble.c - ring-buffer records to packets to events
 * (tracer/collect/assemble.c), without a kernel.
 *
 * Each case feeds the assembler the records the BPF side sends (hits in
 * batches of up to IPFT_SLOTS, a header capture, the free, retired and
 * lost flags, function_graph entries and returns, entries swept from the
 * map, more hits than a packet may hold) and checks the packets it
 * writes: their events in time order, names, flags, drop reason, paired
 * returns, trace flags and counts, and the lineage the kernel sends.
 */
#include "tracer/collect/assemble.h"
#include "tracer/collect/clock.h"
#include "tracer/collect/snaps.h"
#include "tracer/kernel/kallsyms.h"
#include "tracer/probes/probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/unit_check.h"

static struct ipft_clock fixed_clock;

#define MONO_TO_REAL 1000000000000ll
#define MAX_WRITTEN_EVENTS 64

/* The probes the records refer to by id. */
enum { P_NET_DEV_QUEUE, P_IP_RCV, P_TCP_V4_RCV, P_KFREE_SKB, P_IP_OUTPUT, P_VOIDFN, N_PROBES };
static struct ipft_probe probe_v[N_PROBES] = {
	[P_NET_DEV_QUEUE] = { .name = "net_dev_queue", .type = IPFT_PROBE_TRACEPOINT },
	[P_IP_RCV] = { .name = "ip_rcv", .type = IPFT_PROBE_FUNCTION },
	[P_TCP_V4_RCV] = { .name = "tcp_v4_rcv", .type = IPFT_PROBE_FUNCTION },
	[P_KFREE_SKB] = { .name = "kfree_skb", .type = IPFT_PROBE_TRACEPOINT },
	[P_IP_OUTPUT] = { .name = "ip_output", .type = IPFT_PROBE_FUNCTION },
	[P_VOIDFN] = { .name = "void_fn", .type = IPFT_PROBE_FUNCTION, .returns_void = true },
};
static struct ipft_probe_set probes = { .v = probe_v, .n = N_PROBES };

/* What the write callback saw, copied (events live only during the call). */
struct written {
	uint64_t packet_id;
	uint32_t flags;
	bool captured;
	const char *capture_name;
	size_t n_events;
	struct ipft_event ev[MAX_WRITTEN_EVENTS];
	uint64_t parent_id;
	uint32_t lineage, lineage_index, n_merged;
	uint64_t merged0;
	bool parent_headers;
	char drop_sym[96];  /* the free's drop location symbol, if any */
};
static struct written out[16];
static size_t n_out;
static bool fail_writes;
/* Packets written before one that started earlier (test_large_drain). */
static uint64_t last_first_ts;
static size_t out_of_order;

static int on_write(const struct ipft_packet *p, void *arg)
{
	struct written *w = &out[n_out % 16];

	(void)arg;
	if (fail_writes)
		return -1;
	if (p->first_ts < last_first_ts)
		out_of_order++;
	last_first_ts = p->first_ts;
	memset(w, 0, sizeof(*w));
	w->packet_id = p->packet_id;
	w->flags = p->flags;
	w->captured = p->captured;
	w->capture_name = p->capture_name;
	w->n_events = p->n_events;
	if (p->snaps) {
		w->parent_id = p->snaps->parent_id;
		w->lineage = p->snaps->kind;
		w->lineage_index = p->snaps->index;
		w->n_merged = p->snaps->n_merged;
		w->merged0 = p->snaps->merged[0];
		w->parent_headers = p->snaps->parent_headers;
	}
	memcpy(w->ev, p->events,
	       (p->n_events < MAX_WRITTEN_EVENTS ? p->n_events : MAX_WRITTEN_EVENTS) *
		       sizeof(*p->events));
	for (size_t i = 0; i < p->n_events; i++)
		if (p->events[i].drop_location_sym) /* lives only during the call */
			snprintf(w->drop_sym, sizeof(w->drop_sym), "%s", p->events[i].drop_location_sym);
	n_out++;
	return 0;
}

/* raw: the kernel's addresses in the events (--raw-addresses); ksyms:
 * the kernel's symbols, for drop locations (NULL: none). */
static struct ipft_assembler *new_assembler_syms(uint64_t max_written, bool raw,
						 const struct ipft_kallsyms *ksyms)
{
	struct ipft_assembler_cfg cfg = {
		.probes = &probes, .max_inflight = 64, .max_hits = 4096, .snaplen = 256,
		.clock = &fixed_clock, .max_written = max_written, .raw_addresses = raw,
		.write = on_write, .ksyms = ksyms,
	};
	n_out = 0;
	fail_writes = false;
	return ipft_assembler_new(&cfg);
}

static struct ipft_assembler *new_assembler_raw(uint64_t max_written, bool raw)
{
	return new_assembler_syms(max_written, raw, NULL);
}

static struct ipft_assembler *new_assembler(uint64_t max_written)
{
	return new_assembler_raw(max_written, true);
}

/* A hits record of packet id with the given flags. */
static struct ipft_live hits(uint64_t id, uint16_t flags)
{
	struct ipft_live r = { .type = IPFT_REC_HITS, .packet_id = id, .flags = flags };
	return r;
}

static void add(struct ipft_live *r, uint32_t probe, uint64_t ts, uint8_t kind, uint8_t depth,
		int64_t retval)
{
	struct ipft_slot *s = &r->slot[r->n++];

	*s = (struct ipft_slot){ .ts = ts, .probe_id = probe, .cpu = (uint16_t)(ts % 2),
				 .kind = kind, .depth = depth, .retval = retval,
				 .func_ip = kind == IPFT_HIT_TRACEPOINT ? 0 : 0xffffffff81000000ull + probe };
}

static void tp(struct ipft_live *r, uint32_t probe, uint64_t ts)
{
	add(r, probe, ts, IPFT_HIT_TRACEPOINT, 0, 0);
}

static void feed(struct ipft_assembler *a, const struct ipft_live *r)
{
	ipft_assembler_record(a, r, offsetof(struct ipft_live, slot) + r->n * sizeof(r->slot[0]));
}

/* The free with a drop reason as the last slot of r. */
static void freed(struct ipft_live *r, uint32_t reason)
{
	r->flags |= IPFT_LIVE_FREE | IPFT_LIVE_FREED_HERE | IPFT_LIVE_HAS_REASON;
	r->free_slot = (uint8_t)(r->n - 1);
	r->drop_reason = reason;
	r->drop_location = 0xffffffff81234567ull;
}

static void test_one_record_drop(void)
{
	struct ipft_assembler *a = new_assembler(0);
	struct ipft_live r = hits(7, IPFT_LIVE_FIRST);

	tp(&r, P_NET_DEV_QUEUE, 100);
	add(&r, P_IP_RCV, 200, IPFT_HIT_ENTRY, 0, 0);
	tp(&r, P_KFREE_SKB, 300);
	freed(&r, 3);
	feed(a, &r);
	CHECK(n_out == 1, "a freed packet is written at once (%zu)", n_out);
	const struct written *w = &out[0];
	CHECK(w->packet_id == 7 && w->n_events == 3, "id %llu, %zu events",
	      (unsigned long long)w->packet_id, w->n_events);
	CHECK(w->flags == IPFT_TRACE_COMPLETE, "complete, nothing else (0x%x)", w->flags);
	CHECK(strcmp(w->ev[0].name, "net_dev_queue") == 0 && strcmp(w->ev[2].name, "kfree_skb") == 0,
	      "names by probe id");
	CHECK(w->ev[0].ts_ns == 100 + MONO_TO_REAL, "wall-clock times");
	CHECK(w->ev[0].flags == IPFT_EVF_FIRST && w->ev[1].flags == 0 &&
	      w->ev[2].flags == IPFT_EVF_FREE, "first and free flags (%x %x %x)",
	      w->ev[0].flags, w->ev[1].flags, w->ev[2].flags);
	CHECK((w->ev[2].has & IPFT_HAS_DROP_REASON) && w->ev[2].drop_reason == 3 &&
	      w->ev[2].drop_location == 0xffffffff81234567ull, "the drop on the free");
	CHECK(!w->ev[2].drop_reason_name && !w->ev[2].drop_location_sym,
	      "no names without tables");
	CHECK((w->ev[1].has & IPFT_HAS_FUNC_ADDR) && !(w->ev[0].has & IPFT_HAS_FUNC_ADDR),
	      "function addresses where the backend knows them");
	CHECK(ipft_assembler_counts(a).written == 1 && ipft_assembler_counts(a).partial == 0,
	      "counts");
	ipft_assembler_free(a);
}

/* By default no kernel address reaches an event (KASLR): the drop
 * reason stays, the location only as sym+off (none here: no table). */
static void test_no_raw_addresses(void)
{
	struct ipft_assembler *a = new_assembler_raw(0, false);
	struct ipft_live r = hits(9, IPFT_LIVE_FIRST);
	bool addr = false;

	tp(&r, P_NET_DEV_QUEUE, 100);
	add(&r, P_IP_RCV, 200, IPFT_HIT_ENTRY, 0, 0);
	tp(&r, P_KFREE_SKB, 300);
	freed(&r, 3);
	feed(a, &r);
	CHECK(n_out == 1 && out[0].n_events == 3, "the packet is written (%zu)", n_out);
	for (size_t i = 0; i < out[0].n_events; i++)
		addr |= (out[0].ev[i].has & (IPFT_HAS_FUNC_ADDR | IPFT_HAS_DROP_LOCATION)) != 0 ||
			out[0].ev[i].func_addr || out[0].ev[i].drop_location;
	CHECK(!addr, "no function address, no drop location address");
	CHECK((out[0].ev[2].has & IPFT_HAS_DROP_REASON) && out[0].ev[2].drop_reason == 3,
	      "the drop reason stays");
	ipft_assembler_free(a);
}

/* Drops at three places in turn (one of them again, one a byte past it),
 * with this kernel's symbols: each event names its own place (the
 * assembler keeps the last one's symbol). */
static void test_drop_symbols(void)
{
	static const char *const names[] = { "__udp4_lib_rcv", "ip_rcv" };
	struct ipft_kallsyms *k = ipft_kallsyms_load();
	uint64_t at[2] = { 0, 0 }, loc[4];
	char want[4][96];

	CHECK(k && !ipft_kallsyms_hidden(k) && ipft_kallsyms_addrs(k, names, 2, at) == 0 &&
	      at[0] && at[1], "this kernel's symbols (/proc/kallsyms, read as root)");
	if (!at[0] || !at[1]) {
		ipft_kallsyms_free(k);
		return;
	}
	loc[0] = at[0] + 0x10, loc[1] = at[1] + 0x20, loc[2] = loc[0], loc[3] = at[0] + 0x11;
	struct ipft_assembler *a = new_assembler_syms(0, false, k);
	for (int i = 0; i < 4; i++) {
		struct ipft_live r = hits(100 + (uint64_t)i, IPFT_LIVE_FIRST);
		tp(&r, P_NET_DEV_QUEUE, 1000 + 10 * (uint64_t)i);
		tp(&r, P_KFREE_SKB, 1005 + 10 * (uint64_t)i);
		freed(&r, 3);
		r.drop_location = loc[i];
		feed(a, &r);
		ipft_kallsyms_format(k, loc[i], want[i], sizeof(want[i]));
	}
	CHECK(n_out == 4, "four drops written (%zu)", n_out);
	for (size_t i = 0; i < 4 && i < n_out; i++)
		CHECK(strcmp(out[i].drop_sym, want[i]) == 0, "drop %zu at %s (%s)", i, want[i],
		      out[i].drop_sym);
	CHECK(strcmp(want[0], want[1]) != 0 && strcmp(want[0], want[3]) != 0,
	      "three places (%s, %s, %s)", want[0], want[1], want[3]);
	ipft_assembler_free(a);
	ipft_kallsyms_free(k);
}

/* Two records (a full set of slots, then the rest with the free), the
 * second from another CPU a little earlier: one packet, in time order. */
static void test_batches_in_time_order(void)
{
	struct ipft_assembler *a = new_assembler(0);
	struct ipft_live r1 = hits(8, IPFT_LIVE_FIRST), r2 = hits(8, 0);

	for (int i = 0; i < IPFT_SLOTS; i++)
		tp(&r1, P_IP_RCV, 1000 + 10 * (uint64_t)i);
	tp(&r2, P_TCP_V4_RCV, 1005); /* earlier than r1's last hits */
	tp(&r2, P_KFREE_SKB, 2000);
	freed(&r2, 0);
	r2.flags &= (uint16_t)~IPFT_LIVE_HAS_REASON;
	feed(a, &r1);
	CHECK(n_out == 0, "not written before its free");
	feed(a, &r2);
	CHECK(n_out == 1 && out[0].n_events == IPFT_SLOTS + 2, "one packet, every hit (%zu)",
	      out[0].n_events);
	for (size_t i = 1; i < out[0].n_events; i++)
		CHECK(out[0].ev[i - 1].ts_ns <= out[0].ev[i].ts_ns, "time order at %zu", i);
	CHECK(strcmp(out[0].ev[1].name, "tcp_v4_rcv") == 0, "the late record's hit sorted in");
	CHECK(!(out[0].ev[out[0].n_events - 1].has & IPFT_HAS_DROP_REASON),
	      "a free without a reason carries none");
	ipft_assembler_free(a);
}

/* The capture arrives before the hits; the headers were taken at the
 * first hit of the capturing probe. */
static void test_capture(void)
{
	struct ipft_assembler *a = new_assembler(0);
	struct ipft_capture c = { .type = IPFT_REC_CAPTURE, .packet_id = 9, .caplen = 20,
				  .origlen = 60, .probe_id = P_IP_RCV, .layer = IPFT_CAPTURE_L3 };
	struct ipft_live r = hits(9, IPFT_LIVE_FIRST);

	memset(c.data, 0x45, 20);
	ipft_assembler_record(a, &c, offsetof(struct ipft_capture, data) + 20);
	tp(&r, P_NET_DEV_QUEUE, 10);
	add(&r, P_IP_RCV, 20, IPFT_HIT_ENTRY, 0, 0);
	add(&r, P_IP_RCV, 30, IPFT_HIT_ENTRY, 0, 0);
	tp(&r, P_KFREE_SKB, 40);
	freed(&r, 2);
	feed(a, &r);
	CHECK(n_out == 1 && out[0].captured, "the capture joins its packet");
	CHECK(out[0].capture_name && strcmp(out[0].capture_name, "ip_rcv") == 0,
	      "capture name (%s)", out[0].capture_name ? out[0].capture_name : "none");
	CHECK(out[0].ev[1].flags & IPFT_EVF_CAPTURE, "capture flag on the first ip_rcv");
	CHECK(!(out[0].ev[2].flags & IPFT_EVF_CAPTURE) && !(out[0].ev[0].flags & IPFT_EVF_CAPTURE),
	      "capture flag once");
	/* A capture claiming more bytes than its record holds is ignored. */
	c.packet_id = 10;
	c.caplen = 200;
	ipft_assembler_record(a, &c, offsetof(struct ipft_capture, data) + 20);
	ipft_assembler_flush_all(a);
	CHECK(n_out == 1, "a short capture record makes no packet (%zu)", n_out);
	ipft_assembler_free(a);
}

/* The written packet with this id; NULL. */
static const struct written *written_id(uint64_t id)
{
	for (size_t i = 0; i < n_out && i < 16; i++)
		if (out[i].packet_id == id)
			return &out[i];
	return NULL;
}

/* The kernel's LINEAGE record: the child names its parent, its kind and
 * index, and whether it repeats headers the parent already had (a tap's
 * clone: written as an exported PDU) or was made before the parent had
 * any (TCP's transmit clone of its queue's skb: a packet as any).  A
 * packet GRO merged into the captured one: that one lists it. */
static void test_lineage_record(void)
{
	struct ipft_assembler *a = new_assembler(0);
	struct ipft_capture c = { .type = IPFT_REC_CAPTURE, .packet_id = 40, .caplen = 20,
				  .origlen = 60, .probe_id = P_NET_DEV_QUEUE,
				  .layer = IPFT_CAPTURE_L3 };
	struct ipft_lineage_rec tap = { .type = IPFT_REC_LINEAGE, .kind = IPFT_LINEAGE_CLONE,
					.packet_id = 41, .first_ts = 20, .parent_id = 40 };
	struct ipft_lineage_rec tcp = { .type = IPFT_REC_LINEAGE, .kind = IPFT_LINEAGE_SEGMENT,
					.packet_id = 43, .first_ts = 60, .parent_id = 42,
					.index = 2 };
	struct ipft_lineage_rec gro = { .type = IPFT_REC_LINEAGE, .kind = IPFT_LINEAGE_MERGED,
					.packet_id = 44, .first_ts = 70, .parent_id = 40 };
	uint64_t ids[] = { 41, 43, 44 }, ts[] = { 20, 60, 70 };

	memset(c.data, 0x45, 20);
	ipft_assembler_record(a, &c, offsetof(struct ipft_capture, data) + 20);
	ipft_assembler_record(a, &tap, sizeof(tap));
	ipft_assembler_record(a, &tcp, sizeof(tcp)); /* parent 42: never captured */
	ipft_assembler_record(a, &gro, sizeof(gro));
	for (int i = 0; i < 3; i++) {
		struct ipft_live r = hits(ids[i], IPFT_LIVE_FIRST);
		tp(&r, P_KFREE_SKB, ts[i]);
		freed(&r, 0);
		feed(a, &r);
	}
	ipft_assembler_flush_all(a);
	const struct written *clone = written_id(41), *seg = written_id(43), *gro_in = written_id(44),
			     *parent = written_id(40);
	CHECK(n_out == 4 && parent && !parent->parent_id,
	      "the captured parent, written at the end, derived from none (%zu written)", n_out);
	CHECK(parent && parent->n_merged == 1 && parent->merged0 == 44 && gro_in &&
	      gro_in->parent_id == 40 && gro_in->lineage == IPFT_LINEAGE_MERGED,
	      "merged by GRO: the packet names the one it went into, which lists it");
	CHECK(clone && clone->parent_id == 40 && clone->lineage == IPFT_LINEAGE_CLONE &&
	      clone->parent_headers,
	      "a clone of a captured packet: its parent, and it repeats its headers");
	CHECK(seg && seg->parent_id == 42 && seg->lineage == IPFT_LINEAGE_SEGMENT &&
	      seg->lineage_index == 2 && !seg->parent_headers,
	      "made before its parent had headers: kind and index, no headers to repeat");
	ipft_assembler_free(a);
}

/* Packet id: its headers (IPv4, TCP from port 1000 to 2000, dlen bytes
 * of data from seq) taken at probe on device 2 of netns 7, one hit there
 * at ts and its free. */
static void tcp_packet(struct ipft_assembler *a, uint64_t id, uint32_t probe, uint32_t seq,
		       uint16_t dlen, uint64_t ts)
{
	static struct ipft_capture c;
	static const uint8_t addrs[8] = { 10, 0, 0, 1, 10, 0, 0, 2 };
	uint8_t *ip = c.data;
	uint16_t tot = (uint16_t)(40 + dlen);
	struct ipft_live r = hits(id, IPFT_LIVE_FIRST);

	c = (struct ipft_capture){ .type = IPFT_REC_CAPTURE, .packet_id = id, .caplen = 40,
				   .origlen = tot, .probe_id = probe, .layer = IPFT_CAPTURE_L3,
				   .ifindex = 2, .netns = 7 };
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, addrs, sizeof(addrs));
	ip[20] = 1000 >> 8, ip[21] = 1000 & 0xff, ip[22] = 2000 >> 8, ip[23] = 2000 & 0xff;
	for (int i = 0; i < 4; i++)
		ip[24 + i] = (uint8_t)(seq >> (24 - 8 * i));
	ip[32] = 0x50;
	ip[33] = 0x10;
	ipft_assembler_record(a, &c, offsetof(struct ipft_capture, data) + c.caplen);
	tp(&r, probe, ts);
	tp(&r, P_KFREE_SKB, ts + 5);
	freed(&r, 0);
	feed(a, &r);
}

/* A TCP packet whose data lies in a super-packet's that just ended is
 * its GSO segment, numbered by where it starts; but one whose headers
 * were taken where the super-packet's were (same attach point, same
 * device) is TCP sending that data again, a packet of its own: a
 * capture sees it as a retransmission (tests/tracer/time-order.sh). */
static void test_segments_and_sent_again(void)
{
	struct ipft_assembler *a = new_assembler(0);

	tcp_packet(a, 60, P_NET_DEV_QUEUE, 1000, 3 * 1448, 100);
	tcp_packet(a, 61, P_IP_OUTPUT, 1000, 1448, 110);
	tcp_packet(a, 62, P_IP_OUTPUT, 1000 + 1448, 1448, 120);
	tcp_packet(a, 63, P_NET_DEV_QUEUE, 1000 + 1448, 1448, 130);
	ipft_assembler_flush_all(a);
	const struct written *s0 = written_id(61), *s1 = written_id(62), *again = written_id(63);
	CHECK(n_out == 4 && s0 && s0->parent_id == 60 && s0->lineage == IPFT_LINEAGE_SEGMENT &&
	      s0->lineage_index == 0, "segment 0 of the super-packet (%zu written)", n_out);
	CHECK(s1 && s1->parent_id == 60 && s1->lineage_index == 1, "segment 1");
	CHECK(again && !again->parent_id, "sent again where the super-packet was: no segment");
	ipft_assembler_free(a);
}

/* -t function_graph: returns get their call's duration and (not for void
 * functions) their return value. */
static void test_function_graph(void)
{
	struct ipft_assembler *a = new_assembler(0);
	struct ipft_live r = hits(11, IPFT_LIVE_FIRST);

	add(&r, P_IP_RCV, 100, IPFT_HIT_ENTRY, 0, 0);
	add(&r, P_TCP_V4_RCV, 150, IPFT_HIT_ENTRY, 1, 0);
	add(&r, P_VOIDFN, 160, IPFT_HIT_ENTRY, 2, 0);
	add(&r, P_VOIDFN, 170, IPFT_HIT_RETURN, 2, 99);
	add(&r, P_TCP_V4_RCV, 250, IPFT_HIT_RETURN, 1, -22);
	add(&r, P_IP_RCV, 400, IPFT_HIT_RETURN, 0, 1);
	r.flags |= IPFT_LIVE_FREE;
	feed(a, &r);
	CHECK(n_out == 1 && out[0].n_events == 6, "six events (%zu)", out[0].n_events);
	const struct ipft_event *e = out[0].ev;
	CHECK(e[3].kind == IPFT_KIND_FUNC_RETURN && (e[3].has & IPFT_HAS_DURATION) &&
	      e[3].duration_ns == 10, "void_fn: 10 ns");
	CHECK(!(e[3].has & IPFT_HAS_RETVAL), "a void function returns no value");
	CHECK((e[4].has & IPFT_HAS_DURATION) && e[4].duration_ns == 100 &&
	      (e[4].has & IPFT_HAS_RETVAL) && e[4].retval == -22, "tcp_v4_rcv: 100 ns, -22");
	CHECK((e[5].has & IPFT_HAS_DURATION) && e[5].duration_ns == 300 && e[5].retval == 1,
	      "ip_rcv: 300 ns, 1");
	CHECK(!(e[0].has & IPFT_HAS_DURATION), "entries have no duration");
	CHECK(out[0].flags == IPFT_TRACE_COMPLETE, "complete");
	ipft_assembler_free(a);
}

/* A return whose entry is not in the trace gets no duration. */
static void test_unpaired_return(void)
{
	struct ipft_assembler *a = new_assembler(0);
	struct ipft_live r = hits(12, IPFT_LIVE_FIRST);

	add(&r, P_IP_RCV, 100, IPFT_HIT_ENTRY, 1, 0);
	add(&r, P_TCP_V4_RCV, 200, IPFT_HIT_RETURN, 1, 0); /* another function's return */
	r.flags |= IPFT_LIVE_FREE;
	feed(a, &r);
	CHECK(n_out == 1 && !(out[0].ev[1].has & IPFT_HAS_DURATION), "no duration");
	ipft_assembler_free(a);
}

/* Retired, lost and late-starting packets: their trace flags. */
static void test_partial_and_lost(void)
{
	struct ipft_assembler *a = new_assembler(0);
	struct ipft_live r = hits(20, IPFT_LIVE_FIRST | IPFT_LIVE_RETIRED);

	tp(&r, P_NET_DEV_QUEUE, 10);
	feed(a, &r);
	CHECK(n_out == 1 && out[0].flags == IPFT_TRACE_PARTIAL, "retired: partial (0x%x)",
	      out[0].flags);
	r = hits(21, IPFT_LIVE_LOST_BEFORE);
	tp(&r, P_KFREE_SKB, 20);
	freed(&r, 2);
	feed(a, &r);
	CHECK(n_out == 2 && (out[1].flags & IPFT_TRACE_EVENTS_LOST) &&
	      (out[1].flags & IPFT_TRACE_PARTIAL) && (out[1].flags & IPFT_TRACE_COMPLETE),
	      "lost before, its beginning missing, freed (0x%x)", out[1].flags);
	CHECK(out[1].ev[0].flags == IPFT_EVF_FREE, "no first event in a trace missing its start");
	CHECK(ipft_assembler_counts(a).partial == 2, "both counted partial");
	ipft_assembler_free(a);
}

/* Entries swept from the map while alive, and packets flushed at exit. */
static void test_swept_and_flushed(void)
{
	struct ipft_assembler *a = new_assembler(0);
	struct ipft_live r = hits(30, IPFT_LIVE_FIRST);
	struct ipft_capture c = { .type = IPFT_REC_CAPTURE, .packet_id = 31, .caplen = 4,
				  .probe_id = P_IP_RCV };

	tp(&r, P_NET_DEV_QUEUE, 10);
	tp(&r, P_IP_RCV, 20);
	r.lost = 1;
	ipft_assembler_swept(a, &r);
	CHECK(n_out == 1 && (out[0].flags & IPFT_TRACE_PARTIAL) &&
	      (out[0].flags & IPFT_TRACE_EVENTS_LOST), "swept: partial, lost (0x%x)", out[0].flags);
	CHECK(ipft_assembler_counts(a).swept_events == 2, "swept hits counted");
	/* Headers and no hits: the hits' record was lost. */
	ipft_assembler_record(a, &c, offsetof(struct ipft_capture, data) + 4);
	r = hits(32, IPFT_LIVE_FIRST);
	tp(&r, P_IP_RCV, 50);
	feed(a, &r);
	CHECK(n_out == 1, "nothing ends yet");
	ipft_assembler_flush_all(a);
	CHECK(n_out == 3, "flushed at exit (%zu)", n_out);
	for (size_t i = 1; i < n_out; i++) {
		if (out[i].packet_id == 31)
			CHECK(out[i].n_events == 0 && (out[i].flags & IPFT_TRACE_EVENTS_LOST),
			      "headers only: events lost (0x%x)", out[i].flags);
		else
			CHECK(out[i].packet_id == 32 && out[i].flags == IPFT_TRACE_PARTIAL,
			      "alive at exit: partial (0x%x)", out[i].flags);
	}
	ipft_assembler_free(a);
}

/* Expiry by the time ipft last heard of a packet. */
static void test_expire(void)
{
	struct ipft_assembler *a = new_assembler(0);
	struct ipft_live r = hits(40, IPFT_LIVE_FIRST);

	tp(&r, P_IP_RCV, 10);
	ipft_assembler_set_now(a, 1000);
	feed(a, &r);
	r = hits(41, IPFT_LIVE_FIRST);
	tp(&r, P_IP_RCV, 20);
	ipft_assembler_set_now(a, 5000);
	feed(a, &r);
	ipft_assembler_expire(a, 2000);
	CHECK(n_out == 1 && out[0].packet_id == 40, "only the idle one expires");
	ipft_assembler_free(a);
}

/* Records that claim more than they hold, and unknown probes. */
static void test_malformed(void)
{
	struct ipft_assembler *a = new_assembler(0);
	struct ipft_live r = hits(50, IPFT_LIVE_FIRST);
	uint32_t junk = 77;

	tp(&r, P_IP_RCV, 10);
	tp(&r, P_KFREE_SKB, 20);
	freed(&r, 2);
	ipft_assembler_record(a, &r, offsetof(struct ipft_live, slot) + sizeof(r.slot[0]));
	ipft_assembler_record(a, &r, 2);
	ipft_assembler_record(a, &junk, sizeof(junk));
	CHECK(n_out == 0, "short records are ignored (%zu)", n_out);
	r.slot[0].probe_id = N_PROBES + 5;
	feed(a, &r);
	CHECK(n_out == 1 && out[0].n_events == 1 && strcmp(out[0].ev[0].name, "kfree_skb") == 0,
	      "a hit of an unknown probe is skipped");
	ipft_assembler_free(a);
}

/* -c: writing stops at the count; a failed write stops it too. */
static void test_count_and_failure(void)
{
	struct ipft_assembler *a = new_assembler(2);

	for (uint64_t id = 60; id < 63; id++) {
		struct ipft_live r = hits(id, IPFT_LIVE_FIRST | IPFT_LIVE_FREE);
		tp(&r, P_KFREE_SKB, id);
		feed(a, &r);
	}
	CHECK(n_out == 2 && ipft_assembler_count_reached(a), "stops after two (%zu)", n_out);
	ipft_assembler_free(a);

	a = new_assembler(0);
	fail_writes = true;
	struct ipft_live r = hits(70, IPFT_LIVE_FIRST | IPFT_LIVE_FREE);
	tp(&r, P_KFREE_SKB, 1);
	feed(a, &r);
	CHECK(ipft_assembler_write_failed(a) && ipft_assembler_counts(a).written == 0,
	      "a failed write is remembered, not counted");
	fail_writes = false;
	r.packet_id = 71;
	feed(a, &r);
	CHECK(n_out == 0, "nothing is written after a failure");
	ipft_assembler_free(a);
}

/* Hits past the per-packet cap are dropped, counted, the trace flagged. */
static void test_over_cap(void)
{
	struct ipft_assembler_cfg cfg = { .probes = &probes, .max_inflight = 4, .max_hits = 4,
					  .snaplen = 64, .write = on_write,
					  .clock = &fixed_clock };
	struct ipft_assembler *a = ipft_assembler_new(&cfg);
	struct ipft_live r = hits(80, IPFT_LIVE_FIRST | IPFT_LIVE_FREE);

	n_out = 0;
	for (int i = 0; i < 6; i++)
		tp(&r, P_IP_RCV, 10 + (uint64_t)i);
	feed(a, &r);
	CHECK(n_out == 1 && out[0].n_events == 4, "four events kept (%zu)", out[0].n_events);
	CHECK(out[0].flags & IPFT_TRACE_TRUNCATED, "flagged truncated (0x%x)", out[0].flags);
	CHECK(ipft_assembler_counts(a).over_cap == 2, "two dropped, counted (%llu)",
	      (unsigned long long)ipft_assembler_counts(a).over_cap);
	ipft_assembler_free(a);
}

/* One packet's single record: started at first_ts, one hit, maybe freed. */
static void one_hit(struct ipft_assembler *a, uint64_t id, uint64_t first_ts, bool free)
{
	struct ipft_live r = hits(id, IPFT_LIVE_FIRST | (free ? IPFT_LIVE_FREE : 0));

	r.first_ts = first_ts;
	tp(&r, free ? P_KFREE_SKB : P_IP_RCV, first_ts);
	feed(a, &r);
}

/* Written in the order they started: a finished packet waits for earlier
 * ones in flight, up to the window; and settles before it is written. */
static void test_write_order(void)
{
	struct ipft_assembler_cfg cfg = { .probes = &probes, .max_inflight = 64, .max_hits = 64,
					  .snaplen = 64, .write = on_write, .clock = &fixed_clock,
					  .order_window_ns = 1000, .order_settle_ns = 50 };
	struct ipft_assembler *a = ipft_assembler_new(&cfg);
	struct ipft_capture c = { .type = IPFT_REC_CAPTURE, .packet_id = 90, .first_ts = 100 };

	n_out = 0;
	ipft_assembler_set_now(a, 110);
	/* A's capture arrives first: it holds A's place before its hits. */
	ipft_assembler_record(a, &c, offsetof(struct ipft_capture, data));
	one_hit(a, 92, 300, false);       /* C starts */
	one_hit(a, 91, 200, true);        /* B starts and ends */
	CHECK(n_out == 0, "B waits for A (%zu)", n_out);
	ipft_assembler_set_now(a, 400);
	one_hit(a, 92, 300, true);        /* C ends */
	CHECK(n_out == 0, "C waits too (%zu)", n_out);
	one_hit(a, 90, 100, true);        /* A's hits: it ends */
	CHECK(n_out == 3 && out[0].packet_id == 90 && out[1].packet_id == 91 &&
	      out[2].packet_id == 92, "A, B, C in the order they started");

	/* D starts at 500 and stays; E (600) ends: E waits until D is
	 * overdue (500 + 1000), then goes; D is written when it ends. */
	one_hit(a, 93, 500, false);
	one_hit(a, 94, 600, true);
	ipft_assembler_expire(a, 0);
	CHECK(n_out == 3, "E waits for D");
	ipft_assembler_set_now(a, 1500);
	ipft_assembler_expire(a, 0);
	CHECK(n_out == 4 && out[3].packet_id == 94, "D overdue: E written");
	one_hit(a, 93, 500, true);
	CHECK(n_out == 5 && out[4].packet_id == 93, "D written when it ends");

	/* F ends at once but settles 50 ns after its start first. */
	ipft_assembler_set_now(a, 2000);
	one_hit(a, 95, 1990, true);
	CHECK(n_out == 5, "F settles");
	ipft_assembler_set_now(a, 2040);
	ipft_assembler_expire(a, 0);
	CHECK(n_out == 6 && out[5].packet_id == 95, "F written after settling");

	/* A packet placed before all those held (one swept from the map is
	 * old) and one between them. */
	ipft_assembler_set_now(a, 2500);
	one_hit(a, 110, 2300, false);
	one_hit(a, 111, 2400, false);
	struct ipft_live old = hits(112, IPFT_LIVE_FIRST);
	old.first_ts = 2100;
	tp(&old, P_IP_RCV, 2100);
	ipft_assembler_swept(a, &old);
	one_hit(a, 113, 2350, true);
	ipft_assembler_set_now(a, 2600);
	ipft_assembler_expire(a, 0);
	CHECK(n_out == 7 && out[6].packet_id == 112, "the old one first, at once");
	one_hit(a, 110, 2300, true);
	one_hit(a, 111, 2400, true);
	CHECK(n_out == 10 && out[7].packet_id == 110 && out[8].packet_id == 113 &&
	      out[9].packet_id == 111, "the one between in its place");

	/* Packets that started at the same time: in the order they came. */
	one_hit(a, 120, 2700, false);
	one_hit(a, 121, 2700, false);
	one_hit(a, 122, 2700, true);
	one_hit(a, 121, 2700, true);
	ipft_assembler_set_now(a, 2800);
	one_hit(a, 120, 2700, true);
	CHECK(n_out == 13 && out[10].packet_id == 120 && out[11].packet_id == 121 &&
	      out[12].packet_id == 122, "a tie: in the order they came");

	/* At exit everything is written, in order. */
	one_hit(a, 97, 3000, false);
	one_hit(a, 96, 2900, true);
	ipft_assembler_flush_all(a);
	CHECK(n_out == 15 && out[13].packet_id == 96 && out[14].packet_id == 97 &&
	      (out[14].flags & IPFT_TRACE_PARTIAL), "flushed in order, the one alive partial");
	ipft_assembler_free(a);
}

/* A stop under a flood: tens of thousands of packets held, as many swept
 * from the map at random places among them (the oldest mostly), then all
 * written at once.  Every one written, each after those that started
 * before it, in time linear in n log n (a sorted list took minutes). */
#define DRAIN_HELD 60000
#define DRAIN_SWEPT 60000
static void test_large_drain(void)
{
	struct ipft_assembler_cfg cfg = { .probes = &probes, .max_inflight = 4 * DRAIN_HELD,
					  .max_hits = 64, .snaplen = 64, .write = on_write,
					  .clock = &fixed_clock, .order_window_ns = 1ull << 62,
					  .order_settle_ns = 50 };
	struct ipft_assembler *a = ipft_assembler_new(&cfg);
	uint64_t seed = 42, id = 1000000;
	clock_t t0 = clock();

	n_out = out_of_order = last_first_ts = 0;
	ipft_assembler_set_now(a, 1);
	/* In flight, as the ring brings them: nearly in order; a third end. */
	for (uint64_t i = 0; i < DRAIN_HELD; i++)
		one_hit(a, id++, 1000 + 10 * i + (i % 7), i % 3 == 0);
	for (uint64_t i = 0; i < DRAIN_SWEPT; i++) {
		struct ipft_live r = hits(id++, IPFT_LIVE_FIRST);
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		/* Three in four older than every packet held. */
		r.first_ts = (seed >> 33) % (i % 4 ? 1000 : 10 * DRAIN_HELD);
		tp(&r, P_IP_RCV, r.first_ts);
		ipft_assembler_swept(a, &r);
	}
	CHECK(n_out == 0, "all held until the drain (%zu written)", n_out);
	ipft_assembler_flush_all(a);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	CHECK(n_out == DRAIN_HELD + DRAIN_SWEPT, "every packet written (%zu)", n_out);
	CHECK(out_of_order == 0, "in the order they started (%zu out of place)", out_of_order);
	CHECK(secs < 10, "%d packets drained in %.2f s of CPU", DRAIN_HELD + DRAIN_SWEPT, secs);
	printf("test-assemble: %d packets held and drained in %.2f s of CPU\n",
	       DRAIN_HELD + DRAIN_SWEPT, secs);
	ipft_assembler_free(a);
}

/* A hit is stamped with the wall-clock offset of its own time: a step of
 * the clock between two hits moves only the later one. */
static void test_clock_steps(void)
{
	struct ipft_clock_change steps[] = {
		{ .from_mono = 0, .offset = 1000 },
		{ .from_mono = 500, .offset = 3000, .step = 2000 },
	};
	struct ipft_clock stepped = { .changes = steps, .n = 2, .set_fd = -1 };
	struct ipft_assembler_cfg cfg = { .probes = &probes, .max_inflight = 4, .max_hits = 16,
					  .snaplen = 64, .write = on_write, .clock = &stepped };
	struct ipft_assembler *a = ipft_assembler_new(&cfg);
	struct ipft_live r = hits(100, IPFT_LIVE_FIRST | IPFT_LIVE_FREE);

	n_out = 0;
	tp(&r, P_IP_RCV, 400);
	tp(&r, P_KFREE_SKB, 600);
	feed(a, &r);
	CHECK(n_out == 1 && out[0].ev[0].ts_ns == 1400 && out[0].ev[1].ts_ns == 3600,
	      "each hit with its own offset (%llu, %llu)", (unsigned long long)out[0].ev[0].ts_ns,
	      (unsigned long long)out[0].ev[1].ts_ns);
	CHECK(ipft_clock_real(&stepped, 499) == 1499 && ipft_clock_real(&stepped, 500) == 3500,
	      "the step applies from its time on");

	/* A packet whose capture carries the kernel's own wall clock (TAI,
	 * 6.1+) is stamped with the offset the kernel had when that is a
	 * step not measured yet (2 s away from the history's) ... */
	const uint64_t step = 2000000000;
	struct ipft_capture c = { .type = IPFT_REC_CAPTURE, .packet_id = 101, .first_ts = 700,
				  .mono_ns = 710, .tai_ns = 710 + step };
	ipft_assembler_record(a, &c, offsetof(struct ipft_capture, data));
	r = hits(101, IPFT_LIVE_FIRST | IPFT_LIVE_FREE);
	tp(&r, P_IP_RCV, 700);
	tp(&r, P_KFREE_SKB, 720);
	feed(a, &r);
	CHECK(n_out == 2 && out[1].ev[0].ts_ns == step + 700 && out[1].ev[1].ts_ns == step + 720,
	      "a step the kernel saw first: its offset for the whole packet (%llu, %llu)",
	      (unsigned long long)out[1].ev[0].ts_ns, (unsigned long long)out[1].ev[1].ts_ns);
	/* ... and with the history's when the two differ only by what came
	 * between the kernel's two reads (an interrupt, a VM's stolen time):
	 * a packet stamped later than the next one read them out of order. */
	c = (struct ipft_capture){ .type = IPFT_REC_CAPTURE, .packet_id = 102, .first_ts = 800,
				   .mono_ns = 810, .tai_ns = 810 + 3000 + 40000 };
	ipft_assembler_record(a, &c, offsetof(struct ipft_capture, data));
	r = hits(102, IPFT_LIVE_FIRST | IPFT_LIVE_FREE);
	tp(&r, P_IP_RCV, 800);
	feed(a, &r);
	CHECK(n_out == 3 && out[2].ev[0].ts_ns == 3800,
	      "an interrupted read: the measured offset (%llu)", (unsigned long long)out[2].ev[0].ts_ns);
	ipft_assembler_free(a);
}

int main(void)
{
	ipft_clock_fixed(&fixed_clock, MONO_TO_REAL);
	test_one_record_drop();
	test_no_raw_addresses();
	test_drop_symbols();
	test_batches_in_time_order();
	test_capture();
	test_lineage_record();
	test_segments_and_sent_again();
	test_function_graph();
	test_unpaired_return();
	test_partial_and_lost();
	test_swept_and_flushed();
	test_expire();
	test_malformed();
	test_count_and_failure();
	test_over_cap();
	test_write_order();
	test_large_drain();
	test_clock_steps();
	ipft_clock_free(&fixed_clock);
	if (failures) {
		fprintf(stderr, "test-assemble: %d checks failed\n", failures);
		return 1;
	}
	printf("test-assemble: all checks passed\n");
	return 0;
}
