/* ahead.h - the object's slow parts, done on threads while ipft discovers.
 *
 * Two things in loading ipft's object take long and need nothing that
 * discovery finds: libbpf's own parse of the kernel's BTF (for CO-RE and
 * the typed templates; ipft's parse for discovery is another, on the main
 * thread) and the creation of the preallocated tracking map (the kernel
 * zeroes and links every entry; the ring buffer is made before it, as
 * libbpf would).  On this host each is 45-65 ms of a
 * quarter-second start, more under emulation.  Each runs on a thread of
 * its own from the start of discovery; load takes the results. */
#ifndef IPFT_AHEAD_H
#define IPFT_AHEAD_H

#include <stdint.h>

struct bpf_map;
struct ipft_skel;

/* ipft's object (without an extension: one is linked in at load), opened
 * with the kernel's BTF parsed by libbpf.  finish returns it, or NULL
 * when the job failed (the caller then opens it as usual); j may be NULL. */
struct ipft_open_job;
struct ipft_open_job *ipft_open_ahead_start(void);
struct ipft_skel *ipft_open_ahead_finish(struct ipft_open_job *j);
/* Closes an object opened ahead that is not to be loaded (a start that
 * failed before load); s may be NULL. */
void ipft_open_ahead_discard(struct ipft_skel *s);

/* The ring buffer (--ringbuf-size) and the tracking map
 * (--max-inflight; bpf/skb_event.bpf.h: events, live), in the object's
 * order.  finish gives each to libbpf for its map (before load) when it
 * matches the map's definition, else closes it (libbpf then makes its
 * own); with NULL maps it only ends the job; j may be NULL. */
struct ipft_maps_job;
struct ipft_maps_job *ipft_maps_ahead_start(uint32_t ringbuf_bytes, uint32_t max_inflight);
void ipft_maps_ahead_finish(struct ipft_maps_job *j, struct bpf_map *events, struct bpf_map *live);

#endif
