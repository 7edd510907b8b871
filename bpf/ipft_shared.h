/* ipft_shared.h - the numbers the BPF object and the tracer agree on:
 * limits and defaults, the marker constants the loader looks for in the
 * programs' instructions, and the configuration it sets before load.
 * Each is defined here only.
 *
 * Included by BPF code (after kernel_types.h) and by the tracer (after
 * <linux/types.h>).  Numbers --help shows are plain literals, so the
 * option table can print them with the preprocessor.
 */
#ifndef IPFT_SHARED_H
#define IPFT_SHARED_H

/* -s: the most header bytes one packet record carries, and the default. */
#define IPFT_SNAPLEN_MAX 1024
#define IPFT_SNAPLEN_DEFAULT 256

/* The packet bytes a pcap-filter expression can read: the size of the
 * copy it runs on (bpf/pcap_filter.bpf.h) and the bound the translator
 * puts on every load (tracer/filter). */
#define IPFT_PCAP_BUF 512
/* What the pcap-filter info stub returns once the loader has rewritten
 * it: how many bytes the expressions can load, and whether they read the
 * packet's wire length (then it is worked out for them). */
#define IPFT_PCAP_INFO_BYTES 0xffffu
#define IPFT_PCAP_INFO_WIRELEN 0x10000u

/* x86-64 passes six arguments in registers, and a function template reads
 * the skb from one of them: a function's skb must be among the first six.
 * The kprobe backends' one entry program finds which in the function's
 * ident (attach cookie or map value): its top bits, above the role bits. */
#define IPFT_REG_ARGS 6
#define IPFT_IDENT_SKB_ARG_SHIFT 60
#define IPFT_IDENT_SKB_ARG_MASK 0x7ull

/* The IPv6 extension headers a sender puts before a fragment header
 * (ip6_find_1stfragopt(): hop-by-hop, routing, destination options), and
 * the fragment header's number: walked by the kernel's header key
 * (bpf/hdr_key.bpf.h) and by the tracer's reassembly link
 * (tracer/collect/lineage.c). */
#define IPFT_IP6_BEFORE_FRAGMENT(nh) ((nh) == 0 || (nh) == 43 || (nh) == 60)
#define IPFT_IP6_FRAGMENT 44
#define IPFT_IP6_EXT_MAX 3 /* the most of them walked */

/* The maps' sizes: --max-inflight (packets tracked at once) and
 * --ringbuf-size (MiB). */
#define IPFT_MAX_INFLIGHT_DEFAULT 65536
#define IPFT_RINGBUF_MB_DEFAULT 8
/* The reader is woken once per this much queued data (a power of two):
 * a wakeup per record costs more than the record.  The tracer also polls
 * on a timer. */
#define IPFT_WAKEUP_BYTES (256 << 10)

/* Markers: 64-bit constants loaded by one ld_imm64 in the BPF code, found
 * and rewritten by the loader in every program it loads.  The probe
 * identity of a cloned program (ipft_probe_ident(), bpf/skb_event.bpf.h;
 * tracer/backends/bpf_object.c), and the three pcap-filter stubs
 * (bpf/pcap_filter.bpf.h; tracer/filter/filter.c).  Plain literals: the
 * BPF side writes them into inline assembly with IPFT_STRINGIFY. */
#define IPFT_MARK_PROBE_IDENT 0x1badc0de5eedf00d
/* Not 0 in a template as libbpf loads it, 0 in every clone
 * (ipft_template_only(), bpf/skb_event.bpf.h). */
#define IPFT_MARK_TEMPLATE 0x1badc0de5eedf0a4
/* Among the first instructions of each global function, which a clone's
 * BTF names (tracer/backends/clone_btf.c): ipft_key_compute()
 * (bpf/hdr_key.bpf.h), ipft_send_capture() (bpf/skb_event.bpf.h),
 * ipft_derive_one() (bpf/derive.bpf.h). */
#define IPFT_MARK_KEY_FUNC 0x1badc0de5eedf0b1
#define IPFT_MARK_CAPTURE_FUNC 0x1badc0de5eedf0b2
#define IPFT_MARK_DERIVE_FUNC 0x1badc0de5eedf0b3
#define IPFT_MARK_PCAP_L2 0x1badc0de0f117e12
#define IPFT_MARK_PCAP_L3 0x1badc0de0f117e13
#define IPFT_MARK_PCAP_INFO 0x1badc0de0f117e14

/* -x: the collectors (tracer/collectors/), bits of cfg.collect. */
#define IPFT_COLLECT_META   0x1  /* device, netns, lengths, mark, protocol, gso */
#define IPFT_COLLECT_TASK   0x2  /* pid, tgid, comm or softirq/irq */
#define IPFT_COLLECT_STACK  0x4  /* kernel stack at drops */
#define IPFT_COLLECT_TPARGS 0x8  /* a tracepoint's fields */

/* --trigger: which packets leave the kernel (bits of cfg.trigger; none:
 * every packet).  Any condition met sends the packet (bpf/trigger.bpf.h). */
#define IPFT_TRIGGER_DROP    0x1  /* a free with a drop reason */
#define IPFT_TRIGGER_REASON  0x2  /* a drop with cfg.trigger_reason */
#define IPFT_TRIGGER_FUNC    0x4  /* a hit of an attach point of the trigger_at map */
#define IPFT_TRIGGER_LATENCY 0x8  /* a hit later than cfg.trigger_latency_ns after the first */
/* Probe ids the trigger_at map can name. */
#define IPFT_TRIGGER_AT_MAX 65536

#define IPFT_STRINGIFY_(x) #x
#define IPFT_STRINGIFY(x) IPFT_STRINGIFY_(x)

/* The BPF object's configuration: one read-only struct (cfg, in
 * bpf/skb_event.bpf.h) that the loader fills in before load
 * (tracer/backends/bpf_object.c).  Frozen at load, it reads as constants
 * to the verifier, which drops the code of every filter that is off. */
struct ipft_bpf_config {
	__u64 id_salt;        /* the high bits of every packet_id */
	__u64 stale_ns;       /* an entry older than this is a new packet; 0: never */
	__u64 wakeup_bytes;   /* IPFT_WAKEUP_BYTES */
	__u32 mark;           /* -m: the mark wanted, under mark_mask */
	__u32 mark_mask;      /* --mask; 0: no mark filter */
	__u32 netns;          /* --netns, an inode number; 0: any namespace */
	__u32 snaplen;        /* -s */
	__u32 collect;        /* -x: IPFT_COLLECT_* */
	__u32 trigger;        /* --trigger: IPFT_TRIGGER_*; 0: every packet leaves */
	char ifname[16];      /* -i; "": no device filter */
	__u8 pcap_filter;     /* a pcap-filter expression is spliced in */
	__u8 tai_clock;       /* bpf_ktime_get_tai_ns() exists (6.1+) */
	__u8 pad[6];
	__u64 trigger_latency_ns; /* with IPFT_TRIGGER_LATENCY */
	__u32 trigger_reason; /* with IPFT_TRIGGER_REASON: enum skb_drop_reason */
	__u32 template_gate;  /* templates end at once (ipft_template_only()) */
};

#endif
