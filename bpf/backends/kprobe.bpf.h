/* kprobe.bpf.h - the kprobe backend's templates, one per skb position
 * (tracer/backends/kprobe.c attaches each function with a kprobe link),
 * and the return of the functions that make skbs (a kretprobe each). */
#ifndef IPFT_BACKEND_KPROBE_BPF_H
#define IPFT_BACKEND_KPROBE_BPF_H

#include "kprobe_common.bpf.h"

IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb0, 0)
IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb1, 1)
IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb2, 2)
IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb3, 3)
IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb4, 4)
IPFT_KPROBE_TEMPLATE("kprobe", ipft_kp_skb5, 5)

IPFT_KRETPROBE_TEMPLATE("kretprobe", ipft_kp_ret)

#endif
