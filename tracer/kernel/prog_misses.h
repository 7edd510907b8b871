/* prog_misses.h - hits the kernel did not run ipft's programs for.
 *
 * A BPF program does not run again on a CPU where it is already running
 * (an interrupt inside a traced call reaching the same attach point): the
 * kernel skips it and counts a miss in the program's recursion_misses
 * (fentry/fexit from 5.12, tracepoints from 6.2, kprobes from 6.7; older
 * kernels skip without counting, or, for tracepoints, do not skip).  Such
 * a hit is an event lost, and can be a packet not followed.
 */
#ifndef IPFT_PROG_MISSES_H
#define IPFT_PROG_MISSES_H

#include <stdint.h>

/* The sum of recursion_misses over every BPF program this process holds
 * open (each once, whatever backend loaded it). */
uint64_t ipft_prog_misses(void);

#endif
