/* bpf_object.h - ipft's loaded BPF object and the program loader.
 *
 * The object (bpf/ipft.bpf.c) is opened, configured and loaded once; it
 * holds the maps and the templates.  Every attached program is a clone of
 * a template, loaded by ipft_prog_clone() with its probe id patched in and,
 * when a pcap filter is set, the filter spliced in (tracer/filter/filter.h).
 */
#ifndef IPFT_BPF_OBJECT_H
#define IPFT_BPF_OBJECT_H

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stdint.h>

struct ipft_config;

struct ipft_ext;
struct ipft_maps_job;
struct ipft_open_job;

struct ipft_bpf {
	struct ipft_skel *skel;
	struct ipft_ext *ext;      /* -e: linked in at open (set before; NULL: none) */
	/* Started before load (tracer/backends/ahead.h), taken by it; NULL: none. */
	struct ipft_open_job *open_job;
	struct ipft_maps_job *maps_job;
	struct bpf_link *hooks[8]; /* the collectors' own (tracer/collectors/hooks.c) */
	size_t n_hooks;
	bool verbose;
};

struct ipft_attachment;

/* A template program of the object, as the backend that clones it
 * declares it (struct ipft_backend.templates): its own programs, in
 * bpf/backends/<backend>.bpf.h. */
struct ipft_template {
	const char *prog;      /* the program's name in the object */
	int skb_arg;           /* where it finds the skb among the arguments */
	unsigned variant;      /* the backend's own: which free, entry or return, ... */
	bool typed;            /* verified against one attach target at load
	                        * (tp_btf, fentry/fexit): see struct ipft_backend.fits */
	const char *cast_prog; /* its twin reading the skb through bpf_rdonly_cast,
	                        * loaded instead where ipft_bpf_casts() (NULL: none) */
};

/* The template of table[0..n) for this variant, skb position and
 * typedness; NULL if there is none. */
const struct ipft_template *ipft_template_find(const struct ipft_template *table, size_t n,
					       unsigned variant, int skb_arg, bool typed);

/* Opens, configures (rodata, map sizes) and loads the object, with the
 * templates of the backends that have probes to attach in parts[0..n)
 * and no others (a kernel without kprobes or kprobe-multi may refuse
 * theirs).  A typed template is verified against the first of its
 * backend's vmlinux probes it fits, and left unloaded when none does. */
int ipft_bpf_open_load(struct ipft_bpf *b, const struct ipft_config *cfg,
		       const struct ipft_attachment *parts, size_t n_parts,
		       char *err, size_t errlen);
void ipft_bpf_close(struct ipft_bpf *b);
/* Ends the jobs started ahead and drops what they made (a start that
 * failed before load). */
void ipft_bpf_ahead_end(struct ipft_bpf *b);
int ipft_bpf_events_fd(const struct ipft_bpf *b);
int ipft_bpf_stats_fd(const struct ipft_bpf *b);
/* The tracking map, and its entry count shared with the programs. */
int ipft_bpf_live_fd(const struct ipft_bpf *b);
int64_t *ipft_bpf_n_live(const struct ipft_bpf *b);
/* The program that ends one tracked packet for ipft's sweep
 * (bpf/sweep.bpf.h), run with BPF_PROG_TEST_RUN. */
int ipft_bpf_sweep_fd(const struct ipft_bpf *b);
/* The kprobe backend's functions by address (kernels without attach
 * cookies: tracer/backends/kprobe.c). */
int ipft_bpf_kprobe_idents_fd(const struct ipft_bpf *b);
/* The loaded program of a template (bpf_program__fd() < 0 when it was left
 * unloaded): its cast twin where ipft_bpf_casts(); NULL for no template. */
struct bpf_program *ipft_bpf_program(const struct ipft_bpf *b, const struct ipft_template *t);

/* Whether programs of this type read their skb through bpf_rdonly_cast:
 * the kernel lets them (tracer/kernel/features.c), and no extension is
 * linked in (with one, templates are verified whole as libbpf loads them,
 * before the loader makes the call a cast). */
bool ipft_bpf_casts(const struct ipft_bpf *b, enum bpf_prog_type type);

struct ipft_clone_opts {
	enum bpf_prog_type type;
	enum bpf_attach_type expected_attach_type;
	uint32_t attach_btf_id;
	int attach_btf_obj_fd;
	uint32_t role;         /* IPFT_ROLE_* of bpf/ipft_event.h */
	bool cookie_ident;     /* the program reads its probe id from the attach
	                        * cookie: no marker to patch */
	/* For kernels without bpf_get_func_ip / bpf_get_func_ret
	 * (bpf/ipft_features.h): the function's address, and its number of
	 * arguments (the return value's slot in an fexit context), or that
	 * it returns nothing (5.10 refuses a read of that slot). */
	uint64_t func_addr;
	int nargs;
	bool returns_void;
};

/* Loads a copy of tmpl's instructions as a new program for probe_id (and
 * opts->role, opts->func_addr, opts->nargs, and the packet counter's
 * fetch-and-add where the kernel has one).
 * Returns the program fd, or -1 with a message in err. */
int ipft_prog_clone(const struct ipft_bpf *b, const struct bpf_program *tmpl,
		    uint32_t probe_id, const struct ipft_clone_opts *opts,
		    char *err, size_t errlen);

/* Whether insn (two slots) is an ld_imm64 of the marker constant mark
 * (bpf/ipft_shared.h). */
bool ipft_is_marker(const struct bpf_insn *insn, uint64_t mark);

/* What loading the clones took so far (ipft -v). */
struct ipft_clone_stats {
	unsigned long clones;         /* loaded */
	unsigned long refused;        /* of those, verified whole: their function records refused */
	unsigned long long verified;  /* instructions the verifier processed: with -v, 5.16+ */
};
void ipft_clone_stats(struct ipft_clone_stats *st);

#endif
