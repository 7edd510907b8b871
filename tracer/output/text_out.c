/* text_out.c - the stdout formats.
 *
 * aggregate: ipftrace2's layout, one block per packet separated by "===",
 * a column per timestamp, CPU and function, extra data after the name,
 * the collectors' key/values in brackets.
 * json: one object per event with ipftrace2's keys (packet_id, timestamp,
 * processor_id, function, is_return) plus ipft's own and the collectors'
 * key/values.
 */
#include "tracer/output/text_out.h"
#include "tracer/collect/packets.h"
#include "tracer/output/kv_text.h"
#include "tracer/output/pkt_summary.h"
#include "tracer/output/lineage_text.h"

#include <inttypes.h>
#include <string.h>

static void print_flags(FILE *f, uint32_t flags)
{
	if (flags & IPFT_TRACE_PARTIAL)
		fputs(" [partial]", f);
	if (flags & IPFT_TRACE_EVENTS_LOST)
		fputs(" [events lost]", f);
	if (flags & IPFT_TRACE_TRUNCATED)
		fputs(" [truncated]", f);
}

/* The event at depth d that closes or opens event i's call: the next
 * (step 1) or previous (step -1) event not deeper than it. */
static const struct ipft_event *call_partner(const struct ipft_packet *p, size_t i, int step)
{
	const struct ipft_event *e = &p->events[i];

	for (size_t j = i + (size_t)step; j < p->n_events; j += (size_t)step) {
		const struct ipft_event *o = &p->events[j];

		if (o->depth > e->depth)
			continue;
		return o->depth == e->depth && strcmp(o->name, e->name) == 0 ? o : NULL;
	}
	return NULL;
}

/* The function column.  -t function_graph in ipftrace2's layout: an
 * entry whose return is in the trace opens "name() {", the return closes
 * it with "}" at the same indentation (naming the function in a C comment
 * when its entry is not in the trace); tracepoints and entries without a
 * traced return are their names. */
static void function_column(FILE *f, const struct ipft_packet *p, size_t i)
{
	const struct ipft_event *e = &p->events[i], *o;

	fprintf(f, "%*s", 2 * e->depth, "");
	if (e->kind == IPFT_KIND_FUNC_ENTRY && (o = call_partner(p, i, 1)) &&
	    o->kind == IPFT_KIND_FUNC_RETURN)
		fprintf(f, "%s() {", e->name);
	else if (e->kind == IPFT_KIND_FUNC_RETURN && (o = call_partner(p, i, -1)) &&
		 o->kind == IPFT_KIND_FUNC_ENTRY)
		fputc('}', f);
	else if (e->kind == IPFT_KIND_FUNC_RETURN)
		fprintf(f, "} /* %s */", e->name);
	else
		fputs(e->name, f);
}

static void aggregate(FILE *f, const struct ipft_packet *p)
{
	char summary[160] = "no headers captured";

	if (p->captured)
		ipft_pkt_summary(p->cap.data, p->cap.caplen, p->cap.layer == IPFT_CAPTURE_L2,
				 summary, sizeof(summary));
	fprintf(f, "===\npacket_id: 0x%016" PRIx64 "  %s", p->packet_id, summary);
	ipft_lineage_aggregate_packet(f, p);
	if (p->captured && p->cap.ifname[0])
		fprintf(f, "  (%.16s, netns %u)", p->cap.ifname, p->cap.netns);
	print_flags(f, p->flags);
	fprintf(f, "\n%20s %4s %s\n", "Timestamp", "CPU", "Function");
	for (size_t i = 0; i < p->n_events; i++) {
		const struct ipft_event *e = &p->events[i];
		fprintf(f, "%10" PRIu64 ".%09" PRIu64 " %04u ", e->ts_ns / 1000000000,
			e->ts_ns % 1000000000, e->cpu);
		function_column(f, p, i);
		if (e->has & IPFT_HAS_DROP_REASON)
			fprintf(f, "  reason=%s", e->drop_reason_name ? e->drop_reason_name : "?");
		if (e->drop_location_sym)
			fprintf(f, " location=%s", e->drop_location_sym);
		else if (e->has & IPFT_HAS_DROP_LOCATION)
			fprintf(f, " location=0x%" PRIx64, e->drop_location);
		if (e->has & IPFT_HAS_RETVAL)
			fprintf(f, "  ret=%" PRId64, e->retval);
		if (e->has & IPFT_HAS_DURATION)
			fprintf(f, "  %" PRIu64 "ns", e->duration_ns);
		ipft_lineage_aggregate(f, p, i);
		ipft_kv_aggregate(f, e);
		fputc('\n', f);
	}
}

/* Names and symbols are identifiers, but escape anyway. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A packet whose events were lost still has its line: when it started,
 * and no function. */
static void json_no_events(FILE *f, const struct ipft_packet *p)
{
	fprintf(f, "{\"packet_id\":\"0x%016" PRIx64 "\",\"timestamp\":%" PRIu64
		",\"events\":0,\"partial\":%s,\"events_lost\":true}\n", p->packet_id, p->wall_ts,
		p->flags & IPFT_TRACE_PARTIAL ? "true" : "false");
}

static void json(FILE *f, const struct ipft_packet *p)
{
	if (!p->n_events)
		json_no_events(f, p);
	for (size_t i = 0; i < p->n_events; i++) {
		const struct ipft_event *e = &p->events[i];
		fprintf(f, "{\"packet_id\":\"0x%016" PRIx64 "\",\"timestamp\":%" PRIu64
			",\"processor_id\":%u,\"function\":", p->packet_id, e->ts_ns, e->cpu);
		json_str(f, e->name);
		fprintf(f, ",\"is_return\":%s,\"kind\":\"%s\",\"depth\":%u",
			e->kind == IPFT_KIND_FUNC_RETURN ? "true" : "false", ipft_kind_name(e->kind),
			e->depth);
		if (e->has & IPFT_HAS_DROP_REASON) {
			fprintf(f, ",\"drop_reason_code\":%u,\"drop_reason\":", e->drop_reason);
			json_str(f, e->drop_reason_name ? e->drop_reason_name : "");
		}
		if (e->drop_location_sym) {
			fprintf(f, ",\"drop_location\":");
			json_str(f, e->drop_location_sym);
		} else if (e->has & IPFT_HAS_DROP_LOCATION) {
			fprintf(f, ",\"drop_location\":\"0x%" PRIx64 "\"", e->drop_location);
		}
		if (e->has & IPFT_HAS_RETVAL)
			fprintf(f, ",\"retval\":%" PRId64, e->retval);
		if (e->has & IPFT_HAS_DURATION)
			fprintf(f, ",\"duration_ns\":%" PRIu64, e->duration_ns);
		ipft_lineage_json(f, p, i);
		ipft_kv_json(f, e);
		fprintf(f, ",\"partial\":%s,\"events_lost\":%s}\n",
			p->flags & IPFT_TRACE_PARTIAL ? "true" : "false",
			p->flags & IPFT_TRACE_EVENTS_LOST ? "true" : "false");
	}
}

int ipft_text_packet(FILE *f, enum ipft_output_format fmt, const struct ipft_packet *p)
{
	if (fmt == IPFT_OUT_AGGREGATE)
		aggregate(f, p);
	else if (fmt == IPFT_OUT_JSON)
		json(f, p);
	fflush(f);
	return ferror(f) ? -1 : 0;
}
