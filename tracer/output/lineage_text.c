/* lineage_text.c - header snapshots in the text outputs (lineage_text.h). */
#include "tracer/output/lineage_text.h"
#include "tracer/collect/packets.h"
#include "tracer/collect/snaps.h"
#include "tracer/output/pkt_summary.h"

/* The snapshot taken at event i of p, or NULL. */
static const struct ipft_snap *snap_at_event(const struct ipft_packet *p, size_t i)
{
	if (!(p->events[i].flags & IPFT_EVF_SNAPSHOT))
		return NULL;
	for (size_t k = 0; p->snaps && k < p->snaps->n; k++)
		if (ipft_snap_at(p->snaps, k)->event == (int32_t)i)
			return ipft_snap_at(p->snaps, k);
	return NULL;
}

static void summary(const struct ipft_snap *sn, char *out, size_t len)
{
	ipft_pkt_summary(sn->cap.data, sn->cap.caplen, sn->cap.layer == IPFT_CAPTURE_L2, out, len);
}

void ipft_lineage_aggregate(FILE *f, const struct ipft_packet *p, size_t i)
{
	const struct ipft_snap *sn = snap_at_event(p, i);
	char s[160];

	if (!sn)
		return;
	summary(sn, s, sizeof(s));
	fprintf(f, "  [snapshot %u: %s on %.16s]", sn->cap.snapshot, s,
		sn->cap.ifname[0] ? sn->cap.ifname : "(no device)");
}

/* s holds no quote or backslash (addresses, numbers, names). */
void ipft_lineage_json(FILE *f, const struct ipft_packet *p, size_t i)
{
	const struct ipft_snap *sn = snap_at_event(p, i);
	char s[160];

	if (!sn)
		return;
	summary(sn, s, sizeof(s));
	fprintf(f, ",\"snapshot\":%u,\"snapshot_headers\":\"%s\",\"snapshot_dev\":\"%.16s\"",
		sn->cap.snapshot, s, sn->cap.ifname);
}
