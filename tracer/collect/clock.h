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

/* Changes listed in the file; the rest are counted.  Some clocks are set
 * ten times a second (a VM's time agent), so neither list nor history
 * may grow with the run. */
#define IPFT_CLOCK_LOGGED 32

struct ipft_clock {
	struct ipft_clock_change *changes; /* [0]: the oldest offset still needed */
	size_t n, cap;
	struct ipft_clock_change logged[IPFT_CLOCK_LOGGED]; /* the first changes */
	size_t n_logged;
	uint64_t n_changes;    /* every change since the start */
	int64_t sum_steps;     /* their sum, ns */
	int set_fd;            /* timerfd that fires when the clock is set, or -1 */
	int64_t tai_minus_real; /* CLOCK_TAI - CLOCK_REALTIME (the leap seconds) */
};

/* Takes the offset now; 0 or -1 (no memory). */
int ipft_clock_init(struct ipft_clock *c);
/* A clock whose offset never changes (tests, samples). */
void ipft_clock_fixed(struct ipft_clock *c, int64_t offset);
void ipft_clock_free(struct ipft_clock *c);
/* Takes the offset again if the clock was set since the last call, or
 * when force; keeps it when it moved by more than the tolerance, and
 * forgets offsets no hit older than keep_ns can need.  Returns whether it
 * changed. */
bool ipft_clock_update(struct ipft_clock *c, bool force, uint64_t keep_ns);
/* The wall-clock time of a monotonic one. */
uint64_t ipft_clock_real(const struct ipft_clock *c, uint64_t mono_ns);
/* The offset the kernel itself had when it read tai_ns right after
 * mono_ns (bpf_ktime_get_tai_ns): exact across a step the clock took
 * before ipft measured it; what the hits of that packet are stamped with.
 * Within 50 ms of the offset measured for mono_ns it is that one, so
 * packets keep their order whatever came between the kernel's two reads. */
int64_t ipft_clock_offset_from_tai(const struct ipft_clock *c, uint64_t mono_ns, uint64_t tai_ns);

#endif
