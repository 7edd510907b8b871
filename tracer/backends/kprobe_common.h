/* kprobe_common.h - what the kprobe and kprobe-multi backends share: the
 * program clones (one per skb argument position, probe id from the attach
 * cookie) and the kernel checks. */
#ifndef IPFT_KPROBE_COMMON_H
#define IPFT_KPROBE_COMMON_H

#include "tracer/backends/backend.h"

#include <stdint.h>

#include <linux/types.h>
#include "bpf/ipft_shared.h"

#define IPFT_KPROBE_POSITIONS IPFT_REG_ARGS /* a template per register argument */

/* The attach cookie of p: its id, and its role bits above. */
uint64_t ipft_kprobe_cookie(const struct ipft_probe *p);
/* Loads a clone of ipft_kp(m)_skbN for each position some probe needs;
 * fds[] gets them (-1 where none is needed).  0, or -1 with why. */
int ipft_kprobe_clones(const struct ipft_attach_ctx *ctx, struct ipft_probe **probes, size_t n,
		       bool multi, int fds[IPFT_KPROBE_POSITIONS], char *why, size_t len);
void ipft_kprobe_close(int fds[IPFT_KPROBE_POSITIONS]);
/* 0 if the kernel has kprobes, else -1 and one sentence in why. */
int ipft_kprobe_available(char *why, size_t len);
/* The perf event type of kprobes, -1 without. */
int ipft_kprobe_pmu_type(void);

#endif
