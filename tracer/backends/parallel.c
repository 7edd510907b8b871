/* parallel.c - a job over N items on a few threads (tracer/backends/parallel.h). */
#include "tracer/backends/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 32
#define TICK_NS 10000000L   /* how often this thread looks */
#define PROGRESS_TICKS 20   /* progress every 200 ms */

struct work {
	size_t n;
	void (*job)(size_t i, void *arg);
	void *arg;
	atomic_size_t next, done;
	atomic_uint running;
};

static void *worker(void *p)
{
	struct work *w = p;
	size_t i;

	while ((i = atomic_fetch_add(&w->next, 1)) < w->n) {
		w->job(i, w->arg);
		atomic_fetch_add(&w->done, 1);
	}
	atomic_fetch_sub(&w->running, 1);
	return NULL;
}

void ipft_parallel_for(size_t n, unsigned threads, void (*job)(size_t i, void *arg), void *arg,
		       void (*progress)(size_t done, size_t total, void *parg), void *parg)
{
	struct work w = { .n = n, .job = job, .arg = arg };
	pthread_t th[MAX_THREADS];
	bool started[MAX_THREADS] = { false };
	size_t last = 0;
	unsigned tick = 0;

	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (threads > n)
		threads = (unsigned)n;
	atomic_store(&w.running, threads);
	for (unsigned t = 0; t < threads; t++) {
		started[t] = pthread_create(&th[t], NULL, worker, &w) == 0;
		if (!started[t])
			atomic_fetch_sub(&w.running, 1);
	}
	if (threads && !started[0]) { /* no thread at all: do it here */
		atomic_fetch_add(&w.running, 1);
		worker(&w);
	}
	while (atomic_load(&w.running) > 0) {
		struct timespec ts = { 0, TICK_NS };
		size_t done = atomic_load(&w.done);
		if (progress && ++tick % PROGRESS_TICKS == 0 && done != last && done < n) {
			progress(done, n, parg);
			last = done;
		}
		nanosleep(&ts, NULL);
	}
	for (unsigned t = 0; t < threads; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	if (progress && n)
		progress(n, n, parg);
}

void ipft_skipped_init(struct ipft_skipped *s)
{
	pthread_mutex_init(&s->lock, NULL);
	s->why[0] = 0;
}

void ipft_skipped_destroy(struct ipft_skipped *s)
{
	pthread_mutex_destroy(&s->lock);
}

void ipft_skipped_note(struct ipft_skipped *s, bool verbose, const char *why)
{
	if (verbose)
		fprintf(stderr, "ipft: skipped %s\n", why);
	pthread_mutex_lock(&s->lock);
	snprintf(s->why, sizeof(s->why), "%s", why);
	pthread_mutex_unlock(&s->lock);
}

unsigned ipft_parallel_cpus(unsigned max)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return cpus < 1 ? 1 : (unsigned long)cpus > max ? max : (unsigned)cpus;
}
