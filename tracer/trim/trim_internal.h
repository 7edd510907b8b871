/* trim_internal.h - what the parts of ipft trim share. */
#ifndef IPFT_TRIM_INTERNAL_H
#define IPFT_TRIM_INTERNAL_H

#include "codec/ipft_format.h"
#include "pcapng/pcapng.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What is left out (the flags). */
#define TRIM_PAYLOAD   0x1u /* --payload: bytes after the headers */
#define TRIM_CMDLINE   0x2u /* --cmdline: SHB comment, RUN_INFO cmdline */
#define TRIM_HOST      0x4u /* --host: shb_os, shb_hardware (if_os, if_hardware) */
#define TRIM_ADDRESSES 0x8u /* --addresses: FUNC_ADDR, DROP_LOCATION */
#define TRIM_ALL       0xfu

#define TRIM_MAX_IFACES 65536
#define TRIM_MAX_PARTS 64 /* trace options gathered from one EPB */

/* A trace carried in Custom Blocks, gathered part by part. */
struct trim_pending {
	struct ipft_trace *t;       /* NULL: none */
	uint16_t parts, got, last;  /* part count, parts gathered, the last one's index */
};

struct trimmer {
	unsigned what;                /* TRIM_* */
	const char *in, *out;
	struct pcapng_reader *r;
	struct pcapng_writer *w;
	struct pcapng_opts opts;
	uint16_t *linktypes;          /* of the current section's interfaces */
	size_t n_ifaces;
	struct trim_pending pending;
	struct {                      /* the ipft traces of the EPB being copied */
		const uint8_t *recs[TRIM_MAX_PARTS];
		size_t lens[TRIM_MAX_PARTS], n;
	} epb;
	uint64_t packets, left_out;   /* EPBs written; blocks and options not understood */
	bool write_failed;
	char err[512];
};

/* trim_blocks.c: one block of IN to OUT; 0, or -1 with t->err set. */
int trim_block(struct trimmer *t, const struct pcapng_block *b);
/* Writes the trace gathered from Custom Blocks, if any; 0 or -1. */
int trim_flush_pending(struct trimmer *t);

/* trim_opts.c: copies option o of block b into t->opts, values in host
 * byte order; unknown ones only from a section of this host's order.
 * 0, or -1 (t->opts full). */
int trim_copy_option(struct trimmer *t, const struct pcapng_block *b,
		     const struct pcapng_option *o);

/* trim_trace.c: traces without kernel addresses. */
/* The TRACE records of one EPB at offset (parts in order) into t->opts. */
int trim_trace_options(struct trimmer *t, uint64_t offset, const uint8_t *const *recs,
		       const size_t *lens, size_t n);
/* One TRACE record of a Custom Block at offset; written, or gathered
 * until its last part. */
int trim_trace_block(struct trimmer *t, uint64_t offset, const uint8_t *rec, size_t len);

/* trim_info.c: the RUN_INFO record without the command line, with the
 * list of what was trimmed; written as a Custom Block.  0 or -1. */
int trim_run_info(struct trimmer *t, uint64_t offset, const uint8_t *rec, size_t len);
/* "payload, cmdline, host, addresses": what t leaves out, by flag. */
const char *trim_what(unsigned what, char *buf, size_t len);

/* Sets t->err to "IN: offset N: WHAT"; returns -1. */
int trim_bad_input(struct trimmer *t, uint64_t offset, const char *what);

#endif
