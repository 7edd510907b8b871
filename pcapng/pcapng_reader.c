/* pcapng_reader.c - walk a pcapng file held in memory.
 *
 * Every length is checked against what remains before it is used, block
 * sizes are capped, and a malformed file ends the walk with one message
 * naming the offset.  Sections of either byte order are read; values are
 * handed out in host order.
 */
#include "pcapng/pcapng.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_BLOCK_LEN (16u << 20)
#define MAX_IFACES 65536

struct pcapng_reader {
	const uint8_t *buf;
	size_t len, off;
	uint8_t *owned;          /* file contents when opened by path */
	bool in_section, swapped;
	uint64_t *if_units;      /* ts units per second of each interface */
	size_t n_ifaces, cap_ifaces;
	char msg[256];
	bool failed;
};

static int fail(struct pcapng_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	r->failed = true;
	return -1;
}

static uint16_t rd16(bool swap, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return swap ? __builtin_bswap16(v) : v;
}

static uint32_t rd32(bool swap, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static uint64_t rd64(bool swap, const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return swap ? __builtin_bswap64(v) : v;
}

/* Timestamps are two 32-bit halves, high first, each in section order. */
static uint64_t rd_ts(bool swap, const uint8_t *p)
{
	return (uint64_t)rd32(swap, p) << 32 | rd32(swap, p + 4);
}

struct pcapng_reader *pcapng_reader_open_mem(const uint8_t *buf, size_t len,
					     char *errbuf, size_t errlen)
{
	struct pcapng_reader *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	r->buf = buf;
	r->len = len;
	return r;
}

struct pcapng_reader *pcapng_reader_open_path(const char *path, char *errbuf, size_t errlen)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 1 << 16;
	uint8_t *buf = NULL;
	struct pcapng_reader *r;

	if (fd < 0) {
		snprintf(errbuf, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (!buf || len == cap) {
			uint8_t *b = realloc(buf, buf ? cap *= 2 : cap);
			if (!b) {
				snprintf(errbuf, errlen, "out of memory reading %s", path);
				goto fail;
			}
			buf = b;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(errbuf, errlen, "cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	r = pcapng_reader_open_mem(buf, len, errbuf, errlen);
	if (!r)
		free(buf);
	else
		r->owned = buf;
	return r;
fail:
	if (fd != STDIN_FILENO)
		close(fd);
	free(buf);
	return NULL;
}

void pcapng_reader_close(struct pcapng_reader *r)
{
	if (!r)
		return;
	free(r->owned);
	free(r->if_units);
	free(r);
}

const char *pcapng_reader_error(const struct pcapng_reader *r)
{
	return r->msg;
}

/* if_tsresol: high bit set = negative power of 2, else power of 10. */
static uint64_t tsresol_units(uint8_t v)
{
	unsigned exp = v & 0x7f;
	uint64_t u = 1;

	if (v & 0x80)
		return exp < 64 ? 1ull << exp : 0;
	while (exp--) {
		if (u > UINT64_MAX / 10)
			return 0;
		u *= 10;
	}
	return u;
}

static int add_interface(struct pcapng_reader *r, struct pcapng_block *b)
{
	uint64_t units = 1000000; /* default: microseconds */
	struct pcapng_option o;
	size_t cur = 0;
	int rc;

	while ((rc = pcapng_block_next_option(b, &cur, &o, r->msg, sizeof(r->msg))) == 1) {
		if (o.code == PCAPNG_OPT_IF_TSRESOL) {
			if (o.len != 1)
				return fail(r, "offset %llu: if_tsresol of %u bytes",
					    (unsigned long long)b->file_offset, o.len);
			units = tsresol_units(o.val[0]);
			if (!units)
				return fail(r, "offset %llu: unusable if_tsresol 0x%02x",
					    (unsigned long long)b->file_offset, o.val[0]);
		}
	}
	if (rc < 0) {
		r->failed = true;
		return -1;
	}
	if (r->n_ifaces == MAX_IFACES)
		return fail(r, "offset %llu: more than %d interfaces in one section",
			    (unsigned long long)b->file_offset, MAX_IFACES);
	if (r->n_ifaces == r->cap_ifaces) {
		size_t cap = r->cap_ifaces ? 2 * r->cap_ifaces : 8;
		uint64_t *u = realloc(r->if_units, cap * sizeof(*u));
		if (!u)
			return fail(r, "out of memory");
		r->if_units = u;
		r->cap_ifaces = cap;
	}
	r->if_units[r->n_ifaces++] = units;
	return 0;
}

/* Sets the option area of b to start at body offset fixed_len. */
static int set_opts(struct pcapng_reader *r, struct pcapng_block *b, size_t fixed_len)
{
	if (b->body_len < fixed_len)
		return fail(r, "offset %llu: block type 0x%08x of %u bytes is too short",
			    (unsigned long long)b->file_offset, b->type, b->total_len);
	b->opts = b->body_len > fixed_len ? b->body + fixed_len : NULL;
	b->opts_len = b->body_len - fixed_len;
	return 0;
}

static int interface_of(struct pcapng_reader *r, struct pcapng_block *b, uint32_t if_id)
{
	if (if_id >= r->n_ifaces)
		return fail(r, "offset %llu: interface %u is not described by an IDB",
			    (unsigned long long)b->file_offset, if_id);
	b->ts_units_per_sec = r->if_units[if_id];
	return 0;
}

static int parse_body(struct pcapng_reader *r, struct pcapng_block *b)
{
	bool s = b->swapped;
	const uint8_t *p = b->body;

	switch (b->type) {
	case PCAPNG_BT_SHB:
		if (set_opts(r, b, 16) < 0)
			return -1;
		b->u.shb.major = rd16(s, p + 4);
		b->u.shb.minor = rd16(s, p + 6);
		b->u.shb.section_len = (int64_t)rd64(s, p + 8);
		if (b->u.shb.major != 1)
			return fail(r, "offset %llu: unsupported pcapng version %u.%u",
				    (unsigned long long)b->file_offset, b->u.shb.major,
				    b->u.shb.minor);
		return 0;
	case PCAPNG_BT_IDB:
		if (set_opts(r, b, 8) < 0)
			return -1;
		b->u.idb.linktype = rd16(s, p);
		b->u.idb.snaplen = rd32(s, p + 4);
		return add_interface(r, b);
	case PCAPNG_BT_EPB: {
		if (b->body_len < 20)
			return set_opts(r, b, 20);
		uint32_t caplen = rd32(s, p + 12);
		size_t padded = ((size_t)caplen + 3) & ~(size_t)3;
		if (padded > b->body_len - 20)
			return fail(r, "offset %llu: packet of %u captured bytes overruns its block",
				    (unsigned long long)b->file_offset, caplen);
		if (set_opts(r, b, 20 + padded) < 0)
			return -1;
		b->u.epb.if_id = rd32(s, p);
		b->u.epb.ts = rd_ts(s, p + 4);
		b->u.epb.caplen = caplen;
		b->u.epb.origlen = rd32(s, p + 16);
		b->u.epb.data = p + 20;
		return interface_of(r, b, b->u.epb.if_id);
	}
	case PCAPNG_BT_SPB:
		if (b->body_len < 4)
			return set_opts(r, b, 4);
		b->u.spb.origlen = rd32(s, p);
		b->u.spb.data = p + 4;
		b->u.spb.caplen = (uint32_t)(b->body_len - 4);
		if (b->u.spb.caplen > b->u.spb.origlen)
			b->u.spb.caplen = b->u.spb.origlen;
		b->opts = NULL;
		b->opts_len = 0;
		return 0;
	case PCAPNG_BT_ISB:
		if (set_opts(r, b, 12) < 0)
			return -1;
		b->u.isb.if_id = rd32(s, p);
		b->u.isb.ts = rd_ts(s, p + 4);
		return interface_of(r, b, b->u.isb.if_id);
	case PCAPNG_BT_CB_COPY:
	case PCAPNG_BT_CB_NOCOPY:
		if (b->body_len < 4)
			return set_opts(r, b, 4);
		b->u.cb.pen = rd32(s, p);
		b->u.cb.data = p + 4;
		b->u.cb.len = b->body_len - 4;
		b->opts = NULL; /* custom block options are not separable from data */
		b->opts_len = 0;
		return 0;
	default:
		b->opts = NULL;
		b->opts_len = 0;
		return 0;
	}
}

/* Every option must lie inside the option area, so callers iterating the
 * options of a block the reader handed out never meet a malformed one. */
static int check_options(struct pcapng_reader *r, const struct pcapng_block *b)
{
	struct pcapng_option o;
	size_t cur = 0;
	int rc;

	while ((rc = pcapng_block_next_option(b, &cur, &o, r->msg, sizeof(r->msg))) == 1)
		;
	if (rc < 0)
		r->failed = true;
	return rc;
}

int pcapng_reader_next(struct pcapng_reader *r, struct pcapng_block *b)
{
	size_t remain;
	uint32_t type, total;

	if (r->failed)
		return -1;
	remain = r->len - r->off;
	if (remain == 0) {
		if (!r->in_section)
			return fail(r, "empty file: no Section Header Block");
		return 0;
	}
	memset(b, 0, sizeof(*b));
	b->file_offset = r->off;
	if (remain < 12)
		return fail(r, "offset %zu: truncated block header (%zu bytes left)", r->off, remain);
	const uint8_t *p = r->buf + r->off;
	memcpy(&type, p, 4);
	if (type == PCAPNG_BT_SHB) {
		uint32_t magic;
		memcpy(&magic, p + 8, 4);
		if (magic == PCAPNG_BYTE_ORDER_MAGIC)
			r->swapped = false;
		else if (magic == __builtin_bswap32(PCAPNG_BYTE_ORDER_MAGIC))
			r->swapped = true;
		else
			return fail(r, "offset %zu: section header has a bad byte-order magic", r->off);
		r->in_section = true;
		r->n_ifaces = 0;
	} else if (!r->in_section) {
		return fail(r, "not a pcapng file: it does not start with a Section Header Block");
	}
	type = rd32(r->swapped, p);
	total = rd32(r->swapped, p + 4);
	if (total < 12 || total % 4)
		return fail(r, "offset %zu: bad block length %u", r->off, total);
	if (total > MAX_BLOCK_LEN)
		return fail(r, "offset %zu: block of %u bytes exceeds the %u-byte limit",
			    r->off, total, MAX_BLOCK_LEN);
	if (total > remain)
		return fail(r, "offset %zu: block of %u bytes is truncated (%zu bytes left)",
			    r->off, total, remain);
	if (rd32(r->swapped, p + total - 4) != total)
		return fail(r, "offset %zu: block trailer length differs from its header", r->off);
	b->type = type;
	b->total_len = total;
	b->swapped = r->swapped;
	b->body = p + 8;
	b->body_len = total - 12;
	if (parse_body(r, b) < 0 || check_options(r, b) < 0)
		return -1;
	r->off += total;
	return 1;
}

int pcapng_block_next_option(const struct pcapng_block *b, size_t *cursor,
			     struct pcapng_option *o, char *errbuf, size_t errlen)
{
	size_t off = *cursor;

	if (!b->opts || off >= b->opts_len)
		return 0;
	if (b->opts_len - off < 4) {
		snprintf(errbuf, errlen, "offset %llu: truncated option header",
			 (unsigned long long)b->file_offset);
		return -1;
	}
	o->code = rd16(b->swapped, b->opts + off);
	o->len = rd16(b->swapped, b->opts + off + 2);
	o->offset = (size_t)(b->opts - b->body) + 8 + off;
	if (o->code == PCAPNG_OPT_ENDOFOPT) {
		*cursor = b->opts_len;
		return 0;
	}
	size_t padded = ((size_t)o->len + 3) & ~(size_t)3;
	if (padded > b->opts_len - off - 4) {
		snprintf(errbuf, errlen, "offset %llu: option %u of %u bytes overruns its block",
			 (unsigned long long)b->file_offset, o->code, o->len);
		return -1;
	}
	o->val = b->opts + off + 4;
	*cursor = off + 4 + padded;
	return 1;
}

uint32_t pcapng_opt_u32(const struct pcapng_block *b, const struct pcapng_option *o)
{
	return o->len >= 4 ? rd32(b->swapped, o->val) : 0;
}

uint64_t pcapng_opt_u64(const struct pcapng_block *b, const struct pcapng_option *o)
{
	return o->len >= 8 ? rd64(b->swapped, o->val) : 0;
}

uint64_t pcapng_opt_ts(const struct pcapng_block *b, const struct pcapng_option *o)
{
	return o->len >= 8 ? rd_ts(b->swapped, o->val) : 0;
}

int pcapng_opt_custom(const struct pcapng_block *b, const struct pcapng_option *o,
		      uint32_t *pen, const uint8_t **data, size_t *len)
{
	if (o->len < 4)
		return -1;
	*pen = rd32(b->swapped, o->val);
	*data = o->val + 4;
	*len = o->len - 4u;
	return 0;
}
