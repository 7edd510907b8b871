/* fentry.c - fentry and fexit per function: -t function_graph.
 *
 * Each function gets two programs, an entry (fentry) and a return (fexit),
 * cloned from the templates for its skb position with the function as the
 * attach target: the kernel verifies each one and builds the function a
 * BPF trampoline.  So attaching costs a verification and a trampoline per
 * program; it runs on several threads (the verifications overlap, the
 * kernel serialises the text patching) with a progress line.  Detaching
 * tears the trampolines down, also on several threads (tracer/backends/parallel.c).  A function whose
 * entry or return cannot be attached is left out whole: an entry without
 * its return would leave the call depth wrong.  The free functions that
 * name their caller as the drop location get only an entry (their
 * caller would be the trampoline): tracer/probes/function_role.c.
 */
#include "tracer/backends/backend.h"
#include "tracer/backends/bpf_object.h"
#include "tracer/backends/func_addr.h"
#include "tracer/backends/parallel.h"
#include "tracer/kernel/features.h"
#include "tracer/kernel/vmlinux_btf.h"

#include <linux/types.h>
#include "bpf/ipft_event.h"

#include <bpf/btf.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define THREADS 8
#define ENOTSUPP_KERNEL 524 /* the kernel's internal ENOTSUPP, leaked to user space */

/* Which way a template traces the function. */
enum fe_direction { FE_ENTRY, FE_RETURN, FE_DIRECTIONS };

/* Its templates: an entry (fentry) and a return (fexit) per skb position
 * (bpf/backends/fentry.bpf.h), each verified against a function that fits
 * it, then cloned for the others. */
#define TEMPLATES(n)                                      \
	{ "ipft_fe_skb" #n, n, FE_ENTRY, true, NULL },    \
	{ "ipft_fx_skb" #n, n, FE_RETURN, true, NULL }
static const struct ipft_template templates[] = {
	TEMPLATES(0), TEMPLATES(1), TEMPLATES(2), TEMPLATES(3), TEMPLATES(4), TEMPLATES(5),
};
#define N_TEMPLATES (sizeof(templates) / sizeof(templates[0]))
_Static_assert(N_TEMPLATES == FE_DIRECTIONS * IPFT_REG_ARGS,
	       "an entry and a return per register argument");

/* A vmlinux function (the loader checks that) whose prototype any
 * trampoline takes, with its skb where t reads it. */
static bool fe_fits(const struct ipft_template *t, const struct ipft_probe *p)
{
	return p->type == IPFT_PROBE_FUNCTION && p->skb_arg == t->skb_arg && p->plain_proto;
}

/* Whether the kernel attaches an fentry program: a real one, on a
 * function every kernel has. */
static int fe_available(char *why, size_t len)
{
	static const struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct btf *btf = ipft_vmlinux_btf_get();
	int id = btf ? btf__find_by_name_kind(btf, "kfree_skbmem", BTF_KIND_FUNC) : -1;
	int fd, link, e;

	ipft_vmlinux_btf_put(btf);
	if (id <= 0) {
		snprintf(why, len, "fentry needs kfree_skbmem in the kernel's BTF; it is not there");
		return -1;
	}
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = (uint32_t)id);
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "ipft_probe", "GPL", ret0, 2, &lo);
	if (fd < 0) {
		e = errno;
		snprintf(why, len, "this kernel refuses fentry programs (loading one: %s), so "
			 "function returns cannot be traced here; use -t function or -b tracepoint",
			 strerror(e));
		return -1;
	}
	link = bpf_raw_tracepoint_open(NULL, fd);
	e = errno;
	close(fd);
	if (link < 0) {
		snprintf(why, len, "this kernel refuses to attach fentry programs (%s: no BPF "
			 "trampolines here), so function returns cannot be traced here; use -t "
			 "function or -b tracepoint", strerror(e));
		return -1;
	}
	close(link);
	return 0;
}

/* A module's function (category: the module) needs its module's BTF fd. */
static bool fe_can_attach(const struct ipft_probe *p)
{
	return p->type == IPFT_PROBE_FUNCTION && p->skb_arg >= 0 && p->skb_arg < IPFT_REG_ARGS &&
	       (!p->category || p->btf_obj_fd > 0);
}

struct fe_work {
	const struct ipft_attach_ctx *ctx;
	struct ipft_probe **probes;
	const struct bpf_program *tmpl[FE_DIRECTIONS][IPFT_REG_ARGS];
	atomic_size_t attached;
	struct ipft_skipped skipped;
};

static void close_probe(struct ipft_probe *p)
{
	int *fds[] = { &p->link_fd, &p->ret_link_fd, &p->prog_fd, &p->ret_prog_fd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

static const char *const direction_name[FE_DIRECTIONS] = {
	[FE_ENTRY] = "fentry", [FE_RETURN] = "fexit",
};

/* Loads p's program of direction d into *prog and attaches it (*link);
 * 0, or -1 with why. */
static int attach_direction(struct fe_work *w, struct ipft_probe *p, enum fe_direction d,
			    uint32_t role, int *prog, int *link, char *why, size_t len)
{
	static const enum bpf_attach_type type[FE_DIRECTIONS] = {
		[FE_ENTRY] = BPF_TRACE_FENTRY, [FE_RETURN] = BPF_TRACE_FEXIT,
	};
	struct ipft_clone_opts opts = {
		.type = BPF_PROG_TYPE_TRACING,
		.expected_attach_type = type[d],
		.attach_btf_id = p->btf_id,
		.attach_btf_obj_fd = p->btf_obj_fd,
		.role = role,
		.func_addr = p->addr,
		.nargs = p->nargs,
		.returns_void = p->returns_void,
	};
	const struct bpf_program *tmpl = w->tmpl[d][p->skb_arg];
	char e[192];
	int err;

	if (!tmpl || !bpf_program__insn_cnt(tmpl)) {
		snprintf(why, len, "function %s: no %s template for an skb in argument %d "
			 "(no function there to verify it against)", p->name, direction_name[d],
			 p->skb_arg + 1);
		return -1;
	}
	*prog = ipft_prog_clone(w->ctx->bpf, tmpl, p->id, &opts, e, sizeof(e));
	if (*prog < 0) {
		snprintf(why, len, "function %s: %s", p->name, e);
		return -1;
	}
	*link = bpf_raw_tracepoint_open(NULL, *prog);
	if (*link < 0) {
		err = errno;
		snprintf(why, len, "function %s: %s failed: %s", p->name, direction_name[d],
			 err == ENOTSUPP_KERNEL ?
			 "the kernel cannot build a trampoline for it (ENOTSUPP)" : strerror(err));
		return -1;
	}
	/* The link holds the program: one descriptor per direction. */
	close(*prog);
	*prog = -1;
	return 0;
}

/* Loads and attaches p's entry and return (or only its entry, for the
 * functions that name their caller); 0, or -1 with why. */
static int attach_probe(struct fe_work *w, struct ipft_probe *p, char *why, size_t len)
{
	uint32_t role = ipft_function_role(p->name);

	if (attach_direction(w, p, FE_ENTRY, role, &p->prog_fd, &p->link_fd, why, len) < 0 ||
	    (!(role & IPFT_ROLE_ENTRY_ONLY) &&
	     attach_direction(w, p, FE_RETURN, role, &p->ret_prog_fd, &p->ret_link_fd, why,
			      len) < 0)) {
		close_probe(p);
		return -1;
	}
	return 0;
}

static void attach_job(size_t i, void *arg)
{
	struct fe_work *w = arg;
	char why[256];

	if (attach_probe(w, w->probes[i], why, sizeof(why)) == 0) {
		atomic_fetch_add(&w->attached, 1);
		return;
	}
	ipft_skipped_note(&w->skipped, w->ctx->verbose, why);
}

/* Each function's programs and links are kept in its probe. */
static int fe_attach(const struct ipft_attach_ctx *ctx, struct ipft_attachment *a, char *err,
		     size_t errlen)
{
	struct fe_work w = { .ctx = ctx, .probes = a->probes };

	if (!ipft_kernel_features()->tracing_func_ip &&
	    ipft_func_addrs(ctx->ksyms, a->probes, a->n) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ipft_skipped_init(&w.skipped);
	for (int pos = 0; pos < IPFT_REG_ARGS; pos++)
		for (unsigned d = FE_ENTRY; d < FE_DIRECTIONS; d++)
			w.tmpl[d][pos] = ipft_bpf_program(
				ctx->bpf, ipft_template_find(templates, N_TEMPLATES, d, pos, true));
	ipft_parallel_for(a->n, THREADS, attach_job, &w, ctx->progress, ctx->progress_arg);
	ipft_skipped_destroy(&w.skipped);
	a->attached = atomic_load(&w.attached);
	if (a->attached == 0 && a->n) {
		snprintf(err, errlen, "no function could be attached (last error: %s)",
			 w.skipped.why);
		return -1;
	}
	return 0;
}

static void detach_job(size_t i, void *arg)
{
	close_probe(((struct ipft_probe **)arg)[i]);
}

/* Each trampoline goes away after a grace period: overlap the waits. */
static void fe_detach(struct ipft_attachment *a)
{
	ipft_parallel_for(a->n, THREADS, detach_job, a->probes, NULL, NULL);
}

const struct ipft_backend ipft_backend_fentry = {
	.name = "fentry",
	.id = IPFT_BACKEND_FENTRY,
	.probes = IPFT_PROBE_FUNCTION,
	.returns = true,
	.available = fe_available,
	.can_attach = fe_can_attach,
	.templates = templates,
	.n_templates = N_TEMPLATES,
	.fits = fe_fits,
	.attach = fe_attach,
	.detach = fe_detach,
};
