/* kprobe.bpf.h - the kprobe backend's templates: the entry of every
 * function (tracer/backends/kprobe.c attaches each function with a
 * kprobe link), and the return of the functions that make skbs (a
 * kretprobe each, from a clone per kind of maker with its role patched
 * in: kernels before 5.15 have no cookies). */
#ifndef IPFT_BACKEND_KPROBE_BPF_H
#define IPFT_BACKEND_KPROBE_BPF_H

#include "kprobe_common.bpf.h"

IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb)
IPFT_KRETPROBE_TEMPLATE("kretprobe", ipft_kp_ret, false)

#endif
