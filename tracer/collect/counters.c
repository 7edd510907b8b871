/* counters.c - the kernel side's per-CPU counters (enum ipft_stat). */
#include "tracer/collect/counters.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ipft_counters_read(int stats_fd, uint64_t out[IPFT_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals = calloc(ncpu > 0 ? (size_t)ncpu : 1, sizeof(*vals));

	memset(out, 0, IPFT_STAT_MAX * sizeof(*out));
	for (uint32_t k = 0; vals && k < IPFT_STAT_MAX; k++) {
		if (bpf_map_lookup_elem(stats_fd, &k, vals) < 0)
			continue;
		for (int c = 0; c < ncpu; c++)
			out[k] += vals[c];
	}
	free(vals);
}

uint64_t ipft_counters_lost(const uint64_t s[IPFT_STAT_MAX])
{
	return s[IPFT_STAT_LOST_RINGBUF] + s[IPFT_STAT_LOST_MAPFULL] + s[IPFT_STAT_LOST_EVICT_RACE];
}

void ipft_counters_report_losses(const uint64_t s[IPFT_STAT_MAX])
{
	if (s[IPFT_STAT_LOST_RINGBUF])
		fprintf(stderr, "ipft: %llu events lost: the ring buffer was full "
			"(try --ringbuf-size, -r or a filter)\n",
			(unsigned long long)s[IPFT_STAT_LOST_RINGBUF]);
	if (s[IPFT_STAT_EVICTED])
		fprintf(stderr, "ipft: %llu packets written as partial traces before their end: "
			"%s in flight at once, the oldest made room (try --max-inflight)\n",
			(unsigned long long)s[IPFT_STAT_EVICTED], "too many packets");
	if (s[IPFT_STAT_LOST_EVICT_RACE])
		fprintf(stderr, "ipft: %llu events perhaps lost: they landed while another CPU "
			"ended their packet to make room (try --max-inflight)\n",
			(unsigned long long)s[IPFT_STAT_LOST_EVICT_RACE]);
	if (s[IPFT_STAT_LOST_MAPFULL])
		fprintf(stderr, "ipft: %llu packets not followed: %s in flight at once "
			"(try --max-inflight)\n", (unsigned long long)s[IPFT_STAT_LOST_MAPFULL],
			"too many packets");
}
