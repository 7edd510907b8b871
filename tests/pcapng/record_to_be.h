/* record_to_be.h - a TRACE record rewritten as a big-endian writer would
 * have written it, for the unit tests that check a reader takes both byte
 * orders (test-pcapng, test-packed).  Header only: each test is one file.
 */
#ifndef IPFT_TESTS_RECORD_TO_BE_H
#define IPFT_TESTS_RECORD_TO_BE_H

#include "codec/ipft_format.h"

#include <stddef.h>
#include <stdint.h>

#define RECORD_TO_BE_FIELDS 4096

static void record_swap_at(uint8_t *b, size_t off, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		uint8_t t = b[off + i];
		b[off + i] = b[off + n - 1 - i];
		b[off + n - 1 - i] = t;
	}
}

/* Bytes of the value of an attribute of a fixed-width type; 0 if none. */
static size_t record_attr_width(const struct ipft_attr_view *a)
{
	switch (a->type) {
	case IPFT_ATTR_DROP_REASON:
		return 4;
	case IPFT_ATTR_DROP_LOCATION: case IPFT_ATTR_RETVAL: case IPFT_ATTR_DURATION:
	case IPFT_ATTR_FUNC_ADDR:
		return 8;
	default:
		return 0;
	}
}

/* The little-endian record of len bytes at b, in place: every multi-byte
 * field swapped and the byte order 'B'.  The offsets are found first: the
 * views read the record in its own order. */
static void record_to_big_endian(uint8_t *b, size_t len)
{
	static size_t offs[RECORD_TO_BE_FIELDS], lens[RECORD_TO_BE_FIELDS];
	struct ipft_rec rec;
	struct ipft_event_view ev;
	struct ipft_attr_view a, kv;
	size_t cur = 0, acur, kcur, n = 0;

	if (ipft_rec_parse(&rec, b, len, NULL, 0) < 0)
		return;
#define AT(o, l) (n < RECORD_TO_BE_FIELDS ? (offs[n] = (o), lens[n++] = (l)) : 0)
	AT(IPFT_OFF(rec, type), 2), AT(IPFT_OFF(rec, len), 4);
	AT(IPFT_OFF(trace, packet_id), 8), AT(IPFT_OFF(trace, flags), 4);
	AT(IPFT_OFF(trace, part), 2), AT(IPFT_OFF(trace, parts), 2);
	AT(IPFT_OFF(trace, n_events), 4);
	while (ipft_rec_next_event(&rec, &cur, &ev, NULL, 0) == 1) {
		AT(ev.off + IPFT_OFF(event, len), 2), AT(ev.off + IPFT_OFF(event, depth), 2);
		AT(ev.off + IPFT_OFF(event, name_len), 2), AT(ev.off + IPFT_OFF(event, cpu), 4);
		AT(ev.off + IPFT_OFF(event, n_attrs), 4), AT(ev.off + IPFT_OFF(event, ts_ns), 8);
		for (acur = 0; ipft_rec_next_attr(&rec, &ev, &acur, &a, NULL, 0) == 1;) {
			AT(a.off + IPFT_OFF(attr, type), 2), AT(a.off + IPFT_OFF(attr, len), 2);
			if (record_attr_width(&a))
				AT(a.val_off, record_attr_width(&a));
			if (a.type == IPFT_ATTR_KV)
				AT(a.val_off + IPFT_OFF(kv, flags), 2);
			if (a.type == IPFT_ATTR_KV && a.kval_len == 8 && a.vtype != IPFT_VT_STRING &&
			    a.vtype != IPFT_VT_BYTES)
				AT(a.kval_off, 8);
			if (a.type != IPFT_ATTR_PACKED)
				continue;
			AT(a.val_off, 2);
			for (kcur = 0; ipft_rec_next_packed(&rec, &a, &kcur, &kv, NULL, 0) == 1;)
				if (kv.vtype != IPFT_VT_STRING)
					AT(kv.kval_off, kv.kval_len);
		}
	}
#undef AT
	for (size_t i = 0; i < n; i++)
		record_swap_at(b, offs[i], lens[i]);
	b[IPFT_OFF(rec, byte_order)] = IPFT_BO_BIG;
}

#endif
