/* kprobe_multi.bpf.h - the kprobe-multi backend's templates: the entry
 * of every function (tracer/backends/kprobe_multi.c attaches them all
 * through one link), and the return of the functions that make skbs (one
 * link with the return flag; each function's role in its cookie). */
#ifndef IPFT_BACKEND_KPROBE_MULTI_BPF_H
#define IPFT_BACKEND_KPROBE_MULTI_BPF_H

#include "kprobe_common.bpf.h"

IPFT_KPROBE_TEMPLATE("kprobe.multi", ipft_kpm_skb)
IPFT_KRETPROBE_TEMPLATE("kretprobe.multi", ipft_kpm_ret, true)

#endif
