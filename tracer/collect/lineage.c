/* lineage.c - header snapshots gathered and placed (lineage.h). */
#include "tracer/collect/lineage.h"
#include "tracer/collect/clock.h"
#include "tracer/collect/packets.h"
#include "tracer/collect/snaps.h"
#include "tracer/probes/probe.h"

#include <stdlib.h>
#include <string.h>

static size_t snap_stride(size_t snaplen)
{
	size_t n = offsetof(struct ipft_snap, cap) + offsetof(struct ipft_capture, data) + snaplen;

	return (n + 7) & ~(size_t)7;
}

int ipft_snaps_add(struct ipft_packet *p, const struct ipft_capture *c, size_t snaplen)
{
	size_t stride = snap_stride(snaplen), n = p->snaps ? p->snaps->n : 0;
	struct ipft_snaps *s;
	struct ipft_snap *sn;

	if (c->caplen > snaplen || n > IPFT_SNAPSHOTS_MAX)
		return -1;
	s = realloc(p->snaps, sizeof(*s) + (n + 1) * stride);
	if (!s)
		return -1;
	s->n = n + 1;
	s->stride = stride;
	p->snaps = s;
	sn = ipft_snap_at(s, n);
	sn->event = -1;
	sn->wall_ts = 0;
	memcpy(&sn->cap, c, offsetof(struct ipft_capture, data) + c->caplen);
	return 0;
}

/* A kernel time on the clock of the packet's events (as assemble.c's
 * make_event converts its hits). */
static uint64_t wall_of(const struct ipft_packet *p, const struct ipft_clock *clock,
			uint64_t mono)
{
	if (p->captured && p->cap.tai_ns)
		return mono + (uint64_t)ipft_clock_offset_from_tai(clock, p->cap.mono_ns,
								    p->cap.tai_ns);
	return ipft_clock_real(clock, mono);
}

/* The last event of the capturing attach point at or before when the
 * kernel took the snapshot: the hit that took it (its time was read
 * first); -1 when its hits were lost. */
static int32_t snap_event(const struct ipft_packet *p, const char *name, uint64_t wall)
{
	for (size_t i = p->n_events; i-- > 0;)
		if (p->events[i].name == name && p->events[i].ts_ns <= wall)
			return (int32_t)i;
	return -1;
}

void ipft_snaps_place(struct ipft_packet *p, const struct ipft_probe_set *probes,
		      const struct ipft_clock *clock)
{
	for (size_t i = 0; p->snaps && i < p->snaps->n; i++) {
		struct ipft_snap *sn = ipft_snap_at(p->snaps, i);
		const char *name = sn->cap.probe_id < probes->n ? probes->v[sn->cap.probe_id].name :
								  NULL;

		sn->wall_ts = wall_of(p, clock, sn->cap.mono_ns);
		sn->event = name ? snap_event(p, name, sn->wall_ts) : -1;
		if (sn->event >= 0) {
			p->events[sn->event].flags |= IPFT_EVF_SNAPSHOT;
			sn->wall_ts = p->events[sn->event].ts_ns;
		}
	}
}
