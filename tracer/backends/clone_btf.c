/* clone_btf.c - the function records a clone is loaded with.
 *
 * A clone is loaded from its template's instructions without the BTF
 * records libbpf gave the template, and then the kernel takes every
 * subprogram for a static one, verified again on each path that calls it.
 * The header key, the header capture and a derived skb's start
 * (ipft_key_compute(), bpf/hdr_key.bpf.h; ipft_send_capture(),
 * bpf/skb_event.bpf.h; ipft_derive_one(), bpf/derive.bpf.h) are global
 * functions so that they are verified once: the clones name them in their
 * function records, found by the marker each starts with.  The records
 * need a BTF function for each subprogram; the others (pcap-filter stubs
 * and translations, an extension's module) get a static one's, which
 * tells the kernel nothing but "static".
 */
#include "tracer/backends/clone_btf.h"
#include "tracer/backends/bpf_object.h"

#include "bpf/ipft_shared.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <stdlib.h>

/* How far into a global function its marker is (clang may put moves of
 * its arguments and stores first). */
#define MARKER_WITHIN 8

static const struct global_func {
	const char *name;
	uint64_t mark;
} globals[] = {
	{ "ipft_key_compute", IPFT_MARK_KEY_FUNC },
	{ "ipft_send_capture", IPFT_MARK_CAPTURE_FUNC },
	{ "ipft_derive_one", IPFT_MARK_DERIVE_FUNC },
};
#define N_GLOBALS (sizeof(globals) / sizeof(globals[0]))

static bool is_pseudo_call(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL;
}

/* Which global function starts at insns[at]; N_GLOBALS: none. */
static size_t global_at(const struct bpf_insn *insns, size_t n, size_t at)
{
	for (size_t i = at; i + 1 < n && i < at + MARKER_WITHIN; i++)
		for (size_t g = 0; g < N_GLOBALS; g++)
			if (ipft_is_marker(&insns[i], globals[g].mark))
				return g;
	return N_GLOBALS;
}

static int by_offset(const void *a, const void *b)
{
	const struct bpf_func_info *x = a, *y = b;

	return (x->insn_off > y->insn_off) - (x->insn_off < y->insn_off);
}

/* Whether the record of a subprogram at off is already in f[0..n). */
static bool recorded(const struct bpf_func_info *f, size_t n, uint32_t off)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].insn_off == off)
			return true;
	return false;
}

int ipft_clone_func_info(const struct bpf_object *obj, const struct bpf_program *tmpl,
			 const struct bpf_insn *insns, size_t n, struct ipft_clone_btf *out)
{
	struct btf *btf = bpf_object__btf(obj);
	int main_id, static_id, global_id[N_GLOBALS];
	bool has_global = false;
	size_t cnt = 1;

	out->btf_fd = -1;
	out->func_info = NULL;
	out->cnt = 0;
	if (!btf || btf__fd(btf) < 0)
		return 0;
	main_id = btf__find_by_name_kind(btf, bpf_program__name(tmpl), BTF_KIND_FUNC);
	static_id = btf__find_by_name_kind(btf, "ipft_pcap_info", BTF_KIND_FUNC);
	if (main_id <= 0 || static_id <= 0)
		return 0;
	for (size_t g = 0; g < N_GLOBALS; g++)
		if ((global_id[g] = btf__find_by_name_kind(btf, globals[g].name, BTF_KIND_FUNC)) <= 0)
			return 0;
	out->func_info = calloc(n + 1, sizeof(*out->func_info));
	if (!out->func_info)
		return -1;
	out->func_info[0] = (struct bpf_func_info){ .insn_off = 0, .type_id = (uint32_t)main_id };
	for (size_t i = 0; i < n; i++) {
		int64_t target = (int64_t)i + 1 + insns[i].imm;

		if (!is_pseudo_call(&insns[i]))
			continue;
		if (target <= 0 || (size_t)target >= n) /* the kernel says why */
			break;
		if (recorded(out->func_info, cnt, (uint32_t)target))
			continue;
		size_t g = global_at(insns, n, (size_t)target);
		has_global |= g < N_GLOBALS;
		out->func_info[cnt++] = (struct bpf_func_info){
			.insn_off = (uint32_t)target,
			.type_id = (uint32_t)(g < N_GLOBALS ? global_id[g] : static_id),
		};
	}
	if (!has_global) { /* nothing to gain: load as before */
		ipft_clone_btf_free(out);
		return 0;
	}
	qsort(out->func_info, cnt, sizeof(*out->func_info), by_offset);
	out->cnt = cnt;
	out->btf_fd = btf__fd(btf);
	return 0;
}

void ipft_clone_btf_free(struct ipft_clone_btf *c)
{
	free(c->func_info);
	c->func_info = NULL;
	c->cnt = 0;
	c->btf_fd = -1;
}
