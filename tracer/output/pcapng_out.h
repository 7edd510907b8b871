/* pcapng_out.h - write traced packets as pcapng (docs/format.md). */
#ifndef IPFT_PCAPNG_OUT_H
#define IPFT_PCAPNG_OUT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

struct ipft_packet;
struct ipft_run_info;
struct ipft_run_stats;
struct ipft_pcapng_out;

/* "-" writes to stdout, flushed after every packet for live readers. */
struct ipft_pcapng_out *ipft_pcapng_out_open(const char *path, const struct ipft_run_info *ri,
					     bool trace_blocks, char *err, size_t errlen);
/* From now on each packet is cut after its headers (headers.h): no
 * payload reaches the file; the EPB's original length stays the real one. */
void ipft_pcapng_out_headers_only(struct ipft_pcapng_out *o);
/* From now on every key/value is a KV attribute of its own, none packed:
 * files as ipft wrote them before packing (samples/kv.pcapng). */
void ipft_pcapng_out_kv_only(struct ipft_pcapng_out *o);
/* 0 or -1 (write failed; see ipft_pcapng_out_error). */
int ipft_pcapng_out_packet(struct ipft_pcapng_out *o, const struct ipft_packet *p);
/* Pushes buffered packets to the file; 0 or -1 (write failed). */
int ipft_pcapng_out_flush(struct ipft_pcapng_out *o);
/* Writes interface statistics and the STATS record, then closes; 0 or -1. */
int ipft_pcapng_out_close(struct ipft_pcapng_out *o, const struct ipft_run_stats *st,
			  char *err, size_t errlen);
const char *ipft_pcapng_out_error(const struct ipft_pcapng_out *o);

/* Packets that reached the file (a failed flush loses the buffered ones). */
uint64_t ipft_pcapng_out_packets_written(const struct ipft_pcapng_out *o);
/* A stop (*stop set by a signal handler) ends a write blocked on a reader
 * that does not read, after a short grace. */
void ipft_pcapng_out_give_up_on_stop(struct ipft_pcapng_out *o, const volatile sig_atomic_t *stop);

#endif
