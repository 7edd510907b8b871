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

/* Removes every entry that entered the trace before born_before
 * (CLOCK_MONOTONIC ns; UINT64_MAX: all) and calls fn on it.  n_live is the
 * programs' entry count, kept right.  Returns how many were taken.  The
 * value comes out with the removal (5.14+): no hit is lost between them,
 * except one a program is writing at that very moment into the entry it
 * looked up; before 5.14 a hit landing between the read and the removal
 * is lost (only on packets this old, or while ipft stops). */
size_t ipft_live_sweep(int map_fd, int64_t *n_live, size_t max_entries, uint64_t born_before,
		       ipft_live_fn fn, void *arg);

#endif
