/* tpargs.bpf.h - the tpargs collector's BPF side (-x tpargs): a
 * tracepoint's scalar arguments, read by its template from the context
 * (tpargs_read()) and sent with the hit as a data slot (tpargs_slot.h).
 * The positions come patched into each clone's identity, a constant to the
 * verifier: a typed (tp_btf) clone reads only the arguments its tracepoint
 * has, and the template (the marker unpatched) none.  The tracer's side, names and types from BTF, is tpargs.c.
 */
#ifndef IPFT_TPARGS_BPF_H
#define IPFT_TPARGS_BPF_H

#include "tracer/collectors/tpargs_slot.h"

/* Into a->args: the arguments at the positions ident names.  shared: a
 * program shared by tracepoints of several argument counts (ident from
 * its link's cookie) reads through the helper, since the kernel refuses
 * to attach a raw_tp program whose plain context loads reach past the
 * tracepoint's last argument. */
static __always_inline void ipft_tpargs_read(struct ipft_hit_args *a, const __u64 *ctx,
					     __u64 ident, bool shared)
{
	/* The template itself, verified with the marker unpatched, reads none
	 * (compared by its high half: an ld_imm64 of the whole marker would be
	 * patched in every clone too). */
	__u32 role = (__u32)(ident >> 32);
	__u32 mask = role == (__u32)(IPFT_MARK_PROBE_IDENT >> 32) ? 0 : role >> IPFT_ROLE_ARGS_SHIFT;
	__u8 n = 0;

#pragma unroll
	for (int i = 0; i < IPFT_TPARGS_POSITIONS; i++)
		if ((mask & (1u << i)) && n < IPFT_TPARGS_MAX) {
			if (shared)
				bpf_probe_read_kernel(&a->args[n], sizeof(a->args[n]), &ctx[i]);
			else
				a->args[n] = ctx[i];
			n++;
		}
	a->n_args = n;
}

static __always_inline void ipft_tpargs_hit(struct ipft_live *t, const struct ipft_hit_args *a)
{
	struct ipft_tpargs_data *d;

	if (!a->n_args)
		return;
	d = (struct ipft_tpargs_data *)ipft_data_slot(t, IPFT_DATA_TPARGS);
	d->n = a->n_args;
	for (int i = 0; i < IPFT_TPARGS_MAX; i++)
		d->v[i] = i < a->n_args ? a->args[i] : 0;
}

#endif
