/* gen-malformed - a pcapng whose traces are broken in every way we can
 * think of, for the plugin's robustness test:
 *   every truncation of a valid trace record (one EPB each),
 *   random byte mutations of it (fixed seed),
 *   garbage with the magic, an oversized record length, zero length,
 *   and the same damage in standalone Custom Blocks.
 * Each EPB carries a valid IPv4/UDP packet so that only the trace is bad.
 *
 *   gen-malformed OUT.pcapng   -> prints the number of packets written
 */
#include "pcapng/pcapng.h"
#include "codec/ipft_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t packet[] = {
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
	10, 0, 0, 1, 10, 0, 0, 2, 0x9c, 0x40, 0x00, 0x09, 0x00, 0x08, 0x00, 0x00,
};

static struct pcapng_writer *w;
static struct pcapng_opts o;
static unsigned packets;

static void epb_with(const uint8_t *trace, size_t len)
{
	pcapng_opts_reset(&o);
	pcapng_opts_add_u64(&o, PCAPNG_OPT_EPB_PACKETID, 1000 + packets);
	pcapng_opts_add_custom(&o, PCAPNG_OPT_CUSTOM_BIN_COPY, IPFT_PEN, trace, len);
	if (pcapng_write_epb(w, 0, 1700000000000000000ull + packets, packet, sizeof(packet),
			     sizeof(packet), &o) == 0)
		packets++;
}

static int keep(const uint8_t *rec, size_t len, void *arg)
{
	uint8_t **out = arg;
	*out = malloc(len + sizeof(size_t));
	memcpy(*out, &len, sizeof(size_t));
	memcpy(*out + sizeof(size_t), rec, len);
	return 0;
}

int main(int argc, char **argv)
{
	struct ipft_event ev[6] = {
		{ .ts_ns = 1, .kind = IPFT_KIND_TRACEPOINT, .name = "netif_receive_skb" },
		{ .ts_ns = 2, .kind = IPFT_KIND_FUNC_ENTRY, .name = "ip_rcv", .depth = 1 },
		{ .ts_ns = 3, .kind = IPFT_KIND_FUNC_RETURN, .name = "ip_rcv", .depth = 1,
		  .has = IPFT_HAS_RETVAL | IPFT_HAS_DURATION, .retval = -1, .duration_ns = 1 },
		{ .ts_ns = 4, .kind = IPFT_KIND_TRACEPOINT, .name = "kfree_skb",
		  .has = IPFT_HAS_DROP_REASON | IPFT_HAS_DROP_LOCATION, .drop_reason = 3,
		  .drop_reason_name = "NO_SOCKET", .drop_location = 0xffff,
		  .drop_location_sym = "udp_rcv+0x1" },
	};
	struct ipft_kv kv = { .key = "k", .type = IPFT_VT_STRING, .ptr = "v", .len = 1 };
	struct ipft_trace t = { .packet_id = 1000, .n_events = 4, .events = ev };
	uint8_t *enc = NULL, *m;
	size_t len;
	char err[256];

	if (argc != 2)
		return 2;
	ev[1].n_kv = 1;
	ev[1].kv = &kv;
	w = pcapng_writer_open_path(argv[1], err, sizeof(err));
	if (!w || ipft_trace_encode(&t, 65000, keep, &enc) != 0) {
		fprintf(stderr, "gen-malformed: %s\n", w ? "encode failed" : err);
		return 1;
	}
	memcpy(&len, enc, sizeof(size_t));
	uint8_t *rec = enc + sizeof(size_t);
	pcapng_opts_init(&o);
	pcapng_write_shb(w, NULL);
	pcapng_opts_add_u8(&o, PCAPNG_OPT_IF_TSRESOL, 9);
	pcapng_write_idb(w, 101, 256, &o);

	epb_with(rec, len); /* one intact trace first */
	for (size_t n = 0; n < len; n++)
		epb_with(rec, n);
	m = malloc(len);
	srand(7);
	for (int i = 0; i < 400; i++) {
		memcpy(m, rec, len);
		for (int f = 0; f < 1 + rand() % 4; f++)
			m[(size_t)rand() % len] = (uint8_t)rand();
		memcpy(m, "IPFT", 4); /* keep the magic so the decoder goes deep */
		epb_with(m, len);
	}
	uint8_t big[64] = "IPFT\x01L\x01\x00\xff\xff\xff\x7f";
	epb_with(big, sizeof(big));
	uint8_t zero[16] = "IPFT\x01L\x01\x00";
	epb_with(zero, sizeof(zero));
	epb_with((const uint8_t *)"IPFT", 4);
	for (size_t n = 0; n < len; n += 7) {
		pcapng_write_cb(w, IPFT_PEN, rec, n, true);
		epb_with(rec, len);
	}
	pcapng_writer_close(w);
	printf("%u\n", packets);
	free(m);
	free(enc);
	return 0;
}
