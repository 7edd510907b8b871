/* skb_window.bpf.h - an untyped sk_buff's fields in one helper call.
 *
 * A program whose skb is untyped (raw_tp, kprobe) reads each field with
 * bpf_probe_read_kernel, one helper call per field.  The fields from dev
 * to data sit within IPFT_SKB_WINDOW bytes on every kernel we know, so a
 * reader that needs several of them copies that window once into a
 * per-CPU buffer and takes the fields from there (SKB_AT, SKB_BITS_AT).
 * Offsets are CO-RE constants: the verifier sees which fields fit, and a
 * layout where one does not takes the one-call-per-field path.
 *
 * The per-CPU buffer (struct ipft_skb_scratch) is the pcap filter's and
 * -x meta's.  A hit can interrupt another on its CPU (an IRQ's softirq
 * runs the receive path's tracepoints inside a system call's hit) and
 * refill the buffer in between: each use counts itself in the buffer
 * (ipft_scratch_begin) and checks the count after taking what it read
 * (ipft_scratch_kept).
 */
#ifndef IPFT_SKB_WINDOW_BPF_H
#define IPFT_SKB_WINDOW_BPF_H

#define IPFT_SKB_WINDOW 256

#define SKB_OFF(f) bpf_core_field_offset(struct sk_buff, f)
#define SKB_SIZE(f) bpf_core_field_size(struct sk_buff, f)

/* The window: from dev to the end of data. */
#define IPFT_SKB_WINDOW_LO SKB_OFF(dev)
#define IPFT_SKB_WINDOW_HI (SKB_OFF(data) + SKB_SIZE(data))
#define IPFT_SKB_WINDOW_FITS (IPFT_SKB_WINDOW_HI > IPFT_SKB_WINDOW_LO && \
			      IPFT_SKB_WINDOW_HI - IPFT_SKB_WINDOW_LO <= IPFT_SKB_WINDOW)

/* Whether field f (also a bit field: its load unit) lies in the window. */
#define SKB_IN_WINDOW(f) (SKB_OFF(f) >= IPFT_SKB_WINDOW_LO && \
			  SKB_OFF(f) + SKB_SIZE(f) <= IPFT_SKB_WINDOW_HI)

/* Field f from buf, a copy of the window. */
#define SKB_AT(buf, f) \
	(*(typeof(((struct sk_buff *)0)->f) *)((buf) + (SKB_OFF(f) - IPFT_SKB_WINDOW_LO)))

/* Bit field f from buf, as BPF_CORE_READ_BITFIELD reads it in place. */
#define SKB_FIELD_INFO(f, info) __builtin_preserve_field_info(((struct sk_buff *)0)->f, info)
#define SKB_BITS_AT(buf, f) ({							\
	const void *p_ = (buf) + (SKB_OFF(f) - IPFT_SKB_WINDOW_LO);		\
	__u64 v_ = 0;								\
	switch (SKB_SIZE(f)) {							\
	case 1: v_ = *(const __u8 *)p_; break;					\
	case 2: v_ = *(const __u16 *)p_; break;					\
	case 4: v_ = *(const __u32 *)p_; break;					\
	case 8: v_ = *(const __u64 *)p_; break;					\
	}									\
	v_ <<= SKB_FIELD_INFO(f, BPF_FIELD_LSHIFT_U64);			\
	v_ >> SKB_FIELD_INFO(f, BPF_FIELD_RSHIFT_U64);				\
})

/* This CPU's scratch: an sk_buff's window, a packet's first bytes (the
 * pcap filter's) and the uses begun on this CPU. */
struct ipft_skb_scratch {
	__u8 skb[IPFT_SKB_WINDOW];
	__u8 b[IPFT_PCAP_BUF];
	__u32 gen;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct ipft_skb_scratch);
	__uint(max_entries, 1);
} skb_scratch SEC(".maps");

/* The scratch, with this use counted (*gen: the count it began at). */
static __always_inline struct ipft_skb_scratch *ipft_scratch_begin(__u32 *gen)
{
	__u32 key = 0;
	struct ipft_skb_scratch *s = bpf_map_lookup_elem(&skb_scratch, &key);

	if (s)
		*gen = ++s->gen;
	return s;
}

/* Whether no other use began since the one at gen: what it read in the
 * scratch is its own.  Looked up again: a pointer kept past the calls
 * between takes a stack slot more. */
static __always_inline bool ipft_scratch_kept(__u32 gen)
{
	__u32 key = 0;
	struct ipft_skb_scratch *s = bpf_map_lookup_elem(&skb_scratch, &key);

	return s && s->gen == gen;
}

/* Copies the window of skb into buf. */
static __always_inline bool ipft_skb_window_read(void *buf, struct sk_buff *skb)
{
	return bpf_probe_read_kernel(buf, IPFT_SKB_WINDOW_HI - IPFT_SKB_WINDOW_LO,
				     (char *)skb + IPFT_SKB_WINDOW_LO) == 0;
}

#endif
