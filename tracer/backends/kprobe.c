/* kprobe.c - one kprobe per function.
 *
 * Works wherever the kernel has kprobes (every Debian kernel but this
 * development VM's).  Each function gets its own perf-event kprobe and a
 * BPF link carrying its cookie (probe id, roles, skb position); one
 * program serves them all.  Attaching costs milliseconds per function and
 * detaching waits for an RCU grace period per kprobe: both run on several
 * threads (tracer/backends/parallel.c), whose waits overlap (the kernel registers
 * kprobes one at a time under a lock; perf events and links in parallel).
 * A progress line is shown.  A kernel without attach cookies and BPF
 * links for perf events (before 5.15) has each program set on the perf
 * events by ioctl, and finds a function's probe id in a map by the
 * function's address (kallsyms): the kprobe's address, in its registers.
 * The functions that make skbs get a kretprobe too, whose program knows
 * its role without a cookie (bpf/backends/kprobe_common.bpf.h).
 */
#include "tracer/backends/kprobe_common.h"
#include "tracer/backends/bpf_object.h"
#include "tracer/backends/func_addr.h"
#include "tracer/backends/parallel.h"
#include "tracer/kernel/features.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>

#define THREADS 16

/* Its templates, every function's entry (the skb's position in the
 * cookie or the map of idents) and the makers' return
 * (bpf/backends/kprobe.bpf.h). */
static const struct ipft_template templates[] = {
	{ .prog = "ipft_kp_skb", .cast_prog = "ipft_kp_skb_cast" },
	{ .prog = "ipft_kp_ret", .variant = IPFT_KPROBE_RETURN },
};
#define N_TEMPLATES (sizeof(templates) / sizeof(templates[0]))

static int kp_available(char *why, size_t len)
{
	return ipft_kprobe_available(why, len);
}

static bool kp_can_attach(const struct ipft_probe *p)
{
	return p->type == IPFT_PROBE_FUNCTION && p->skb_arg >= 0 &&
	       p->skb_arg < IPFT_REG_ARGS;
}

/* A kprobe on func as a perf event; on its return with retprobe_bit >= 0. */
static int kprobe_event(int pmu, const char *func, int retprobe_bit)
{
	struct perf_event_attr attr = {
		.type = (uint32_t)pmu,
		.size = sizeof(attr),
		.config = retprobe_bit >= 0 ? 1ULL << retprobe_bit : 0,
		.config1 = (uint64_t)(uintptr_t)func,
		.config2 = 0,
	};

	return (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
}

/* A kprobe on func, then a BPF link with the cookie; without cookies, the
 * program set on the event, which is the link (closing it detaches). */
static int attach_one(int prog_fd, int pmu, const char *func, uint64_t cookie, bool cookies,
		      int retprobe_bit)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo, .perf_event.bpf_cookie = cookie);
	int pfd = kprobe_event(pmu, func, retprobe_bit), link, e;

	if (pfd < 0)
		return -1;
	if (!cookies) {
		if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog_fd) == 0 &&
		    ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0) == 0)
			return pfd;
		link = -1;
	} else {
		link = bpf_link_create(prog_fd, pfd, BPF_PERF_EVENT, &lo);
	}
	e = errno;
	close(pfd); /* the link keeps the event */
	errno = e;
	return link;
}

struct kp_work {
	const struct ipft_attach_ctx *ctx;
	struct ipft_probe **probes;
	const struct ipft_kprobe_state *st;
	bool cookies;          /* else the functions' idents by address */
	int pmu;
	atomic_size_t attached;
	struct ipft_skipped skipped;
};

static void attach_job(size_t i, void *arg)
{
	struct kp_work *w = arg;
	struct ipft_probe *p = w->probes[i];
	char why[256];

	p->prog_fd = -1;
	if (!w->cookies && !p->addr) {
		snprintf(why, sizeof(why), "function %s: no address in /proc/kallsyms to know "
			 "it by (this kernel has no kprobe attach cookies)", p->name);
		goto skip;
	}
	p->link_fd = attach_one(w->st->prog_fd, w->pmu, p->name,
				ipft_kprobe_cookie(p), w->cookies, -1);
	if (p->link_fd >= 0) {
		atomic_fetch_add(&w->attached, 1);
		return;
	}
	snprintf(why, sizeof(why), "function %s: kprobe failed: %s", p->name, strerror(errno));
skip:
	ipft_skipped_note(&w->skipped, w->ctx->verbose, why);
}

/* Without attach cookies: each function's ident under its address. */
static int idents_by_address(const struct ipft_attach_ctx *ctx, struct ipft_attachment *a,
			     char *err, size_t errlen)
{
	int fd = ipft_bpf_kprobe_idents_fd(ctx->bpf);

	if (ipft_func_addrs(ctx->ksyms, a->probes, a->n) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < a->n; i++) {
		uint64_t ident = ipft_kprobe_cookie(a->probes[i]);
		if (a->probes[i]->addr &&
		    bpf_map_update_elem(fd, &a->probes[i]->addr, &ident, BPF_ANY) < 0) {
			snprintf(err, errlen, "cannot fill the map of kprobe addresses: %s",
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* A return probe on each function that makes skbs (a few: not in
 * parallel); one that fails is told, its entry probe stays. */
static void attach_returns(const struct ipft_attach_ctx *ctx, struct ipft_attachment *a,
			   struct ipft_kprobe_state *st, bool cookies, int pmu)
{
	int bit = ipft_kprobe_retprobe_bit();

	for (size_t i = 0; i < a->n; i++) {
		const struct ipft_probe *p = a->probes[i];
		int r = ipft_kprobe_return_role(p), fd;

		if (r < 0 || p->link_fd < 0 || st->n_ret_links == IPFT_KPROBE_RETURN_LINKS)
			continue;
		fd = bit < 0 ? (errno = ENOTSUP, -1) :
			       attach_one(st->ret_prog_fd[r], pmu, p->name, 0, cookies, bit);
		if (fd >= 0)
			st->ret_link_fd[st->n_ret_links++] = fd;
		else if (ctx->verbose)
			fprintf(stderr, "ipft: skipped the return probe of %s: %s (what it makes "
				"is not linked)\n", p->name, strerror(errno));
	}
}

/* A link per function, kept in its probe; the programs in the state. */
static int kp_attach(const struct ipft_attach_ctx *ctx, struct ipft_attachment *a, char *err,
		     size_t errlen)
{
	struct ipft_kprobe_state *st = ipft_kprobe_state_new();
	struct kp_work w = { .ctx = ctx, .probes = a->probes, .st = st,
			     .cookies = ipft_kernel_features()->kprobe_cookie,
			     .pmu = ipft_kprobe_pmu_type() };

	a->attached = 0;
	a->state = st;
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((!w.cookies && idents_by_address(ctx, a, err, errlen) < 0) ||
	    ipft_kprobe_load(ctx, a, false, st, err, errlen) < 0)
		return -1;
	ipft_skipped_init(&w.skipped);
	ipft_parallel_for(a->n, THREADS, attach_job, &w, ctx->progress, ctx->progress_arg);
	ipft_skipped_destroy(&w.skipped);
	a->attached = atomic_load(&w.attached);
	if (a->attached == 0 && a->n) {
		snprintf(err, errlen, "no function could be attached (last error: %s)",
			 w.skipped.why);
		return -1;
	}
	attach_returns(ctx, a, st, w.cookies, w.pmu);
	return 0;
}

static void detach_job(size_t i, void *arg)
{
	struct ipft_probe *p = ((struct ipft_probe **)arg)[i];

	if (p->link_fd >= 0)
		close(p->link_fd);
	p->link_fd = p->prog_fd = -1;
}

static void kp_detach(struct ipft_attachment *a)
{
	ipft_parallel_for(a->n, THREADS, detach_job, a->probes, NULL, NULL);
	ipft_kprobe_state_free(a->state);
	a->state = NULL;
}

const struct ipft_backend ipft_backend_kprobe = {
	.name = "kprobe",
	.id = IPFT_BACKEND_KPROBE,
	.probes = IPFT_PROBE_FUNCTION,
	.available = kp_available,
	.can_attach = kp_can_attach,
	.templates = templates,
	.n_templates = N_TEMPLATES,
	.attach = kp_attach,
	.detach = kp_detach,
};
