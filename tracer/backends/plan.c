/* plan.c - which backend attaches which probe in this run (plan.h). */
#include "tracer/backends/plan.h"
#include "tracer/backends/backend.h"
#include "tracer/backends/bpf_object.h"
#include "tracer/probes/select.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The first function backend the kernel allows that fits the tracer;
 * NULL with the last refusal in why. */
static const struct ipft_backend *best_function_backend(bool function_graph, char *why,
							size_t len)
{
	for (size_t i = 0; ipft_backends[i]; i++) {
		const struct ipft_backend *b = ipft_backends[i];
		if (b->probes == IPFT_PROBE_FUNCTION && b->returns == function_graph &&
		    b->available(why, len) == 0)
			return b;
	}
	return NULL;
}

int ipft_plan_choose(struct ipft_attach_plan *pl, const char *backend, bool function_graph,
		     bool verbose, char *err, size_t errlen)
{
	const struct ipft_backend *b, **fn = &pl->part[IPFT_PLAN_FUNCTIONS].backend;
	char why[256] = "";

	pl->verbose = verbose;
	pl->part[IPFT_PLAN_TRACEPOINTS].backend = ipft_backend_find("tracepoint");
	if (strcmp(backend, "auto") == 0) {
		*fn = best_function_backend(function_graph, why, sizeof(why));
		/* A graph without functions is no graph: say why, stop. */
		if (!*fn && function_graph) {
			snprintf(err, errlen, "-t function_graph: %s", why);
			return -1;
		}
		if (!*fn && verbose)
			fprintf(stderr, "ipft: functions left out: %s\n", why);
		return 0;
	}
	b = ipft_backend_find(backend); /* the name was checked by the CLI */
	if (b->available(why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (b->probes == IPFT_PROBE_FUNCTION)
		*fn = b;
	return 0;
}

bool ipft_plan_has_functions(const struct ipft_attach_plan *pl)
{
	return pl->part[IPFT_PLAN_FUNCTIONS].backend != NULL;
}

/* The part whose backend attaches p, or NULL. */
static struct ipft_attachment *part_for(struct ipft_attach_plan *pl, const struct ipft_probe *p)
{
	for (int u = 0; u < IPFT_PLAN_PARTS; u++)
		if (pl->part[u].backend && (p->backends & pl->part[u].backend->id))
			return &pl->part[u];
	return NULL;
}

static void name_backends(struct ipft_attach_plan *pl)
{
	size_t len = 0;

	pl->backend_name[0] = 0;
	for (int u = 0; u < IPFT_PLAN_PARTS; u++) {
		const struct ipft_attachment *part = &pl->part[u];
		if (!part->n)
			continue;
		len += (size_t)snprintf(pl->backend_name + len, sizeof(pl->backend_name) - len,
					"%s%s", len ? "+" : "", part->backend->name);
		pl->n_probes += part->n;
	}
}

int ipft_plan_assign(struct ipft_attach_plan *pl, struct ipft_probe_set *set,
		     char *err, size_t errlen)
{
	for (int u = 0; u < IPFT_PLAN_PARTS; u++) {
		pl->part[u].probes = calloc(set->n ? set->n : 1, sizeof(*pl->part[u].probes));
		if (!pl->part[u].probes) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	for (size_t i = 0; i < set->n; i++) {
		struct ipft_attachment *part = part_for(pl, &set->v[i]);
		if (part)
			part->probes[part->n++] = &set->v[i];
	}
	name_backends(pl);
	if (!pl->n_probes) {
		snprintf(err, errlen, "none of the selected attach points can be used here "
			 "(ipft -l lists which backend can use each)");
		return -1;
	}
	if (pl->verbose)
		fprintf(stderr, "ipft: backend %s, %zu attach points\n", pl->backend_name,
			pl->n_probes);
	return 0;
}

/* Whether to say how long attaching and detaching took. */
static bool slow(const struct ipft_attach_plan *pl)
{
	return pl->verbose || pl->part[IPFT_PLAN_FUNCTIONS].n > IPFT_PLAN_SLOW_FUNCTIONS;
}

/* A line redrawn on a terminal; in a log (-v) only the total. */
static void attach_progress(size_t done, size_t total, void *arg)
{
	(void)arg;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\ripft: attaching %zu/%zu%s", done, total, done == total ? "\n" : "");
	else if (done == total)
		fprintf(stderr, "ipft: attaching: %zu/%zu done\n", done, total);
}

/* -v: what verifying the clones took (the larger part of the start). */
static void report_clones(void)
{
	struct ipft_clone_stats st;

	ipft_clone_stats(&st);
	fprintf(stderr, "ipft: %lu programs loaded", st.clones);
	if (st.verified)
		fprintf(stderr, ", %llu instructions verified", st.verified);
	if (st.refused)
		fprintf(stderr, ", %lu verified whole (the kernel refused their function records)",
			st.refused);
	fputc('\n', stderr);
}

/* One part's attach, on a thread of its own. */
struct part_job {
	pthread_t thread;
	bool started;
	struct ipft_attach_ctx ctx;
	struct ipft_attachment *part;
	int rc;
	char err[512];
};

static void *part_attach(void *arg)
{
	struct part_job *j = arg;

	j->rc = j->part->backend->attach(&j->ctx, j->part, j->err, sizeof(j->err));
	return NULL;
}

/* The parts attach at the same time: each verifies its own programs
 * (the tracepoints' and the functions' are most of the start, a second
 * under emulation), and one's verifying overlaps the other's attaching.
 * Progress is the largest part's (function backends take seconds to
 * minutes: shown on a terminal). */
static int attach_parts(struct ipft_attach_plan *pl, const struct ipft_attach_ctx *ctx,
			char *err, size_t errlen)
{
	struct part_job job[IPFT_PLAN_PARTS] = { 0 };
	int largest = IPFT_PLAN_FUNCTIONS, rc = 0;

	if (pl->part[IPFT_PLAN_TRACEPOINTS].n > pl->part[IPFT_PLAN_FUNCTIONS].n)
		largest = IPFT_PLAN_TRACEPOINTS;
	for (int u = IPFT_PLAN_PARTS - 1; u >= 0; u--) {
		struct part_job *j = &job[u];

		if (!pl->part[u].n)
			continue;
		j->part = &pl->part[u];
		j->ctx = *ctx;
		if (u == largest && (pl->verbose || isatty(STDERR_FILENO)))
			j->ctx.progress = attach_progress;
		/* The first part runs here, the others on threads. */
		j->started = u > 0 && pthread_create(&j->thread, NULL, part_attach, j) == 0;
		if (!j->started)
			part_attach(j);
	}
	for (int u = 0; u < IPFT_PLAN_PARTS; u++) {
		if (job[u].started)
			pthread_join(job[u].thread, NULL);
		if (job[u].part && job[u].rc < 0 && rc == 0) {
			snprintf(err, errlen, "%s", job[u].err);
			rc = -1;
		}
		pl->attached += pl->part[u].attached;
	}
	return rc;
}

int ipft_plan_attach(struct ipft_attach_plan *pl, struct ipft_bpf *bpf,
		     const struct ipft_kallsyms *ksyms, char *err, size_t errlen)
{
	struct ipft_attach_ctx ctx = { .bpf = bpf, .ksyms = ksyms, .verbose = pl->verbose };
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (attach_parts(pl, &ctx, err, errlen) < 0)
		return -1;
	if (slow(pl) || pl->attached < pl->n_probes)
		fprintf(stderr, "ipft: attached to %zu of %zu attach points in %.1f s%s\n",
			pl->attached, pl->n_probes, seconds_since(&t0),
			pl->attached < pl->n_probes && !pl->verbose ? " (-v says why)" : "");
	if (pl->verbose)
		report_clones();
	return 0;
}

void ipft_plan_detach(struct ipft_attach_plan *pl)
{
	struct timespec t0;

	bool say = slow(pl) && pl->attached;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (say)
		fprintf(stderr, "ipft: detaching from %zu attach points\n", pl->attached);
	for (int u = 0; u < IPFT_PLAN_PARTS; u++)
		if (pl->part[u].n)
			pl->part[u].backend->detach(&pl->part[u]);
	if (say)
		fprintf(stderr, "ipft: detached in %.1f s\n", seconds_since(&t0));
}

size_t ipft_plan_attached_names(const struct ipft_attach_plan *pl, const char **names)
{
	size_t n = 0;

	for (int u = 0; u < IPFT_PLAN_PARTS; u++)
		for (size_t i = 0; i < pl->part[u].n; i++) {
			char buf[256];
			if (pl->part[u].probes[i]->link_fd >= 0)
				names[n++] = strdup(ipft_probe_display_name(pl->part[u].probes[i],
									    buf, sizeof(buf)));
		}
	return n;
}

void ipft_plan_free(struct ipft_attach_plan *pl)
{
	for (int u = 0; u < IPFT_PLAN_PARTS; u++) {
		free(pl->part[u].probes);
		pl->part[u].probes = NULL;
		pl->part[u].n = 0;
	}
}
