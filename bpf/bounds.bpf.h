/* bounds.bpf.h - lengths the verifier of every supported kernel accepts.
 *
 * A length clamped in C can be spilled to the stack by the compiler before
 * the helper call that uses it, and older verifiers (Debian 12's 6.1) lose
 * its bound on the way ("R2 unbounded memory access").  ipft_bound() clamps
 * in inline assembly, so the bound is set on the very register passed. */
#ifndef IPFT_BOUNDS_BPF_H
#define IPFT_BOUNDS_BPF_H

#define ipft_bound(v, max)                                                         \
	({                                                                         \
		__u64 b_ = (v);                                                    \
		asm volatile("if %0 <= %1 goto +1; %0 = %1" : "+r"(b_) : "i"(max)); \
		b_;                                                                \
	})

/* The same against a bound known only at load time (a frozen rodata
 * constant): the verifier refines a compare with a constant register as it
 * does one with an immediate. */
#define ipft_bound_reg(v, max)                                                     \
	({                                                                         \
		__u64 b_ = (v), m_ = (max);                                        \
		asm volatile("if %0 <= %1 goto +1; %0 = %1" : "+r"(b_) : "r"(m_)); \
		b_;                                                                \
	})

#endif
