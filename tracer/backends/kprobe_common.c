/* kprobe_common.c - what the kprobe and kprobe-multi backends share. */
#include "tracer/backends/kprobe_common.h"
#include "tracer/backends/bpf_object.h"
#include "tracer/backends/parallel.h"

#include <linux/types.h>
#include "bpf/ipft_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint64_t ipft_kprobe_cookie(const struct ipft_probe *p)
{
	return ipft_probe_ident_of(p->id, ipft_function_role(p->name)) |
	       ((uint64_t)p->skb_arg & IPFT_IDENT_SKB_ARG_MASK) << IPFT_IDENT_SKB_ARG_SHIFT;
}

struct ipft_kprobe_state *ipft_kprobe_state_new(void)
{
	struct ipft_kprobe_state *st = malloc(sizeof(*st));

	if (!st)
		return NULL;
	st->prog_fd = st->link_fd = -1;
	for (int r = 0; r < IPFT_KPROBE_RETURN_ROLES; r++)
		st->ret_prog_fd[r] = -1;
	st->n_ret_links = 0;
	return st;
}

void ipft_kprobe_state_free(struct ipft_kprobe_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n_ret_links; i++)
		close(st->ret_link_fd[i]);
	for (int r = 0; r < IPFT_KPROBE_RETURN_ROLES; r++)
		if (st->ret_prog_fd[r] >= 0)
			close(st->ret_prog_fd[r]);
	if (st->link_fd >= 0)
		close(st->link_fd);
	if (st->prog_fd >= 0)
		close(st->prog_fd);
	free(st);
}

static const uint32_t return_roles[IPFT_KPROBE_RETURN_ROLES] = {
	IPFT_ROLE_MAKES_CLONE, IPFT_ROLE_MAKES_COPY, IPFT_ROLE_MAKES_SEGMENTS, IPFT_ROLE_MERGES,
	IPFT_ROLE_REASSEMBLES, IPFT_ROLE_REASSEMBLES_RET1, IPFT_ROLE_REALLOCS,
};

int ipft_kprobe_return_role(const struct ipft_probe *p)
{
	uint32_t role = ipft_function_role(p->name);

	for (int r = 0; r < IPFT_KPROBE_RETURN_ROLES; r++)
		if (role & return_roles[r])
			return r;
	return -1;
}

/* One program to load: which template, how, and where its fd goes. */
struct load_job {
	struct bpf_program *tmpl;
	struct ipft_clone_opts opts;
	int *fd;
	char why[256];
};

struct load_jobs {
	const struct ipft_attach_ctx *ctx;
	struct load_job v[1 + IPFT_KPROBE_RETURN_ROLES];
	size_t n;
};

static void load_job(size_t i, void *arg)
{
	struct load_jobs *l = arg;
	struct load_job *j = &l->v[i];

	*j->fd = ipft_prog_clone(l->ctx->bpf, j->tmpl, 0, &j->opts, j->why, sizeof(j->why));
}

/* Adds a job for template (variant) of a's backend; -1 with why if the
 * object has none. */
static int add_job(struct load_jobs *l, const struct ipft_attachment *a, unsigned variant,
		   const struct ipft_clone_opts *opts, int *fd, char *why, size_t len)
{
	const struct ipft_backend *b = a->backend;
	const struct ipft_template *t =
		ipft_template_find(b->templates, b->n_templates, variant, 0, false);
	struct load_job *j = &l->v[l->n];

	j->tmpl = t ? ipft_bpf_program(l->ctx->bpf, t) : NULL;
	if (!j->tmpl) {
		snprintf(why, len, "%s: no %s template", b->name, variant ? "return" : "entry");
		return -1;
	}
	j->opts = *opts;
	j->fd = fd;
	l->n++;
	return 0;
}

int ipft_kprobe_load(const struct ipft_attach_ctx *ctx, const struct ipft_attachment *a,
		     bool multi, struct ipft_kprobe_state *st, char *why, size_t len)
{
	struct load_jobs l = { .ctx = ctx };
	struct ipft_clone_opts entry = {
		.type = BPF_PROG_TYPE_KPROBE,
		.expected_attach_type = multi ? BPF_TRACE_KPROBE_MULTI : 0,
		.cookie_ident = true,
	}, ret = entry;
	bool role_needed[IPFT_KPROBE_RETURN_ROLES] = { false };

	if (!a->n)
		return 0;
	if (add_job(&l, a, 0, &entry, &st->prog_fd, why, len) < 0)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		int r = ipft_kprobe_return_role(a->probes[i]);
		if (r >= 0)
			role_needed[multi ? 0 : r] = true; /* multi: one, roles from cookies */
	}
	ret.cookie_ident = multi;
	for (int r = 0; r < IPFT_KPROBE_RETURN_ROLES; r++) {
		if (!role_needed[r])
			continue;
		ret.role = multi ? 0 : return_roles[r];
		if (add_job(&l, a, IPFT_KPROBE_RETURN, &ret, &st->ret_prog_fd[r], why, len) < 0)
			return -1;
	}
	ipft_parallel_for(l.n, ipft_parallel_cpus(l.n), load_job, &l, NULL, NULL);
	for (size_t i = 0; i < l.n; i++)
		if (*l.v[i].fd < 0) {
			snprintf(why, len, "%s", l.v[i].why);
			return -1;
		}
	return 0;
}

/* The number in a file of the kprobe PMU's (sysfs), as fmt reads it;
 * -1 when the file or the number is missing. */
static int kprobe_pmu_number(const char *file, const char *fmt)
{
	char path[128];
	FILE *f;
	int n = -1;

	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/kprobe/%s", file);
	if ((f = fopen(path, "re"))) {
		if (fscanf(f, fmt, &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

int ipft_kprobe_retprobe_bit(void)
{
	return kprobe_pmu_number("format/retprobe", "config:%d");
}

int ipft_kprobe_pmu_type(void)
{
	return kprobe_pmu_number("type", "%d");
}

int ipft_kprobe_available(char *why, size_t len)
{
	if (ipft_kprobe_pmu_type() < 0) {
		snprintf(why, len, "this kernel has no kprobes (CONFIG_KPROBES is off, no kprobe "
			 "perf events); use -b tracepoint");
		return -1;
	}
	return 0;
}
