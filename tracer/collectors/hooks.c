/* hooks.c - the collectors' own programs (in their NAME.bpf.h): loaded
 * and attached with the object when their collector is on, detached with
 * it (collectors.h). */
#include "tracer/collectors/collectors.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct {
	uint32_t bit;
	const char *prog;
} hooks[] = {
	{ IPFT_COLLECT_TASK, "ipft_softirq_entry" },
	{ IPFT_COLLECT_TASK, "ipft_softirq_exit" },
	{ IPFT_COLLECT_TASK, "ipft_irq_entry" },
	{ IPFT_COLLECT_TASK, "ipft_irq_exit" },
};

#define N_HOOKS (sizeof(hooks) / sizeof(hooks[0]))
_Static_assert(N_HOOKS <= IPFT_COLLECT_HOOKS_MAX, "raise IPFT_COLLECT_HOOKS_MAX");

void ipft_collect_hooks_select(struct bpf_object *obj, uint32_t mask)
{
	for (size_t i = 0; i < N_HOOKS; i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(obj, hooks[i].prog);

		if (p)
			bpf_program__set_autoload(p, (mask & hooks[i].bit) != 0);
	}
}

int ipft_collect_hooks_attach(struct bpf_object *obj, uint32_t mask, struct bpf_link **links,
			      size_t *n, char *err, size_t errlen)
{
	*n = 0;
	for (size_t i = 0; i < N_HOOKS; i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(obj, hooks[i].prog);

		if (!(mask & hooks[i].bit))
			continue;
		if (!p || !(links[*n] = bpf_program__attach(p))) {
			snprintf(err, errlen, "cannot attach %s: %s", hooks[i].prog,
				 p ? strerror(errno) : "not in the BPF object");
			ipft_collect_hooks_detach(links, n);
			return -1;
		}
		(*n)++;
	}
	return 0;
}

void ipft_collect_hooks_detach(struct bpf_link **links, size_t *n)
{
	while (*n)
		bpf_link__destroy(links[--*n]);
}
