/* kprobe_multi.c - every function through one fprobe link.
 *
 * The kernel attaches and detaches the whole set at once (fprobe, since
 * 5.18, CONFIG_FPROBE), in a fraction of a second for a thousand
 * functions; each function's cookie is its probe id, role bits and skb
 * position, so one program serves them all.  The functions that make
 * skbs get a return link too, one for all of them (their roles in the
 * cookies).  Each link is an fprobe registration, which under emulation
 * costs a large part of a second: as few as can be.
 */
#include "tracer/backends/kprobe_common.h"
#include "tracer/backends/bpf_object.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

/* Its templates, every function's entry (the skb's position in the
 * cookie) and the makers' return (bpf/backends/kprobe_multi.bpf.h). */
static const struct ipft_template templates[] = {
	{ .prog = "ipft_kpm_skb", .cast_prog = "ipft_kpm_skb_cast" },
	{ .prog = "ipft_kpm_ret", .variant = IPFT_KPROBE_RETURN },
};

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

/* One link for every function, with each function's cookie; 0 or -1
 * with err. */
static int link_entries(struct ipft_attachment *a, struct ipft_kprobe_state *st,
			const char **syms, __u64 *cookies, char *err, size_t errlen)
{
	for (size_t i = 0; i < a->n; i++) {
		syms[i] = a->probes[i]->name;
		cookies[i] = ipft_kprobe_cookie(a->probes[i]);
	}
	LIBBPF_OPTS(bpf_link_create_opts, lo, .kprobe_multi.syms = syms,
		    .kprobe_multi.cookies = cookies, .kprobe_multi.cnt = (__u32)a->n);
	st->link_fd = bpf_link_create(st->prog_fd, 0, BPF_TRACE_KPROBE_MULTI, &lo);
	if (st->link_fd < 0) {
		snprintf(err, errlen, "kprobe-multi attach of %zu functions failed: %s", a->n,
			 strerror(errno));
		return -1;
	}
	/* The state owns the link; the probes' link_fd only says they are attached. */
	for (size_t i = 0; i < a->n; i++)
		a->probes[i]->link_fd = st->link_fd;
	a->attached = a->n;
	return 0;
}

/* One return link on the functions that make skbs, each with its cookie
 * (its role); if it fails that is told, the entries stay. */
static void link_returns(const struct ipft_attach_ctx *ctx, struct ipft_attachment *a,
			 struct ipft_kprobe_state *st, const char **syms, __u64 *cookies)
{
	size_t k = 0;
	int fd;

	for (size_t i = 0; i < a->n; i++)
		if (ipft_kprobe_return_role(a->probes[i]) >= 0) {
			syms[k] = a->probes[i]->name;
			cookies[k++] = ipft_kprobe_cookie(a->probes[i]);
		}
	if (!k || st->ret_prog_fd[0] < 0)
		return;
	LIBBPF_OPTS(bpf_link_create_opts, lo, .kprobe_multi.syms = syms,
		    .kprobe_multi.cookies = cookies, .kprobe_multi.cnt = (__u32)k,
		    .kprobe_multi.flags = BPF_F_KPROBE_MULTI_RETURN);
	fd = bpf_link_create(st->ret_prog_fd[0], 0, BPF_TRACE_KPROBE_MULTI, &lo);
	if (fd >= 0)
		st->ret_link_fd[st->n_ret_links++] = fd;
	else if (ctx->verbose)
		fprintf(stderr, "ipft: skipped the return probes of %s%s: %s (what they make is "
			"not linked)\n", syms[0], k > 1 ? " and its kin" : "", strerror(errno));
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
	if (ipft_kprobe_load(ctx, a, true, st, err, errlen) < 0)
		goto out;
	if (a->n && link_entries(a, st, syms, cookies, err, errlen) < 0)
		goto out;
	if (ctx->progress && a->n)
		ctx->progress(a->attached, a->n, ctx->progress_arg);
	link_returns(ctx, a, st, syms, cookies);
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
