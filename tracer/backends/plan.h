/* plan.h - which backend attaches which probe in this run.
 *
 * Tracepoints always go through the tracepoint backend; kernel functions
 * through the backend -b names, or with auto the best one this kernel
 * allows for the tracer (entries only, or entries and returns for
 * -t function_graph), or none (functions left out, -v says why). */
#ifndef IPFT_BACKENDS_PLAN_H
#define IPFT_BACKENDS_PLAN_H

#include "tracer/backends/backend.h"

#include <stdbool.h>
#include <stddef.h>

/* Past this many functions attaching and detaching take seconds: ipft
 * says how long, even without -v. */
#define IPFT_PLAN_SLOW_FUNCTIONS 100

enum ipft_plan_part_id { IPFT_PLAN_TRACEPOINTS, IPFT_PLAN_FUNCTIONS, IPFT_PLAN_PARTS };

struct ipft_attach_plan {
	struct ipft_attachment part[IPFT_PLAN_PARTS]; /* backend NULL: none this run */
	char backend_name[64];   /* "tracepoint+kprobe-multi", for -v and the file */
	size_t n_probes, attached;
	bool verbose;
};

/* Picks the backends (-b NAME or auto); 0, or -1 with why in err. */
int ipft_plan_choose(struct ipft_attach_plan *pl, const char *backend, bool function_graph,
		     bool verbose, char *err, size_t errlen);
bool ipft_plan_has_functions(const struct ipft_attach_plan *pl);
/* Gives each probe of set to the first part whose backend can attach it;
 * -1 with a message when no probe can be attached here. */
int ipft_plan_assign(struct ipft_attach_plan *pl, struct ipft_probe_set *set,
		     char *err, size_t errlen);
/* Attaches every part, with progress on a terminal; 0 or -1 and err.
 * ksyms: ipft's table of /proc/kallsyms (NULL: none), for the backends
 * that look the functions' addresses up. */
int ipft_plan_attach(struct ipft_attach_plan *pl, struct ipft_bpf *bpf,
		     const struct ipft_kallsyms *ksyms, char *err, size_t errlen);
void ipft_plan_detach(struct ipft_attach_plan *pl);
/* The display names of the attached probes, malloc'ed, into names (room
 * for n_probes); returns how many. */
size_t ipft_plan_attached_names(const struct ipft_attach_plan *pl, const char **names);
void ipft_plan_free(struct ipft_attach_plan *pl);

#endif
