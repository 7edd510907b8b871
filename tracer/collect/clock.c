/* clock.c - kernel (CLOCK_MONOTONIC) times to wall-clock times (clock.h). */
#include "tracer/collect/clock.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/* Offsets read within this of each other are the same offset: the read
 * itself takes a microsecond or so. */
#define TOLERANCE_NS 20000

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The offset, read between two monotonic reads; *mono: when. */
static int64_t read_offset(uint64_t *mono)
{
	uint64_t m1 = clock_ns(CLOCK_MONOTONIC), r = clock_ns(CLOCK_REALTIME),
		 m2 = clock_ns(CLOCK_MONOTONIC);

	*mono = m1 + (m2 - m1) / 2;
	return (int64_t)(r - *mono);
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
	c->n++;
	return 0;
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

int ipft_clock_init(struct ipft_clock *c)
{
	uint64_t mono;
	int64_t offset = read_offset(&mono);

	*c = (struct ipft_clock){ .set_fd = open_set_watch() };
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

bool ipft_clock_update(struct ipft_clock *c, bool force)
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
	return add_change(c, mono, offset) == 0;
}

uint64_t ipft_clock_real(const struct ipft_clock *c, uint64_t mono_ns)
{
	size_t i = c->n;

	/* Changes are few and recent hits the common case: from the end. */
	while (i > 1 && c->changes[i - 1].from_mono > mono_ns)
		i--;
	return c->n ? mono_ns + (uint64_t)c->changes[i - 1].offset : mono_ns;
}
