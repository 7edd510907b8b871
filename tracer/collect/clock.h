/* clock.h - kernel (CLOCK_MONOTONIC) times to wall-clock times.
 *
 * Hits are stamped by bpf_ktime_get_ns(); files need wall-clock time.  The
 * offset between the two changes when the wall clock is stepped (date -s,
 * a VM resumed, NTP's first sync) and drifts while NTP slews it, so it is
 * taken again now and then and at once when the clock is set; each change
 * is kept with the monotonic time it applies from, so a hit is converted
 * with the offset of its own time, whenever its packet is written. */
#ifndef IPFT_CLOCK_H
#define IPFT_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipft_clock_change {
	uint64_t from_mono;    /* monotonic ns it applies from */
	int64_t offset;        /* add to a monotonic time for wall clock */
	int64_t step;          /* the change from the previous offset, ns */
};

struct ipft_clock {
	struct ipft_clock_change *changes; /* [0]: the offset at start */
	size_t n, cap;
	int set_fd;            /* timerfd that fires when the clock is set, or -1 */
};

/* Takes the offset now; 0 or -1 (no memory). */
int ipft_clock_init(struct ipft_clock *c);
/* A clock whose offset never changes (tests, samples). */
void ipft_clock_fixed(struct ipft_clock *c, int64_t offset);
void ipft_clock_free(struct ipft_clock *c);
/* Takes the offset again if the clock was set since the last call, or
 * when force; keeps it when it moved by more than the tolerance.  Returns
 * whether it changed. */
bool ipft_clock_update(struct ipft_clock *c, bool force);
/* The wall-clock time of a monotonic one. */
uint64_t ipft_clock_real(const struct ipft_clock *c, uint64_t mono_ns);

#endif
