/* backend.h - the interface of a backend: one kernel mechanism that runs
 * ipft's BPF code at probes (tracer/probes/probe.h): tp_btf/raw
 * tracepoints, kprobe, kprobe-multi, fentry/fexit.  All backends share the
 * BPF object (maps, filters, tracking) and the event stream; they differ
 * only in how their programs are loaded and attached.
 */
#ifndef IPFT_BACKEND_H
#define IPFT_BACKEND_H

#include "tracer/probes/probe.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One bit per backend, for ipft_probe.backends.  The functions backends
 * take the next bits. */
enum ipft_backend_id {
	IPFT_BACKEND_TRACEPOINT = 1u << 0,
	IPFT_BACKEND_KPROBE_MULTI = 1u << 1,
	IPFT_BACKEND_KPROBE = 1u << 2,
	IPFT_BACKEND_FENTRY = 1u << 3,
};

struct ipft_bpf;       /* the loaded BPF object: tracer/backends/bpf_object.h */
struct ipft_template;  /* a template program of it: the same header */
struct ipft_backend;
struct ipft_kallsyms;  /* tracer/kernel/kallsyms.h */

/* One backend's share of a run: the probes it attaches and what it made
 * for them, held until detach.  A probe's own program and link are kept
 * in the probe; what several probes share (the kprobe backends' programs,
 * kprobe-multi's links) in state. */
struct ipft_attachment {
	const struct ipft_backend *backend;
	struct ipft_probe **probes;
	size_t n, attached;
	void *state;           /* the backend's own; NULL before attach and after detach */
};

/* A probe's ident as the BPF side reads it (an attach cookie, or the
 * constant patched into a clone): probe id low, IPFT_ROLE_* bits high. */
static inline uint64_t ipft_probe_ident_of(uint32_t probe_id, uint32_t role)
{
	return (uint64_t)probe_id | (uint64_t)role << 32;
}

/* What attach() gets besides the attachment. */
struct ipft_attach_ctx {
	struct ipft_bpf *bpf;  /* load clones with ipft_prog_clone() */
	/* ipft's table of /proc/kallsyms (NULL: none), for the backends
	 * that need the functions' addresses (func_addr.h). */
	const struct ipft_kallsyms *ksyms;
	bool verbose;          /* say on stderr why a probe was skipped */
	/* Called now and then with the probes handled so far (may be NULL). */
	void (*progress)(size_t done, size_t total, void *arg);
	void *progress_arg;
};

struct ipft_backend {
	const char *name;
	unsigned id;
	enum ipft_probe_type probes;
	bool returns;          /* traces returns too: the -t function_graph backend */
	/* 0 if the running kernel lets this backend work; otherwise -1 and a
	 * one-sentence reason in why. */
	int (*available)(char *why, size_t len);
	/* Whether this backend could attach p (type, argument position, ...);
	 * static, used for -l before anything is loaded. */
	bool (*can_attach)(const struct ipft_probe *p);
	/* Its template programs (in bpf/backends/): loaded with the
	 * object when it has probes to attach, never otherwise. */
	const struct ipft_template *templates;
	size_t n_templates;
	/* Whether this run uses template t (NULL: every one).  Each template
	 * loaded is a verification, unused ones are left out. */
	bool (*wants)(const struct ipft_template *t);
	/* Whether the typed template t can be verified against p at load:
	 * the loader takes the first of the backend's probes that fits, and
	 * leaves t unloaded when none does.  NULL without typed templates. */
	bool (*fits)(const struct ipft_template *t, const struct ipft_probe *p);
	/* Attaches a->probes (all accepted by can_attach); 0 or -1 with a
	 * message in err.  Probes that fail are reported and skipped when
	 * others attached (their link_fd stays -1); a->attached counts the
	 * ones that worked. */
	int (*attach)(const struct ipft_attach_ctx *ctx, struct ipft_attachment *a, char *err,
		      size_t errlen);
	/* Detaches and closes everything attach() made, also after a failed
	 * attach() or none. */
	void (*detach)(struct ipft_attachment *a);
};

/* All backends, best first (tracer/backends/backends.c): -b auto takes the first
 * one whose available() says yes.  Adding a backend is a file defining a
 * struct ipft_backend plus one line in that table. */
extern const struct ipft_backend *const ipft_backends[];
const struct ipft_backend *ipft_backend_find(const char *name);
/* Sets each probe's backends mask from the backends' can_attach(). */
void ipft_backends_mark_probes(struct ipft_probe_set *set);

#endif
