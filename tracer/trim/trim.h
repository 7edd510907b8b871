/* trim.h - ipft trim IN OUT: a copy of an ipft file fit for a bug report.
 *
 * Reads a pcapng file that ipft wrote and writes it again without what a
 * bug report should not carry: the packets' payload (cut after their
 * headers, tracer/output/headers.h), the command line, the host's OS
 * build and hardware, the kernel addresses in the traces (sym+off stays).
 * The flags choose; none means all four.  Blocks and options ipft does
 * not write are left out.  docs/usage.md, "Trimming a file".
 */
#ifndef IPFT_TRIM_H
#define IPFT_TRIM_H

/* argv[0] is "trim".  Returns the exit status: 0, 1 (bad usage or input),
 * 2 (writing OUT failed; OUT is removed). */
int ipft_trim_main(int argc, char **argv);

#endif
