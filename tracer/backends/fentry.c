/* backend_fentry.c - fentry and fexit per function: -t function_graph.
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
#include "tracer/backends/parallel.h"

#include <linux/types.h>
#include "bpf/ipft_event.h"

#include <bpf/btf.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define POSITIONS IPFT_REG_ARGS /* bpf/func_progs.bpf.h: ipft_fe_skb0..5 */
#define THREADS 8
#define ENOTSUPP_KERNEL 524 /* the kernel's internal ENOTSUPP, leaked to user space */

/* Whether the kernel attaches an fentry program: a real one, on a
 * function every kernel has. */
static int fe_available(char *why, size_t len)
{
	static const struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct btf *btf = btf__load_vmlinux_btf();
	int id = btf ? btf__find_by_name_kind(btf, "kfree_skbmem", BTF_KIND_FUNC) : -1;
	int fd, link, e;

	btf__free(btf);
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
	return p->type == IPFT_PROBE_FUNCTION && p->skb_arg >= 0 && p->skb_arg < POSITIONS &&
	       (!p->category || p->btf_obj_fd > 0);
}

struct fe_work {
	const struct ipft_attach_ctx *ctx;
	struct ipft_probe **probes;
	const struct bpf_program *tmpl[2][POSITIONS]; /* [0] fentry, [1] fexit */
	atomic_size_t attached;
	pthread_mutex_t lock;  /* err */
	char err[256];
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

/* Loads and attaches p's entry and return; 0, or -1 with why. */
static int attach_probe(struct fe_work *w, struct ipft_probe *p, char *why, size_t len)
{
	static const enum bpf_attach_type type[2] = { BPF_TRACE_FENTRY, BPF_TRACE_FEXIT };
	int *prog[2] = { &p->prog_fd, &p->ret_prog_fd }, *link[2] = { &p->link_fd, &p->ret_link_fd };
	uint32_t role = ipft_function_role(p->name);

	for (int d = 0; d < ((role & IPFT_ROLE_ENTRY_ONLY) ? 1 : 2); d++) {
		struct ipft_clone_opts opts = {
			.type = BPF_PROG_TYPE_TRACING,
			.expected_attach_type = type[d],
			.attach_btf_id = p->btf_id,
			.attach_btf_obj_fd = p->btf_obj_fd,
			.role = role,
		};
		const struct bpf_program *tmpl = w->tmpl[d][p->skb_arg];
		char e[192];

		if (!tmpl || !bpf_program__insn_cnt(tmpl)) {
			snprintf(why, len, "function %s: no %s template for an skb in argument %d "
				 "(no function there to verify it against)", p->name,
				 d ? "fexit" : "fentry", p->skb_arg + 1);
			goto fail;
		}
		*prog[d] = ipft_prog_clone(w->ctx->bpf, tmpl, p->id, &opts, e, sizeof(e));
		if (*prog[d] < 0) {
			snprintf(why, len, "function %s: %s", p->name, e);
			goto fail;
		}
		*link[d] = bpf_raw_tracepoint_open(NULL, *prog[d]);
		if (*link[d] < 0) {
			int err = errno;
			snprintf(why, len, "function %s: %s failed: %s", p->name,
				 d ? "fexit" : "fentry", err == ENOTSUPP_KERNEL ?
				 "the kernel cannot build a trampoline for it (ENOTSUPP)" : strerror(err));
			goto fail;
		}
		/* The link holds the program: one descriptor per direction. */
		close(*prog[d]);
		*prog[d] = -1;
	}
	return 0;
fail:
	close_probe(p);
	return -1;
}

static void attach_job(size_t i, void *arg)
{
	struct fe_work *w = arg;
	char why[256];

	if (attach_probe(w, w->probes[i], why, sizeof(why)) == 0) {
		atomic_fetch_add(&w->attached, 1);
		return;
	}
	if (w->ctx->verbose)
		fprintf(stderr, "ipft: skipped %s\n", why);
	pthread_mutex_lock(&w->lock);
	snprintf(w->err, sizeof(w->err), "%s", why);
	pthread_mutex_unlock(&w->lock);
}

/* Each function's programs and links are kept in its probe. */
static int fe_attach(const struct ipft_attach_ctx *ctx, struct ipft_attachment *a, char *err,
		     size_t errlen)
{
	struct fe_work w = { .ctx = ctx, .probes = a->probes };

	pthread_mutex_init(&w.lock, NULL);
	for (int pos = 0; pos < POSITIONS; pos++)
		for (int d = 0; d < 2; d++) {
			char name[32];
			snprintf(name, sizeof(name), "%s%d", d ? "ipft_fx_skb" : "ipft_fe_skb", pos);
			w.tmpl[d][pos] = ipft_bpf_template(ctx->bpf, name);
		}
	ipft_parallel_for(a->n, THREADS, attach_job, &w, ctx->progress, ctx->progress_arg);
	pthread_mutex_destroy(&w.lock);
	a->attached = atomic_load(&w.attached);
	if (a->attached == 0 && a->n) {
		snprintf(err, errlen, "no function could be attached (last error: %s)", w.err);
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
	.attach = fe_attach,
	.detach = fe_detach,
};
