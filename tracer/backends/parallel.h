/* parallel.h - run a job over N items on a few threads, with progress.
 *
 * Attaching and detaching a function backend is one kernel call per
 * function, and many of those wait (verifier, RCU grace periods): on
 * several threads the waits overlap.
 */
#ifndef IPFT_PARALLEL_H
#define IPFT_PARALLEL_H

#include <stddef.h>

/* Calls job(i, arg) for every i < n, on up to threads threads (here if
 * none can be started), each i once.  progress, if set, is called from
 * this thread now and then with how many are done, and once with n at
 * the end. */
void ipft_parallel_for(size_t n, unsigned threads, void (*job)(size_t i, void *arg), void *arg,
		       void (*progress)(size_t done, size_t total, void *parg), void *parg);

#endif
