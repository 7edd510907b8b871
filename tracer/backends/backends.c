/* backends.c - the table of backends, best first. */
#include "tracer/backends/backend.h"

#include <string.h>

extern const struct ipft_backend ipft_backend_tracepoint;
extern const struct ipft_backend ipft_backend_kprobe_multi;
extern const struct ipft_backend ipft_backend_kprobe;
extern const struct ipft_backend ipft_backend_fentry;

/* Tracepoints have one backend; functions take the first available of
 * the others that fits the tracer: function (entries) or function_graph
 * (entries and returns) (tracer/main.c, choose_backends). */
const struct ipft_backend *const ipft_backends[] = {
	&ipft_backend_tracepoint,
	&ipft_backend_kprobe_multi,
	&ipft_backend_kprobe,
	&ipft_backend_fentry,
	NULL,
};

const struct ipft_backend *ipft_backend_find(const char *name)
{
	for (size_t i = 0; ipft_backends[i]; i++)
		if (strcmp(ipft_backends[i]->name, name) == 0)
			return ipft_backends[i];
	return NULL;
}

void ipft_backends_mark_probes(struct ipft_probe_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		set->v[i].backends = 0;
		for (size_t b = 0; ipft_backends[b]; b++)
			if (ipft_backends[b]->can_attach(&set->v[i]))
				set->v[i].backends |= ipft_backends[b]->id;
	}
}
