/* tpargs_slot.h - the tpargs collector's data slot, as its BPF side
 * (tpargs.bpf.h) writes it and the tracer (tpargs.c) reads it: a
 * tracepoint's scalar arguments, as the raw tracepoint hands them over
 * (u64 each), in the order of their positions.  Which positions is
 * patched into each clone with its role (IPFT_ROLE_ARGS_SHIFT).
 *
 * Included by BPF code and by the tracer (after <linux/types.h>).
 */
#ifndef IPFT_TPARGS_SLOT_H
#define IPFT_TPARGS_SLOT_H

/* Arguments kept per hit, the first scalar ones; and the positions that
 * can be (x86-64 register arguments, as the templates read them). */
#define IPFT_TPARGS_MAX 3
#define IPFT_TPARGS_POSITIONS 6
/* The positions' bits, in the high 32 bits of a clone's identity. */
#define IPFT_ROLE_ARGS_SHIFT 24

/* IPFT_DATA_TPARGS */
struct ipft_tpargs_data {
	__u64 v[IPFT_TPARGS_MAX];
	__u8 n;
	__u8 pad[5];
	__u8 kind;            /* IPFT_DATA_TPARGS */
	__u8 aux;
};

#endif
