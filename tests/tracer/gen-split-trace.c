/* gen-split-trace - a pcapng file whose traces are Custom Blocks split in
 * parts, as the format allows (docs/format.md 1.2) though ipft writes a
 * trace in one block: what ipft trim must join.  Written with ipft's own
 * writer and codec.
 *
 *   gen-split-trace OUT
 *
 * Packet 1 (id 0x...01): 40 events in parts of at most 512 bytes, every
 * part right before its EPB.  Packet 2 (id 0x...02): 40 events, its
 * third part missing.  Every event has a function address, the last one a drop
 * location with its address and symbol.
 */
#include "codec/ipft_format.h"
#include "pcapng/pcapng.h"

#include <stdio.h>
#include <string.h>

#define EVENTS 40
#define PART_MAX 512
#define SALT 0x5b11700000000000ull

struct emit {
	struct pcapng_writer *w;
	int skip_part;  /* this part is not written; -1: none */
	int part;
};

static int write_part(const uint8_t *rec, size_t len, void *arg)
{
	struct emit *e = arg;

	if (e->part++ == e->skip_part)
		return 0;
	return pcapng_write_cb(e->w, IPFT_PEN, rec, len, true) < 0;
}

/* Ethernet, IPv4, UDP to port 9, 16 bytes of payload. */
static const uint8_t packet[14 + 20 + 8 + 16] = {
	0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00,
	0x45, 0, 0, 44, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x13, 0x88, 0, 9, 0, 24, 0, 0,
	'p', 'a', 'y', 'l', 'o', 'a', 'd', '-', 'p', 'a', 'y', 'l', 'o', 'a', 'd', '!',
};

static int write_packet(struct pcapng_writer *w, struct pcapng_opts *opts, uint64_t id,
			int skip_part)
{
	struct ipft_event ev[EVENTS];
	struct ipft_trace t = { .packet_id = id, .flags = IPFT_TRACE_COMPLETE,
				.n_events = EVENTS, .events = ev };
	struct emit e = { .w = w, .skip_part = skip_part };
	uint64_t ts = 1700000000000000000ull + (id & 0xff) * 1000000;

	memset(ev, 0, sizeof(ev));
	for (int i = 0; i < EVENTS; i++) {
		ev[i] = (struct ipft_event){ .ts_ns = ts + (uint64_t)i * 1000, .kind = IPFT_KIND_FUNC_ENTRY,
					     .name = i % 2 ? "ip_rcv" : "ip_local_deliver",
					     .has = IPFT_HAS_FUNC_ADDR,
					     .func_addr = 0xffffffff81000000ull + (uint64_t)i };
	}
	ev[0].flags = IPFT_EVF_FIRST;
	ev[EVENTS - 1] = (struct ipft_event){
		.ts_ns = ts + EVENTS * 1000, .kind = IPFT_KIND_TRACEPOINT, .name = "kfree_skb",
		.flags = IPFT_EVF_FREE, .has = IPFT_HAS_DROP_REASON | IPFT_HAS_DROP_LOCATION,
		.drop_reason = 3, .drop_reason_name = "NO_SOCKET",
		.drop_location = 0xffffffff81a4b2f1ull, .drop_location_sym = "__udp4_lib_rcv+0x8f1" };
	if (ipft_trace_encode(&t, PART_MAX, write_part, &e) != 0)
		return -1;
	pcapng_opts_reset(opts);
	pcapng_opts_add_u64(opts, PCAPNG_OPT_EPB_PACKETID, id);
	return pcapng_write_epb(w, 0, ts, packet, sizeof(packet), sizeof(packet), opts);
}

int main(int argc, char **argv)
{
	struct pcapng_writer *w;
	struct pcapng_opts opts;
	char err[256];
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-split-trace OUT\n");
		return 1;
	}
	if (!(w = pcapng_writer_open_path(argv[1], err, sizeof(err)))) {
		fprintf(stderr, "gen-split-trace: %s\n", err);
		return 1;
	}
	pcapng_opts_init(&opts);
	pcapng_opts_add_str(&opts, PCAPNG_OPT_SHB_USERAPPL, "gen-split-trace");
	rc = pcapng_write_shb(w, &opts);
	pcapng_opts_reset(&opts);
	pcapng_opts_add_u8(&opts, PCAPNG_OPT_IF_TSRESOL, 9);
	rc = rc || pcapng_write_idb(w, 1, 256, &opts) < 0;
	rc = rc || write_packet(w, &opts, SALT | 1, -1) < 0;
	rc = rc || write_packet(w, &opts, SALT | 2, 2) < 0;
	pcapng_opts_free(&opts);
	if (pcapng_writer_close(w) < 0 || rc) {
		fprintf(stderr, "gen-split-trace: writing %s failed\n", argv[1]);
		return 1;
	}
	return 0;
}
