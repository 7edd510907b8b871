/* pcapng-swap - rewrites a pcapng file in the other byte order.
 *
 * ipft writes host byte order; this makes big-endian files out of the
 * samples so that tests can check that the reader (and Wireshark) read both
 * orders the same.  Every fixed field and every numeric option known to
 * ipft is swapped; strings, packet bytes and custom data are copied (an
 * ipft record keeps its own byte order, which is the point of its 'L'/'B'
 * field).  Blocks of other types are refused.
 *
 *   pcapng-swap IN OUT
 */
#include "pcapng/pcapng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *out;
static bool swap_out; /* the value must be swapped to reach the other order */

static void w_raw(const void *p, size_t len)
{
	static const uint8_t zero[4];

	fwrite(p, 1, len, out);
	fwrite(zero, 1, ((len + 3) & ~(size_t)3) - len, out);
}

static void w16(uint16_t v)
{
	v = swap_out ? __builtin_bswap16(v) : v;
	fwrite(&v, 2, 1, out);
}

static void w32(uint32_t v)
{
	v = swap_out ? __builtin_bswap32(v) : v;
	fwrite(&v, 4, 1, out);
}

static void w64(uint64_t v)
{
	v = swap_out ? __builtin_bswap64(v) : v;
	fwrite(&v, 8, 1, out);
}

static void w_ts(uint64_t ts)
{
	w32((uint32_t)(ts >> 32));
	w32((uint32_t)ts);
}

static uint16_t rd16(const struct pcapng_block *b, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return b->swapped ? __builtin_bswap16(v) : v;
}

static int options(const struct pcapng_block *b)
{
	struct pcapng_option o;
	size_t cur = 0;
	char err[256];
	int rc;

	if (!b->opts)
		return 0;
	while ((rc = pcapng_block_next_option(b, &cur, &o, err, sizeof(err))) == 1) {
		bool u32 = false, u64 = false, ts = false;
		uint32_t pen;
		const uint8_t *data;
		size_t len;

		w16(o.code);
		w16(o.len);
		if (o.code == PCAPNG_OPT_CUSTOM_BIN_COPY || o.code == PCAPNG_OPT_CUSTOM_STR_COPY ||
		    o.code == PCAPNG_OPT_CUSTOM_BIN_NOCOPY || o.code == PCAPNG_OPT_CUSTOM_STR_NOCOPY) {
			if (pcapng_opt_custom(b, &o, &pen, &data, &len) == 0) {
				w32(pen);
				w_raw(data, len);
				continue;
			}
		} else if (b->type == PCAPNG_BT_EPB) {
			u32 = o.code == PCAPNG_OPT_EPB_FLAGS;
			u64 = o.code == PCAPNG_OPT_EPB_PACKETID || o.code == PCAPNG_OPT_EPB_DROPCOUNT;
		} else if (b->type == PCAPNG_BT_ISB) {
			ts = o.code == PCAPNG_OPT_ISB_STARTTIME || o.code == PCAPNG_OPT_ISB_ENDTIME;
			u64 = o.code >= PCAPNG_OPT_ISB_IFRECV && o.code <= PCAPNG_OPT_ISB_USRDELIV;
		}
		if (u32 && o.len == 4)
			w32(pcapng_opt_u32(b, &o));
		else if (u64 && o.len == 8)
			w64(pcapng_opt_u64(b, &o));
		else if (ts && o.len == 8)
			w_ts(pcapng_opt_ts(b, &o));
		else
			w_raw(o.val, o.len);
	}
	if (rc < 0) {
		fprintf(stderr, "pcapng-swap: %s\n", err);
		return -1;
	}
	w32(0); /* opt_endofopt */
	return 0;
}

int main(int argc, char **argv)
{
	struct pcapng_reader *r;
	struct pcapng_block b;
	char err[256];
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: pcapng-swap IN OUT\n");
		return 2;
	}
	r = pcapng_reader_open_path(argv[1], err, sizeof(err));
	if (!r) {
		fprintf(stderr, "pcapng-swap: %s\n", err);
		return 1;
	}
	out = fopen(argv[2], "wb");
	if (!out) {
		fprintf(stderr, "pcapng-swap: cannot create %s\n", argv[2]);
		return 1;
	}
	while ((rc = pcapng_reader_next(r, &b)) == 1) {
		long start = ftell(out);

		swap_out = !b.swapped;
		w32(b.type);
		w32(b.total_len); /* options are rewritten at the same size */
		switch (b.type) {
		case PCAPNG_BT_SHB:
			w32(PCAPNG_BYTE_ORDER_MAGIC);
			w16(b.u.shb.major);
			w16(b.u.shb.minor);
			w64((uint64_t)b.u.shb.section_len);
			break;
		case PCAPNG_BT_IDB:
			w16(b.u.idb.linktype);
			w16(rd16(&b, b.body + 2));
			w32(b.u.idb.snaplen);
			break;
		case PCAPNG_BT_EPB:
			w32(b.u.epb.if_id);
			w_ts(b.u.epb.ts);
			w32(b.u.epb.caplen);
			w32(b.u.epb.origlen);
			w_raw(b.u.epb.data, b.u.epb.caplen);
			break;
		case PCAPNG_BT_ISB:
			w32(b.u.isb.if_id);
			w_ts(b.u.isb.ts);
			break;
		case PCAPNG_BT_CB_COPY:
		case PCAPNG_BT_CB_NOCOPY:
			w32(b.u.cb.pen);
			fwrite(b.u.cb.data, 1, b.u.cb.len, out);
			break;
		default:
			fprintf(stderr, "pcapng-swap: block type 0x%08x is not handled\n", b.type);
			return 1;
		}
		if (options(&b) < 0)
			return 1;
		w32(b.total_len);
		if (ftell(out) - start != (long)b.total_len) {
			fprintf(stderr, "pcapng-swap: block at offset %llu changed size\n",
				(unsigned long long)b.file_offset);
			return 1;
		}
	}
	if (rc < 0) {
		fprintf(stderr, "pcapng-swap: %s\n", pcapng_reader_error(r));
		return 1;
	}
	pcapng_reader_close(r);
	return fclose(out) == 0 ? 0 : 1;
}
