/* live_sweep.h - taking packets out of the kernel's tracking map.
 *
 * A packet's hits wait in its tracking entry (bpf/ipft_event.h, struct
 * ipft_live) until its skb is freed.  Packets that stay alive (a socket
 * queue, a leaked skb) and the packets in flight when ipft stops are read
 * from the map here, removed, and handed on like a record. */
#ifndef IPFT_LIVE_SWEEP_H
#define IPFT_LIVE_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "bpf/ipft_event.h"

typedef void (*ipft_live_fn)(const struct ipft_live *entry, void *arg);

/* Ends every packet that entered the trace before born_before
 * (CLOCK_MONOTONIC ns; UINT64_MAX: all).  Returns how many were ended.
 *
 * While programs run (*end_prog_fd >= 0), each is ended in the kernel by
 * that program (bpf/sweep.bpf.h): its hits come through the ring buffer,
 * and a hit a program writes meanwhile is counted if it is lost.  Kernels
 * that cannot run it (before 5.10) set *end_prog_fd to -1, and so does a
 * caller once the programs are detached: the entry is then removed here
 * and fn called on its value, n_live (the programs' entry count) kept
 * right.  The value comes out with the removal (5.14+); before 5.14 a hit
 * landing between the read and the removal is lost, uncounted. */
size_t ipft_live_sweep(int map_fd, int *end_prog_fd, int64_t *n_live, size_t max_entries,
		       uint64_t born_before, ipft_live_fn fn, void *arg);

#endif
