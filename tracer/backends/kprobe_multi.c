/* kprobe_multi.c - every function through one fprobe link per
 * skb argument position (at most six links).
 *
 * The kernel attaches and detaches the whole set at once (fprobe, since
 * 5.18, CONFIG_FPROBE), in a fraction of a second for a thousand
 * functions; each function's cookie is its probe id.  The functions that
 * make skbs get a return link too, one per kind of maker (at most four).
 */
#include "tracer/backends/kprobe_common.h"
#include "tracer/backends/bpf_object.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

/* Its templates, one per skb position, and the makers' return
 * (bpf/backends/kprobe_multi.bpf.h). */
#define TEMPLATE(n) { .prog = "ipft_kpm_skb" #n, .skb_arg = n }
static const struct ipft_template templates[] = {
	TEMPLATE(0), TEMPLATE(1), TEMPLATE(2), TEMPLATE(3), TEMPLATE(4), TEMPLATE(5),
	{ .prog = "ipft_kpm_ret", .variant = IPFT_KPROBE_RETURN },
};
_Static_assert(sizeof(templates) / sizeof(templates[0]) == IPFT_REG_ARGS + 1,
	       "a template per register argument, a return");

/* Whether a kprobe-multi link can be made: load the smallest program and
 * link it to one function every kernel has. */
static int kpm_available(char *why, size_t len)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, po, .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
	const char *sym = "kfree_skbmem";
	LIBBPF_OPTS(bpf_link_create_opts, lo, .kprobe_multi.syms = &sym, .kprobe_multi.cnt = 1);
	int prog, link, e;

	if (ipft_kprobe_available(why, len) < 0)
		return -1;
	prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "ipft_kpm_probe", "GPL", insns, 2, &po);
	if (prog < 0) {
		snprintf(why, len, "kprobe-multi needs Linux 5.18 or later (the kernel refused a "
			 "kprobe-multi program: %s); use -b kprobe", strerror(errno));
		return -1;
	}
	link = bpf_link_create(prog, 0, BPF_TRACE_KPROBE_MULTI, &lo);
	e = errno;
	close(prog);
	if (link < 0) {
		if (e == EOPNOTSUPP)
			snprintf(why, len, "kprobe-multi needs CONFIG_FPROBE; this kernel lacks it; "
				 "use -b kprobe");
		else if (e == EINVAL) /* a link type the kernel does not know */
			snprintf(why, len, "kprobe-multi needs Linux 5.18 or later (the kernel "
				 "refused a kprobe-multi link: %s); use -b kprobe", strerror(e));
		else
			snprintf(why, len, "kprobe-multi does not work here (%s); use -b kprobe",
				 strerror(e));
		return -1;
	}
	close(link);
	return 0;
}

static bool kpm_can_attach(const struct ipft_probe *p)
{
	return p->type == IPFT_PROBE_FUNCTION && p->skb_arg >= 0 &&
	       p->skb_arg < IPFT_REG_ARGS;
}

/* One link for every function with its skb at pos (none if there is no
 * such function), with each function's cookie; 0 or -1 with err. */
static int link_position(struct ipft_attachment *a, struct ipft_kprobe_state *st, int pos,
			 const char **syms, __u64 *cookies, char *err, size_t errlen)
{
	size_t k = 0;

	for (size_t i = 0; i < a->n; i++)
		if (a->probes[i]->skb_arg == pos) {
			syms[k] = a->probes[i]->name;
			cookies[k++] = ipft_kprobe_cookie(a->probes[i]);
		}
	if (!k)
		return 0;
	LIBBPF_OPTS(bpf_link_create_opts, lo, .kprobe_multi.syms = syms,
		    .kprobe_multi.cookies = cookies, .kprobe_multi.cnt = (__u32)k);
	st->link_fd[pos] = bpf_link_create(st->prog_fd[pos], 0, BPF_TRACE_KPROBE_MULTI, &lo);
	if (st->link_fd[pos] < 0) {
		snprintf(err, errlen, "kprobe-multi attach of %zu functions (skb argument %d) "
			 "failed: %s", k, pos + 1, strerror(errno));
		return -1;
	}
	/* The state owns the link; the probes' link_fd only says they are attached. */
	for (size_t i = 0; i < a->n; i++)
		if (a->probes[i]->skb_arg == pos)
			a->probes[i]->link_fd = st->link_fd[pos];
	a->attached += k;
	return 0;
}

/* One return link per maker role, on the functions of that role that
 * are attached; one that fails is told, the entries stay. */
static void link_returns(const struct ipft_attach_ctx *ctx, struct ipft_attachment *a,
			 struct ipft_kprobe_state *st, const char **syms)
{
	for (int r = 0; r < IPFT_KPROBE_RETURN_ROLES; r++) {
		size_t k = 0;
		int fd;

		for (size_t i = 0; i < a->n; i++)
			if (ipft_kprobe_return_role(a->probes[i]) == r)
				syms[k++] = a->probes[i]->name;
		if (!k || st->ret_prog_fd[r] < 0)
			continue;
		LIBBPF_OPTS(bpf_link_create_opts, lo, .kprobe_multi.syms = syms,
			    .kprobe_multi.cnt = (__u32)k,
			    .kprobe_multi.flags = BPF_F_KPROBE_MULTI_RETURN);
		fd = bpf_link_create(st->ret_prog_fd[r], 0, BPF_TRACE_KPROBE_MULTI, &lo);
		if (fd >= 0)
			st->ret_link_fd[st->n_ret_links++] = fd;
		else if (ctx->verbose)
			fprintf(stderr, "ipft: skipped the return probe of %s%s: %s (what it makes "
				"is not linked)\n", syms[0], k > 1 ? " and its kin" : "",
				strerror(errno));
	}
}

static int kpm_attach(const struct ipft_attach_ctx *ctx, struct ipft_attachment *a, char *err,
		      size_t errlen)
{
	const char **syms = calloc(a->n ? a->n : 1, sizeof(*syms));
	__u64 *cookies = calloc(a->n ? a->n : 1, sizeof(*cookies));
	struct ipft_kprobe_state *st = ipft_kprobe_state_new();
	int rc = -1;

	a->attached = 0;
	a->state = st;
	if (!syms || !cookies || !st) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (ipft_kprobe_clones(ctx, a, true, st, err, errlen) < 0 ||
	    ipft_kprobe_return_clones(ctx, a, true, st, err, errlen) < 0)
		goto out;
	for (int pos = 0; pos < IPFT_REG_ARGS; pos++) {
		size_t before = a->attached;
		if (link_position(a, st, pos, syms, cookies, err, errlen) < 0)
			goto out;
		if (ctx->progress && a->attached > before)
			ctx->progress(a->attached, a->n, ctx->progress_arg);
	}
	link_returns(ctx, a, st, syms);
	rc = 0;
out:
	free(syms);
	free(cookies);
	return rc;
}

static void kpm_detach(struct ipft_attachment *a)
{
	for (size_t i = 0; i < a->n; i++)
		a->probes[i]->link_fd = a->probes[i]->prog_fd = -1;
	ipft_kprobe_state_free(a->state);
	a->state = NULL;
}

const struct ipft_backend ipft_backend_kprobe_multi = {
	.name = "kprobe-multi",
	.id = IPFT_BACKEND_KPROBE_MULTI,
	.probes = IPFT_PROBE_FUNCTION,
	.available = kpm_available,
	.can_attach = kpm_can_attach,
	.templates = templates,
	.n_templates = sizeof(templates) / sizeof(templates[0]),
	.attach = kpm_attach,
	.detach = kpm_detach,
};
