/* kprobe_multi.bpf.h - the kprobe-multi backend's templates, one per skb
 * position (tracer/backends/kprobe_multi.c attaches every function with
 * its skb there through one link), and the return of the functions that
 * make skbs (one link with the return flag per kind of maker). */
#ifndef IPFT_BACKEND_KPROBE_MULTI_BPF_H
#define IPFT_BACKEND_KPROBE_MULTI_BPF_H

#include "kprobe_common.bpf.h"

IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb0, 0)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb1, 1)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb2, 2)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb3, 3)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb4, 4)
IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb5, 5)

IPFT_KRETPROBE_TEMPLATE("kretprobe.multi", ipft_kpm_ret)

#endif
