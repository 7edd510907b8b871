/* pcapng_opts.c - building a block's option list in memory.
 *
 * Options are encoded as they go into the file (host byte order, values
 * zero-padded to 32 bits) so that a block writer only has to copy them.
 * The end-of-options marker is added by the block writer.
 */
#include "pcapng/pcapng.h"

#include <stdlib.h>
#include <string.h>

void pcapng_opts_init(struct pcapng_opts *o)
{
	memset(o, 0, sizeof(*o));
}

void pcapng_opts_reset(struct pcapng_opts *o)
{
	o->len = 0;
	o->failed = false;
}

void pcapng_opts_free(struct pcapng_opts *o)
{
	free(o->buf);
	pcapng_opts_init(o);
}

static int fail(struct pcapng_opts *o)
{
	o->failed = true;
	return -1;
}

/* Reserves n bytes at the end of the list. */
static uint8_t *grow(struct pcapng_opts *o, size_t n)
{
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 256;
		while (cap < o->len + n)
			cap *= 2;
		uint8_t *b = realloc(o->buf, cap);
		if (!b)
			return NULL;
		o->buf = b;
		o->cap = cap;
	}
	uint8_t *p = o->buf + o->len;
	o->len += n;
	return p;
}

/* Appends one option whose value is the concatenation of two pieces (the
 * custom options' PEN and data), so no temporary copy is needed. */
static int add2(struct pcapng_opts *o, uint16_t code, const void *a, size_t alen,
		const void *b, size_t blen)
{
	size_t len = alen + blen;
	if (len > PCAPNG_OPT_MAX_LEN)
		return fail(o);
	size_t padded = (len + 3) & ~(size_t)3;
	uint8_t *p = grow(o, 4 + padded);
	if (!p)
		return fail(o);
	uint16_t hdr[2] = { code, (uint16_t)len };
	memcpy(p, hdr, 4);
	if (alen)
		memcpy(p + 4, a, alen);
	if (blen)
		memcpy(p + 4 + alen, b, blen);
	memset(p + 4 + len, 0, padded - len);
	return 0;
}

int pcapng_opts_add(struct pcapng_opts *o, uint16_t code, const void *val, size_t len)
{
	return add2(o, code, val, len, NULL, 0);
}

int pcapng_opts_add_str(struct pcapng_opts *o, uint16_t code, const char *s)
{
	return add2(o, code, s, strlen(s), NULL, 0);
}

int pcapng_opts_add_u8(struct pcapng_opts *o, uint16_t code, uint8_t v)
{
	return add2(o, code, &v, 1, NULL, 0);
}

int pcapng_opts_add_u32(struct pcapng_opts *o, uint16_t code, uint32_t v)
{
	return add2(o, code, &v, 4, NULL, 0);
}

int pcapng_opts_add_u64(struct pcapng_opts *o, uint16_t code, uint64_t v)
{
	return add2(o, code, &v, 8, NULL, 0);
}

int pcapng_opts_add_ts(struct pcapng_opts *o, uint16_t code, uint64_t ts)
{
	uint32_t v[2] = { (uint32_t)(ts >> 32), (uint32_t)ts };
	return add2(o, code, v, 8, NULL, 0);
}

int pcapng_opts_add_custom(struct pcapng_opts *o, uint16_t code, uint32_t pen,
			   const void *data, size_t len)
{
	return add2(o, code, &pen, 4, data, len);
}
