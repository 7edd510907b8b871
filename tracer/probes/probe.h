/* probe.h - attach points (probes): the places where ipft sees skbs, and
 * how they are found.
 *
 * A probe is a tracepoint or a kernel function with a struct sk_buff *
 * among its arguments, found in the kernel's BTF (tracer/probes/
 * tracepoints.c, functions.c).  Backends (tracer/backends/backend.h)
 * attach them.
 */
#ifndef IPFT_PROBE_H
#define IPFT_PROBE_H

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
	uint8_t args_mask;     /* tracepoint: the scalar arguments -x tpargs copies, by
	                        * position (tracer/collectors/tpargs.h) */
	unsigned backends;     /* IPFT_BACKEND_* bits of the backends that can
	                        * attach it (tracer/backends/backend.h) */
	/* set by the backend while attached, -1 otherwise */
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

/* A new probe at the end of set, zeroed but for its fds (-1); NULL when
 * out of memory (tracer/probes/probe.c). */
struct ipft_probe *ipft_probe_set_push(struct ipft_probe_set *set);
void ipft_probe_set_free(struct ipft_probe_set *set);

/* Every tracepoint with a struct sk_buff * argument. */
int ipft_probes_add_tracepoints(struct ipft_probe_set *set, char *err, size_t errlen);
/* Every kernel function (vmlinux and modules) with a struct sk_buff *
 * among its first IPFT_REG_ARGS arguments that ftrace can attach to; what
 * is left out is counted, and named with verbose.  job: the list of
 * functions ftrace can attach to, read ahead on a thread (ended here), or
 * NULL to read it now.  A job not taken is dropped. */
struct ipft_functions_job;
struct ipft_functions_job *ipft_probes_functions_start(void);
int ipft_probes_add_functions(struct ipft_probe_set *set, struct ipft_functions_job *job,
			      bool verbose, char *err, size_t errlen);
void ipft_probes_functions_drop(struct ipft_functions_job *job);
/* IPFT_ROLE_* bits of a kernel function (bpf/ipft_event.h):
 * tracer/probes/function_role.c. */
uint32_t ipft_function_role(const char *name);

/* BTF helpers of the discovery (tracer/probes/probe.c). */
struct btf;
struct btf_type;
/* The type id refers to, past typedefs and qualifiers. */
const struct btf_type *ipft_btf_skip_mods(const struct btf *btf, uint32_t id);
/* Whether id is a struct sk_buff *. */
bool ipft_btf_is_skb_ptr(const struct btf *btf, uint32_t id);

#endif
