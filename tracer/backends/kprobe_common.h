/* kprobe_common.h - what the kprobe and kprobe-multi backends share: the
 * program clones (one for every function's entry, its probe id, roles and
 * skb position from the attach cookie; templates in
 * bpf/backends/kprobe_common.bpf.h), the state they hold while attached,
 * and the kernel checks. */
#ifndef IPFT_KPROBE_COMMON_H
#define IPFT_KPROBE_COMMON_H

#include "tracer/backends/backend.h"

#include <stdint.h>

#include <linux/types.h>
#include "bpf/ipft_shared.h"


/* The roles whose functions get a return probe too (makers of new skbs,
 * bpf/derive.bpf.h): clone, copy, segments, merges, reassembly (0 or 1
 * returned), a data buffer moved. */
#define IPFT_KPROBE_RETURN_ROLES 7
/* A template's variant: the return program (else an entry's). */
#define IPFT_KPROBE_RETURN 1
/* Room for the return links: one per maker function (kprobe), or one
 * per role (kprobe-multi); tracer/probes/function_role.c has 11 of them. */
#define IPFT_KPROBE_RETURN_LINKS 16

/* What a kprobe backend holds while attached (its attachment's state):
 * the program every function's entry runs, and for kprobe-multi the one
 * link that attaches them all; the return programs (kprobe: one per
 * maker role; kprobe-multi: one in [0] for every role, read from the
 * cookie) and the links that attach them; -1 where none. */
struct ipft_kprobe_state {
	int prog_fd;
	int link_fd;
	int ret_prog_fd[IPFT_KPROBE_RETURN_ROLES];
	int ret_link_fd[IPFT_KPROBE_RETURN_LINKS];
	size_t n_ret_links;
};

/* A state that holds nothing yet; NULL when out of memory. */
struct ipft_kprobe_state *ipft_kprobe_state_new(void);
/* Closes the links, then the programs, and frees st (NULL is fine). */
void ipft_kprobe_state_free(struct ipft_kprobe_state *st);

/* The attach cookie of p: its id, its role bits above, and its skb's
 * position on top (IPFT_IDENT_SKB_ARG_SHIFT). */
uint64_t ipft_kprobe_cookie(const struct ipft_probe *p);
/* Which return program p's function needs (an index of
 * st->ret_prog_fd), -1 for none: it makes no skbs. */
int ipft_kprobe_return_role(const struct ipft_probe *p);
/* Loads the programs a's probes need, on as many threads as there are
 * CPUs (each is a whole verification): the entry program into
 * st->prog_fd, and if some probe makes skbs the return programs into
 * st->ret_prog_fd (kprobe-multi: one, [0], the roles in the cookies;
 * kprobe: one per role some probe has, the role patched in).  0, or -1
 * with why. */
int ipft_kprobe_load(const struct ipft_attach_ctx *ctx, const struct ipft_attachment *a,
		     bool multi, struct ipft_kprobe_state *st, char *why, size_t len);
/* 0 if the kernel has kprobes, else -1 and one sentence in why. */
int ipft_kprobe_available(char *why, size_t len);
/* The perf event type of kprobes, -1 without. */
int ipft_kprobe_pmu_type(void);
/* The bit of a kprobe perf event's config that makes it a return probe
 * (its PMU's format/retprobe), -1 if unknown. */
int ipft_kprobe_retprobe_bit(void);

#endif
