/* sweep.bpf.h - ending a packet that stays alive, for ipft's sweep.
 *
 * ipft's sweep (tracer/collect/live_sweep.c) takes packets alive past
 * --flush-timeout out of the live map.  Taken from user space, a hit that
 * a program is writing into the entry at that moment is lost, and nothing
 * can count it: user space cannot mark an entry atomically.  So while
 * tracing, the sweep ends each such packet here, through BPF_PROG_TEST_RUN
 * (raw_tp: 5.10+; never attached), exactly as a full map ends its oldest
 * packet: the entry is marked first, and a hit racing with it is counted
 * (hit_raced); the packet's hits go out through the ring buffer.
 */
#ifndef IPFT_SWEEP_BPF_H
#define IPFT_SWEEP_BPF_H

#include "skb_event.bpf.h"

/* ctx: the skb address (the entry's key) and the packet_id the sweep
 * found there.  Returns 1 if that packet was ended, 0 if it was gone. */
SEC("raw_tp")
int ipft_sweep_one(__u64 *ctx)
{
	__u64 key = ctx[0];
	struct ipft_live *t = bpf_map_lookup_elem(&live, &key);

	if (!t || t->packet_id != ctx[1])
		return 0;
	ipft_atomic_add(&t->evicting, 1);
	retire(key, t, IPFT_STAT_MAX);
	return 1;
}

#endif
