/* lineage_text.c - lineage and header snapshots in the outputs
 * (lineage_text.h). */
#include "tracer/output/lineage_text.h"
#include "tracer/collect/packets.h"
#include "tracer/collect/snaps.h"
#include "tracer/output/pkt_summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

size_t ipft_lineage_kv(const struct ipft_packet *p, struct ipft_kv *kv)
{
	const struct ipft_snaps *s = p->snaps;
	const char *kind = s ? ipft_lineage_name(s->kind) : NULL;
	size_t n = 0;

	if (!s)
		return 0;
	if (s->parent_id) {
		kv[n++] = (struct ipft_kv){ .key = "parent_id", .type = IPFT_VT_HEX64,
					    .u64 = s->parent_id };
		if (kind)
			kv[n++] = (struct ipft_kv){ .key = "lineage", .type = IPFT_VT_STRING,
						    .ptr = kind, .len = strlen(kind) };
		if (s->kind == IPFT_LINEAGE_SEGMENT)
			kv[n++] = (struct ipft_kv){ .key = "segment", .type = IPFT_VT_U64,
						    .u64 = s->index };
		else if (s->kind == IPFT_LINEAGE_FRAGMENT)
			kv[n++] = (struct ipft_kv){ .key = "fragment_offset", .type = IPFT_VT_U64,
						    .u64 = s->index };
	}
	for (uint32_t i = 0; i < s->n_fragments && i < IPFT_FRAGMENTS_MAX; i++)
		kv[n++] = (struct ipft_kv){ .key = "fragment_id", .type = IPFT_VT_HEX64,
					    .u64 = s->fragments[i] };
	for (uint32_t i = 0; i < s->n_merged && i < IPFT_MERGED_MAX; i++)
		kv[n++] = (struct ipft_kv){ .key = "merged_id", .type = IPFT_VT_HEX64,
					    .u64 = s->merged[i] };
	return n;
}

bool ipft_lineage_hidden(const struct ipft_packet *p)
{
	const struct ipft_snaps *s = p->snaps;

	return s && s->parent_id && s->parent_headers &&
	       (s->kind == IPFT_LINEAGE_CLONE || s->kind == IPFT_LINEAGE_COPY ||
		s->kind == IPFT_LINEAGE_SEGMENT);
}

int ipft_lineage_encode(const struct ipft_packet *p, const struct ipft_trace *t, size_t max_rec_len,
			unsigned opts, ipft_emit_fn emit, void *arg)
{
	struct ipft_kv lin[IPFT_LINEAGE_KV], *kv;
	size_t n = t->n_events ? ipft_lineage_kv(p, lin) : 0;
	struct ipft_event *first = t->n_events ? &p->events[0] : NULL;
	struct ipft_event saved;
	int rc;

	if (!n || t->events != p->events)
		return ipft_trace_encode_opts(t, max_rec_len, opts, emit, arg);
	if (!(kv = calloc(n + first->n_kv, sizeof(*kv))))
		return -1;
	memcpy(kv, lin, n * sizeof(*kv));
	if (first->n_kv)
		memcpy(kv + n, first->kv, first->n_kv * sizeof(*kv));
	saved = *first;
	first->kv = kv;
	first->n_kv += n;
	rc = ipft_trace_encode_opts(t, max_rec_len, opts, emit, arg);
	*first = saved;
	free(kv);
	return rc;
}

/* A list of packet ids (a datagram's fragments, a GRO packet's merged
 * packets), n of them: in text after lead, in JSON as an array key. */
static void text_ids(FILE *f, const char *lead, const uint64_t *ids, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		fprintf(f, "%s0x%016" PRIx64, i ? ", " : lead, ids[i]);
}

static void json_ids(FILE *f, const char *key, const uint64_t *ids, uint32_t n)
{
	if (!n)
		return;
	fprintf(f, ",\"%s\":[", key);
	for (uint32_t i = 0; i < n; i++)
		fprintf(f, "%s\"0x%016" PRIx64 "\"", i ? "," : "", ids[i]);
	fputc(']', f);
}

static uint32_t n_fragments(const struct ipft_snaps *s)
{
	return s->n_fragments < IPFT_FRAGMENTS_MAX ? s->n_fragments : IPFT_FRAGMENTS_MAX;
}

void ipft_lineage_aggregate_packet(FILE *f, const struct ipft_packet *p)
{
	const struct ipft_snaps *s = p->snaps;

	if (s && s->n_merged) {
		text_ids(f, "  [merged into it: ", s->merged, s->n_merged);
		fputc(']', f);
	}
	if (!s || !s->parent_id)
		return;
	fprintf(f, "  [%s of 0x%016" PRIx64, ipft_lineage_name(s->kind), s->parent_id);
	if (s->kind == IPFT_LINEAGE_SEGMENT)
		fprintf(f, ": segment %u", s->index);
	else if (s->kind == IPFT_LINEAGE_FRAGMENT)
		fprintf(f, ": offset %u", s->index);
	text_ids(f, ": fragments ", s->fragments, n_fragments(s));
	fputc(']', f);
}

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

/* The strings written hold no quote or backslash (addresses, numbers,
 * names of ipft's). */
void ipft_lineage_json(FILE *f, const struct ipft_packet *p, size_t i)
{
	const struct ipft_snaps *s = p->snaps;
	const struct ipft_snap *sn = snap_at_event(p, i);
	char text[160];

	if (s)
		json_ids(f, "merged_ids", s->merged, s->n_merged);
	if (s && s->parent_id) {
		fprintf(f, ",\"parent_id\":\"0x%016" PRIx64 "\",\"lineage\":\"%s\"", s->parent_id,
			ipft_lineage_name(s->kind));
		if (s->kind == IPFT_LINEAGE_SEGMENT)
			fprintf(f, ",\"segment\":%u", s->index);
		else if (s->kind == IPFT_LINEAGE_FRAGMENT)
			fprintf(f, ",\"fragment_offset\":%u", s->index);
		json_ids(f, "fragment_ids", s->fragments, n_fragments(s));
	}
	if (!sn)
		return;
	summary(sn, text, sizeof(text));
	fprintf(f, ",\"snapshot\":%u,\"snapshot_headers\":\"%s\",\"snapshot_dev\":\"%.16s\"",
		sn->cap.snapshot, text, sn->cap.ifname);
}
