/* fuzz_ipft_format - libFuzzer target over the trace-format decoder, the
 * code the Wireshark plugin runs on whatever a capture file carries.
 *
 * Every view iterator, the full decoder, appending a part, the path text,
 * a re-encode of what was decoded (which must decode to the same events),
 * and the one verdict every reader shares (ipft_rec_check), which must
 * accept a trace exactly when the full decoder does.  Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined.
 */
#include "codec/ipft_format.h"

#include <stdlib.h>
#include <string.h>

static volatile unsigned sink;

/* Reads every byte a view points at, so ASan sees any overrun. */
static void touch(const void *p, size_t len)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < len; i++)
		sink += c[i];
}

/* Every key/value of a packed attribute, as the plugin reads them. */
static void walk_packed(const struct ipft_rec *r, const struct ipft_attr_view *a)
{
	struct ipft_attr_view kv;
	size_t cur = 0;
	uint64_t v;

	while (ipft_rec_next_packed(r, a, &cur, &kv, NULL, 0) == 1) {
		touch(kv.kval, kv.kval_len);
		if (ipft_kv_int(r, &kv, &v))
			sink += (unsigned)v;
	}
}

static void walk_views(const uint8_t *data, size_t size)
{
	struct ipft_rec r;
	struct ipft_event_view ev;
	struct ipft_attr_view a;
	char err[256];
	size_t cur = 0, acur;

	if (ipft_rec_parse(&r, data, size, err, sizeof(err)) < 0)
		return;
	if (r.type != IPFT_REC_TRACE) {
		acur = 0;
		while (ipft_rec_next_attr(&r, NULL, &acur, &a, err, sizeof(err)) == 1) {
			touch(a.val, a.len);
			if (a.type == IPFT_ATTR_KV) {
				touch(a.key, a.key_len);
				touch(a.kval, a.kval_len);
			}
		}
		return;
	}
	while (ipft_rec_next_event(&r, &cur, &ev, err, sizeof(err)) == 1) {
		touch(ev.name, ev.name_len);
		acur = 0;
		while (ipft_rec_next_attr(&r, &ev, &acur, &a, err, sizeof(err)) == 1) {
			touch(a.val, a.len);
			if (a.len >= 8)
				sink += (unsigned)ipft_rec_u64(&r, a.val_off);
			if (a.type == IPFT_ATTR_KV) {
				touch(a.key, a.key_len);
				touch(a.kval, a.kval_len);
			}
			if (a.type == IPFT_ATTR_PACKED)
				walk_packed(&r, &a);
		}
	}
}

static int collect(const uint8_t *rec, size_t len, void *arg)
{
	struct ipft_trace **again = arg;
	char err[256];

	if (!*again)
		return ipft_trace_decode(rec, len, again, err, sizeof(err)) < 0;
	return ipft_trace_decode_append(*again, rec, len, err, sizeof(err)) < 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipft_trace *t = NULL, *again = NULL;
	char err[256];
	char *path;

	walk_views(data, size);
	struct ipft_rec r;
	bool is_trace = ipft_rec_parse(&r, data, size, err, sizeof(err)) == 0 &&
			r.type == IPFT_REC_TRACE;
	int verdict = ipft_rec_check(data, size, err, sizeof(err));
	if (ipft_trace_decode(data, size, &t, err, sizeof(err)) < 0) {
		if (is_trace && verdict == 0)
			abort();
		return 0;
	}
	if (verdict != 0)
		abort();
	path = ipft_trace_path(t, 0);
	free(path);
	path = ipft_trace_path(t, 40);
	if (path && strlen(path) > 40)
		abort();
	free(path);
	/* What was decoded encodes again (unknown attributes aside) to the
	 * same events, whatever the part size. */
	if (ipft_trace_encode(t, 512, collect, &again) == 0 && again) {
		if (again->n_events != t->n_events)
			abort();
		for (size_t i = 0; i < t->n_events; i++)
			if (strcmp(again->events[i].name, t->events[i].name) != 0 ||
			    again->events[i].ts_ns != t->events[i].ts_ns)
				abort();
	}
	ipft_trace_free(again);
	ipft_trace_decode_append(t, data, size, err, sizeof(err));
	ipft_trace_free(t);
	return 0;
}
