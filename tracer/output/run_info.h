/* run_info.h - what a run records about itself (file metadata, stats). */
#ifndef IPFT_RUN_INFO_H
#define IPFT_RUN_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The program and machine that wrote the file (SHB options, RUN_INFO's
 * kernel).  A run records its own; the sample generator passes fixed
 * ones so that its files are reproducible.  An empty string is left out
 * of the file. */
struct ipft_run_host {
	char application[64];  /* shb_userappl, "ipft 0.1.0" */
	char os[256];          /* shb_os, "Linux 6.1.0-13-amd64 #1 SMP ..." */
	char hardware[80];     /* shb_hardware, "x86_64" */
	char kernel[80];       /* the release, "6.1.0-13-amd64" */
};

/* This program on this machine (uname); the OS strings stay empty when
 * uname fails. */
void ipft_run_host_now(struct ipft_run_host *h);

struct ipft_run_info {
	const char *cmdline;
	const char *backend;
	const char *const *probe_names;  /* attached points, "skb:kfree_skb" */
	size_t n_probes;
	uint32_t snaplen;
	uint64_t start_real_ns;
	const struct ipft_run_host *host;  /* NULL: ipft_run_host_now() */
};

struct ipft_clock_change;

struct ipft_run_stats {
	uint64_t events;          /* hits the kernel sent */
	uint64_t packets;         /* packets that entered the trace */
	uint64_t lost_ringbuf;    /* records lost: ring buffer full */
	uint64_t lost_mapfull;    /* packets not tracked: tracking map full */
	uint64_t stale;           /* skb addresses reused without a free we saw */
	uint64_t evicted;         /* packets ended early to make room in the full map */
	uint64_t lost_evict_race; /* hits landing while another CPU ended their packet */
	uint64_t lost_nested;     /* hits the kernel skipped: the program already ran there */
	uint64_t over_cap;        /* hits dropped past the per-packet cap (flagged truncated) */
	bool trigger;             /* --trigger: the two counters below are written */
	uint64_t discarded;       /* packets followed that never met it, not sent */
	uint64_t trigger_overflow; /* packets sent without their oldest hits (held, they
	                            * outgrew the kernel's slots) */
	const struct ipft_clock_change *clock_changes; /* the first changes of the wall clock */
	size_t n_clock_changes;
	uint64_t n_clock_changes_total;  /* every change */
	int64_t clock_steps_sum;         /* their sum, ns */
	uint64_t written;         /* packets written */
	uint64_t partial;         /* ... of which partial */
	uint64_t end_real_ns;
};

#endif
