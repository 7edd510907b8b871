/* counters.h - the kernel side's per-CPU counters (enum ipft_stat). */
#ifndef IPFT_COUNTERS_H
#define IPFT_COUNTERS_H

#include <stdint.h>
#include <linux/types.h>

#include "bpf/ipft_event.h"

/* Sums every CPU's counters of the stats map; a counter that cannot be
 * read is 0. */
void ipft_counters_read(int stats_fd, uint64_t out[IPFT_STAT_MAX]);
/* The sum of what was lost: events (ring buffer full) and packets not
 * followed (tracking map full). */
uint64_t ipft_counters_lost(const uint64_t s[IPFT_STAT_MAX]);
/* One stderr line per kind of loss, with what to try. */
void ipft_counters_report_losses(const uint64_t s[IPFT_STAT_MAX]);

#endif
