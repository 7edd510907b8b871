/* trigger.c - --trigger against the running kernel: a drop reason's name
 * resolved, the attach points of func= marked in the BPF object's
 * trigger_at map by probe id (the parse is trigger_parse.c). */
#include "tracer/filter/trigger.h"
#include "tracer/backends/backend.h"
#include "tracer/cli/options.h"
#include "tracer/kernel/drop_reason.h"
#include "tracer/probes/probe.h"
#include "tracer/probes/select.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

int ipft_trigger_resolve(struct ipft_trigger *t, const struct ipft_drop_reasons *reasons,
			 char *err, size_t errlen)
{
	int rc;

	if (!(t->bits & IPFT_TRIGGER_REASON))
		return 0;
	rc = ipft_drop_reason_value(reasons, t->reason_name, &t->reason);
	if (rc == 0)
		return 0;
	snprintf(err, errlen, "--trigger reason=%s: %s", t->reason_name, rc == -2 ?
		 "this kernel gives no drop reasons (5.17+ does): use drop" :
		 "not a drop reason of this kernel (enum skb_drop_reason, without "
		 "SKB_DROP_REASON_)");
	return -1;
}

int ipft_trigger_mark(struct bpf_object *obj, const struct ipft_trigger *t,
		      const struct ipft_attachment *parts, size_t n_parts, char *err,
		      size_t errlen)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "trigger_at");
	const __u8 on = 1;
	size_t marked = 0;
	regex_t re;
	int rc = 0;

	if (!(t->bits & IPFT_TRIGGER_FUNC))
		return 0;
	if (!map || regcomp(&re, t->func_regex, REG_EXTENDED | REG_NOSUB)) {
		snprintf(err, errlen, "--trigger func=: %s", map ? "not a regular expression" :
			 "the BPF object has no trigger_at map");
		return -1;
	}
	for (size_t u = 0; u < n_parts && !rc; u++) {
		for (size_t i = 0; i < parts[u].n && !rc; i++) {
			const struct ipft_probe *p = parts[u].probes[i];
			__u32 id = p->id;
			if (id >= IPFT_TRIGGER_AT_MAX || !ipft_probe_matches(&re, p))
				continue;
			if (bpf_map_update_elem(bpf_map__fd(map), &id, &on, BPF_ANY) < 0) {
				snprintf(err, errlen, "--trigger func=: cannot mark %s: %s", p->name,
					 strerror(errno));
				rc = -1;
			}
			marked++;
		}
	}
	regfree(&re);
	if (!rc && !marked) {
		snprintf(err, errlen, "--trigger func=%s: no attach point of this run matches it "
			 "(ipft -l lists them)", t->func_regex);
		rc = -1;
	}
	return rc;
}
