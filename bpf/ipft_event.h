/* ipft_event.h - records the BPF programs put on the ring buffer, and the
 * counters and tracking state they share with user space.
 *
 * Included by BPF code (after kernel_types.h) and by the tracer (after
 * <linux/types.h>), so it uses only __uN types.
 */
#ifndef IPFT_EVENT_H
#define IPFT_EVENT_H

#include "ipft_shared.h"
#include "tracer/collectors/collect_prev.h"
#include "lineage_state.h"

enum ipft_record_type {
	IPFT_REC_HITS = 1,    /* a tracked packet's hits, in order: struct ipft_live */
	IPFT_REC_CAPTURE = 2, /* a tracked skb's header bytes */
	IPFT_REC_STACK = 3,   /* a kernel stack (-x stack): tracer/collectors/stack_rec.h */
};

/* What an attach point tells about the packet's life, patched into each
 * clone with its probe id (tracer/backends/bpf_object.c).  Tracepoints cannot see
 * every free (__kfree_skb, kfree_skb_partial, deferred frees have none),
 * so an skb address can come back as a new packet without a free we saw:
 * a packet that was received (IPFT_ROLE_RX) and shows up again where
 * packets start (IPFT_ROLE_START: queued for transmit, entering the
 * receive path) with skb_iif 0 is a new packet: allocation zeroes
 * skb_iif, a received packet keeps it while it is forwarded. */
#define IPFT_ROLE_RX    0x1
#define IPFT_ROLE_START 0x2
/* The function frees the skb (kfree_skbmem: every free path ends there);
 * carried in the attach cookie by the function backends. */
#define IPFT_ROLE_FREE  0x4
/* The function only runs while an skb is being released (its destructor,
 * its data, its memory): it follows a tracked packet to its end but never
 * starts one.  After a free tracepoint ended the trace, the free path's
 * functions would otherwise start a phantom packet at the same address. */
#define IPFT_ROLE_TEARDOWN 0x8
/* function_graph traces only the entry: the function hands its caller's
 * address to a free tracepoint as the drop location, and an fexit
 * trampoline would stand in for that caller. */
#define IPFT_ROLE_ENTRY_ONLY 0x10
/* The tracepoint backend's shared program (bpf/backends/tracepoint.bpf.h)
 * finds in its link's cookie the skb's argument (0-3) and, with
 * IPFT_ROLE_FREE, whether the free is a drop with its location in the
 * second argument and its reason in the third. */
#define IPFT_ROLE_TP_SKB_SHIFT 16
#define IPFT_ROLE_TP_DROP   0x40000
#define IPFT_ROLE_TP_REASON 0x80000

/* ipft_slot.kind: the same values as enum ipft_event_kind of the trace
 * format (the tracer checks this at compile time). */
enum ipft_hit_kind {
	IPFT_HIT_ENTRY = 1,
	IPFT_HIT_RETURN = 2,
	IPFT_HIT_TRACEPOINT = 3,
};

/* Kinds of data slots (struct ipft_data_slot), each owned by one
 * collector of tracer/collectors/; apart from the hit kinds. */
enum ipft_data_kind {
	IPFT_DATA_FIRST = 0x10,
	IPFT_DATA_META_DEV = 0x10,   /* meta: the device (meta_slot.h) */
	IPFT_DATA_META_SKB = 0x11,   /* meta: what the skb is (meta_slot.h) */
	IPFT_DATA_TASK = 0x12,       /* task: who runs the hit (task_slot.h) */
	IPFT_DATA_TPARGS = 0x13,     /* tpargs: tracepoint fields (tpargs_slot.h) */
	IPFT_DATA_EXT = 0x14,        /* -e: a part of the extension's struct (ext_slot.h) */
	IPFT_DATA_LAST = 0x1f,
};

/* One hit: a tracked skb passed an attach point. */
struct ipft_slot {
	__u64 ts;             /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u64 func_ip;        /* function address where the backend knows it */
	union {
		__s64 retval; /* IPFT_HIT_RETURN */
		struct {      /* other hits, with the meta collector: skb->len, ->data_len */
			__u32 len;
			__u32 data_len;
		} skb;
	};
	__u32 probe_id;       /* index into the tracer's attach-point table */
	__u16 cpu;
	__u8 kind;            /* enum ipft_hit_kind, or a data slot's IPFT_DATA_* */
	__u8 depth;           /* call depth: entries not yet returned (fexit) */
};

/* A data slot: what a collector (tracer/collectors/) read at the hit in
 * the slot before it, in the same record.  Slot-sized, its kind where a
 * hit has its kind; the rest is the collector's (its *_slot.h). */
struct ipft_data_slot {
	__u8 data[30];
	__u8 kind;            /* IPFT_DATA_* */
	__u8 aux;             /* the collector's */
};

/* Hits kept per packet before they go out as one record: a packet's whole
 * path usually fits, so it costs one ring-buffer record, not one per hit. */
#define IPFT_SLOTS 16

/* ipft_live.flags */
#define IPFT_LIVE_FIRST       0x1  /* slot[0] is the packet's first hit */
#define IPFT_LIVE_FREE        0x2  /* the skb was freed: the trace is over */
#define IPFT_LIVE_LOST_BEFORE 0x4  /* hits of this packet were lost before these */
#define IPFT_LIVE_HAS_REASON  0x8  /* drop_reason and drop_location of slot[free_slot] */
#define IPFT_LIVE_RETIRED     0x10 /* its skb address now holds another packet */
#define IPFT_LIVE_FREED_HERE  0x20 /* slot[free_slot] freed the skb (the trace may go
                                    * on with returns: IPFT_LIVE_FREE ends it) */

/* Value of the tracking map, keyed by skb address.  Hits gather in slot[];
 * when the slots are full or the skb is freed, the first n of them go out
 * as they are, header included, as the IPFT_REC_HITS record.  ipft reads
 * what is left of it at exit and for packets alive past --flush-timeout. */
struct ipft_live {
	__u32 type;           /* IPFT_REC_HITS */
	__u16 n;              /* slots used */
	__u16 flags;          /* IPFT_LIVE_* of the slots in this record */
	__u64 packet_id;
	__u64 first_ts;
	__u64 drop_location;  /* with IPFT_LIVE_HAS_REASON */
	__u32 drop_reason;
	__u8 captured;        /* header bytes were sent */
	__u8 lost;            /* a record of this packet could not be sent */
	__u8 rx_seen;         /* passed an IPFT_ROLE_RX attach point */
	__u8 depth;           /* functions entered and not returned (fentry/fexit) */
	__u8 freeing;         /* freed inside functions that have not returned:
	                       * the trace ends when the last of them returns */
	__u8 free_slot;       /* with IPFT_LIVE_FREED_HERE */
	__u8 n_data;          /* data slots among the n (the rest are hits) */
	__u8 triggered;       /* --trigger met: the packet leaves the kernel */
	__u8 overflowed;      /* --trigger: held hits outgrew the slots (the oldest went) */
	__u8 pad[3];
	struct ipft_slot slot[IPFT_SLOTS];
	/* Past the slots, never sent: what the collectors last sent of this
	 * packet (they send changes only). */
	struct ipft_collect_prev prev;
	/* Past the slots, never sent: where the skb was (bpf/lineage.bpf.h). */
	struct ipft_lineage_state lin;
	/* Never sent: set (atomically) by a CPU that ends this packet to make
	 * room in a full map, before it reads the slots; a CPU adding a hit
	 * reads it after its write (bpf/skb_event.bpf.h, hit_raced). */
	__u64 evicting;
};

/* How the captured bytes start. */
enum ipft_capture_layer {
	IPFT_CAPTURE_L2 = 1,  /* Ethernet header */
	IPFT_CAPTURE_L3 = 2,  /* IPv4 or IPv6 header */
};

struct ipft_capture {
	__u32 type;           /* IPFT_REC_CAPTURE */
	__u32 caplen;         /* valid bytes in data[] */
	__u64 packet_id;
	__u64 first_ts;       /* the packet's first hit: where it goes in the file */
	__u64 mono_ns;        /* bpf_ktime_get_ns() and, read right after it, */
	__u64 tai_ns;         /* bpf_ktime_get_tai_ns() (0: none): the wall clock
	                       * the kernel kept then, exact across clock steps */
	__u32 origlen;        /* packet length counted from data[0] */
	__u32 ifindex;
	__u32 netns;          /* inode of the device's network namespace */
	__u32 skb_iif;        /* non-zero once the packet was received */
	__u32 probe_id;       /* the attach point where the bytes were taken */
	__u16 dev_type;       /* ARPHRD_* */
	__u8 layer;           /* ipft_capture_layer */
	__u8 pkt_type;        /* PACKET_HOST, PACKET_OUTGOING, ... */
	__be16 protocol;      /* skb->protocol, network order */
	__u8 snapshot;        /* 0: the packet's first capture; then its header
	                       * snapshots, in order (bpf/lineage.bpf.h) */
	__u8 pad;
	char ifname[16];
	__u8 data[IPFT_SNAPLEN_MAX];
};

/* Per-CPU counters (index into the stats map). */
enum ipft_stat {
	IPFT_STAT_EVENTS = 0,     /* hits sent (ipft adds those it reads from the map) */
	IPFT_STAT_PACKETS,        /* packets that entered the trace */
	IPFT_STAT_LOST_RINGBUF,   /* hits and header captures lost: ring buffer full */
	IPFT_STAT_LOST_MAPFULL,   /* packets not tracked: tracking map full */
	IPFT_STAT_STALE,          /* tracked skbs reused without a free we saw */
	IPFT_STAT_EVICTED,        /* oldest packets ended early: the tracking map was full */
	IPFT_STAT_DISCARDED,      /* --trigger: packets ended without meeting it, never sent */
	IPFT_STAT_TRIGGER_OVERFLOW, /* --trigger: packets sent without their oldest hits:
	                              * held, they outgrew the slots */
	IPFT_STAT_LOST_EVICT_RACE, /* hits that landed while another CPU ended their
	                            * packet to make room (perhaps sent with it) */
	IPFT_STAT_MAX,
};

#endif
