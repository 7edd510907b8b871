/* bpf_object.c - load ipft's BPF object and clones of its templates.
 *
 * Which templates load is the backends' say: each declares its own
 * (struct ipft_backend.templates) and which probe a typed one is verified
 * against (fits).  libbpf keeps a program's relocated instructions after
 * load, so a template that passed the verifier once can be loaded again
 * as many programs as there are attach points: map references are
 * already resolved to fds.  Each clone gets its attach point's id in
 * place of the marker constant of ipft_probe_ident() (bpf/skb_event.bpf.h).
 */
#include "tracer/backends/bpf_object.h"
#include "tracer/backends/clone_btf.h"
#include "tracer/backends/backend.h"
#include "tracer/backends/ahead.h"
#include "tracer/cli/options.h"
#include "tracer/collectors/collectors.h"
#include "tracer/collectors/ext.h"
#include "tracer/filter/filter.h"
#include "tracer/filter/trigger.h"
#include "tracer/kernel/features.h"

#include <linux/types.h>
#include "bpf/ipft_shared.h"
#include "bpf/ipft_features.h"
#include "ipft.skel.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const struct ipft_template *ipft_template_find(const struct ipft_template *table, size_t n,
					       unsigned variant, int skb_arg, bool typed)
{
	for (size_t i = 0; i < n; i++)
		if (table[i].variant == variant && table[i].skb_arg == skb_arg &&
		    table[i].typed == typed)
			return &table[i];
	return NULL;
}

/* A typed template is verified against the first probe of a it fits
 * (vmlinux only: the template names it); whether there was one. */
static bool set_target(struct bpf_program *prog, const struct ipft_attachment *a,
		       const struct ipft_template *t)
{
	for (size_t i = 0; a->backend->fits && i < a->n; i++) {
		const struct ipft_probe *p = a->probes[i];
		if (p->btf_obj_fd == 0 && a->backend->fits(t, p) &&
		    bpf_program__set_attach_target(prog, 0, p->name) == 0)
			return true;
	}
	return false;
}

bool ipft_bpf_casts(const struct ipft_bpf *b, enum bpf_prog_type type)
{
	const struct ipft_kernel_features *f = ipft_kernel_features();

	if (b->ext)
		return false;
	return type == BPF_PROG_TYPE_RAW_TRACEPOINT ? f->raw_tp_skb_cast :
	       type == BPF_PROG_TYPE_KPROBE ? f->kprobe_skb_cast : false;
}

/* The program of template t in obj: its cast twin where that serves. */
static struct bpf_program *template_program(const struct ipft_bpf *b, struct bpf_object *obj,
					    const struct ipft_template *t)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, t->prog);

	if (prog && t->cast_prog && ipft_bpf_casts(b, bpf_program__type(prog)))
		prog = bpf_object__find_program_by_name(obj, t->cast_prog);
	return prog;
}

/* Only the templates of the backends with probes load. */
static int choose_templates(const struct ipft_bpf *b, struct ipft_skel *s,
			    const struct ipft_attachment *parts, size_t n_parts, char *err,
			    size_t errlen)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, s->obj)
		bpf_program__set_autoload(prog, false);
	/* Never attached: ipft's sweep runs it (bpf/sweep.bpf.h). */
	bpf_program__set_autoload(s->progs.ipft_sweep_one, true);
	for (size_t u = 0; u < n_parts; u++) {
		const struct ipft_attachment *a = &parts[u];
		for (size_t i = 0; a->backend && a->n && i < a->backend->n_templates; i++) {
			const struct ipft_template *t = &a->backend->templates[i];
			prog = template_program(b, s->obj, t);
			if (!prog) {
				snprintf(err, errlen, "the BPF object has no program %s", t->prog);
				return -1;
			}
			if (!a->backend->wants || a->backend->wants(t))
				bpf_program__set_autoload(prog, !t->typed || set_target(prog, a, t));
		}
	}
	return 0;
}

/* The BPF side's configuration (struct ipft_bpf_config), all of it here. */
static void set_config(struct ipft_skel *s, const struct ipft_config *cfg)
{
	struct ipft_bpf_config c = {
		.id_salt = cfg->id_salt,
		.stale_ns = cfg->flush_timeout_ns,
		.wakeup_bytes = IPFT_WAKEUP_BYTES,
		.mark = cfg->mark,
		.mark_mask = cfg->mark_set ? cfg->mark_mask : 0,
		.netns = cfg->netns,
		.snaplen = cfg->snaplen,
		.collect = cfg->collect,
		.pcap_filter = ipft_filter_active(cfg),
		.tai_clock = ipft_kernel_features()->tai_clock,
		.trigger = cfg->trigger.bits,
		.trigger_reason = cfg->trigger.reason,
		.trigger_latency_ns = cfg->trigger.latency_ns,
		.template_gate = !cfg->extension,
	};

	memcpy(c.ifname, cfg->ifname, sizeof(c.ifname));
	s->rodata->cfg = c;
}
/* What the BPF side does without (bpf/ipft_features.h). */
static void set_features(struct ipft_skel *s)
{
	const struct ipft_kernel_features *f = ipft_kernel_features();

	s->rodata->feat = (struct ipft_bpf_features){
		.atomic_fetch = f->atomic_fetch,
		.kprobe_func_ip = f->kprobe_func_ip,
		.kprobe_cookie = f->kprobe_cookie,
		.tracing_func_ip = f->tracing_func_ip,
		.func_ret = f->func_ret,
		.raw_tp_cookie = f->raw_tp_cookie,
	};
}

/* The kprobe backend's map of functions by address, used where the
 * kernel has no attach cookies: room for every function. */
static uint32_t kprobe_idents_size(const struct ipft_attachment *parts, size_t n_parts)
{
	size_t n = 0;

	for (size_t u = 0; !ipft_kernel_features()->kprobe_cookie && u < n_parts; u++)
		if (parts[u].backend && parts[u].backend->probes == IPFT_PROBE_FUNCTION)
			n += parts[u].n;
	return n ? (uint32_t)n : 1;
}

/* The kprobe backends' calls of skb makers in progress
 * (bpf/backends/kprobe_common.bpf.h): room for some, if they run. */
static uint32_t making_size(const struct ipft_attachment *parts, size_t n_parts)
{
	for (size_t u = 0; u < n_parts; u++)
		if (parts[u].backend && parts[u].n &&
		    (parts[u].backend->id == IPFT_BACKEND_KPROBE ||
		     parts[u].backend->id == IPFT_BACKEND_KPROBE_MULTI))
			return 1024;
	return 1;
}

/* The verifier's log of a template that an extension made it refuse. */
#define EXT_LOG_SIZE (4u << 20)

/* ipft's object, or with an extension the object it was linked into
 * (the skeleton's own steps, with those bytes). */
static struct ipft_skel *open_skel(struct ipft_bpf *b, char *err, size_t errlen)
{
	struct ipft_ext *x = b->ext;
	struct ipft_skel *s = x ? NULL : ipft_open_ahead_finish(b->open_job);
	const void *core;
	size_t len;
	int rc;

	b->open_job = NULL;
	if (s)
		return s;
	if (!x) {
		if (!(s = ipft_skel__open()))
			snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
		return s;
	}
	core = ipft_skel__elf_bytes(&len);
	if (ipft_ext_link(x, core, len, err, errlen) < 0)
		return NULL;
	if (!(s = calloc(1, sizeof(*s))) || (rc = ipft_skel__create_skeleton(s)) < 0) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->skeleton->data = x->linked;
	s->skeleton->data_sz = x->linked_len;
	if ((rc = bpf_object__open_skeleton(s->skeleton, NULL)) < 0) {
		ipft_skel__destroy(s);
		snprintf(err, errlen, "extension %s: cannot open ipft's BPF object with it: %s",
			 x->path, strerror(-rc));
		return NULL;
	}
	s->rodata->ipft_ext_size = x->size;
	return s;
}

/* With an extension, the templates' verifier logs go to one buffer
 * (libbpf asks for a log only when a load fails). */
static char *ext_log_buf(struct ipft_skel *s, const struct ipft_ext *x)
{
	struct bpf_program *prog;
	char *log = x ? calloc(1, EXT_LOG_SIZE) : NULL;

	bpf_object__for_each_program(prog, s->obj)
		if (log)
			bpf_program__set_log_buf(prog, log, EXT_LOG_SIZE);
	return log;
}

static void load_failed(const struct ipft_bpf *b, const char *log, int rc, char *err,
			size_t errlen)
{
	char lines[400];

	if (b->ext && log && log[0]) {
		if (b->verbose)
			fputs(log, stderr);
		ipft_ext_log_lines(log, lines, sizeof(lines));
		snprintf(err, errlen, "extension %s: the kernel's verifier refused it:%s",
			 b->ext->path, lines);
	} else {
		snprintf(err, errlen, "cannot load the BPF object: %s%s", strerror(-rc),
			 b->verbose ? "" : " (run with -v to see the verifier's log)");
	}
}

/* After a load failed for memory (ENOMEM, EPERM): whether the kernel
 * refuses one of the maps an option sizes (a memory cgroup's limit; before 5.11 RLIMIT_MEMLOCK),
 * which the failed load would not say.  They are created again in the
 * object's order, each held until all are tried (what they take together
 * counts); the first refused is named with its size and the error. */
static int create_sized_map(struct bpf_map *m, const char *option, unsigned long long value,
			    char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = bpf_map__map_flags(m));
	uint32_t n = bpf_map__max_entries(m);
	double bytes = bpf_map__type(m) == BPF_MAP_TYPE_RINGBUF ? n :
		       (double)n * (bpf_map__key_size(m) + bpf_map__value_size(m));
	int fd = bpf_map_create(bpf_map__type(m), bpf_map__name(m), bpf_map__key_size(m),
				bpf_map__value_size(m), n, &o);

	if (fd < 0)
		snprintf(err, errlen, "cannot create the BPF map %s (%s %llu: at least %.0f MiB "
			 "of kernel memory): %s", bpf_map__name(m), option, value,
			 bytes / (1 << 20), strerror(errno));
	return fd;
}

static bool sized_map_refused(struct ipft_skel *s, const struct ipft_config *cfg,
			      char *err, size_t errlen)
{
	int fd[3] = { -1, -1, -1 };
	bool refused =
		(fd[0] = create_sized_map(s->maps.events, "--ringbuf-size", cfg->ringbuf_bytes >> 20,
					  err, errlen)) < 0 ||
		(fd[1] = create_sized_map(s->maps.live, "--max-inflight", cfg->max_inflight,
					  err, errlen)) < 0 ||
		(fd[2] = create_sized_map(s->maps.started, "--max-inflight", cfg->max_inflight,
					  err, errlen)) < 0;

	for (int i = 0; i < 3; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return refused;
}

static int open_load(struct ipft_bpf *b, const struct ipft_config *cfg,
		     const struct ipft_attachment *parts, size_t n_parts, char *err, size_t errlen)
{
	struct ipft_skel *s = open_skel(b, err, errlen);
	char *log;
	int rc;

	b->skel = NULL;
	b->verbose = cfg->verbose;
	if (!s)
		return -1;
	set_config(s, cfg);
	set_features(s);
	if (cfg->verbose)
		ipft_kernel_features_report();
	if (choose_templates(b, s, parts, n_parts, err, errlen) < 0) {
		ipft_open_ahead_discard(s);
		return -1;
	}
	ipft_collect_hooks_select(s->obj, cfg->collect);
	bpf_map__set_max_entries(s->maps.live, cfg->max_inflight);
	bpf_map__set_max_entries(s->maps.started, cfg->max_inflight);
	bpf_map__set_max_entries(s->maps.events, cfg->ringbuf_bytes);
	ipft_maps_ahead_finish(b->maps_job, s->maps.events, s->maps.live);
	b->maps_job = NULL;
	bpf_map__set_max_entries(s->maps.kprobe_idents, kprobe_idents_size(parts, n_parts));
	bpf_map__set_max_entries(s->maps.making, making_size(parts, n_parts));
	log = ext_log_buf(s, b->ext);
	rc = ipft_skel__load(s);
	if (rc && !((rc == -ENOMEM || rc == -EPERM) && sized_map_refused(s, cfg, err, errlen)))
		load_failed(b, log, rc, err, errlen);
	free(log);
	if (rc) {
		ipft_skel__destroy(s);
		return -1;
	}
	b->skel = s;
	if (ipft_collect_stack_at(s->obj, cfg->stack_at, parts, n_parts, err, errlen) < 0 ||
	    ipft_trigger_mark(s->obj, &cfg->trigger, parts, n_parts, err, errlen) < 0 ||
	    ipft_collect_hooks_attach(s->obj, cfg->collect, b->hooks, &b->n_hooks, err, errlen) < 0) {
		ipft_bpf_close(b);
		return -1;
	}
	return 0;
}

int ipft_bpf_open_load(struct ipft_bpf *b, const struct ipft_config *cfg,
		       const struct ipft_attachment *parts, size_t n_parts,
		       char *err, size_t errlen)
{
	int rc = open_load(b, cfg, parts, n_parts, err, errlen);

	ipft_bpf_ahead_end(b); /* not taken: a failure before load */
	return rc;
}

void ipft_bpf_ahead_end(struct ipft_bpf *b)
{
	ipft_open_ahead_discard(ipft_open_ahead_finish(b->open_job));
	ipft_maps_ahead_finish(b->maps_job, NULL, NULL);
	b->open_job = NULL;
	b->maps_job = NULL;
}

void ipft_bpf_close(struct ipft_bpf *b)
{
	ipft_collect_hooks_detach(b->hooks, &b->n_hooks);
	ipft_skel__destroy(b->skel);
	b->skel = NULL;
}

int ipft_bpf_events_fd(const struct ipft_bpf *b)
{
	return bpf_map__fd(b->skel->maps.events);
}

int ipft_bpf_stats_fd(const struct ipft_bpf *b)
{
	return bpf_map__fd(b->skel->maps.stats);
}

int ipft_bpf_live_fd(const struct ipft_bpf *b)
{
	return bpf_map__fd(b->skel->maps.live);
}

int ipft_bpf_sweep_fd(const struct ipft_bpf *b)
{
	return bpf_program__fd(b->skel->progs.ipft_sweep_one);
}

int ipft_bpf_kprobe_idents_fd(const struct ipft_bpf *b)
{
	return bpf_map__fd(b->skel->maps.kprobe_idents);
}

int64_t *ipft_bpf_n_live(const struct ipft_bpf *b)
{
	return (int64_t *)&b->skel->bss->n_live;
}

struct bpf_program *ipft_bpf_program(const struct ipft_bpf *b, const struct ipft_template *t)
{
	return t ? template_program(b, b->skel->obj, t) : NULL;
}

static int patch_probe_id(struct bpf_insn *insns, size_t n, uint32_t probe_id, uint32_t role)
{
	int patched = 0;

	for (size_t i = 0; i + 1 < n; i++) {
		if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    (uint32_t)insns[i].imm == (uint32_t)IPFT_MARK_PROBE_IDENT &&
		    (uint32_t)insns[i + 1].imm == (uint32_t)(IPFT_MARK_PROBE_IDENT >> 32)) {
			insns[i].imm = (int32_t)probe_id;
			insns[i + 1].imm = (int32_t)role;
			patched++;
			i++;
		}
	}
	return patched;
}

bool ipft_is_marker(const struct bpf_insn *insn, uint64_t mark)
{
	return insn[0].code == (BPF_LD | BPF_IMM | BPF_DW) && (uint32_t)insn[0].imm == (uint32_t)mark &&
	       (uint32_t)insn[1].imm == (uint32_t)(mark >> 32);
}

/* ipft_rdonly_cast()'s marker "rX = MARK ll" becomes "call bpf_rdonly_cast;
 * rX = r0" (the arguments are already in r1 and r2). */
static void patch_rdonly_cast(struct bpf_insn *insn)
{
	__u8 dst = insn[0].dst_reg;

	insn[0] = (struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_KFUNC_CALL,
				     .imm = ipft_kernel_features()->rdonly_cast_id };
	insn[1] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = dst,
				     .src_reg = BPF_REG_0 };
}

/* The marker constants of bpf/ipft_features.h: the function's address
 * replaces its marker; the instruction after the return slot's marker
 * (an fexit context load) reads the slot after the arguments, or becomes
 * a 0 for a function returning nothing; the one after the counter's
 * marker (an atomic add) fetches where it can; the cast's becomes the
 * cast (only a cast twin has it, loaded where the cast serves). */
static void patch_features(const struct ipft_bpf *b, struct bpf_insn *insns, size_t n,
			   const struct ipft_clone_opts *o)
{
	for (size_t i = 0; i + 2 < n; i++) {
		if (ipft_is_marker(&insns[i], IPFT_MARK_RDONLY_CAST)) {
			if (ipft_bpf_casts(b, o->type))
				patch_rdonly_cast(&insns[i]);
		} else if (ipft_is_marker(&insns[i], IPFT_MARK_FUNC_ADDR)) {
			insns[i].imm = (int32_t)(uint32_t)o->func_addr;
			insns[i + 1].imm = (int32_t)(uint32_t)(o->func_addr >> 32);
		} else if (ipft_is_marker(&insns[i], IPFT_MARK_RET_SLOT) &&
			   insns[i + 2].code == (BPF_LDX | BPF_MEM | BPF_DW)) {
			insns[i + 2].off = (int16_t)(o->nargs * 8);
			if (o->returns_void)
				insns[i + 2] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
								  .dst_reg = insns[i + 2].dst_reg };
		} else if (ipft_is_marker(&insns[i], IPFT_MARK_ATOMIC_ADD) &&
			   insns[i + 2].code == (BPF_STX | BPF_ATOMIC | BPF_DW) &&
			   ipft_kernel_features()->atomic_fetch) {
			insns[i + 2].imm = BPF_ADD | BPF_FETCH;
		}
	}
}

/* A clone is the whole program: its template marker becomes 0. */
static void unmark_template(struct bpf_insn *insns, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (ipft_is_marker(&insns[i], IPFT_MARK_TEMPLATE))
			insns[i].imm = insns[i + 1].imm = 0;
}

/* The kernel's verifier log of a clone it refused, on stderr (-v): a
 * second load with the log on, which only a failure pays (a log of every
 * instruction verified doubles the start). */
static void print_verifier_log(enum bpf_prog_type type, const char *name,
			       const struct bpf_insn *insns, size_t n, const struct bpf_prog_load_opts *o)
{
	size_t log_size = 1 << 22;
	char *log = calloc(1, log_size);
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .expected_attach_type = o->expected_attach_type,
		    .attach_btf_id = o->attach_btf_id, .attach_btf_obj_fd = o->attach_btf_obj_fd,
		    .log_buf = log, .log_size = (unsigned)log_size, .log_level = 1);
	int fd;

	if (!log)
		return;
	fd = bpf_prog_load(type, name, "GPL", insns, n, &lo);
	if (fd >= 0)
		close(fd);
	else if (log[0])
		fprintf(stderr, "%s\n", log);
	free(log);
}

static atomic_ulong clones_loaded, clones_refused;
static atomic_ullong insns_verified;

void ipft_clone_stats(struct ipft_clone_stats *st)
{
	st->clones = atomic_load(&clones_loaded);
	st->refused = atomic_load(&clones_refused);
	st->verified = atomic_load(&insns_verified);
}

/* Counts a loaded clone, and with -v what the verifier processed. */
static void count_clone(const struct ipft_bpf *b, int fd, bool refused)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	atomic_fetch_add(&clones_loaded, 1);
	if (refused)
		atomic_fetch_add(&clones_refused, 1);
	if (b->verbose && bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
		atomic_fetch_add(&insns_verified, info.verified_insns);
}

/* Loads a clone with its function records (clone_btf.c) if it has any,
 * else, or if the kernel refuses them, without: then the verifier walks
 * the global functions on every path again, which only takes longer. */
static int load_clone(const struct ipft_bpf *b, enum bpf_prog_type type,
		      const struct bpf_program *tmpl, const struct bpf_insn *insns, size_t n,
		      struct bpf_prog_load_opts *lo)
{
	static atomic_bool told;
	struct ipft_clone_btf fi;
	bool refused = false;
	int fd = -1;

	if (ipft_clone_func_info(b->skel->obj, tmpl, insns, n, &fi) == 0 && fi.cnt) {
		lo->prog_btf_fd = (uint32_t)fi.btf_fd;
		lo->func_info = fi.func_info;
		lo->func_info_cnt = (uint32_t)fi.cnt;
		lo->func_info_rec_size = sizeof(*fi.func_info);
		fd = bpf_prog_load(type, bpf_program__name(tmpl), "GPL", insns, n, lo);
		refused = fd < 0;
		if (fd < 0 && b->verbose && !atomic_exchange(&told, true))
			fprintf(stderr, "ipft: the kernel refused %s with its function records (%s): "
				"verifying the clones whole\n", bpf_program__name(tmpl), strerror(errno));
		lo->prog_btf_fd = 0;
		lo->func_info = NULL;
		lo->func_info_cnt = lo->func_info_rec_size = 0;
		ipft_clone_btf_free(&fi);
	}
	if (fd < 0)
		fd = bpf_prog_load(type, bpf_program__name(tmpl), "GPL", insns, n, lo);
	if (fd >= 0)
		count_clone(b, fd, refused);
	return fd;
}

int ipft_prog_clone(const struct ipft_bpf *b, const struct bpf_program *tmpl,
		    uint32_t probe_id, const struct ipft_clone_opts *opts,
		    char *err, size_t errlen)
{
	const struct bpf_insn *orig = bpf_program__insns(tmpl);
	size_t n = bpf_program__insn_cnt(tmpl);
	struct bpf_insn *insns = NULL;
	LIBBPF_OPTS(bpf_prog_load_opts, lo,
		    .expected_attach_type = opts->expected_attach_type,
		    .attach_btf_id = opts->attach_btf_id,
		    .attach_btf_obj_fd = opts->attach_btf_obj_fd);
	int fd = -1;

	if (!orig || !n || bpf_program__fd(tmpl) < 0) {
		snprintf(err, errlen, "template %s was not loaded", bpf_program__name(tmpl));
		goto out;
	}
	if (ipft_filter_splice(orig, n, &insns, &n, err, errlen) < 0)
		goto out;
	if (patch_probe_id(insns, n, probe_id, opts->role) == 0 && !opts->cookie_ident) {
		snprintf(err, errlen, "template %s lacks the probe id marker", bpf_program__name(tmpl));
		goto out;
	}
	patch_features(b, insns, n, opts);
	unmark_template(insns, n);
	fd = load_clone(b, opts->type, tmpl, insns, n, &lo);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "the kernel refused program %s: %s", bpf_program__name(tmpl),
			 strerror(e));
		if (b->verbose)
			print_verifier_log(opts->type, bpf_program__name(tmpl), insns, n, &lo);
	}
out:
	free(insns);
	return fd;
}
