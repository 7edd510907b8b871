/* job.h - start-up work run on a thread of its own, joined where its
 * result is first needed (ahead.c, functions.c, kallsyms.c).  When no
 * thread can be had the work is done on the spot: the caller's result is
 * the same, only later. */
#ifndef IPFT_JOB_H
#define IPFT_JOB_H

#include <pthread.h>
#include <stdbool.h>

struct ipft_job {
	bool started;          /* ipft_job_start was called */
	bool running;          /* on its thread until joined */
	pthread_t thread;
	pthread_mutex_t lock;  /* two threads may wait for the same work */
};

static inline void ipft_job_start(struct ipft_job *job, void *(*work)(void *), void *arg)
{
	pthread_mutex_init(&job->lock, NULL);
	job->started = true;
	job->running = pthread_create(&job->thread, NULL, work, arg) == 0;
	if (!job->running)
		work(arg);
}

/* Waits for the work to be done; at once if it is, or was never started. */
static inline void ipft_job_join(struct ipft_job *job)
{
	if (!job->started)
		return;
	pthread_mutex_lock(&job->lock);
	if (job->running)
		pthread_join(job->thread, NULL);
	job->running = false;
	pthread_mutex_unlock(&job->lock);
}

#endif
