/* tracepoint.c - attach to tracepoints (tp_btf, else raw_tp).
 *
 * Tracepoint programs receive the tracepoint's arguments unconverted (u64
 * each) and need neither kprobes nor tracefs.  Each tracepoint gets a clone
 * of the template that reads the skb from its argument position; the free
 * tracepoints get templates that also end the packet's trace.  A tp_btf
 * clone (typed arguments: plain loads of sk_buff fields) is preferred; a
 * raw_tp clone (every read a helper call) is the fallback.
 *
 * Where raw tracepoints take attach cookies (6.10+), one raw_tp program
 * per template is loaded instead and attached to every tracepoint it
 * fits, each link with the tracepoint's ident as cookie: a handful of
 * programs to verify instead of one per tracepoint, and a hit runs one of
 * a few programs (measured faster than a typed clone each, despite the
 * untyped reads: docs/performance.md).
 */
#include "tracer/backends/backend.h"
#include "tracer/backends/bpf_object.h"
#include "tracer/backends/parallel.h"
#include "tracer/collectors/tpargs.h"
#include "tracer/kernel/features.h"

#include <linux/types.h>
#include "bpf/ipft_event.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 8 /* at most, and no more than there are CPUs: verifying is work */

static int tp_available(char *why, size_t len)
{
	(void)why;
	(void)len;
	return 0; /* raw tracepoints exist since 4.17; a load failure says more */
}

/* What a template does with the hit (bpf/backends/tracepoint.bpf.h). */
enum tp_variant {
	TP_HIT,              /* records it */
	TP_KFREE_SKB_REASON, /* skb:kfree_skb with a drop reason (5.17+): ends the trace */
	TP_KFREE_SKB,        /* skb:kfree_skb without one */
	TP_CONSUME_SKB,      /* skb:consume_skb */
	TP_SHARED = 0x10,    /* the shared (cookie) program: any of the above */
};

/* tp_btf (typed) and raw_tp templates of each variant; TP_HIT's for the
 * skb among the first four arguments. */
#define TP_PAIR(name, pos, variant)                          \
	{ "ipft_tpb_" name, pos, variant, true, NULL },      \
	{ "ipft_tp_" name, pos, variant, false, NULL }
static const struct ipft_template templates[] = {
	TP_PAIR("skb0", 0, TP_HIT),
	TP_PAIR("skb1", 1, TP_HIT),
	TP_PAIR("skb2", 2, TP_HIT),
	TP_PAIR("skb3", 3, TP_HIT),
	TP_PAIR("kfree_skb_reason", 0, TP_KFREE_SKB_REASON),
	TP_PAIR("kfree_skb", 0, TP_KFREE_SKB),
	TP_PAIR("consume_skb", 0, TP_CONSUME_SKB),
	{ "ipft_tps_any", -1, TP_SHARED, false, "ipft_tps_any_cast" }, /* last: TP_SHARED_TEMPLATE */
};
#define N_TEMPLATES (sizeof(templates) / sizeof(templates[0]))
#define TP_SHARED_TEMPLATE (&templates[N_TEMPLATES - 1])

static enum tp_variant variant_of(const struct ipft_probe *p)
{
	if (p->skb_arg == 0 && strcmp(p->name, "kfree_skb") == 0)
		return p->nargs >= 3 ? TP_KFREE_SKB_REASON : TP_KFREE_SKB;
	if (p->skb_arg == 0 && strcmp(p->name, "consume_skb") == 0)
		return TP_CONSUME_SKB;
	return TP_HIT;
}

/* The template p's clone is made from, typed or raw; NULL if none fits. */
static const struct ipft_template *template_for(const struct ipft_probe *p, bool typed)
{
	if (p->type != IPFT_PROBE_TRACEPOINT)
		return NULL;
	return ipft_template_find(templates, N_TEMPLATES, variant_of(p), p->skb_arg, typed);
}

static bool tp_fits(const struct ipft_template *t, const struct ipft_probe *p)
{
	return template_for(p, true) == t;
}

/* What the tracepoint says about the packet's life (bpf/ipft_event.h). */
static uint32_t life_role_of(const struct ipft_probe *p)
{
	static const char *rx_entry[] = { "netif_receive_skb_entry", "netif_receive_skb_list_entry",
					  "netif_rx_entry", "napi_gro_receive_entry",
					  "napi_gro_frags_entry" };

	if (strcmp(p->name, "net_dev_queue") == 0)
		return IPFT_ROLE_START;
	for (size_t i = 0; i < sizeof(rx_entry) / sizeof(rx_entry[0]); i++)
		if (strcmp(p->name, rx_entry[i]) == 0)
			return IPFT_ROLE_START | IPFT_ROLE_RX;
	if (strcmp(p->name, "netif_receive_skb") == 0)
		return IPFT_ROLE_RX | IPFT_ROLE_RX_CORE;
	if (strcmp(p->name, "netif_rx") == 0)
		return IPFT_ROLE_RX;
	if (strcmp(p->name, "net_dev_start_xmit") == 0)
		return IPFT_ROLE_XMIT;
	if (strcmp(p->name, "net_dev_xmit") == 0)
		return IPFT_ROLE_XMIT_DONE;
	return 0;
}

/* Its role, and which arguments -x tpargs copies (tracer/collectors/tpargs.h). */
static uint32_t role_of(const struct ipft_probe *p)
{
	return life_role_of(p) | (uint32_t)p->args_mask << IPFT_ROLE_ARGS_SHIFT;
}

static bool tp_can_attach(const struct ipft_probe *p)
{
	return template_for(p, false) != NULL;
}

/* Whether the environment variable name is set to value (docs/usage.md). */
static bool env_is(const char *name, const char *value)
{
	const char *v = getenv(name);

	return v && strcmp(v, value) == 0;
}

/* Loads p's program: a typed (tp_btf) clone where the kernel takes one,
 * else an untyped (raw_tp) clone.  Returns the fd, or -1 with why. */
static int load_clone(const struct ipft_attach_ctx *ctx, const struct ipft_probe *p,
		      bool *is_typed, char *why, size_t len)
{
	struct ipft_clone_opts typed = {
		.type = BPF_PROG_TYPE_TRACING,
		.expected_attach_type = BPF_TRACE_RAW_TP,
		.attach_btf_id = p->btf_id,
		.attach_btf_obj_fd = p->btf_obj_fd,
		.role = role_of(p),
	};
	struct ipft_clone_opts raw = { .type = BPF_PROG_TYPE_RAW_TRACEPOINT, .role = role_of(p) };
	struct bpf_program *tmpl = ipft_bpf_program(ctx->bpf, template_for(p, true));
	/* IPFT_FORCE_RAW_TP=1 (docs/usage.md): raw_tp only, as without tp_btf. */
	bool force_raw = env_is("IPFT_FORCE_RAW_TP", "1");
	int fd = -1;

	if (force_raw && ctx->verbose)
		fprintf(stderr, "ipft: %s: IPFT_FORCE_RAW_TP=1, using raw_tp\n", p->name);
	if (!force_raw && tmpl && bpf_program__fd(tmpl) >= 0 && p->btf_id) {
		fd = ipft_prog_clone(ctx->bpf, tmpl, p->id, &typed, why, len);
		*is_typed = fd >= 0;
		if (fd >= 0)
			return fd;
		if (ctx->verbose)
			fprintf(stderr, "ipft: %s: no typed program (%s), using raw_tp\n", p->name, why);
	}
	tmpl = ipft_bpf_program(ctx->bpf, template_for(p, false));
	if (!tmpl) {
		snprintf(why, len, "tracepoint %s: skb is argument %d, beyond what ipft reads",
			 p->name, p->skb_arg + 1);
		return -1;
	}
	return ipft_prog_clone(ctx->bpf, tmpl, p->id, &raw, why, len);
}

/* The shared program's cookie for p: p's ident, as a clone has it
 * patched in, and in its role where the skb is and what the tracepoint
 * does (IPFT_ROLE_TP_*, bpf/ipft_event.h). */
static uint64_t shared_cookie(const struct ipft_probe *p)
{
	static const uint32_t does[] = {
		[TP_HIT] = 0,
		[TP_KFREE_SKB_REASON] = IPFT_ROLE_FREE | IPFT_ROLE_TP_DROP | IPFT_ROLE_TP_REASON,
		[TP_KFREE_SKB] = IPFT_ROLE_FREE | IPFT_ROLE_TP_DROP,
		[TP_CONSUME_SKB] = IPFT_ROLE_FREE,
	};

	return ipft_probe_ident_of(p->id, role_of(p) | does[variant_of(p)] |
						  (uint32_t)p->skb_arg << IPFT_ROLE_TP_SKB_SHIFT);
}

/* Whether the tracepoints share a program per template: where the kernel
 * allows it (-v says when not: tracer/kernel/features.c), unless
 * IPFT_TP_PROGRAMS=clones or IPFT_FORCE_RAW_TP=1 asks for a program per
 * tracepoint (docs/usage.md). */
static bool shared_wanted(void)
{
	return !env_is("IPFT_TP_PROGRAMS", "clones") && !env_is("IPFT_FORCE_RAW_TP", "1") &&
	       ipft_kernel_features()->raw_tp_cookie;
}

/* Only the shared templates load when they serve, else only the clones'
 * (each template loaded is a verification). */
static bool tp_wants(const struct ipft_template *t)
{
	return !!(t->variant & TP_SHARED) == shared_wanted();
}

struct tp_work {
	const struct ipft_attach_ctx *ctx;
	struct ipft_probe **probes;
	atomic_size_t attached;
	struct ipft_skipped skipped;
};

static void attach_job(size_t i, void *arg)
{
	struct tp_work *w = arg;
	struct ipft_probe *p = w->probes[i];
	bool typed = false;
	char why[256];

	p->link_fd = -1;
	p->prog_fd = load_clone(w->ctx, p, &typed, why, sizeof(why));
	if (p->prog_fd < 0)
		goto skip;
	/* A typed program knows its tracepoint; a raw one is told. */
	p->link_fd = bpf_raw_tracepoint_open(typed ? NULL : p->name, p->prog_fd);
	if (p->link_fd >= 0) {
		atomic_fetch_add(&w->attached, 1);
		return;
	}
	snprintf(why, sizeof(why), "tracepoint %s: attach failed: %s", p->name, strerror(errno));
	close(p->prog_fd);
	p->prog_fd = -1;
skip:
	ipft_skipped_note(&w->skipped, w->ctx->verbose, why);
}

/* The shared program is loaded three times, and each tracepoint attached
 * to a copy by where it runs.  The kernel runs a program once per CPU at
 * a time: a hit inside a running one is lost (counted, lost_events_nested).
 * A softirq that interrupts a program in a task's system call (sendmsg,
 * recvmsg's copy) runs the receive path's tracepoints, and frees come in
 * both; apart, those hits find their copy idle (docs/performance.md, make
 * bench-nested: three TCP transfers lost hits in 4 of 21 runs, against 10
 * of 24 with the six templates' programs, and in 5 of 7 with one copy
 * for all).  Each copy is a whole verification. */
enum tp_copy { TP_COPY_PATH, TP_COPY_FREE, TP_COPY_TASK, TP_COPIES };

/* The copy p is attached to, or -1 (a tracepoint no clone would fit). */
static int shared_copy(const struct ipft_probe *p)
{
	static const char *const in_task[] = { "tcp_sendmsg_locked", "skb_copy_datagram_iovec" };

	if (!template_for(p, false))
		return -1;
	if (variant_of(p) != TP_HIT)
		return TP_COPY_FREE;
	for (size_t i = 0; i < sizeof(in_task) / sizeof(in_task[0]); i++)
		if (strcmp(p->name, in_task[i]) == 0)
			return TP_COPY_TASK;
	return TP_COPY_PATH;
}

#define SHARED_UNTRIED (-1)
#define SHARED_REFUSED (-2)
struct tp_shared {
	int fd[TP_COPIES];
	char why[TP_COPIES][256]; /* why the kernel refused one */
};

struct shared_load {
	const struct ipft_attach_ctx *ctx;
	struct tp_shared *sh;
	size_t copy[TP_COPIES]; /* the copies to load */
};

/* Loads one copy; why the kernel refused one is kept for the tracepoints
 * it was for. */
static void shared_load_job(size_t i, void *arg)
{
	struct shared_load *l = arg;
	struct ipft_clone_opts raw = { .type = BPF_PROG_TYPE_RAW_TRACEPOINT, .cookie_ident = true };
	int *fd = &l->sh->fd[l->copy[i]];
	char *why = l->sh->why[l->copy[i]];

	*fd = ipft_prog_clone(l->ctx->bpf, ipft_bpf_program(l->ctx->bpf, TP_SHARED_TEMPLATE), 0,
			      &raw, why, sizeof(l->sh->why[0]));
	if (*fd < 0)
		*fd = SHARED_REFUSED;
}

/* Loads the copies the probes need, on as many threads as there are CPUs. */
static void shared_load_all(const struct ipft_attach_ctx *ctx, struct tp_shared *sh,
			    struct ipft_probe **probes, size_t n)
{
	struct shared_load l = { .ctx = ctx, .sh = sh };
	size_t k = 0;

	for (size_t i = 0; i < TP_COPIES; i++)
		sh->fd[i] = SHARED_UNTRIED, sh->why[i][0] = 0;
	for (size_t i = 0; i < n; i++) {
		int c = shared_copy(probes[i]);
		if (c >= 0 && sh->fd[c] == SHARED_UNTRIED) {
			sh->fd[c] = SHARED_REFUSED; /* until loaded */
			l.copy[k++] = (size_t)c;
		}
	}
	ipft_parallel_for(k, ipft_parallel_cpus(THREADS), shared_load_job, &l, NULL, NULL);
}

/* The copy p runs, or -1 when there is none (refused). */
static int shared_prog(const struct tp_shared *sh, const struct ipft_probe *p)
{
	int c = shared_copy(p);

	return c >= 0 && sh->fd[c] >= 0 ? sh->fd[c] : -1;
}

/* Why p has no shared program. */
static const char *shared_why(const struct tp_shared *sh, const struct ipft_probe *p)
{
	int c = shared_copy(p);

	return c >= 0 ? sh->why[c] : "no shared program fits it";
}

/* A raw tracepoint's link with a cookie (BPF_RAW_TRACEPOINT_OPEN of 6.10;
 * older headers lack the field). */
static int open_with_cookie(const char *name, int prog_fd, uint64_t cookie)
{
	struct {
		uint64_t name;
		uint32_t prog_fd;
		uint32_t pad;
		uint64_t cookie;
	} attr = { .name = (uint64_t)(uintptr_t)name, .prog_fd = (uint32_t)prog_fd, .cookie = cookie };

	return (int)syscall(__NR_bpf, BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
}

/* Closes the shared programs (each link holds its own); how many there were. */
static size_t shared_close(struct tp_shared *sh)
{
	size_t n = 0;

	for (size_t i = 0; i < TP_COPIES; i++)
		if (sh->fd[i] >= 0) {
			close(sh->fd[i]);
			n++;
		}
	return n;
}

/* Attaches every probe to its shared program.  Each probe keeps its own
 * copy of the program's fd.  Where the kernel refused the shared program
 * its tracepoints are skipped (IPFT_TP_PROGRAMS=clones is the way out:
 * the clones' templates are not loaded otherwise). */
static void shared_attach(struct tp_work *w, size_t n)
{
	struct tp_shared sh;
	size_t progs, links = 0;

	shared_load_all(w->ctx, &sh, w->probes, n);
	for (size_t i = 0; i < n; i++) {
		struct ipft_probe *p = w->probes[i];
		int fd = shared_prog(&sh, p);
		char why[400];

		p->prog_fd = p->link_fd = -1;
		if (fd < 0) {
			snprintf(why, sizeof(why), "tracepoint %s: %s (IPFT_TP_PROGRAMS=clones "
				 "tries a program per tracepoint)", p->name, shared_why(&sh, p));
			ipft_skipped_note(&w->skipped, w->ctx->verbose, why);
			continue;
		}
		p->link_fd = open_with_cookie(p->name, fd, shared_cookie(p));
		if (p->link_fd < 0) {
			snprintf(why, sizeof(why), "tracepoint %s: attach failed: %s", p->name,
				 strerror(errno));
			ipft_skipped_note(&w->skipped, w->ctx->verbose, why);
			continue;
		}
		p->prog_fd = dup(fd);
		links++;
		atomic_fetch_add(&w->attached, 1);
		if (w->ctx->progress)
			w->ctx->progress(i + 1, n, w->ctx->progress_arg);
	}
	progs = shared_close(&sh);
	if (w->ctx->verbose)
		fprintf(stderr, "ipft: tracepoints: %zu program%s shared by %zu tracepoints "
				"(attach cookies)\n", progs, progs == 1 ? "" : "s", links);
}

/* Each tracepoint gets its own link and program fd, kept in its probe:
 * a shared program's (6.10+), else a clone of its own.  The clones are
 * verified on several threads: verifying the whole program once per
 * tracepoint is most of ipft's start. */
static int tp_attach(const struct ipft_attach_ctx *ctx, struct ipft_attachment *a, char *err,
		     size_t errlen)
{
	struct tp_work w = { .ctx = ctx, .probes = a->probes };

	ipft_skipped_init(&w.skipped);
	if (shared_wanted())
		shared_attach(&w, a->n);
	else
		ipft_parallel_for(a->n, ipft_parallel_cpus(THREADS),
				  attach_job, &w, ctx->progress, ctx->progress_arg);
	ipft_skipped_destroy(&w.skipped);
	a->attached = atomic_load(&w.attached);
	if (a->attached == 0 && a->n) {
		snprintf(err, errlen, "no tracepoint could be attached (last error: %s)",
			 w.skipped.why);
		return -1;
	}
	return 0;
}

static void tp_detach(struct ipft_attachment *a)
{
	for (size_t i = 0; i < a->n; i++) {
		struct ipft_probe *p = a->probes[i];
		if (p->link_fd >= 0)
			close(p->link_fd);
		if (p->prog_fd >= 0)
			close(p->prog_fd);
		p->link_fd = p->prog_fd = -1;
	}
}

const struct ipft_backend ipft_backend_tracepoint = {
	.name = "tracepoint",
	.id = IPFT_BACKEND_TRACEPOINT,
	.probes = IPFT_PROBE_TRACEPOINT,
	.available = tp_available,
	.can_attach = tp_can_attach,
	.templates = templates,
	.n_templates = N_TEMPLATES,
	.wants = tp_wants,
	.fits = tp_fits,
	.attach = tp_attach,
	.detach = tp_detach,
};
