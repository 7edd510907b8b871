/* run_info.h - what a run records about itself (file metadata, stats). */
#ifndef IPFT_RUN_INFO_H
#define IPFT_RUN_INFO_H

#include <stddef.h>
#include <stdint.h>

struct ipft_run_info {
	const char *cmdline;
	const char *backend;
	const char *const *probe_names;  /* attached points, "skb:kfree_skb" */
	size_t n_probes;
	uint32_t snaplen;
	uint64_t start_real_ns;
};

struct ipft_run_stats {
	uint64_t events;          /* hits the kernel sent */
	uint64_t packets;         /* packets that entered the trace */
	uint64_t lost_ringbuf;    /* records lost: ring buffer full */
	uint64_t lost_mapfull;    /* packets not tracked: tracking map full */
	uint64_t stale;           /* skb addresses reused without a free we saw */
	uint64_t evicted;         /* packets ended early to make room in the full map */
	uint64_t written;         /* packets written */
	uint64_t partial;         /* ... of which partial */
	uint64_t end_real_ns;
};

#endif
