/* pcapng_out.c - traced packets as pcapng.
 *
 * One EPB per packet: the captured header bytes on the packet's real
 * interface (one IDB per device, netns and link type), epb_packetid, the
 * direction in epb_flags, the path as opt_comment for tools without the
 * plugin, and the trace as custom option 2989 (or, with --trace-blocks, as
 * Custom Blocks right before the EPB).  Run metadata and statistics go in
 * Custom Blocks after the first EPB: Wireshark 4.0 would take a leading
 * record without a timestamp as the time reference.
 */
#include "tracer/output/pcapng_out.h"
#include "tracer/collect/clock.h"
#include "tracer/collect/packets.h"
#include "tracer/output/headers.h"
#include "tracer/output/run_info.h"
#include "tracer/output/snapshot_out.h"
#include "tracer/output/lineage_text.h"
#include "pcapng/pcapng.h"

#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINKTYPE_ETHERNET 1
#define LINKTYPE_RAW 101
/* A packet whose headers were not captured (the record was lost) is
 * written as an exported PDU handed to the "data" dissector with nothing
 * in it: Wireshark shows the trace without a "Malformed Packet" error,
 * which an empty raw-IP frame would get. */
#define LINKTYPE_WIRESHARK_UPPER_PDU 252
static const uint8_t no_headers_pdu[] = {
	0, 12, 0, 4, 'd', 'a', 't', 'a', /* EXP_PDU_TAG_PROTO_NAME "data" */
	0, 0, 0, 0,                      /* end of tags */
};
#define PATH_MAX_LEN 1024

struct iface {
	char name[16];
	uint32_t netns, ifindex;
	uint16_t linktype;
	uint64_t packets;
	uint64_t first_ts, last_ts;
};

struct ipft_pcapng_out {
	struct pcapng_writer *w;
	const struct ipft_run_info *ri;
	struct ipft_run_host host;
	bool trace_blocks, live, wrote_epb, wrote_info, headers_only;
	unsigned encode_opts;  /* IPFT_ENC_* */
	struct iface *ifaces;
	size_t n_ifaces;
	struct pcapng_opts opts;
	struct ipft_snapq *snapq;     /* header snapshots waiting for their time */
};

static void add_str_if_set(struct pcapng_opts *opts, uint16_t code, const char *s)
{
	if (*s)
		pcapng_opts_add_str(opts, code, s);
}

struct ipft_pcapng_out *ipft_pcapng_out_open(const char *path, const struct ipft_run_info *ri,
					     bool trace_blocks, char *err, size_t errlen)
{
	struct ipft_pcapng_out *o = calloc(1, sizeof(*o));
	char buf[1024];

	if (!o) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	o->w = pcapng_writer_open_path(path, err, errlen);
	if (!o->w) {
		free(o);
		return NULL;
	}
	o->ri = ri;
	o->trace_blocks = trace_blocks;
	o->live = strcmp(path, "-") == 0;
	if (ri->host)
		o->host = *ri->host;
	else
		ipft_run_host_now(&o->host);
	pcapng_opts_init(&o->opts);
	if (!(o->snapq = ipft_snapq_new())) {
		snprintf(err, errlen, "out of memory");
		pcapng_writer_close(o->w);
		free(o);
		return NULL;
	}

	add_str_if_set(&o->opts, PCAPNG_OPT_SHB_USERAPPL, o->host.application);
	add_str_if_set(&o->opts, PCAPNG_OPT_SHB_OS, o->host.os);
	add_str_if_set(&o->opts, PCAPNG_OPT_SHB_HARDWARE, o->host.hardware);
	snprintf(buf, sizeof(buf), "ipft trace: %s; backend %s, %zu attach points",
		 ri->cmdline, ri->backend, ri->n_probes);
	pcapng_opts_add_str(&o->opts, PCAPNG_OPT_COMMENT, buf);
	if (pcapng_write_shb(o->w, &o->opts) < 0 || pcapng_writer_flush(o->w) < 0) {
		snprintf(err, errlen, "%s: %s", path, pcapng_writer_error(o->w));
		pcapng_writer_close(o->w);
		pcapng_opts_free(&o->opts);
		ipft_snapq_free(o->snapq);
		free(o);
		return NULL;
	}
	return o;
}

/* The interface id for headers captured as c (NULL: none), writing its
 * IDB the first time; pdu: an interface of exported PDUs (snapshots). */
static int iface_id(struct ipft_pcapng_out *o, const struct ipft_capture *c, bool pdu)
{
	struct iface key = { .linktype = LINKTYPE_WIRESHARK_UPPER_PDU };
	char desc[128];
	int id;

	if (c) {
		memcpy(key.name, c->ifname, sizeof(key.name));
		key.name[sizeof(key.name) - 1] = 0;
		key.netns = c->netns;
		key.ifindex = c->ifindex;
		key.linktype = pdu ? LINKTYPE_WIRESHARK_UPPER_PDU :
			       c->layer == IPFT_CAPTURE_L2 ? LINKTYPE_ETHERNET : LINKTYPE_RAW;
	}
	if (!key.name[0])
		snprintf(key.name, sizeof(key.name), "%s", c ? "(no device)" : "(no headers)");
	for (size_t i = 0; i < o->n_ifaces; i++) {
		struct iface *f = &o->ifaces[i];
		if (f->netns == key.netns && f->linktype == key.linktype &&
		    strcmp(f->name, key.name) == 0)
			return (int)i;
	}
	struct iface *v = realloc(o->ifaces, (o->n_ifaces + 1) * sizeof(*v));
	if (!v)
		return -1;
	o->ifaces = v;
	pcapng_opts_reset(&o->opts);
	pcapng_opts_add_str(&o->opts, PCAPNG_OPT_IF_NAME, key.name);
	snprintf(desc, sizeof(desc), "ifindex %u, netns %u", key.ifindex, key.netns);
	pcapng_opts_add_str(&o->opts, PCAPNG_OPT_IF_DESCRIPTION, desc);
	pcapng_opts_add_u8(&o->opts, PCAPNG_OPT_IF_TSRESOL, 9);
	id = pcapng_write_idb(o->w, key.linktype, o->ri->snaplen, &o->opts);
	if (id < 0)
		return -1;
	o->ifaces[o->n_ifaces++] = key;
	return id;
}

/* The direction an attach point's name says, 0 if none. */
static uint32_t probe_direction(const char *probe)
{
	if (!probe)
		return 0;
	if (strncmp(probe, "net_dev_", 8) == 0 || strstr(probe, "xmit") || strstr(probe, "_output"))
		return PCAPNG_EPB_FLAG_OUTBOUND;
	if (strncmp(probe, "netif_", 6) == 0 || strncmp(probe, "napi_gro", 8) == 0 ||
	    strstr(probe, "_rcv"))
		return PCAPNG_EPB_FLAG_INBOUND;
	return 0;
}

static uint32_t direction(const struct ipft_capture *c, const char *capture_probe)
{
	if (!c)
		return 0;
	if (c->skb_iif)
		return PCAPNG_EPB_FLAG_INBOUND;
	if (c->pkt_type == PACKET_OUTGOING)
		return PCAPNG_EPB_FLAG_OUTBOUND;
	return probe_direction(capture_probe);
}

static int add_trace_option(const uint8_t *rec, size_t len, void *arg)
{
	return pcapng_opts_add_custom(arg, PCAPNG_OPT_CUSTOM_BIN_COPY, IPFT_PEN, rec, len);
}

static int add_trace_block(const uint8_t *rec, size_t len, void *arg)
{
	return pcapng_write_cb(arg, IPFT_PEN, rec, len, true);
}

/* RUN_INFO: who wrote the file, how, and where it attached. */
static int write_run_info(struct ipft_pcapng_out *o)
{
	size_t n = 4 + o->ri->n_probes;
	struct ipft_kv *kv = calloc(n, sizeof(*kv));
	const char *kernel = o->host.kernel;
	uint8_t *rec = NULL;
	size_t len, k = 0;
	int rc = -1;

	if (!kv)
		return -1;
	kv[k++] = (struct ipft_kv){ .key = "cmdline", .type = IPFT_VT_STRING,
				    .ptr = o->ri->cmdline, .len = strlen(o->ri->cmdline) };
	if (*kernel)
		kv[k++] = (struct ipft_kv){ .key = "kernel", .type = IPFT_VT_STRING,
					    .ptr = kernel, .len = strlen(kernel) };
	kv[k++] = (struct ipft_kv){ .key = "backend", .type = IPFT_VT_STRING,
				    .ptr = o->ri->backend, .len = strlen(o->ri->backend) };
	kv[k++] = (struct ipft_kv){ .key = "attach_points", .type = IPFT_VT_U64,
				    .u64 = o->ri->n_probes };
	for (size_t i = 0; i < o->ri->n_probes; i++)
		kv[k++] = (struct ipft_kv){ .key = "attach", .type = IPFT_VT_STRING,
					    .ptr = o->ri->probe_names[i],
					    .len = strlen(o->ri->probe_names[i]) };
	if (ipft_info_encode(IPFT_REC_RUN_INFO, kv, k, &rec, &len) == 0)
		rc = pcapng_write_cb(o->w, IPFT_PEN, rec, len, true);
	free(rec);
	free(kv);
	return rc;
}

void ipft_pcapng_out_headers_only(struct ipft_pcapng_out *o)
{
	o->headers_only = true;
}

void ipft_pcapng_out_kv_only(struct ipft_pcapng_out *o)
{
	o->encode_opts |= IPFT_ENC_KV_ONLY;
}

/* The captured bytes written: all, or (--headers-only) the headers. */
static uint32_t caplen(const struct ipft_pcapng_out *o, const struct ipft_capture *c)
{
	if (!o->headers_only)
		return c->caplen;
	return (uint32_t)ipft_headers_len(c->data, c->caplen,
					  c->layer == IPFT_CAPTURE_L2 ? IPFT_HDR_ETHERNET :
									IPFT_HDR_IP);
}

/* An EPB written on interface id at ts: its count and times. */
static void count_epb(struct ipft_pcapng_out *o, int id, uint64_t ts)
{
	o->ifaces[id].packets++;
	if (!o->ifaces[id].first_ts)
		o->ifaces[id].first_ts = ts;
	o->ifaces[id].last_ts = ts;
}

/* A header snapshot's EPB (snapshot_out.h). */
static int write_snapshot(const struct ipft_snap_epb *s, void *arg)
{
	struct ipft_pcapng_out *o = arg;
	int id = iface_id(o, s->cap, !s->visible);
	uint8_t pdu[IPFT_SNAP_PDU_TAGS_MAX + IPFT_SNAPLEN_MAX];
	uint32_t len = caplen(o, s->cap), tags = 0;

	if (id < 0)
		return -1;
	if (!s->visible)
		tags = (uint32_t)(ipft_snap_pdu(s->cap, len, pdu) - len);
	pcapng_opts_reset(&o->opts);
	pcapng_opts_add_str(&o->opts, PCAPNG_OPT_COMMENT, s->comment);
	/* Where it was taken says more than a forwarded packet's skb_iif. */
	pcapng_opts_add_u32(&o->opts, PCAPNG_OPT_EPB_FLAGS,
			    probe_direction(s->event) ? probe_direction(s->event) :
							direction(s->cap, NULL));
	pcapng_opts_add_u64(&o->opts, PCAPNG_OPT_EPB_PACKETID, s->packet_id);
	if (o->trace_blocks ? add_trace_block(s->rec, s->rec_len, o->w) != 0 :
			      add_trace_option(s->rec, s->rec_len, &o->opts) != 0)
		return -1;
	if (pcapng_write_epb(o->w, (uint32_t)id, s->ts, s->visible ? s->cap->data : pdu, tags + len,
			     tags + s->cap->origlen, &o->opts) < 0)
		return -1;
	count_epb(o, id, s->ts);
	return 0;
}

int ipft_pcapng_out_packet(struct ipft_pcapng_out *o, const struct ipft_packet *p)
{
	struct ipft_trace t = { .packet_id = p->packet_id, .flags = p->flags,
				.n_events = p->n_events, .events = p->events };
	uint64_t ts = p->n_events ? p->events[0].ts_ns : p->wall_ts;
	/* A clone or a segment repeats its parent's headers: an exported PDU. */
	bool pdu = p->captured && ipft_lineage_hidden(p);
	uint8_t buf[IPFT_SNAP_PDU_TAGS_MAX + IPFT_SNAPLEN_MAX];
	uint32_t len = p->captured ? caplen(o, &p->cap) : 0, tags = 0;
	char *path;
	int id, rc = -1;

	path = ipft_trace_path(&t, PATH_MAX_LEN);
	/* Snapshots of earlier packets taken before this one started. */
	if (!path || ipft_snapq_flush(o->snapq, ts, write_snapshot, o) < 0)
		goto out;
	id = iface_id(o, p->captured ? &p->cap : NULL, pdu);
	if (id < 0)
		goto out;

	pcapng_opts_reset(&o->opts);
	pcapng_opts_add_str(&o->opts, PCAPNG_OPT_COMMENT, path);
	pcapng_opts_add_u32(&o->opts, PCAPNG_OPT_EPB_FLAGS,
			    direction(p->captured ? &p->cap : NULL, p->capture_name));
	pcapng_opts_add_u64(&o->opts, PCAPNG_OPT_EPB_PACKETID, p->packet_id);
	if (o->trace_blocks) {
		if (ipft_lineage_encode(p, &t, UINT32_MAX / 4, o->encode_opts, add_trace_block,
					o->w) != 0)
			goto out;
	} else if (ipft_lineage_encode(p, &t, PCAPNG_OPT_MAX_LEN - 4, o->encode_opts,
				       add_trace_option, &o->opts) != 0) {
		goto out;
	}
	if (pdu)
		tags = (uint32_t)(ipft_snap_pdu(&p->cap, len, buf) - len);
	if (p->captured ? pcapng_write_epb(o->w, (uint32_t)id, ts, pdu ? buf : p->cap.data,
					   tags + len, tags + p->cap.origlen, &o->opts) < 0 :
			  pcapng_write_epb(o->w, (uint32_t)id, ts, no_headers_pdu,
					   sizeof(no_headers_pdu), sizeof(no_headers_pdu),
					   &o->opts) < 0)
		goto out;
	count_epb(o, id, ts);
	o->wrote_epb = true;
	if (ipft_snapq_add(o->snapq, p) < 0)
		goto out;
	if (!o->wrote_info) {
		o->wrote_info = true;
		if (write_run_info(o) < 0)
			goto out;
	}
	rc = o->live ? pcapng_writer_flush(o->w) : 0;
out:
	free(path);
	return rc;
}

#define STATS_COUNTERS 13
#define STATS_TRIGGER 2
#define STATS_BEFORE_TRIGGER 3 /* events, packets, packets_written */

/* STATS: the run's counters, then the first changes of the wall clock
 * each as a pair: when (wall-clock ns) and by how much (ns). */
static int write_stats_record(struct ipft_pcapng_out *o, const struct ipft_run_stats *st)
{
	const struct ipft_kv counters[STATS_COUNTERS] = {
		{ .key = "events", .type = IPFT_VT_U64, .u64 = st->events },
		{ .key = "packets", .type = IPFT_VT_U64, .u64 = st->packets },
		{ .key = "packets_written", .type = IPFT_VT_U64, .u64 = st->written },
		{ .key = "partial_traces", .type = IPFT_VT_U64, .u64 = st->partial },
		{ .key = "lost_events_ringbuf_full", .type = IPFT_VT_U64, .u64 = st->lost_ringbuf },
		{ .key = "lost_packets_map_full", .type = IPFT_VT_U64, .u64 = st->lost_mapfull },
		{ .key = "reused_skb_addresses", .type = IPFT_VT_U64, .u64 = st->stale },
		{ .key = "packets_ended_map_full", .type = IPFT_VT_U64, .u64 = st->evicted },
		{ .key = "lost_events_map_race", .type = IPFT_VT_U64, .u64 = st->lost_evict_race },
		{ .key = "events_over_packet_cap", .type = IPFT_VT_U64, .u64 = st->over_cap },
		{ .key = "lost_events_nested", .type = IPFT_VT_U64, .u64 = st->lost_nested },
		{ .key = "clock_changes", .type = IPFT_VT_U64, .u64 = st->n_clock_changes_total },
		{ .key = "clock_changes_sum_ns", .type = IPFT_VT_S64,
		  .u64 = (uint64_t)st->clock_steps_sum },
	};
	const struct ipft_kv trigger[STATS_TRIGGER] = {
		{ .key = "packets_discarded", .type = IPFT_VT_U64, .u64 = st->discarded },
		{ .key = "trigger_overflows", .type = IPFT_VT_U64, .u64 = st->trigger_overflow },
	};
	size_t n_trig = st->trigger ? STATS_TRIGGER : 0;
	size_t n = STATS_COUNTERS + n_trig + 2 * st->n_clock_changes;
	struct ipft_kv *kv = calloc(n, sizeof(*kv));
	uint8_t *rec = NULL;
	size_t len;
	int rc = -1;

	if (!kv)
		return -1;
	/* The flight recorder's counters after packets_written: in the
	 * plugin's one-line summary too. */
	memcpy(kv, counters, STATS_BEFORE_TRIGGER * sizeof(*kv));
	memcpy(kv + STATS_BEFORE_TRIGGER, trigger, n_trig * sizeof(*kv));
	memcpy(kv + STATS_BEFORE_TRIGGER + n_trig, counters + STATS_BEFORE_TRIGGER,
	       (STATS_COUNTERS - STATS_BEFORE_TRIGGER) * sizeof(*kv));
	for (size_t i = 0, at = STATS_COUNTERS + n_trig; i < st->n_clock_changes; i++) {
		const struct ipft_clock_change *c = &st->clock_changes[i];
		kv[at + 2 * i] = (struct ipft_kv){
			.key = "clock_step_at", .type = IPFT_VT_U64,
			.u64 = c->from_mono + (uint64_t)c->offset };
		kv[at + 2 * i + 1] = (struct ipft_kv){
			.key = "clock_step_ns", .type = IPFT_VT_S64, .u64 = (uint64_t)c->step };
	}
	if (ipft_info_encode(IPFT_REC_STATS, kv, n, &rec, &len) == 0)
		rc = pcapng_write_cb(o->w, IPFT_PEN, rec, len, true);
	free(rec);
	free(kv);
	return rc;
}

static int write_stats(struct ipft_pcapng_out *o, const struct ipft_run_stats *st)
{
	if (ipft_snapq_flush(o->snapq, UINT64_MAX, write_snapshot, o) < 0)
		return -1;
	for (size_t i = 0; i < o->n_ifaces; i++) {
		pcapng_opts_reset(&o->opts);
		pcapng_opts_add_ts(&o->opts, PCAPNG_OPT_ISB_STARTTIME, o->ri->start_real_ns);
		pcapng_opts_add_ts(&o->opts, PCAPNG_OPT_ISB_ENDTIME, st->end_real_ns);
		pcapng_opts_add_u64(&o->opts, PCAPNG_OPT_ISB_USRDELIV, o->ifaces[i].packets);
		if (pcapng_write_isb(o->w, (uint32_t)i, st->end_real_ns, &o->opts) < 0)
			return -1;
	}
	if (!o->wrote_info && write_run_info(o) < 0)
		return -1;
	return write_stats_record(o, st);
}

int ipft_pcapng_out_close(struct ipft_pcapng_out *o, const struct ipft_run_stats *st,
			  char *err, size_t errlen)
{
	int rc = 0;

	if (!o)
		return 0;
	if (st && write_stats(o, st) < 0)
		rc = -1;
	if (pcapng_writer_flush(o->w) < 0)
		rc = -1;
	if (rc < 0)
		snprintf(err, errlen, "%s", pcapng_writer_error(o->w));
	if (pcapng_writer_close(o->w) < 0 && rc == 0) {
		snprintf(err, errlen, "closing the output failed");
		rc = -1;
	}
	pcapng_opts_free(&o->opts);
	ipft_snapq_free(o->snapq);
	free(o->ifaces);
	free(o);
	return rc;
}

int ipft_pcapng_out_flush(struct ipft_pcapng_out *o)
{
	return pcapng_writer_flush(o->w);
}

const char *ipft_pcapng_out_error(const struct ipft_pcapng_out *o)
{
	return pcapng_writer_error(o->w);
}

uint64_t ipft_pcapng_out_packets_written(const struct ipft_pcapng_out *o)
{
	return pcapng_writer_packets_out(o->w);
}

void ipft_pcapng_out_give_up_on_stop(struct ipft_pcapng_out *o, const volatile sig_atomic_t *stop)
{
	pcapng_writer_give_up_on_stop(o->w, stop);
}
