/* trim_blocks.c - each block of IN as it goes to OUT (trim_internal.h).
 *
 * Section headers lose the command line and the host's OS build and
 * hardware; packets lose their payload and their traces the kernel
 * addresses; RUN_INFO loses the command line and says what was trimmed;
 * interface descriptions, statistics and STATS are copied.  What ipft
 * does not write (name resolution, decryption secrets, other programs'
 * custom blocks and options, simple packets) is left out: it may hold
 * anything.
 */
#include "tracer/trim/trim_internal.h"
#include "tracer/output/headers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINKTYPE_ETHERNET 1
#define LINKTYPE_RAW 101
#define LINKTYPE_IPV4 228
#define LINKTYPE_IPV6 229
#define LINKTYPE_WIRESHARK_UPPER_PDU 252
#define IDB_OPT_IF_OS 12
#define IDB_OPT_IF_HARDWARE 15
/* The section comment ipft writes: "ipft trace: CMDLINE; backend B, N
 * attach points" (tracer/output/pcapng_out.c). */
#define SHB_COMMENT_HEAD "ipft trace: "
#define SHB_COMMENT_TAIL "; backend "
#define SHB_COMMENT_MAX 4096

static bool is_custom(uint16_t code)
{
	return code == PCAPNG_OPT_CUSTOM_STR_COPY || code == PCAPNG_OPT_CUSTOM_BIN_COPY ||
	       code == PCAPNG_OPT_CUSTOM_STR_NOCOPY || code == PCAPNG_OPT_CUSTOM_BIN_NOCOPY;
}

static int malformed(struct trimmer *t, const struct pcapng_block *b, const char *err)
{
	char what[300];

	snprintf(what, sizeof(what), "malformed ipft record: %s", err);
	return trim_bad_input(t, b->file_offset, what);
}

/* Walks b's options, handing each to fn; 0 or -1. */
static int each_option(struct trimmer *t, const struct pcapng_block *b,
		       int (*fn)(struct trimmer *, const struct pcapng_block *,
				 const struct pcapng_option *))
{
	struct pcapng_option o;
	size_t cur = 0;
	char err[256];
	int rc;

	pcapng_opts_reset(&t->opts);
	while ((rc = pcapng_block_next_option(b, &cur, &o, err, sizeof(err))) == 1)
		if (fn(t, b, &o) < 0)
			return t->err[0] ? -1 : trim_bad_input(t, b->file_offset, "an option does not fit");
	return rc < 0 ? trim_bad_input(t, b->file_offset, err) : 0;
}

/* ---- section header --------------------------------------------------- */

/* ipft's comment, its command line left out; any other comment left out. */
static int shb_comment(struct trimmer *t, const struct pcapng_option *o)
{
	char in[SHB_COMMENT_MAX], out[SHB_COMMENT_MAX + 64];
	const char *tail = NULL;
	size_t n = o->len < sizeof(in) - 1 ? o->len : sizeof(in) - 1;

	memcpy(in, o->val, n);
	in[n] = 0;
	for (const char *s = in; (s = strstr(s, SHB_COMMENT_TAIL)); s++)
		tail = s;  /* the last one: a command line may hold the words too */
	if (strncmp(in, SHB_COMMENT_HEAD, strlen(SHB_COMMENT_HEAD)) != 0 || !tail) {
		t->left_out++;
		return 0;
	}
	snprintf(out, sizeof(out), "%s(command line left out by ipft trim)%s", SHB_COMMENT_HEAD,
		 tail);
	return pcapng_opts_add_str(&t->opts, PCAPNG_OPT_COMMENT, out);
}

static int shb_option(struct trimmer *t, const struct pcapng_block *b,
		      const struct pcapng_option *o)
{
	if (o->code == PCAPNG_OPT_COMMENT && (t->what & TRIM_CMDLINE))
		return shb_comment(t, o);
	if ((o->code == PCAPNG_OPT_SHB_OS || o->code == PCAPNG_OPT_SHB_HARDWARE) &&
	    (t->what & TRIM_HOST))
		return 0;
	if (is_custom(o->code)) {
		t->left_out++;
		return 0;
	}
	return trim_copy_option(t, b, o);
}

static int shb(struct trimmer *t, const struct pcapng_block *b)
{
	t->n_ifaces = 0;
	if (each_option(t, b, shb_option) < 0)
		return -1;
	return pcapng_write_shb(t->w, &t->opts);
}

/* ---- interfaces and their statistics ----------------------------------- */

static int idb_option(struct trimmer *t, const struct pcapng_block *b,
		      const struct pcapng_option *o)
{
	if ((o->code == IDB_OPT_IF_OS || o->code == IDB_OPT_IF_HARDWARE) && (t->what & TRIM_HOST))
		return 0;
	if (is_custom(o->code)) {
		t->left_out++;
		return 0;
	}
	return trim_copy_option(t, b, o);
}

static int idb(struct trimmer *t, const struct pcapng_block *b)
{
	uint16_t *v;

	if (t->n_ifaces == TRIM_MAX_IFACES)
		return trim_bad_input(t, b->file_offset, "too many interfaces");
	v = realloc(t->linktypes, (t->n_ifaces + 1) * sizeof(*v));
	if (!v) {
		snprintf(t->err, sizeof(t->err), "out of memory");
		return -1;
	}
	t->linktypes = v;
	t->linktypes[t->n_ifaces++] = b->u.idb.linktype;
	if (each_option(t, b, idb_option) < 0)
		return -1;
	return pcapng_write_idb(t->w, b->u.idb.linktype, b->u.idb.snaplen, &t->opts) < 0 ? -1 : 0;
}

static int other_option(struct trimmer *t, const struct pcapng_block *b,
			const struct pcapng_option *o)
{
	if (is_custom(o->code)) {
		t->left_out++;
		return 0;
	}
	return trim_copy_option(t, b, o);
}

static int isb(struct trimmer *t, const struct pcapng_block *b)
{
	if (each_option(t, b, other_option) < 0)
		return -1;
	return pcapng_write_isb(t->w, b->u.isb.if_id, b->u.isb.ts, &t->opts);
}

/* ---- packets ------------------------------------------------------------ */

/* An exported PDU (ipft's packet without headers): its tags, up to the
 * end-of-tags tag; what follows them is the PDU. */
static size_t pdu_tags_len(const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (len - off >= 4) {
		size_t tag = (size_t)p[off] << 8 | p[off + 1], n = (size_t)p[off + 2] << 8 | p[off + 3];
		off += 4;
		if (tag == 0 || n > len - off)
			break;
		off += n;
	}
	return off < len ? off : len;
}

/* The captured bytes kept: all, or (--payload) the headers; none on a
 * link type whose headers ipft does not know. */
static uint32_t kept_bytes(const struct trimmer *t, const struct pcapng_block *b)
{
	const uint8_t *d = b->u.epb.data;
	uint32_t len = b->u.epb.caplen;

	if (!(t->what & TRIM_PAYLOAD))
		return len;
	switch (t->linktypes[b->u.epb.if_id]) {
	case LINKTYPE_ETHERNET:
		return (uint32_t)ipft_headers_len(d, len, IPFT_HDR_ETHERNET);
	case LINKTYPE_RAW:
	case LINKTYPE_IPV4:
	case LINKTYPE_IPV6:
		return (uint32_t)ipft_headers_len(d, len, IPFT_HDR_IP);
	case LINKTYPE_WIRESHARK_UPPER_PDU:
		return (uint32_t)pdu_tags_len(d, len);
	default:
		return 0;
	}
}

/* Options 2989 holding an ipft TRACE record are gathered (t->epb) for
 * trim_trace_options; other custom options are left out. */
static int epb_option(struct trimmer *t, const struct pcapng_block *b,
		      const struct pcapng_option *o)
{
	const uint8_t *data;
	struct ipft_rec r;
	char err[256];
	uint32_t pen;
	size_t len;

	if (!is_custom(o->code))
		return trim_copy_option(t, b, o);
	if ((o->code != PCAPNG_OPT_CUSTOM_BIN_COPY && o->code != PCAPNG_OPT_CUSTOM_BIN_NOCOPY) ||
	    pcapng_opt_custom(b, o, &pen, &data, &len) < 0 || pen != IPFT_PEN ||
	    !ipft_rec_is_ipft(data, len)) {
		t->left_out++;
		return 0;
	}
	if (ipft_rec_parse(&r, data, len, err, sizeof(err)) < 0)
		return malformed(t, b, err);
	if (r.type != IPFT_REC_TRACE) {
		t->left_out++;
		return 0;
	}
	if (t->epb.n == TRIM_MAX_PARTS)
		return trim_bad_input(t, b->file_offset, "more trace parts than ipft writes");
	t->epb.recs[t->epb.n] = data;
	t->epb.lens[t->epb.n++] = len;
	return 0;
}

static int epb(struct trimmer *t, const struct pcapng_block *b)
{
	t->epb.n = 0;
	if (each_option(t, b, epb_option) < 0 ||
	    trim_trace_options(t, b->file_offset, t->epb.recs, t->epb.lens, t->epb.n) < 0 ||
	    pcapng_write_epb(t->w, b->u.epb.if_id, b->u.epb.ts, b->u.epb.data, kept_bytes(t, b),
			     b->u.epb.origlen, &t->opts) < 0)
		return -1;
	t->packets++;
	return 0;
}

/* ---- custom blocks ------------------------------------------------------ */

static int custom_block(struct trimmer *t, const struct pcapng_block *b)
{
	const uint8_t *d = b->u.cb.data;
	size_t len = b->u.cb.len;
	struct ipft_rec r;
	char err[256];

	if (b->u.cb.pen != IPFT_PEN || !ipft_rec_is_ipft(d, len)) {
		t->left_out++;
		return trim_flush_pending(t);
	}
	if (ipft_rec_parse(&r, d, len, err, sizeof(err)) < 0)
		return malformed(t, b, err);
	if (r.type == IPFT_REC_TRACE)
		return trim_trace_block(t, b->file_offset, d, len);
	if (trim_flush_pending(t) < 0)
		return -1;
	switch (r.type) {
	case IPFT_REC_RUN_INFO:
		return trim_run_info(t, b->file_offset, d, r.len);
	case IPFT_REC_STATS:
		return pcapng_write_cb(t->w, IPFT_PEN, d, r.len, true);
	default:
		t->left_out++;  /* a newer ipft's record: what it holds is unknown */
		return 0;
	}
}

int trim_block(struct trimmer *t, const struct pcapng_block *b)
{
	if (b->type == PCAPNG_BT_CB_COPY || b->type == PCAPNG_BT_CB_NOCOPY)
		return custom_block(t, b);
	if (trim_flush_pending(t) < 0)
		return -1;
	switch (b->type) {
	case PCAPNG_BT_SHB:
		return shb(t, b);
	case PCAPNG_BT_IDB:
		return idb(t, b);
	case PCAPNG_BT_EPB:
		return epb(t, b);
	case PCAPNG_BT_ISB:
		return isb(t, b);
	default:
		t->left_out++;
		return 0;
	}
}
