// SPDX-License-Identifier: GPL-2.0
/* ipft.bpf.c - ipft's one BPF object: the maps and what every attach
 * point does with an skb (skb_event.bpf.h), and each backend's template
 * programs (bpf/backends/, each file named after the tracer/backends/ file
 * that clones and attaches its templates).
 *
 * The tracer loads this object once (maps + the templates of the backends
 * in use), then loads one clone of a template per attach point, or per
 * skb position for the kprobe backends (tracer/backends/bpf_object.c).
 */
#include "skb_event.bpf.h"
#include "sweep.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#include "backends/tracepoint.bpf.h"
#include "backends/kprobe.bpf.h"
#include "backends/kprobe_multi.bpf.h"
#include "backends/fentry.bpf.h"
