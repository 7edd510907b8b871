/* kprobe_common.bpf.h - what the kprobe and kprobe-multi templates share
 * (bpf/backends/kprobe.bpf.h, kprobe_multi.bpf.h;
 * tracer/backends/kprobe_common.c on the user side).
 *
 * One entry template for every function: the attach cookie carries the
 * probe id, the role bits and which of the IPFT_REG_ARGS register
 * arguments holds the skb (set per function by the tracer), so one
 * program and, for kprobe-multi, one link serve them all (a program per
 * position was a verification and an fprobe registration each, seconds
 * of start under emulation).  bpf_get_func_ip() gives the function's
 * address (right with IBT/endbr too).  A kernel without them (before
 * 5.15, kprobe only; no IBT there) has the kprobe's address in the
 * registers, and the tracer maps each function's address to its ident.
 *
 * A function that makes new skbs from its skb (bpf/derive.bpf.h) has a
 * return probe too: its entry keeps its two first arguments under the
 * task that runs it, its return links what it returned.  kprobe-multi's
 * return program reads the function's role from its cookie (one program,
 * one link); a kretprobe's is a clone with the role patched in (kernels
 * before 5.15 have no cookie).  An interrupt that calls the same kind of function on that
 * task in between takes the entry's place: the outer return then finds
 * nothing, and links nothing (never a wrong parent).
 *
 * x86-64 only: the arguments are read from pt_regs by register name.
 */
#ifndef IPFT_BACKEND_KPROBE_COMMON_BPF_H
#define IPFT_BACKEND_KPROBE_COMMON_BPF_H

#include "skb_event.bpf.h"
#include "derive.bpf.h"

/* Each function's probe id and role bits by its address, where the
 * kernel has no attach cookies (filled by tracer/backends/kprobe.c). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u64);
	__type(value, __u64);
	__uint(max_entries, 1); /* resized by the tracer */
} kprobe_idents SEC(".maps");

/* A maker function's call in progress: by the task and the function's
 * maker role, its first two arguments.  LRU: a call whose return was
 * missed (the kernel's kretprobe instances ran out) leaves no entry that
 * fills the map. */
struct ipft_making_key {
	__u64 task;
	__u32 role;
	__u32 pad;
};
struct ipft_making {
	__u64 arg[2];
};
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct ipft_making_key);
	__type(value, struct ipft_making);
	__uint(max_entries, 1); /* resized by the tracer */
} making SEC(".maps");

static __always_inline struct ipft_making_key making_key(__u32 role)
{
	return (struct ipft_making_key){
		.task = bpf_get_current_task(),
		.role = role & IPFT_ROLE_AT_RETURN,
	};
}

/* Register argument n (0-5, from the ident: known at run time only).
 * All six are loaded at their constant offsets and one is picked: a
 * switch of loads compiles to one load at a computed offset, which the
 * verifier refuses for a context. */
static __always_inline __u64 kp_arg(struct pt_regs *regs, __u64 n)
{
	__u64 arg[IPFT_REG_ARGS] = { regs->di, regs->si, regs->dx, regs->cx, regs->r8, regs->r9 };

	return arg[n < IPFT_REG_ARGS ? n : IPFT_REG_ARGS - 1];
}

/* The probed function's address.  A kprobe on a function's first
 * instruction: ip is one past it. */
static __always_inline __u64 kp_func_ip(struct pt_regs *regs)
{
	return feat.kprobe_func_ip ? bpf_get_func_ip(regs) : regs->ip - 1;
}

static __always_inline int kp_hit(struct pt_regs *regs, bool cast)
{
	__u64 ip = feat.kprobe_cookie ? 0 : kp_func_ip(regs), ident, *id;
	struct ipft_hit_entry e;

	if (feat.kprobe_cookie) {
		ident = bpf_get_attach_cookie(regs);
	} else {
		id = bpf_map_lookup_elem(&kprobe_idents, &ip);
		if (!id)
			return 0;
		ident = *id;
	}
	__u32 role = ident >> 32;
	__u16 flags = (role & IPFT_ROLE_FREE) ? IPFT_HIT_FREE : 0;
	__u64 skb = kp_arg(regs, (ident >> IPFT_IDENT_SKB_ARG_SHIFT) & IPFT_IDENT_SKB_ARG_MASK);
	/* The twin that casts reads the skb as a typed one. */
	struct sk_buff *s = cast ? ipft_rdonly_cast((struct sk_buff *)skb,
						    bpf_core_type_id_kernel(struct sk_buff))
				 : (struct sk_buff *)skb;
	/* The first argument (a maker's, merger's, reallocator's skb); a
	 * reassembler's skb. */
	__u64 from = (role & IPFT_ROLE_REASSEMBLES_ANY) ? skb : regs->di;

	/* Decided before the function's address is asked for: with every
	 * function probed, most hits are refused here. */
	if (ipft_hit_decide(s, ident, IPFT_HIT_ENTRY, flags, cast, &e)) {
		struct ipft_hit_args a = {
			.kind = IPFT_HIT_ENTRY,
			.ctx = regs,
			.func_ip = feat.kprobe_cookie ? kp_func_ip(regs) : ip,
			.flags = flags,
		};
		handle_hit(s, ident, &a, &e, cast, cast);
	}
	/* Kept only when its return can link something: that skb traced. */
	if ((role & IPFT_ROLE_AT_RETURN) && bpf_map_lookup_elem(&live, &from)) {
		struct ipft_making_key k = making_key(role);
		struct ipft_making m = { .arg = { from, regs->si } };
		bpf_map_update_elem(&making, &k, &m, BPF_ANY);
	}
	return 0;
}

/* At a maker function's return (its role in the cookie, or patched in
 * the clone): what it made from the skb its entry kept. */
static __always_inline int kp_return(struct pt_regs *regs, bool cookie_role)
{
	__u32 role = (cookie_role ? bpf_get_attach_cookie(regs) : ipft_probe_ident()) >> 32;
	struct ipft_making_key k = making_key(role);
	struct ipft_making *m;
	__u64 parent, second;

	if (ipft_template_only())
		return 0;
	m = bpf_map_lookup_elem(&making, &k);
	if (!m)
		return 0;
	parent = m->arg[0];
	second = m->arg[1];
	bpf_map_delete_elem(&making, &k);
	ipft_derive((struct sk_buff *)parent, regs->ax, role);
	ipft_merge(parent, second, (__s32)regs->ax, role);
	ipft_reassembled(parent, (__s32)regs->ax, role);
	ipft_realloced(parent, second, (__s32)regs->ax, role);
	return 0;
}

/* A function's entry, and its twin name##_cast that reads the skb
 * through bpf_rdonly_cast (6.2+): the loader loads one of the two. */
#define IPFT_KPROBE_TEMPLATE(sec, name)               \
	SEC(sec)                                      \
	int name(struct pt_regs *regs)                \
	{                                             \
		return kp_hit(regs, false);           \
	}                                             \
	SEC(sec)                                      \
	int name##_cast(struct pt_regs *regs)         \
	{                                             \
		return kp_hit(regs, true);            \
	}

#define IPFT_KRETPROBE_TEMPLATE(sec, name, cookie)    \
	SEC(sec)                                      \
	int name(struct pt_regs *regs)                \
	{                                             \
		return kp_return(regs, cookie);       \
	}

#endif
