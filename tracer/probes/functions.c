/* probes_function.c - find every kernel function that takes an skb.
 *
 * Kernel BTF (vmlinux, then each module's split BTF in /sys/kernel/btf)
 * has a FUNC for every function with its prototype; each one with a
 * struct sk_buff * among its first six arguments is a candidate.  Only
 * functions ftrace can attach to are kept: those listed exactly once in
 * available_filter_functions (a name listed twice is two static functions
 * that a name cannot tell apart), or, without tracefs, those in kallsyms.
 */
#define _GNU_SOURCE /* tdestroy */
#include "tracer/probes/probe.h"
#include "tracer/probes/known_names.h"
#include "tracer/kernel/vmlinux_btf.h"
#include "tracer/job.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <dirent.h>
#include <errno.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>
#include "bpf/ipft_shared.h"

/* The ftrace list read on a thread: the kernel formats some 40 000 to
 * 60 000 lines, 0.25 s under emulation, unless this boot's copy holds
 * (ftrace_list.h). */
struct ipft_functions_job {
	struct ipft_job job;
	struct ipft_known_names k;
	int rc;
};

static void *known_job(void *arg)
{
	struct ipft_functions_job *j = arg;

	j->rc = ipft_known_names_load_ftrace(&j->k);
	return NULL;
}

struct ipft_functions_job *ipft_probes_functions_start(void)
{
	struct ipft_functions_job *j = calloc(1, sizeof(*j));

	if (j)
		ipft_job_start(&j->job, known_job, j);
	return j;
}

/* The job's list if it read one (else the ftrace list read now, if no
 * job tried it), or failing that kallsyms' names. */
static int known_take(struct ipft_functions_job *j, struct ipft_known_names *k)
{
	int rc;

	if (j) {
		ipft_job_join(&j->job);
		*k = j->k;
		rc = j->rc;
		free(j);
	} else {
		rc = ipft_known_names_load_ftrace(k);
	}
	if (rc < 0) {
		ipft_known_names_free(k);
		rc = ipft_known_names_load_kallsyms(k);
	}
	return rc;
}

void ipft_probes_functions_drop(struct ipft_functions_job *j)
{
	if (!j)
		return;
	ipft_job_join(&j->job);
	ipft_known_names_free(&j->k);
	free(j);
}

/* A scalar, enum, pointer or nothing (type 0: void): what every
 * trampoline takes.  Structs passed by value are refused by some kernels. */
static bool plain_type(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = id ? ipft_btf_skip_mods(btf, id) : NULL;

	return !id || (t && (btf_is_int(t) || btf_is_enum(t) || btf_is_ptr(t) ||
			     btf_kind(t) == BTF_KIND_ENUM64));
}

struct skipped {
	size_t not_traceable, ambiguous, beyond_args, varargs, duplicate;
};

/* Adds the functions of one BTF (vmlinux or a module's). */
static int add_from_btf(struct ipft_probe_set *set, const struct btf *btf, uint32_t first_id,
			const struct ipft_known_names *k, void **seen, struct skipped *sk, bool verbose,
			const char *module)
{
	uint32_t n = btf__type_cnt(btf);

	for (uint32_t id = first_id; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id), *proto;
		const struct btf_param *params;
		const char *name;
		int skb_arg = -1, vlen;

		if (!btf_is_func(t))
			continue;
		proto = btf__type_by_id(btf, t->type);
		if (!proto || !btf_is_func_proto(proto))
			continue;
		vlen = btf_vlen(proto);
		params = btf_params(proto);
		for (int i = 0; i < vlen; i++)
			if (ipft_btf_is_skb_ptr(btf, params[i].type)) {
				skb_arg = i;
				break;
			}
		if (skb_arg < 0)
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (vlen > 0 && params[vlen - 1].type == 0) {
			sk->varargs++;
			if (verbose)
				fprintf(stderr, "ipft: function %s skipped: variadic\n", name);
			continue;
		}
		if (skb_arg >= IPFT_REG_ARGS) { /* on the stack: no template reads it */
			sk->beyond_args++;
			if (verbose)
				fprintf(stderr, "ipft: function %s skipped: its skb is argument %d, "
					"beyond the sixth\n", name, skb_arg + 1);
			continue;
		}
		switch (ipft_known_names_count(k, name)) {
		case 0:
			sk->not_traceable++;
			continue;
		case 2:
			sk->ambiguous++;
			if (verbose)
				fprintf(stderr, "ipft: function %s skipped: %s lists it more than once\n",
					name, k->source);
			continue;
		}
		/* BTF of several modules can repeat a function: keep one. */
		if (tfind(name, seen, (int (*)(const void *, const void *))strcmp)) {
			sk->duplicate++;
			continue;
		}
		struct ipft_probe *p = ipft_probe_set_push(set);
		if (!p || !(p->name = strdup(name)) || !tsearch(p->name, seen,
			    (int (*)(const void *, const void *))strcmp))
			return -1;
		p->type = IPFT_PROBE_FUNCTION;
		p->skb_arg = skb_arg;
		p->nargs = vlen;
		p->btf_id = id;
		p->category = module ? strdup(module) : NULL;
		p->plain_proto = plain_type(btf, proto->type);
		p->returns_void = proto->type == 0;
		for (int i = 0; i < vlen; i++)
			p->plain_proto = p->plain_proto && plain_type(btf, params[i].type);
	}
	return 0;
}

/* The kernel's BTF objects of modules, read once: a program attached to
 * a module's function (fentry) names the function by its id in the
 * module's BTF *and* that BTF object's fd; the id alone is looked up in
 * vmlinux ("attach_btf_id is invalid"). */
struct module_btfs {
	struct { char name[64]; uint32_t id; } *v;
	size_t n;
	bool read;
};

static void module_btfs_read(struct module_btfs *m)
{
	uint32_t id = 0;
	size_t cap = 0;

	m->read = true;
	while (bpf_btf_get_next_id(id, &id) == 0) {
		struct bpf_btf_info info = { 0 };
		uint32_t len = sizeof(info);
		char name[64] = "";
		int fd = bpf_btf_get_fd_by_id(id);

		if (fd < 0)
			continue;
		info.name = (uint64_t)(uintptr_t)name;
		info.name_len = sizeof(name);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.kernel_btf && name[0]) {
			if (m->n == cap) {
				size_t c = cap ? 2 * cap : 64;
				void *v = realloc(m->v, c * sizeof(*m->v));
				if (!v) {
					close(fd);
					break;
				}
				m->v = v;
				cap = c;
			}
			snprintf(m->v[m->n].name, sizeof(m->v[m->n].name), "%s", name);
			m->v[m->n++].id = id;
		}
		close(fd);
	}
}

/* Gives the probes [from, set->n) of one module that module's BTF fd
 * (kept in the set, closed with it).  Without it (the object is gone, no
 * privilege) they keep 0: backends that need it leave them out. */
static void set_module_fd(struct ipft_probe_set *set, size_t from, const char *module,
			  struct module_btfs *m)
{
	int fd = -1;

	if (from == set->n)
		return;
	if (!m->read)
		module_btfs_read(m);
	for (size_t i = 0; i < m->n && fd < 0; i++)
		if (strcmp(m->v[i].name, module) == 0)
			fd = bpf_btf_get_fd_by_id(m->v[i].id);
	if (fd < 0)
		return;
	int *fds = realloc(set->btf_fds, (set->n_btf_fds + 1) * sizeof(*fds));
	if (!fds) {
		close(fd);
		return;
	}
	set->btf_fds = fds;
	set->btf_fds[set->n_btf_fds++] = fd;
	for (size_t i = from; i < set->n; i++)
		set->v[i].btf_obj_fd = fd;
}

static void noop_free(void *p)
{
	(void)p;
}

int ipft_probes_add_functions(struct ipft_probe_set *set, struct ipft_functions_job *job,
			      bool verbose, char *err, size_t errlen)
{
	struct btf *vmlinux = ipft_vmlinux_btf_get();
	struct ipft_known_names k = { 0 };
	struct skipped sk = { 0 };
	struct module_btfs mods = { 0 };
	void *seen = NULL;
	size_t before = set->n;
	DIR *d;
	struct dirent *e;
	int rc = -1;

	if (!vmlinux) {
		ipft_probes_functions_drop(job);
		snprintf(err, errlen, "cannot read the kernel's BTF: %s", strerror(errno));
		return -1;
	}
	if (known_take(job, &k) < 0) {
		/* Nothing says what can be attached: no functions, not an error. */
		if (verbose)
			fprintf(stderr, "ipft: no functions: neither tracefs nor /proc/kallsyms "
				"is readable\n");
		ipft_vmlinux_btf_put(vmlinux);
		return 0;
	}
	if (add_from_btf(set, vmlinux, 1, &k, &seen, &sk, verbose, NULL) < 0)
		goto oom;
	if ((d = opendir("/sys/kernel/btf"))) {
		while ((e = readdir(d))) {
			char path[300];
			struct btf *mod;
			if (e->d_name[0] == '.' || strcmp(e->d_name, "vmlinux") == 0)
				continue;
			snprintf(path, sizeof(path), "/sys/kernel/btf/%s", e->d_name);
			mod = btf__parse_split(path, vmlinux);
			if (!mod)
				continue;
			size_t from = set->n;
			rc = add_from_btf(set, mod, btf__type_cnt(vmlinux), &k, &seen, &sk, verbose,
					  e->d_name);
			btf__free(mod);
			if (rc < 0) {
				closedir(d);
				goto oom;
			}
			set_module_fd(set, from, e->d_name, &mods);
		}
		closedir(d);
	}
	if (verbose)
		fprintf(stderr, "ipft: %zu functions take an skb and can be traced (%s); skipped: "
			"%zu not traceable, %zu ambiguous names, %zu with the skb beyond the "
			"sixth argument, %zu variadic\n", set->n - before, k.source,
			sk.not_traceable, sk.ambiguous, sk.beyond_args, sk.varargs);
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
	rc = -1;
out:
	tdestroy(seen, noop_free);
	free(mods.v);
	ipft_known_names_free(&k);
	ipft_vmlinux_btf_put(vmlinux);
	return rc;
}
