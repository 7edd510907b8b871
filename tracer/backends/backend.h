/* backend.h - attach points (probes) and the backends that attach them.
 *
 * A probe is one place where ipft sees skbs: a tracepoint or a kernel
 * function.  A backend is one kernel mechanism that runs ipft's BPF code
 * there (tp_btf/raw tracepoints, kprobe, kprobe-multi, fentry/fexit).  All
 * backends share the BPF object (maps, filters, tracking) and the event
 * stream; they differ only in how their programs are loaded and attached.
 */
#ifndef IPFT_BACKEND_H
#define IPFT_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ipft_probe_type {
	IPFT_PROBE_TRACEPOINT,
	IPFT_PROBE_FUNCTION,
};

struct ipft_probe {
	uint32_t id;           /* index in the tracer's table; carried by every hit */
	char *name;            /* "kfree_skb" (tracepoint) or "ip_rcv" (function) */
	char *category;        /* tracepoint system ("skb"), NULL if unknown */
	enum ipft_probe_type type;
	int skb_arg;           /* 0-based position of the struct sk_buff * */
	int nargs;
	uint32_t btf_id;       /* typedef btf_trace_X, or the FUNC */
	int btf_obj_fd;        /* BTF object holding btf_id: 0 for vmlinux, else a
	                        * module's BTF fd (owned by the probe set) */
	uint64_t addr;         /* function address (kallsyms), 0 if unknown */
	bool plain_proto;      /* function: arguments and return are scalars or
	                        * pointers (any kernel's trampoline takes it) */
	bool returns_void;     /* function: its return has no value */
	unsigned backends;     /* bitmask of IPFT_BACKEND_* that can attach it */
	/* set while attached */
	int prog_fd;
	int link_fd;
	int ret_prog_fd;       /* the return's program and link (fexit), or -1 */
	int ret_link_fd;
};

struct ipft_probe_set {
	struct ipft_probe *v;
	size_t n, cap;
	int *btf_fds;          /* module BTF fds the probes refer to; closed on free */
	size_t n_btf_fds;
};

/* One bit per backend, for ipft_probe.backends.  The functions backends
 * take the next bits. */
enum ipft_backend_id {
	IPFT_BACKEND_TRACEPOINT = 1u << 0,
	IPFT_BACKEND_KPROBE_MULTI = 1u << 1,
	IPFT_BACKEND_KPROBE = 1u << 2,
	IPFT_BACKEND_FENTRY = 1u << 3,
};

struct ipft_bpf;  /* the loaded BPF object: tracer/backends/bpf_object.h */

/* What attach() gets besides the probes. */
struct ipft_attach_ctx {
	struct ipft_bpf *bpf;  /* load clones with ipft_prog_clone() */
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
	/* Attaches the probes given (all accepted by can_attach); 0 or -1 with
	 * a message in err.  Probes that fail are reported and skipped when
	 * others attached (their prog_fd/link_fd stay -1); *attached counts
	 * the ones that worked. */
	int (*attach)(const struct ipft_attach_ctx *ctx, struct ipft_probe **probes, size_t n,
		      size_t *attached, char *err, size_t errlen);
	/* Detaches and closes every probe given; safe on probes not attached. */
	void (*detach)(struct ipft_probe **probes, size_t n);
};

/* All backends, best first (tracer/backends/backends.c): -b auto takes the first
 * one whose available() says yes.  Adding a backend is a file defining a
 * struct ipft_backend plus one line in that table. */
extern const struct ipft_backend *const ipft_backends[];
const struct ipft_backend *ipft_backend_find(const char *name);
/* Sets each probe's backends mask from the backends' can_attach(). */
void ipft_backends_mark_probes(struct ipft_probe_set *set);

/* The template program a tracepoint's clone is made from: typed (tp_btf)
 * or raw_tp; NULL if none fits (tracer/backends/tracepoint.c). */
const char *ipft_tp_template(const struct ipft_probe *p, bool typed);

/* Probe discovery (tracer/probes/tracepoints.c, tracer/probes/functions.c). */
int ipft_probes_add_tracepoints(struct ipft_probe_set *set, char *err, size_t errlen);
/* Every kernel function (vmlinux and modules) with a struct sk_buff *
 * among its first six arguments that ftrace can attach to; what is left
 * out is counted, and named with verbose. */
int ipft_probes_add_functions(struct ipft_probe_set *set, bool verbose, char *err, size_t errlen);
/* IPFT_ROLE_* bits of a kernel function (bpf/ipft_event.h):
 * tracer/probes/function_role.c. */
uint32_t ipft_function_role(const char *name);
struct btf;
struct btf_type;
const struct btf_type *ipft_btf_skip_mods(const struct btf *btf, uint32_t id);
bool ipft_btf_is_skb_ptr(const struct btf *btf, uint32_t id);
void ipft_probe_set_free(struct ipft_probe_set *set);
struct ipft_probe *ipft_probe_set_push(struct ipft_probe_set *set);

#endif
