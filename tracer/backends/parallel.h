/* parallel.h - run a job over N items on a few threads, with progress.
 *
 * Attaching and detaching a function backend is one kernel call per
 * function, and many of those wait (verifier, RCU grace periods): on
 * several threads the waits overlap.
 */
#ifndef IPFT_PARALLEL_H
#define IPFT_PARALLEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Calls job(i, arg) for every i < n, on up to threads threads (here if
 * none can be started), each i once.  progress, if set, is called from
 * this thread now and then with how many are done, and once with n at
 * the end. */
void ipft_parallel_for(size_t n, unsigned threads, void (*job)(size_t i, void *arg), void *arg,
		       void (*progress)(size_t done, size_t total, void *parg), void *parg);

/* Threads for work that keeps a CPU busy (verifying programs): one per
 * CPU, at most max. */
unsigned ipft_parallel_cpus(unsigned max);

/* What the jobs that attach left out: each told with -v as it happens,
 * the last one kept for the error when nothing could be attached. */
struct ipft_skipped {
	pthread_mutex_t lock;
	char why[256];
};

void ipft_skipped_init(struct ipft_skipped *s);
void ipft_skipped_destroy(struct ipft_skipped *s);
/* From any thread: one item was left out, for this reason. */
void ipft_skipped_note(struct ipft_skipped *s, bool verbose, const char *why);

#endif
