/* fuzz_pcapng_reader - libFuzzer target over the pcapng reader: blocks,
 * options, and the ipft records found in custom options and Custom Blocks.
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined.
 */
#include "pcapng/pcapng.h"
#include "codec/ipft_format.h"

#include <stdlib.h>

static volatile unsigned sink;

static void touch(const void *p, size_t len)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < len; i++)
		sink += c[i];
}

static void decode(const uint8_t *p, size_t len)
{
	struct ipft_trace *t;
	char err[256];

	if (ipft_trace_decode(p, len, &t, err, sizeof(err)) == 0)
		ipft_trace_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct pcapng_reader *r = pcapng_reader_open_mem(data, size, err, sizeof(err));
	struct pcapng_block b;

	if (!r)
		return 0;
	while (pcapng_reader_next(r, &b) == 1) {
		struct pcapng_option o;
		size_t cur = 0;

		touch(b.body, b.body_len);
		if (b.type == PCAPNG_BT_EPB)
			touch(b.u.epb.data, b.u.epb.caplen);
		if (b.type == PCAPNG_BT_CB_COPY || b.type == PCAPNG_BT_CB_NOCOPY)
			decode(b.u.cb.data, b.u.cb.len);
		while (pcapng_block_next_option(&b, &cur, &o, err, sizeof(err)) == 1) {
			uint32_t pen;
			const uint8_t *p;
			size_t len;

			touch(o.val, o.len);
			sink += (unsigned)pcapng_opt_u64(&b, &o) + (unsigned)pcapng_opt_ts(&b, &o);
			if (pcapng_opt_custom(&b, &o, &pen, &p, &len) == 0 && pen == IPFT_PEN)
				decode(p, len);
		}
	}
	pcapng_reader_close(r);
	return 0;
}
