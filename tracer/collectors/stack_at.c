/* stack_at.c - --stack-at: the attach points whose every hit records a
 * kernel stack (the stack collector's stack_at map, stack.bpf.h), by
 * probe id, filled before anything attaches (collectors.h). */
#include "tracer/collectors/collectors.h"
#include "tracer/collectors/stack_rec.h"
#include "tracer/backends/backend.h"
#include "tracer/probes/probe.h"
#include "tracer/probes/select.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

/* As -r: the name, or system:name. */
static bool matches(const regex_t *re, const struct ipft_probe *p)
{
	char name[160];

	return regexec(re, p->name, 0, NULL, 0) == 0 ||
	       regexec(re, ipft_probe_display_name(p, name, sizeof(name)), 0, NULL, 0) == 0;
}

int ipft_collect_stack_at(struct bpf_object *obj, const char *regex,
			  const struct ipft_attachment *parts, size_t n_parts, char *err,
			  size_t errlen)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "stack_at");
	const __u8 on = 1;
	regex_t re;
	int rc = 0;

	if (!regex)
		return 0;
	if (!map || regcomp(&re, regex, REG_EXTENDED | REG_NOSUB)) {
		snprintf(err, errlen, "--stack-at: %s", map ? "not a regular expression" :
			 "the BPF object has no stack_at map");
		return -1;
	}
	for (size_t u = 0; u < n_parts && !rc; u++) {
		for (size_t i = 0; i < parts[u].n && !rc; i++) {
			const struct ipft_probe *p = parts[u].probes[i];
			__u32 id = p->id;
			if (id >= IPFT_STACK_AT_MAX || !matches(&re, p))
				continue;
			if (bpf_map_update_elem(bpf_map__fd(map), &id, &on, BPF_ANY) < 0) {
				snprintf(err, errlen, "--stack-at: cannot mark %s: %s", p->name,
					 strerror(errno));
				rc = -1;
			}
		}
	}
	regfree(&re);
	return rc;
}
