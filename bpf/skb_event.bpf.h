/* skb_event.bpf.h - what every attach point does with an skb.
 *
 * Each backend's program gives the skb it found in its arguments to
 * ipft_hit_decide() and handle_hit() (or handle_skb(), both at once).
 * An untyped skb (raw_tp, kprobe) is read through bpf_rdonly_cast in the
 * programs' twins that cast it (only loaded where the kernel lets them:
 * the loader's choice), which makes it typed.  An skb not tracked yet
 * must pass the filters (mark, device, netns, pcap expression) to enter
 * the trace; it then gets a packet_id and an entry in the tracking map
 * keyed by its address.  Hits
 * on tracked skbs skip the filters and are appended to that entry; the
 * entry goes out as one ring-buffer record when its slots are full and when
 * the skb is freed (a free also retires the entry).  A ring-buffer record
 * per hit cost more than everything else a hit does.  The packet's header
 * bytes go out once, at the first hit where the kernel has set a MAC or
 * network header.  With --trigger a packet's hits and headers stay in the
 * kernel until it meets the trigger (trigger.bpf.h).
 */
#ifndef IPFT_SKB_EVENT_BPF_H
#define IPFT_SKB_EVENT_BPF_H

#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ipft_event.h"
#include "bounds.bpf.h"
#include "kernel_compat.bpf.h"

/* Set by the tracer before load (struct ipft_bpf_config, bpf/ipft_shared.h). */
const volatile struct ipft_bpf_config cfg = {
	.snaplen = IPFT_SNAPLEN_DEFAULT,
	.wakeup_bytes = IPFT_WAKEUP_BYTES,
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, IPFT_RINGBUF_MB_DEFAULT << 20);  /* --ringbuf-size */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u64);
	__type(value, struct ipft_live);
	__uint(max_entries, IPFT_MAX_INFLIGHT_DEFAULT);  /* resized by the tracer: --max-inflight */
} live SEC(".maps");

/* The packets that entered the trace, oldest first: when the tracking map
 * is full, the oldest still in it is ended (its hits sent, as a retired
 * packet) to make room.  Packets whose free no attach point sees (a UDP
 * datagram delivered on recent kernels) otherwise fill the map under a
 * flood and keep every new packet out until ipft's sweep. */
struct started_ref {
	__u64 key;            /* skb address */
	__u64 packet_id;      /* the address may hold a newer packet by now */
};

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__type(value, struct started_ref);
	__uint(max_entries, IPFT_MAX_INFLIGHT_DEFAULT);  /* resized with live */
} started SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, IPFT_STAT_MAX);
} stats SEC(".maps");

__u64 next_packet = 0;
/* Entries in live: while none, untracked skbs need no map lookup (when the
 * filters match nothing, that is every hit). */
__s64 n_live = 0;

/* Wakes the reader when the queue crosses a multiple of cfg.wakeup_bytes
 * (a power of two): once per that much data, not once per record while the
 * reader is behind (each wakeup is an IPI, dearer than the record).
 * size: of the record just reserved or about to be written. */
static __always_inline __u64 wakeup_flag(__u64 size, bool reserved)
{
	__u64 end = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) + (reserved ? 0 : size);

	return end >= size && ((end ^ (end - size)) & ~(cfg.wakeup_bytes - 1)) ?
		       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void count_n(__u32 stat, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &stat);
	if (v)
		*v += n;
}

static __always_inline void count(__u32 stat)
{
	count_n(stat, 1);
}

/* A fresh tracking entry (copied by the map update: too big for the stack). */
static const struct ipft_live ipft_fresh_live = { .type = IPFT_REC_HITS };

/* Sends the entry's hits (and the collectors' data slots) as one record
 * and empties its slots.  Lost hits are counted, and flagged on the
 * packet's next record; the collectors then send everything again (all
 * zero in prev is "nothing sent"). */
static __always_inline void flush_hits(struct ipft_live *t)
{
	__u64 n = ipft_bound(t->n, IPFT_SLOTS);
	__u64 size = __builtin_offsetof(struct ipft_live, slot) + n * sizeof(struct ipft_slot);
	__u64 hits = t->n_data < n ? n - t->n_data : 0;

	if (t->lost)
		t->flags |= IPFT_LIVE_LOST_BEFORE;
	if (bpf_ringbuf_output(&events, t, size, wakeup_flag(size + 8, false)) < 0) {
		count_n(IPFT_STAT_LOST_RINGBUF, hits);
		t->lost = 1;
		__builtin_memset(&t->prev, 0, sizeof(t->prev));
	} else {
		count_n(IPFT_STAT_EVENTS, hits);
		t->lost = 0;
	}
	t->n = 0;
	t->n_data = 0;
	t->flags = 0;
}

/* Forgets the entry (its record was sent). */
static __always_inline void untrack(__u64 key)
{
	if (bpf_map_delete_elem(&live, &key) == 0)
		__sync_fetch_and_add(&n_live, -1);
}

/* ipft_hit_args.flags */
#define IPFT_HIT_FREE       0x1 /* the skb is freed here: the trace is over */
#define IPFT_HIT_HAS_REASON 0x2 /* drop_reason and drop_location are valid */
#define IPFT_HIT_CALL       0x4 /* a function entry whose return is traced too */
/* A drop whose location, and with IPFT_HIT_REASON_ARG its reason, are
 * still the tracepoint's arguments 1 and 2: read through the helper into
 * the packet's entry once the skb is followed (drop_args_read), as most
 * frees are not.  Into the entry, map memory: no program's frame grows. */
#define IPFT_HIT_DROP_ARGS  0x8
#define IPFT_HIT_REASON_ARG 0x10
#define IPFT_HIT_DROP       (IPFT_HIT_HAS_REASON | IPFT_HIT_DROP_ARGS)

/* What a backend's program found besides the skb. */
struct ipft_hit_args {
	__u8 kind;          /* enum ipft_hit_kind */
	__u16 flags;        /* IPFT_HIT_* */
	__u32 drop_reason;
	__u64 drop_location;
	__u64 func_ip;
	__s64 retval;
	void *ctx;          /* the program's context (the stack collector's bpf_get_stack) */
	__u64 args[3];      /* a tracepoint's scalar arguments (-x tpargs) */
	__u8 n_args;
};

#include "trigger.bpf.h"

/* The attach point's index in the tracer's table (low 32 bits) and its
 * IPFT_ROLE_* bits (high 32 bits).  Every program the tracer loads is a
 * clone of a template with this constant patched (tracer/backends/bpf_object.c looks
 * for it). */
static __always_inline __u64 ipft_probe_ident(void)
{
	__u64 id;
	asm volatile("%0 = " IPFT_STRINGIFY(IPFT_MARK_PROBE_IDENT) " ll" : "=r"(id));
	return id;
}

/* Whether this is a template as libbpf loads it, which only lends its
 * instructions to the clones ipft attaches (tracer/backends/bpf_object.c):
 * then the program ends at once, on a branch the verifier knows is taken
 * (a marker constant and a frozen one), and the rest is not verified for
 * it; a clone's marker is 0.  Verifying every template in full was half
 * of ipft's start.  With an extension (no cfg.template_gate) templates
 * are verified whole: its errors are told at their load. */
static __always_inline bool ipft_template_only(void)
{
	__u64 mark;
	asm volatile("%0 = " IPFT_STRINGIFY(IPFT_MARK_TEMPLATE) " ll" : "=r"(mark));
	return mark && cfg.template_gate;
}

/* Ends the trace of the packet that held this skb address: user space
 * writes it as partial.  stat says why (IPFT_STAT_*; IPFT_STAT_MAX: ipft's
 * sweep, counted by nobody). */
static __always_inline void retire(__u64 key, struct ipft_live *t, __u32 stat)
{
	if (ipft_held(t)) {
		ipft_discard(key);
		if (stat == IPFT_STAT_STALE)
			count(stat);
		return;
	}
	t->flags |= IPFT_LIVE_RETIRED;
	flush_hits(t);
	untrack(key);
	if (stat < IPFT_STAT_MAX)
		count(stat);
}

/* The references an eviction pops at most.  A packet that ends before
 * it is evicted (freed where ipft sees it, or its address taken by a new
 * packet) leaves its reference in the queue: under the bench's flood
 * with a full map about 8 of 9 are such, in runs.  A scan of 16 found no
 * live one for a third to a half of the packets that needed room, which
 * went unfollowed; 32 halves that (the shared programs verify 4 % fewer
 * instructions than with 16 inline, the 5.10/6.1 clones 6 % more), 64
 * would cost them 14 % more (docs/performance.md, stop 40). */
#define IPFT_EVICT_SCAN 32

/* The key of the oldest packet still tracked (its id in *id), or 0 when
 * the queue holds none within IPFT_EVICT_SCAN references.  A function of
 * its own: inline, each of its returns would have the verifier walk the
 * eviction and the rest of the hit once more.  It returns the key, not
 * the entry (a BPF function returns only numbers): the caller looks the
 * entry up again. */
static __attribute__((noinline)) __u64 oldest_tracked(__u64 *id)
{
	struct started_ref ref;
	struct ipft_live *old;

#pragma clang loop unroll(disable)
	for (int i = 0; i < IPFT_EVICT_SCAN; i++) {
		if (bpf_map_pop_elem(&started, &ref) < 0)
			return 0;
		old = bpf_map_lookup_elem(&live, &ref.key);
		if (old && old->packet_id == ref.packet_id) {
			*id = ref.packet_id;
			return ref.key;
		}
	}
	return 0;
}

/* Ends the oldest packet still tracked; whether one was. */
static __always_inline bool evict_oldest(void)
{
	__u64 id = 0, key = oldest_tracked(&id);
	struct ipft_live *old;

	if (!key || !(old = bpf_map_lookup_elem(&live, &key)) || old->packet_id != id)
		return false;
	/* Before the slots are read: a CPU adding a hit now sees it
	 * (hit_raced) or its hit is read with the slots. */
	ipft_atomic_add(&old->evicting, 1);
	retire(key, old, IPFT_STAT_EVICTED);
	return true;
}

static __always_inline bool name_matches(struct net_device *dev)
{
	char name[16];

	if (!dev || bpf_probe_read_kernel_str(name, sizeof(name), dev->name) < 0)
		return false;
	for (int i = 0; i < 16; i++) {
		if (name[i] != cfg.ifname[i])
			return false;
		if (!name[i])
			break;
	}
	return true;
}

/* Reads an sk_buff field on every hit of an untracked skb.  A typed skb
 * (tp_btf, fentry: the verifier knows the argument's BTF type) is read
 * with plain loads; an untyped one (raw_tp, kprobe) with
 * bpf_probe_read_kernel, a helper call per field (on 6.18 about nothing
 * next to running a program of its own per tracepoint:
 * docs/performance.md).  typed is a constant: one branch is compiled. */
#define SKB_READ(typed, skb, field) ((typed) ? (skb)->field : BPF_CORE_READ(skb, field))

/* Kernel addresses start here on x86-64 (also with 5-level paging) and
 * arm64. */
#define IPFT_KERNEL_ADDR_MIN 0xff00000000000000ull

/* dev, or NULL when skb->dev holds something else: UDP keeps its
 * dev_scratch there once the skb is queued on a socket.  A plain load
 * through that value faults (SMAP), at a microsecond's cost each time. */
static __always_inline struct net_device *ipft_kernel_dev(struct net_device *dev)
{
	return (__u64)dev >= IPFT_KERNEL_ADDR_MIN ? dev : NULL;
}

static __always_inline struct net_device *skb_dev(struct sk_buff *skb, bool typed)
{
	return ipft_kernel_dev(SKB_READ(typed, skb, dev));
}

/* The network namespace (its inode) of dev, skb's device (skb_dev()),
 * or of skb's socket where it has none. */
static __always_inline __u32 netns_at(struct sk_buff *skb, struct net_device *dev, bool typed)
{
	if (typed) {
		/* Newer verifiers see RCU pointers that may be NULL here. */
		struct sock *sk = dev ? NULL : skb->sk;
		struct net *net = dev ? dev->nd_net.net : sk ? sk->__sk_common.skc_net.net : NULL;

		return net ? net->ns.inum : 0;
	}
	if (dev)
		return BPF_CORE_READ(dev, nd_net.net, ns.inum);
	return BPF_CORE_READ(skb, sk, __sk_common.skc_net.net, ns.inum);
}

static __always_inline __u32 netns_of(struct sk_buff *skb, bool typed)
{
	return netns_at(skb, skb_dev(skb, typed), typed);
}

#include "pcap_filter.bpf.h"

static __always_inline bool filters_match(struct sk_buff *skb, bool typed)
{
	if (cfg.mark_mask && (SKB_READ(typed, skb, mark) & cfg.mark_mask) != cfg.mark)
		return false;
	if (cfg.ifname[0] && !name_matches(skb_dev(skb, typed)))
		return false;
	if (cfg.netns && netns_of(skb, typed) != cfg.netns)
		return false;
	if (cfg.pcap_filter && !ipft_pcap_filter(skb, typed))
		return false;
	return true;
}

static __always_inline __u64 capture_size(void)
{
	return __builtin_offsetof(struct ipft_capture, data) + cfg.snaplen;
}

#include "hdr_key.bpf.h"

/* Whether the bytes a capture copied are the ones ipft_hdr_key() would
 * read, and their key computed into the key scratch if so: copied (not a
 * failed read), from the Ethernet header exactly when the headers have
 * one, and room for IPFT_KEY_READ of them (cfg.snaplen is frozen: the
 * verifier drops the branch not taken). */
static __always_inline bool capture_key(const struct ipft_capture *c, bool eth_shaped)
{
	struct ipft_key_scratch *s;

	if (cfg.snaplen < IPFT_KEY_READ || c->caplen == 0 ||
	    (c->layer == IPFT_CAPTURE_L2) != eth_shaped || !(s = ipft_key_bytes()))
		return false;
	__builtin_memcpy(s->b, c->data, IPFT_KEY_READ);
	return ipft_key_compute(eth_shaped);
}

/* What ipft_send_capture() did, bits of its result. */
#define IPFT_CAPTURE_SENT  1 /* or it is pointless to try again */
#define IPFT_CAPTURE_LOST  2 /* the ring buffer was full */
#define IPFT_CAPTURE_KEYED 4 /* the key of the bytes sent is in the key scratch */

/* Sends the packet's header bytes if the kernel has set them.  The first
 * capture (snapshot 0) also keys the bytes it sent.  A global function,
 * verified once per program (bpf/hdr_key.bpf.h says why): it takes
 * scalars only, the skb's address too, and reads the skb with helpers. */
__attribute__((noinline)) int ipft_send_capture(__u64 skb_addr, __u64 packet_id, __u64 first_ts,
						__u32 probe_id, __u32 snapshot)
{
	struct sk_buff *skb = (struct sk_buff *)skb_addr;
	struct ipft_capture *c;
	struct net_device *dev;
	unsigned char *head, *data, *start;
	__u16 mac, net, dev_type;
	__u8 layer, first;
	__s64 avail, origlen;
	int done = IPFT_CAPTURE_SENT;

	asm volatile("r0 = " IPFT_STRINGIFY(IPFT_MARK_CAPTURE_FUNC) " ll" ::: "r0");
	dev = BPF_CORE_READ(skb, dev);
	head = BPF_CORE_READ(skb, head);
	data = BPF_CORE_READ(skb, data);
	mac = BPF_CORE_READ(skb, mac_header);
	net = BPF_CORE_READ(skb, network_header);
	dev_type = dev ? BPF_CORE_READ(dev, type) : 0;

	bool eth_shaped = ipft_eth_shaped(mac, net);

	if (eth_shaped && (dev_type == ARPHRD_ETHER || dev_type == ARPHRD_LOOPBACK)) {
		start = head + mac;
		layer = IPFT_CAPTURE_L2;
	} else if (net != SKB_HEADER_UNSET) {
		start = head + net;
		layer = IPFT_CAPTURE_L3;
		/* Only an IP header makes a raw-IP record; anything else waits. */
		if (bpf_probe_read_kernel(&first, 1, start) < 0 ||
		    ((first >> 4) != 4 && (first >> 4) != 6))
			return 0;
	} else {
		return 0;
	}
	/* Linear bytes from start to the tail; the wire length from start. */
	avail = (__s64)(head + BPF_CORE_READ(skb, tail) - start);
	origlen = (__s64)BPF_CORE_READ(skb, len) + (data - start);
	if (avail <= 0 || origlen <= 0)
		return 0;

	/* The record holds -s bytes, not IPFT_SNAPLEN_MAX: cfg.snaplen is
	 * frozen, so the verifier sees a constant size. */
	c = bpf_ringbuf_reserve(&events, capture_size(), 0);
	if (!c) {
		count(IPFT_STAT_LOST_RINGBUF);
		return IPFT_CAPTURE_LOST;
	}
	__u32 caplen = cfg.snaplen;
	if (caplen > avail)
		caplen = avail;
	if (caplen > IPFT_SNAPLEN_MAX)
		caplen = IPFT_SNAPLEN_MAX;
	c->type = IPFT_REC_CAPTURE;
	c->packet_id = packet_id;
	c->first_ts = first_ts;
	c->mono_ns = bpf_ktime_get_ns();
	c->tai_ns = cfg.tai_clock ? bpf_ktime_get_tai_ns() : 0;
	c->origlen = origlen;
	c->layer = layer;
	c->dev_type = dev_type;
	c->pkt_type = BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
	c->protocol = BPF_CORE_READ(skb, protocol);
	c->skb_iif = BPF_CORE_READ(skb, skb_iif);
	c->ifindex = dev ? BPF_CORE_READ(dev, ifindex) : 0;
	c->netns = netns_of(skb, false);
	c->probe_id = probe_id;
	c->snapshot = snapshot;
	c->pad = 0;
	if (!dev || bpf_probe_read_kernel_str(c->ifname, sizeof(c->ifname), dev->name) < 0)
		c->ifname[0] = 0;
	if (bpf_probe_read_kernel(c->data, ipft_bound_reg(caplen, cfg.snaplen), start) < 0)
		caplen = 0;
	c->caplen = caplen;
	if (snapshot == 0 && capture_key(c, eth_shaped))
		done |= IPFT_CAPTURE_KEYED;
	bpf_ringbuf_submit(c, wakeup_flag(capture_size() + 8, true));
	return done;
}

/* The skb's address as the number a global function takes.  To the
 * verifier a typed pointer stays a pointer whatever C casts it to: a copy
 * of it through a helper is a number. */
static __always_inline __u64 skb_addr(struct sk_buff *skb, bool typed)
{
	__u64 addr = (__u64)skb, copy = 0;

	if (!typed)
		return addr;
	bpf_probe_read_kernel(&copy, sizeof(copy), &addr);
	return copy;
}

/* Sends the packet's header bytes if the kernel has set them; returns
 * whether it did (or whether it is pointless to try again).  With key,
 * also the header key of the bytes sent, if they serve (key->valid). */
static __always_inline bool send_capture(struct sk_buff *skb, bool typed, __u64 packet_id,
					 __u64 first_ts, __u32 probe_id, __u8 snapshot, bool *lost,
					 struct ipft_hdr_key *key)
{
	int done = ipft_send_capture(skb_addr(skb, typed), packet_id, first_ts, probe_id,
				     snapshot);
	struct ipft_key_scratch *s;

	if (done & IPFT_CAPTURE_LOST)
		*lost = true;
	if (key && (done & IPFT_CAPTURE_KEYED) && (s = ipft_key_bytes())) {
		ipft_key_take(s, key);
		key->valid = true;
	}
	return done & IPFT_CAPTURE_SENT;
}

#include "tracer/collectors/collect.bpf.h"

#include "lineage.bpf.h"

/* The trace is over: its last hits go out marked so, the entry goes. */
static __always_inline void end_trace(__u64 key, struct ipft_live *t)
{
	if (ipft_held(t)) {
		ipft_discard(key);
		return;
	}
	t->flags |= IPFT_LIVE_FREE;
	flush_hits(t);
	untrack(key);
}

/* Returns, frees and the free path's functions follow a tracked packet;
 * they never start one. */
static __always_inline bool can_start(__u8 kind, __u16 flags, __u32 role)
{
	return !(flags & IPFT_HIT_FREE) && kind != IPFT_HIT_RETURN && !(role & IPFT_ROLE_TEARDOWN);
}

/* The skb is freed at the hit in slot i.  With function_graph the
 * functions it is freed in have not returned yet: the trace ends with
 * the last of their returns.  Whether the entry is still tracked. */
static __always_inline bool mark_free(__u64 key, struct ipft_live *t, __u64 i,
				      const struct ipft_hit_args *a)
{
	if (t->freeing)
		return true; /* kfree_skbmem after the kfree_skb tracepoint: one free */
	t->flags |= IPFT_LIVE_FREED_HERE;
	t->free_slot = (__u8)i;
	if (a->flags & IPFT_HIT_HAS_REASON) {
		t->drop_reason = a->drop_reason;
		t->drop_location = a->drop_location;
	}
	if (a->flags & IPFT_HIT_DROP) /* IPFT_HIT_DROP_ARGS: read at the hit's start */
		t->flags |= IPFT_LIVE_HAS_REASON;
	if (t->depth) {
		t->freeing = 1;
		return true;
	}
	end_trace(key, t);
	return false;
}

/* The entry t at key if it still holds the packet this hit belongs to;
 * otherwise the entry is ended and NULL returned. */
static __always_inline struct ipft_live *current_entry(__u64 key, struct ipft_live *t, __u64 now,
							__u32 role, struct sk_buff *skb,
							bool typed)
{
	/* An skb address we saw long ago belongs to a new packet now: its
	 * free went unseen. */
	if (cfg.stale_ns && now - t->first_ts > cfg.stale_ns) {
		retire(key, t, IPFT_STAT_STALE);
		return NULL;
	}
	/* An skb entering where packets start while its address is tracked:
	 * a freed one whose callers are still returning, or a received skb
	 * starting again with no input interface: a fresh skb (allocation
	 * zeroes skb_iif) at an address whose free we did not see.
	 * Forwarded packets keep their skb_iif. */
	if (role & IPFT_ROLE_START) {
		if (t->freeing) {
			end_trace(key, t);
			return NULL;
		}
		if (t->rx_seen && !SKB_READ(typed, skb, skb_iif) &&
		    !ipft_lineage_same_skb(t, skb, role, typed)) {
			retire(key, t, IPFT_STAT_STALE);
			return NULL;
		}
	}
	/* A new skb made after net_dev_queue (a GSO segment), or one that
	 * is no network packet, at an address whose free we did not see. */
	if (ipft_lineage_new_at_xmit(t, role) || ipft_lineage_not_a_packet_now(t, skb, typed)) {
		retire(key, t, IPFT_STAT_STALE);
		return NULL;
	}
	return t;
}

/* A new packet at key: its entry, or NULL when the map is full even after
 * its oldest packet was ended (evict: whether to try that). */
static __always_inline struct ipft_live *start_packet_in(__u64 key, __u64 now, bool evict)
{
	struct ipft_live *t;

	/* Counted first, so no CPU skips the lookup of an entry that exists. */
	__sync_fetch_and_add(&n_live, 1);
	if (bpf_map_update_elem(&live, &key, &ipft_fresh_live, BPF_NOEXIST) < 0 &&
	    (!evict || !evict_oldest() ||
	     bpf_map_update_elem(&live, &key, &ipft_fresh_live, BPF_NOEXIST) < 0)) {
		__sync_fetch_and_add(&n_live, -1);
		count(IPFT_STAT_LOST_MAPFULL);
		return NULL;
	}
	t = bpf_map_lookup_elem(&live, &key);
	if (!t)
		return NULL;
	t->packet_id = cfg.id_salt | ipft_count_up(&next_packet);
	t->first_ts = now;
	t->flags = IPFT_LIVE_FIRST;
	count(IPFT_STAT_PACKETS);
	/* BPF_EXIST: a full queue drops its oldest reference. */
	struct started_ref ref = { .key = key, .packet_id = t->packet_id };
	bpf_map_push_elem(&started, &ref, BPF_EXIST);
	return t;
}

static __always_inline struct ipft_live *start_packet(__u64 key, __u64 now)
{
	return start_packet_in(key, now, true);
}

/* Whether another CPU ended the packet (id) and took its entry: to make
 * room in a full map (evict_oldest) or in the sweep of packets gone quiet
 * (bpf/sweep.bpf.h); the entry may hold a new packet by now.  Before a
 * hit is written a plain read keeps it out of such an entry.  After, a
 * fenced read (after the hit's stores; the ending CPU marks before it
 * reads them) catches every hit that may have missed the record sent;
 * one that did go out may be counted too. */
static __always_inline bool hit_raced(struct ipft_live *t, __u64 id, bool fenced)
{
	return (fenced ? ipft_fenced_read(&t->evicting) : t->evicting) || t->packet_id != id;
}

/* Appends the hit (and the collectors' data) to the entry's slots; ends
 * the trace where it ends.  id: the packet the entry held when this hit
 * found it.  cast: skb came through ipft_rdonly_cast(), and so may other
 * pointers.  captured: the packet's first capture went out at this hit.
 * Whether the entry is still tracked. */
static __always_inline bool record_hit(__u64 key, struct ipft_live *t, __u64 id, __u64 ident,
				       const struct ipft_hit_args *a, __u64 now,
				       struct sk_buff *skb, bool typed, bool cast, bool captured)
{
	struct ipft_slot *sl;
	__u64 i;

	if (hit_raced(t, id, false)) {
		count(IPFT_STAT_LOST_EVICT_RACE);
		return false;
	}
	/* One skb is handled by one CPU at a time, so the slots need no
	 * lock; a full set goes out before the next hit, and a hit goes out
	 * with its data. */
	if (t->n + 1 + ipft_collect_room() > IPFT_SLOTS) {
		if (ipft_held(t))
			ipft_trigger_overflow(t);
		else
			flush_hits(t);
	}
	i = ipft_bound(t->n, IPFT_SLOTS - 1);
	sl = &t->slot[i];
	sl->ts = now;
	sl->func_ip = a->func_ip;
	sl->retval = a->retval;
	sl->probe_id = (__u32)ident;
	sl->cpu = (__u16)bpf_get_smp_processor_id();
	sl->kind = a->kind;
	/* A return is at its entry's depth; only entries whose return is
	 * traced (fentry with fexit) go one deeper: kprobe traces are flat. */
	if (a->kind == IPFT_HIT_RETURN && t->depth)
		t->depth--;
	sl->depth = t->depth;
	if ((a->flags & IPFT_HIT_CALL) && t->depth < 255)
		t->depth++;
	t->n++;
	if (a->kind != IPFT_HIT_RETURN)
		ipft_collect_hit(t, sl, skb, typed, cast, a, captured);
	if (!ipft_held_quietly(t, a) && hit_raced(t, id, true)) {
		count(IPFT_STAT_LOST_EVICT_RACE);
		return false; /* the other CPU owns the entry now */
	}
	if (a->flags & IPFT_HIT_FREE)
		return mark_free(key, t, i, a);
	if (t->freeing && !t->depth) {
		end_trace(key, t);
		return false;
	}
	return true;
}

/* A drop's location and reason from its tracepoint's arguments
 * (IPFT_HIT_DROP_ARGS), into the entry t: the trigger and the free read
 * them there. */
static __always_inline void drop_args_read(struct ipft_live *t, const struct ipft_hit_args *a)
{
	__u64 *args = a->ctx;
	/* The reason is an enum passed as a 64-bit argument: its low half. */
	int low = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 4 : 0;

	bpf_probe_read_kernel(&t->drop_location, sizeof(t->drop_location), &args[1]);
	t->drop_reason = 0;
	if (a->flags & IPFT_HIT_REASON_ARG)
		bpf_probe_read_kernel(&t->drop_reason, sizeof(t->drop_reason),
				      (char *)&args[2] + low);
}

/* Where a hit stands with its skb's trace (ipft_hit_decide). */
struct ipft_hit_entry {
	struct ipft_live *t;      /* the packet's entry; NULL: a new packet starts here */
	__u64 id;                 /* the packet t held when the hit found it (hit_raced) */
	__u64 now;                /* the hit's time */
	__u64 reassembled_from;   /* the fragment whose skb now holds its whole datagram */
};

/* Decides first, before a backend builds anything else for the hit,
 * whether the hit counts: its skb is tracked, or it may start a packet
 * here and the filters pass it.  The one place the filters run, so each
 * program holds one copy of them.  Most hits of a filtered-out flood end
 * here, and while nothing is tracked without a lookup or the clone check
 * at frees.  kind, flags: the hit's (struct ipft_hit_args); ident: as
 * handle_hit's. */
static __always_inline bool ipft_hit_decide(struct sk_buff *skb, __u64 ident, __u8 kind,
					    __u16 flags, bool typed, struct ipft_hit_entry *e)
{
	__u64 key = (__u64)skb;
	__u32 role = ident >> 32;
	struct ipft_live *t;
	bool any_live;

	if (!skb || ipft_template_only())
		return false;
	any_live = n_live > 0;
	t = any_live ? bpf_map_lookup_elem(&live, &key) : NULL;
	e->id = t ? t->packet_id : 0; /* read at once (hit_raced) */
	e->now = 0;
	e->reassembled_from = 0;
	if (t) {
		e->now = bpf_ktime_get_ns();
		t = current_entry(key, t, e->now, role, skb, typed);
		/* A fragment's skb now holds its reassembled datagram (not
		 * inside calls that have not returned: -t function_graph's
		 * traces stay whole). */
		if (t && !t->depth && kind != IPFT_HIT_RETURN &&
		    ipft_lineage_reassembled(t, skb, typed)) {
			e->reassembled_from = t->packet_id;
			end_trace(key, t);
			t = NULL;
		}
	}
	e->t = t;
	if (t || e->reassembled_from)
		return true;
	/* Untracked, or its address now holds a new packet: the filters
	 * decide where a packet may start or a traced one's clone is freed
	 * (none is while nothing is tracked: frees then skip the clone
	 * check, which read the skb at every free of a filtered-out flood). */
	if (!(can_start(kind, flags, role) ||
	      (any_live && ipft_clone_at_free(skb, kind, flags, typed))) ||
	    !filters_match(skb, typed))
		return false;
	/* Taken on every path through (a branch on it in handle_hit would
	 * have the verifier walk the rest twice). */
	e->now = bpf_ktime_get_ns();
	return true;
}

/* The hit ipft_hit_decide() let through: a new packet starts, the hit
 * goes into its entry's slots.  ident: the probe id (low 32 bits) and
 * IPFT_ROLE_* bits (high 32 bits); ipft_probe_ident() in cloned
 * programs, the attach cookie where the backend has one. */
static __always_inline int handle_hit(struct sk_buff *skb, __u64 ident,
				      const struct ipft_hit_args *a, const struct ipft_hit_entry *e,
				      bool typed, bool cast)
{
	__u64 key = (__u64)skb, id = e->id, now = e->now;
	__u32 role = ident >> 32;
	struct ipft_live *t = e->t;
	bool lost = false, fired = false, captured = false;

	if (!t) {
		t = start_packet(key, now);
		if (!t)
			return 0;
		id = t->packet_id;
		/* A held packet's link would leave the kernel before it. */
		if (!cfg.trigger) {
			if (e->reassembled_from)
				ipft_lineage_link(t, e->reassembled_from, IPFT_LINEAGE_REASSEMBLED, 0);
			else
				ipft_lineage_start(t, skb, role, typed);
		}
	}
	if (a->flags & IPFT_HIT_DROP_ARGS)
		drop_args_read(t, a);
	if (ipft_held(t) && ipft_trigger_met(t, a, (__u32)ident, now)) {
		ipft_trigger_fire(t);
		fired = true;
	}
	if (role & IPFT_ROLE_RX)
		t->rx_seen = 1;
	ipft_lineage_hit(t, skb, role, typed);
	/* Held packets send nothing: their headers go at the trigger. */
	if (!ipft_held(t)) {
		struct ipft_hdr_key first = {};

		if (!t->captured &&
		    send_capture(skb, typed, t->packet_id, t->first_ts, (__u32)ident, 0, &lost,
				 &first))
			t->captured = captured = 1;
		ipft_lineage_snapshot(t, skb, ident, typed, &lost, &first);
		ipft_collect_record(t, a, (__u32)ident, now);
	}
	if (lost)
		t->lost = 1;
	/* At the trigger the held hits go out with this one. */
	if (record_hit(key, t, id, ident, a, now, skb, typed, cast, captured) && fired)
		flush_hits(t);
	return 0;
}

/* A hit decided and handled at once: for backends that build the hit's
 * arguments before they know whether it counts. */
static __always_inline int handle_skb(struct sk_buff *skb, __u64 ident,
				      const struct ipft_hit_args *a, bool typed, bool cast)
{
	struct ipft_hit_entry e;

	if (!ipft_hit_decide(skb, ident, a->kind, a->flags, typed, &e))
		return 0;
	return handle_hit(skb, ident, a, &e, typed, cast);
}

/* An skb pointer the verifier knows the type of (tp_btf, fentry/fexit). */
static __always_inline int ipft_handle_typed_skb(struct sk_buff *skb, __u64 ident,
						 const struct ipft_hit_args *a)
{
	return handle_skb(skb, ident, a, true, false);
}

#endif
