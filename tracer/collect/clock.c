/* clock.c - kernel (CLOCK_MONOTONIC) times to wall-clock times (clock.h). */
#include "tracer/collect/clock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/* Offsets read within this of each other are the same offset: the read
 * itself takes a microsecond or so. */
#define TOLERANCE_NS 20000
#define OFFSET_TRIES 5
/* The kernel reads MONOTONIC and TAI one after the other, and an
 * interrupt or a VM's stolen time between the two moves that packet's
 * offset alone: consecutive packets then went back in time.  An offset
 * this close to the one measured here for that time is that one; further,
 * it is a step not measured yet (steps are rarely smaller: NTP's start at
 * 128 ms). */
#define TAI_SAME_OFFSET_NS 50000000

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The offset, read between two monotonic reads; *mono: when.  The
 * narrowest of a few tries: a preempted read is off by the preemption. */
static int64_t read_offset(uint64_t *mono)
{
	uint64_t best = UINT64_MAX;
	int64_t offset = 0;

	for (int i = 0; i < OFFSET_TRIES; i++) {
		uint64_t m1 = clock_ns(CLOCK_MONOTONIC), r = clock_ns(CLOCK_REALTIME),
			 m2 = clock_ns(CLOCK_MONOTONIC);
		if (m2 - m1 < best) {
			best = m2 - m1;
			*mono = m1 + (m2 - m1) / 2;
			offset = (int64_t)(r - *mono);
		}
	}
	return offset;
}

static int add_change(struct ipft_clock *c, uint64_t from, int64_t offset)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct ipft_clock_change *v = realloc(c->changes, cap * sizeof(*v));
		if (!v)
			return -1;
		c->changes = v;
		c->cap = cap;
	}
	c->changes[c->n] = (struct ipft_clock_change){
		.from_mono = from, .offset = offset,
		.step = c->n ? offset - c->changes[c->n - 1].offset : 0,
	};
	if (c->n) {
		if (c->n_logged < IPFT_CLOCK_LOGGED)
			c->logged[c->n_logged++] = c->changes[c->n];
		c->n_changes++;
		c->sum_steps += c->changes[c->n].step;
	}
	c->n++;
	return 0;
}

/* Drops the offsets that ended before now - keep: no hit still to be
 * written is that old. */
static void forget_old(struct ipft_clock *c, uint64_t now, uint64_t keep)
{
	size_t drop = 0;

	while (drop + 1 < c->n && now > keep && c->changes[drop + 1].from_mono < now - keep)
		drop++;
	if (!drop)
		return;
	memmove(c->changes, c->changes + drop, (c->n - drop) * sizeof(*c->changes));
	c->n -= drop;
}

/* A timer that never expires but is cancelled, and so wakes a read, when
 * the wall clock is set (TFD_TIMER_CANCEL_ON_SET). */
static int open_set_watch(void)
{
	struct itimerspec far = { .it_value = { .tv_sec = (time_t)1 << 40 } };
	int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);

	if (fd >= 0 && timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &far,
				       NULL) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* CLOCK_TAI runs ahead of CLOCK_REALTIME by whole seconds (0 until
 * something sets the kernel's TAI offset). */
static int64_t read_tai_minus_real(void)
{
	int64_t d = (int64_t)(clock_ns(CLOCK_TAI) - clock_ns(CLOCK_REALTIME));

	return (d + 500000000) / 1000000000 * 1000000000;
}

int ipft_clock_init(struct ipft_clock *c)
{
	uint64_t mono;
	int64_t offset = read_offset(&mono);

	*c = (struct ipft_clock){ .set_fd = open_set_watch(), .tai_minus_real = read_tai_minus_real() };
	return add_change(c, 0, offset);
}

void ipft_clock_fixed(struct ipft_clock *c, int64_t offset)
{
	*c = (struct ipft_clock){ .set_fd = -1 };
	add_change(c, 0, offset);
}

void ipft_clock_free(struct ipft_clock *c)
{
	if (c->set_fd >= 0)
		close(c->set_fd);
	free(c->changes);
	*c = (struct ipft_clock){ .set_fd = -1 };
}

/* Whether the clock was set since the watch was armed; re-arms it. */
static bool clock_was_set(struct ipft_clock *c)
{
	uint64_t expirations;

	if (c->set_fd < 0 || read(c->set_fd, &expirations, sizeof(expirations)) >= 0 ||
	    errno != ECANCELED)
		return false;
	close(c->set_fd);
	c->set_fd = open_set_watch();
	return true;
}

bool ipft_clock_update(struct ipft_clock *c, bool force, uint64_t keep_ns)
{
	bool set = clock_was_set(c);
	uint64_t mono;
	int64_t offset, last;

	if (!set && !force)
		return false;
	offset = read_offset(&mono);
	last = c->n ? c->changes[c->n - 1].offset : 0;
	if (c->n && llabs(offset - last) <= TOLERANCE_NS)
		return false;
	forget_old(c, mono, keep_ns);
	c->tai_minus_real = read_tai_minus_real(); /* a leap second, set with the clock */
	return add_change(c, mono, offset) == 0;
}

int64_t ipft_clock_offset_from_tai(const struct ipft_clock *c, uint64_t mono_ns, uint64_t tai_ns)
{
	int64_t own = (int64_t)(tai_ns - (uint64_t)c->tai_minus_real - mono_ns);
	int64_t known = (int64_t)(ipft_clock_real(c, mono_ns) - mono_ns);

	return llabs(own - known) <= TAI_SAME_OFFSET_NS ? known : own;
}

uint64_t ipft_clock_real(const struct ipft_clock *c, uint64_t mono_ns)
{
	size_t i = c->n;

	/* Changes are few and recent hits the common case: from the end. */
	while (i > 1 && c->changes[i - 1].from_mono > mono_ns)
		i--;
	return c->n ? mono_ns + (uint64_t)c->changes[i - 1].offset : mono_ns;
}
