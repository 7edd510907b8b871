/* backend.h - attach points (probes) and the backends that attach them.
 *
 * A probe is one place where ipft sees skbs: a tracepoint or a kernel
 * function.  A backend is one kernel mechanism that runs ipft's BPF code
 * there (raw tracepoints; later kprobe, kprobe-multi, fentry/fexit).  All
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
	unsigned backends;     /* bitmask of IPFT_BACKEND_* that can attach it */
	/* set while attached */
	int prog_fd;
	int link_fd;
};

struct ipft_probe_set {
	struct ipft_probe *v;
	size_t n, cap;
};

enum ipft_backend_id {
	IPFT_BACKEND_TRACEPOINT = 1u << 0,
};

struct ipft_bpf;  /* the loaded BPF object: tracer/bpf_object.h */

struct ipft_backend {
	const char *name;
	unsigned id;
	enum ipft_probe_type probes;
	/* 0 if the running kernel lets this backend work; otherwise -1 and a
	 * one-sentence reason in why. */
	int (*available)(char *why, size_t len);
	/* Attaches the probes given (all of this backend's type); 0 or -1 with
	 * a message in err.  Probes that fail are reported and skipped when
	 * others attached; *attached counts the ones that worked. */
	int (*attach)(struct ipft_bpf *bpf, struct ipft_probe **probes, size_t n,
		      size_t *attached, bool verbose, char *err, size_t errlen);
	void (*detach)(struct ipft_probe **probes, size_t n);
};

/* All backends, best first (tracer/backends.c). */
extern const struct ipft_backend *const ipft_backends[];
const struct ipft_backend *ipft_backend_find(const char *name);

/* Probe discovery (tracer/probes_tracepoint.c). */
int ipft_probes_add_tracepoints(struct ipft_probe_set *set, char *err, size_t errlen);
void ipft_probe_set_free(struct ipft_probe_set *set);
struct ipft_probe *ipft_probe_set_push(struct ipft_probe_set *set);

#endif
