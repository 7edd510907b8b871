/* kernel_compat.bpf.h - what the programs do where the kernel lacks a BPF
 * feature (bpf/ipft_features.h).  feat is frozen before load, so the
 * verifier never walks the branch a kernel cannot take, and helper calls
 * it does not know are dropped with it.
 */
#ifndef IPFT_KERNEL_COMPAT_BPF_H
#define IPFT_KERNEL_COMPAT_BPF_H

#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include "ipft_shared.h"
#include "ipft_features.h"

/* Set by the tracer before load (tracer/kernel/features.c probes them). */
const volatile struct ipft_bpf_features feat = {
	.atomic_fetch = 1,
	.kprobe_func_ip = 1,
	.kprobe_cookie = 1,
	.tracing_func_ip = 1,
	.func_ret = 1,
	.raw_tp_cookie = 1,
};

/* The traced function's address, patched into each clone by the loader. */
static __always_inline __u64 ipft_func_addr(void)
{
	__u64 addr;
	asm volatile("%0 = " IPFT_STRINGIFY(IPFT_MARK_FUNC_ADDR) " ll" : "=r"(addr));
	return addr;
}

/* What the function an fexit program traces returned: the context slot
 * after its arguments.  The loader patches the load's offset (0 here,
 * the first argument, for the template's own verification). */
static __always_inline __u64 ipft_ret_slot(__u64 *ctx)
{
	__u64 ret, mark;
	asm volatile("%[m] = " IPFT_STRINGIFY(IPFT_MARK_RET_SLOT) " ll\n\t"
		     "%[r] = *(u64 *)(%[c] + 0)"
		     : [r] "=r"(ret), [m] "=&r"(mark)
		     : [c] "r"(ctx));
	return ret;
}

/* p as the verifier's read-only pointer to the kernel type btf_id: its
 * fields are read with plain loads (one that would fault reads 0), as a
 * typed program's skb's are (tp_btf, fentry), where an untyped one
 * (raw_tp, kprobe) makes a helper call per field.  The loader turns the
 * marker into the call bpf_rdonly_cast(p, btf_id) (6.2+, a kfunc the
 * verifier makes a move).  Only the cast twins of the untyped templates
 * call this (ipft_tps_any_cast, ipft_kp_skb_cast, ipft_kpm_skb_cast),
 * and the loader loads them only where the kernel lets their program
 * type make the call (tracer/backends/bpf_object.c, ipft_bpf_casts()). */
static __always_inline void *ipft_rdonly_cast(const void *p, __u32 btf_id)
{
	__u64 r;
	/* Inline, not a function of its own (a call per hit).  The call's
	 * arguments go to r1 and r2; the registers a call clobbers are
	 * told (r0 too: the result is moved out of it). */
	asm volatile("r1 = %[p]\n\t"
		     "r2 = %[id]\n\t"
		     "%[r] = " IPFT_STRINGIFY(IPFT_MARK_RDONLY_CAST) " ll"
		     : [r] "=r"(r)
		     : [p] "r"(p), [id] "r"(btf_id)
		     : "r0", "r1", "r2", "r3", "r4", "r5");
	return (void *)r;
}

/* Adds one to *counter and returns a number no other call returns (until
 * the counter wraps): the counter's new value, where the loader made the
 * add a fetch-and-add; else the counter read after the add with the CPU's
 * number in the low IPFT_ID_CPU_BITS bits (two CPUs may read the same
 * value; a CPU reads a larger one each time). */
static __always_inline __u64 ipft_count_up(__u64 *counter)
{
	__u64 v = 1, mark;
	asm volatile("%[m] = " IPFT_STRINGIFY(IPFT_MARK_ATOMIC_ADD) " ll\n\t"
		     "lock *(u64 *)(%[p] + 0) += %[v]"
		     : [v] "+r"(v), [m] "=&r"(mark)
		     : [p] "r"(counter)
		     : "memory");
	if (feat.atomic_fetch)
		return v + 1;
	return ((*(volatile __u64 *)counter << IPFT_ID_CPU_BITS) |
		(bpf_get_smp_processor_id() & ((1u << IPFT_ID_CPU_BITS) - 1))) &
	       ((1ull << IPFT_ID_COUNTER_BITS) - 1);
}

/* Adds n to *p atomically: a full barrier on x86 (lock prefix), fully
 * ordered everywhere where the loader made it a fetch-and-add (5.12+). */
static __always_inline void ipft_atomic_add(__u64 *p, __u64 n)
{
	__u64 mark;
	asm volatile("%[m] = " IPFT_STRINGIFY(IPFT_MARK_ATOMIC_ADD) " ll\n\t"
		     "lock *(u64 *)(%[p] + 0) += %[v]"
		     : [v] "+r"(n), [m] "=&r"(mark)
		     : [p] "r"(p)
		     : "memory");
}

/* *p read after every store before it is visible to all CPUs: the other
 * half of a store-then-check handshake with ipft_atomic_add (each side
 * writes, then reads what the other wrote: at least one sees the other). */
static __always_inline __u64 ipft_fenced_read(__u64 *p)
{
	ipft_atomic_add(p, 0);
	return *(volatile __u64 *)p;
}

#endif
