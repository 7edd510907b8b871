/* ext.bpf.h - a user extension's BPF side (-e FILE.bpf.o): its module()
 * called at each hit, and what it wrote sent as data slots (ext_slot.h).
 *
 * The tracer links the extension into this object before load
 * (tracer/collectors/ext_link.c, libbpf's static linker): its module()
 * takes the place of the weak one below, which only keeps this object
 * loadable on its own.  ipft_ext_size is frozen rodata: 0 without an
 * extension, and the verifier drops the call and everything around it.
 */
#ifndef IPFT_EXT_BPF_H
#define IPFT_EXT_BPF_H

#include "tracer/collectors/ext_slot.h"

/* The extension's output struct's size in bytes (0: no extension). */
const volatile __u32 ipft_ext_size = 0;

/* What module() wrote; gen counts the uses begun on this CPU, as the pcap
 * filter's scratch does (bpf/pcap_filter.bpf.h): a hit that interrupts
 * another can overwrite it. */
struct ipft_ext_scratch {
	__u8 b[IPFT_EXT_BUF];
	__u64 gen;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct ipft_ext_scratch);
	__uint(max_entries, 1);
} ipft_ext_buf SEC(".maps");

/* ipftrace2's entry point.  Hidden: the linked module() is verified as
 * part of its caller (a static function), with the caller's registers,
 * not on its own as a global function with typed arguments. */
__attribute__((weak, visibility("hidden"))) int module(void *ctx, struct sk_buff *skb,
							__u8 data[IPFT_EXT_DATA])
{
	return 0;
}

static __always_inline __u32 ipft_ext_slots(void)
{
	return (ipft_ext_size + IPFT_EXT_PART - 1) / IPFT_EXT_PART;
}

/* A 64-bit hash of the buffer (what the packet last sent, kept small). */
static __always_inline __u64 ext_hash(const __u64 *w)
{
	__u64 h = 0xcbf29ce484222325ULL;

#pragma unroll
	for (int i = 0; i < IPFT_EXT_DATA / 8; i++)
		h = (h ^ w[i]) * 0x100000001b3ULL;
	return h;
}

/* module()'s data at this hit, where it changed.  A non-zero return says
 * it has nothing for this hit (ipftrace2 then leaves the event out; here
 * the event stays, without data: a packet's trace needs its frees and
 * returns).  Data another hit overwrote meanwhile is taken back: the
 * packet's next event says it. */
static __always_inline void ipft_ext_hit(struct ipft_live *t, struct sk_buff *skb,
					 const struct ipft_hit_args *a)
{
	__u32 zero = 0, added = 0;
	struct ipft_ext_scratch *s = bpf_map_lookup_elem(&ipft_ext_buf, &zero);
	__u64 h, gen;

	if (!s)
		return;
	gen = ++s->gen;
	__builtin_memset(s->b, 0, IPFT_EXT_BUF);
	if (module(a->ctx, skb, s->b) != 0)
		return;
	h = ext_hash((const __u64 *)s->b);
	if (t->prev.ext.valid && t->prev.ext.hash == h)
		return;
#pragma unroll
	for (__u32 i = 0; i < IPFT_EXT_SLOTS_MAX; i++) {
		struct ipft_data_slot *d;

		if (i >= ipft_ext_slots())
			break;
		d = ipft_data_slot(t, IPFT_DATA_EXT);
		d->aux = (__u8)i;
		__builtin_memcpy(d->data, s->b + i * IPFT_EXT_PART, IPFT_EXT_PART);
		added++;
	}
	if (s->gen != gen) {
		t->n -= added;
		t->n_data -= added;
		return;
	}
	t->prev.ext.valid = 1;
	t->prev.ext.hash = h;
}

#endif
