/* ipft_packed.c - the collectors' common keys packed (IPFT_ATTR_PACKED).
 *
 * A KV attribute spends 8 bytes of header and its key's name on every
 * value: "len" = 61 takes 20 bytes, the twelve keys of -x meta on a
 * packet's first event about 270.  The keys below (-x meta and -x task)
 * are known by name, type and width to every reader of this version, so a
 * run of them in one event goes out as one attribute: a 16-bit mask of the
 * keys present, then their values in the table's order, integers in the
 * width of the table, strings as a length byte and the bytes.  Readers see
 * the same key/values as if each had been a KV attribute, in the same
 * order (docs/format.md 2.4, PACKED).
 */
#include "codec/ipft_packed.h"

#include <stdio.h>
#include <string.h>

#define STR 0 /* width of a string: a length byte, then the bytes */

const char *const ipft_packed_key[IPFT_PACKED_KEYS] = {
	"dev", "ifindex", "netns", "len", "data_len", "mark", "protocol", "pkt_type",
	"cloned", "gso_size", "gso_segs", "gso_type", "context", "pid", "tgid", "comm",
};

/* By bit, as ipft_packed_key. */
static const struct packed_key {
	uint8_t key_len;
	uint8_t vtype;
	uint8_t width;  /* bytes of an integer, STR for a string */
} packed_keys[IPFT_PACKED_KEYS] = {
	{ 3, IPFT_VT_STRING, STR },  /* dev */
	{ 7, IPFT_VT_U64, 4 },       /* ifindex */
	{ 5, IPFT_VT_U64, 4 },       /* netns */
	{ 3, IPFT_VT_U64, 4 },       /* len */
	{ 8, IPFT_VT_U64, 4 },       /* data_len */
	{ 4, IPFT_VT_HEX64, 4 },     /* mark */
	{ 8, IPFT_VT_HEX64, 2 },     /* protocol */
	{ 8, IPFT_VT_STRING, STR },  /* pkt_type */
	{ 6, IPFT_VT_U64, 1 },       /* cloned */
	{ 8, IPFT_VT_U64, 2 },       /* gso_size */
	{ 8, IPFT_VT_U64, 2 },       /* gso_segs */
	{ 8, IPFT_VT_STRING, STR },  /* gso_type */
	{ 7, IPFT_VT_STRING, STR },  /* context */
	{ 3, IPFT_VT_U64, 4 },       /* pid */
	{ 4, IPFT_VT_U64, 4 },       /* tgid */
	{ 4, IPFT_VT_STRING, STR },  /* comm */
};

/* ---- encoder ---------------------------------------------------------- */

static bool fits(const struct packed_key *p, const struct ipft_kv *kv)
{
	if (kv->type != p->vtype)
		return false;
	if (p->width == STR)
		return kv->len <= UINT8_MAX;
	return p->width == 8 || kv->u64 < (1ull << (8 * p->width));
}

/* The bit of the only table key that k can be, by its first letters (the
 * encoder asks for every key/value of every event, several times). */
static int candidate(const char *k)
{
	switch (k[0]) {
	case 'c':
		return k[1] == 'l' ? 8 : k[1] == 'o' && k[2] == 'n' ? 12 : 15;
	case 'd':
		return k[1] == 'e' ? 0 : 4;
	case 'g':
		if (k[1] != 's' || k[2] != 'o' || k[3] != '_')
			return -1;
		return k[4] == 't' ? 11 : k[4] == 's' && k[5] == 'i' ? 9 : 10;
	case 'i':
		return 1;
	case 'l':
		return 3;
	case 'm':
		return 5;
	case 'n':
		return 2;
	case 'p':
		return k[1] == 'i' ? 13 : k[1] == 'k' ? 7 : 6;
	case 't':
		return 14;
	}
	return -1;
}

bool ipft_packed_name_is(const char *key, unsigned b)
{
	const char *k = ipft_packed_key[b];

	/* The name's bytes and its NUL: an equal name, not a longer one. */
	for (unsigned i = 0; i <= packed_keys[b].key_len; i++)
		if (k[i] != key[i])
			return false;
	return true;
}

/* The key's bit, or -1 when kv cannot be packed: not one of ipft's own
 * keys, another type, or a value too wide. */
static int packed_bit(const struct ipft_kv *kv)
{
	int b;

	if (kv->flags || !kv->key)
		return -1;
	if (kv->packed) /* its writer named it by its bit */
		b = kv->packed <= IPFT_PACKED_KEYS ? kv->packed - 1 : -1;
	else if ((b = candidate(kv->key)) >= 0 && !ipft_packed_key_is(kv->key, (unsigned)b))
		b = -1;
	return b >= 0 && fits(&packed_keys[b], kv) ? b : -1;
}

static size_t value_len(const struct packed_key *p, const struct ipft_kv *kv)
{
	return p->width == STR ? 1 + kv->len : p->width;
}

size_t ipft_packed_run(const struct ipft_kv *kv, size_t n, size_t *len, uint8_t *bits)
{
	size_t i = 0;
	int last = -1, b;

	*len = IPFT_PACKED_MASK_LEN;
	/* Keys in the table's order, each once: the reader's order is the
	 * writer's. */
	while (i < n && (b = packed_bit(&kv[i])) > last) {
		*len += value_len(&packed_keys[b], &kv[i]);
		if (bits)
			bits[i] = (uint8_t)b;
		last = b;
		i++;
	}
	return i;
}

size_t ipft_packed_len(const struct ipft_kv *kv, const uint8_t *bits, size_t n)
{
	size_t len = IPFT_PACKED_MASK_LEN;

	for (size_t i = 0; i < n; i++)
		len += value_len(&packed_keys[bits[i]], &kv[i]);
	return len;
}

/* The value in its width, in host order as every field; each width a
 * store of its own (one copy of a variable length cost more than the
 * rest of the attribute). */
static uint8_t *put_int(uint8_t *q, uint8_t width, uint64_t v)
{
	uint16_t v16 = (uint16_t)v;
	uint32_t v32 = (uint32_t)v;

	switch (width) {
	case 1:
		*q = (uint8_t)v;
		break;
	case 2:
		memcpy(q, &v16, sizeof(v16));
		break;
	case 4:
		memcpy(q, &v32, sizeof(v32));
		break;
	default:
		memcpy(q, &v, sizeof(v));
	}
	return q + width;
}

void ipft_packed_put(uint8_t *p, const struct ipft_kv *kv, const uint8_t *bits, size_t n)
{
	uint16_t mask = 0;
	uint8_t *q = p + IPFT_PACKED_MASK_LEN;

	for (size_t i = 0; i < n; i++) {
		const struct packed_key *k = &packed_keys[bits[i]];

		mask |= (uint16_t)(1u << bits[i]);
		if (k->width == STR) {
			*q++ = (uint8_t)kv[i].len;
			if (kv[i].len)
				memcpy(q, kv[i].ptr, kv[i].len);
			q += kv[i].len;
		} else {
			q = put_int(q, k->width, kv[i].u64);
		}
	}
	memcpy(p, &mask, sizeof(mask));
}

/* ---- decoder ---------------------------------------------------------- */

bool ipft_kv_int(const struct ipft_rec *r, const struct ipft_attr_view *a, uint64_t *v)
{
	if (a->vtype != IPFT_VT_U64 && a->vtype != IPFT_VT_S64 && a->vtype != IPFT_VT_HEX64)
		return false;
	/* A KV attribute's integer is 8 bytes; only packed keys are narrower. */
	if (!a->packed && a->kval_len != 8)
		return false;
	switch (a->kval_len) {
	case 1:
		*v = a->kval[0];
		return true;
	case 2:
		*v = ipft_rec_u16(r, a->kval_off);
		return true;
	case 4:
		*v = ipft_rec_u32(r, a->kval_off);
		return true;
	case 8:
		*v = ipft_rec_u64(r, a->kval_off);
		return true;
	}
	return false;
}

/* The cursor: the next key's bit above, the next value's offset in the
 * attribute's value below. */
#define CUR_BIT(c) ((unsigned)((c) >> 16))
#define CUR_OFF(c) ((size_t)((c) & 0xffff))

static int malformed(const struct ipft_attr_view *packed, char *err, size_t errlen,
		     const char *what)
{
	if (err && errlen)
		snprintf(err, errlen, "packed attribute at offset %zu: %s", packed->off, what);
	return -1;
}

int ipft_rec_next_packed(const struct ipft_rec *r, const struct ipft_attr_view *packed,
			 size_t *cursor, struct ipft_attr_view *kv, char *err, size_t errlen)
{
	unsigned bit = *cursor ? CUR_BIT(*cursor) : 0;
	size_t off = *cursor ? CUR_OFF(*cursor) : IPFT_PACKED_MASK_LEN;
	uint16_t mask;

	if (packed->len < IPFT_PACKED_MASK_LEN)
		return malformed(packed, err, errlen, "no key mask");
	mask = ipft_rec_u16(r, packed->val_off);
	while (bit < IPFT_PACKED_KEYS && !(mask & (1u << bit)))
		bit++;
	if (bit == IPFT_PACKED_KEYS)
		return off == packed->len ? 0
					  : malformed(packed, err, errlen, "bytes after the last value");
	const struct packed_key *k = &packed_keys[bit];
	size_t len = k->width;
	if (k->width == STR) {
		if (off >= packed->len)
			return malformed(packed, err, errlen, "a string without its length");
		len = packed->val[off++];
	}
	if (len > packed->len - off)
		return malformed(packed, err, errlen, "a value overruns the attribute");
	memset(kv, 0, sizeof(*kv));
	kv->type = IPFT_ATTR_KV;
	kv->packed = true;
	kv->off = packed->off;
	kv->len = packed->len;
	kv->val_off = packed->val_off;
	kv->val = packed->val;
	kv->vtype = k->vtype;
	kv->key = ipft_packed_key[bit];
	kv->key_len = k->key_len;
	kv->kval_off = packed->val_off + off;
	kv->key_off = kv->kval_off;
	kv->kval = r->buf + kv->kval_off;
	kv->kval_len = len;
	*cursor = (size_t)(bit + 1) << 16 | (off + len);
	return 1;
}
