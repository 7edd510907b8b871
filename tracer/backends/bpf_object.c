/* prog_load.c - load ipft's BPF object and clones of its templates.
 *
 * libbpf keeps a program's relocated instructions after load, so a template
 * that passed the verifier once can be loaded again as many programs as
 * there are attach points: map references are already resolved to fds.
 * Each clone gets its attach point's id in place of the marker constant of
 * ipft_probe_ident() (bpf/skb_event.bpf.h).
 */
#include "tracer/backends/bpf_object.h"
#include "tracer/backends/backend.h"
#include "tracer/cli/options.h"
#include "tracer/filter/filter.h"

#include <linux/types.h>
#include "bpf/ipft_shared.h"
#include "ipft.skel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether p can be the target a typed template is verified against. */
static bool fits(const struct ipft_probe *p, const char *tmpl)
{
	const char *t;
	int pos;

	if (p->btf_obj_fd != 0)
		return false; /* vmlinux only: the template names it */
	if (p->type == IPFT_PROBE_TRACEPOINT)
		return (t = ipft_tp_template(p, true)) && strcmp(t, tmpl) == 0;
	if ((strncmp(tmpl, "ipft_fe_skb", 11) != 0 && strncmp(tmpl, "ipft_fx_skb", 11) != 0))
		return false;
	pos = tmpl[11] - '0';
	return p->type == IPFT_PROBE_FUNCTION && p->skb_arg == pos && p->plain_proto;
}

/* Gives each typed template (tp_btf; fentry/fexit when that backend is in
 * use) the first probe it fits; a template nothing fits is not loaded
 * (tracepoint clones then fall back to raw_tp). */
static void set_typed_targets(struct ipft_skel *s, const struct ipft_probe_set *probes,
			      unsigned backends)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, s->obj) {
		const char *name = bpf_program__name(prog);
		bool set = false;

		if (strncmp(name, "ipft_tpb_", 9) != 0 &&
		    ((strncmp(name, "ipft_fe_", 8) != 0 && strncmp(name, "ipft_fx_", 8) != 0) ||
		     !(backends & IPFT_BACKEND_FENTRY)))
			continue;
		for (size_t i = 0; probes && i < probes->n && !set; i++) {
			const struct ipft_probe *p = &probes->v[i];
			if (fits(p, name) && bpf_program__set_attach_target(prog, 0, p->name) == 0)
				set = true;
		}
		if (!set)
			bpf_program__set_autoload(prog, false);
	}
}

/* The function templates load only when their backend is in use. */
static void set_function_autoload(struct ipft_skel *s, unsigned backends)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, s->obj) {
		const char *name = bpf_program__name(prog);
		if (strncmp(name, "ipft_kpm_", 9) == 0)
			bpf_program__set_autoload(prog, backends & IPFT_BACKEND_KPROBE_MULTI);
		else if (strncmp(name, "ipft_kp_", 8) == 0)
			bpf_program__set_autoload(prog, backends & IPFT_BACKEND_KPROBE);
		else if (strncmp(name, "ipft_fe_", 8) == 0 || strncmp(name, "ipft_fx_", 8) == 0)
			bpf_program__set_autoload(prog, backends & IPFT_BACKEND_FENTRY);
	}
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
		.pcap_filter = ipft_filter_active(cfg),
	};

	memcpy(c.ifname, cfg->ifname, sizeof(c.ifname));
	s->rodata->cfg = c;
}

int ipft_bpf_open_load(struct ipft_bpf *b, const struct ipft_config *cfg,
		       const struct ipft_probe_set *probes, unsigned backends,
		       char *err, size_t errlen)
{
	struct ipft_skel *s = ipft_skel__open();
	int rc;

	b->skel = NULL;
	b->verbose = cfg->verbose;
	if (!s) {
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
		return -1;
	}
	set_config(s, cfg);
	set_function_autoload(s, backends);
	set_typed_targets(s, probes, backends);
	bpf_map__set_max_entries(s->maps.live, cfg->max_inflight);
	bpf_map__set_max_entries(s->maps.started, cfg->max_inflight);
	bpf_map__set_max_entries(s->maps.events, cfg->ringbuf_bytes);
	rc = ipft_skel__load(s);
	if (rc) {
		snprintf(err, errlen, "cannot load the BPF object: %s%s", strerror(-rc),
			 cfg->verbose ? "" : " (run with -v to see the verifier's log)");
		ipft_skel__destroy(s);
		return -1;
	}
	b->skel = s;
	return 0;
}

void ipft_bpf_close(struct ipft_bpf *b)
{
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

int64_t *ipft_bpf_n_live(const struct ipft_bpf *b)
{
	return (int64_t *)&b->skel->bss->n_live;
}

struct bpf_program *ipft_bpf_template(const struct ipft_bpf *b, const char *name)
{
	return bpf_object__find_program_by_name(b->skel->obj, name);
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

int ipft_prog_clone(const struct ipft_bpf *b, const struct bpf_program *tmpl,
		    uint32_t probe_id, const struct ipft_clone_opts *opts,
		    char *err, size_t errlen)
{
	const struct bpf_insn *orig = bpf_program__insns(tmpl);
	size_t n = bpf_program__insn_cnt(tmpl);
	struct bpf_insn *insns = NULL;
	size_t log_size = b->verbose ? 1 << 22 : 0;
	char *log = log_size ? calloc(1, log_size) : NULL;
	LIBBPF_OPTS(bpf_prog_load_opts, lo,
		    .expected_attach_type = opts->expected_attach_type,
		    .attach_btf_id = opts->attach_btf_id,
		    .attach_btf_obj_fd = opts->attach_btf_obj_fd,
		    .log_buf = log, .log_size = (unsigned)log_size,
		    .log_level = log ? 1 : 0);
	int fd = -1;

	if (!orig || !n) {
		snprintf(err, errlen, "template %s has no instructions", bpf_program__name(tmpl));
		goto out;
	}
	if (ipft_filter_splice(orig, n, &insns, &n, err, errlen) < 0)
		goto out;
	if (patch_probe_id(insns, n, probe_id, opts->role) == 0 && !opts->cookie_ident) {
		snprintf(err, errlen, "template %s lacks the probe id marker", bpf_program__name(tmpl));
		goto out;
	}
	fd = bpf_prog_load(opts->type, bpf_program__name(tmpl), "GPL", insns, n, &lo);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "the kernel refused program %s: %s", bpf_program__name(tmpl),
			 strerror(e));
		if (log && log[0])
			fprintf(stderr, "%s\n", log);
	}
out:
	free(insns);
	free(log);
	return fd;
}
