/* probe.c - the probe set, and the BTF questions discovery asks
 * (tracer/probes/probe.h). */
#include "tracer/probes/probe.h"

#include <bpf/btf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ipft_probe *ipft_probe_set_push(struct ipft_probe_set *set)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 64;
		struct ipft_probe *v = realloc(set->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		set->v = v;
		set->cap = cap;
	}
	struct ipft_probe *p = &set->v[set->n++];
	memset(p, 0, sizeof(*p));
	p->prog_fd = p->link_fd = p->ret_prog_fd = p->ret_link_fd = -1;
	return p;
}

void ipft_probe_set_free(struct ipft_probe_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->v[i].name);
		free(set->v[i].category);
	}
	free(set->v);
	for (size_t i = 0; i < set->n_btf_fds; i++)
		close(set->btf_fds[i]);
	free(set->btf_fds);
	memset(set, 0, sizeof(*set));
}

const struct btf_type *ipft_btf_skip_mods(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

bool ipft_btf_is_skb_ptr(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = ipft_btf_skip_mods(btf, id);

	if (!t || !btf_is_ptr(t))
		return false;
	t = ipft_btf_skip_mods(btf, t->type);
	return t && btf_is_struct(t) && strcmp(btf__name_by_offset(btf, t->name_off), "sk_buff") == 0;
}
