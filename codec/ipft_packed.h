/* ipft_packed.h - the encoder's side of IPFT_ATTR_PACKED (ipft_packed.c);
 * readers use ipft_rec_next_packed() from ipft_format.h. */
#ifndef IPFT_PACKED_H
#define IPFT_PACKED_H

#include "codec/ipft_format.h"

#define IPFT_PACKED_KEYS 16
#define IPFT_PACKED_MASK_LEN 2

/* The packed keys by bit, and their names.  A writer that gives a key's
 * bit (ipft_kv.packed = IPFT_PK_LEN + 1) has it packed without a look at
 * its name; one that names it with these strings (ipft_packed_key[
 * IPFT_PK_LEN], as the decoder does) has it recognised by address; any
 * other name equal to one is compared. */
enum ipft_packed_bit {
	IPFT_PK_DEV, IPFT_PK_IFINDEX, IPFT_PK_NETNS, IPFT_PK_LEN, IPFT_PK_DATA_LEN, IPFT_PK_MARK,
	IPFT_PK_PROTOCOL, IPFT_PK_PKT_TYPE, IPFT_PK_CLONED, IPFT_PK_GSO_SIZE, IPFT_PK_GSO_SEGS,
	IPFT_PK_GSO_TYPE, IPFT_PK_CONTEXT, IPFT_PK_PID, IPFT_PK_TGID, IPFT_PK_COMM,
};
extern const char *const ipft_packed_key[IPFT_PACKED_KEYS];
/* Whether key (not NULL) has the name of the packed key of bit b. */
bool ipft_packed_name_is(const char *key, unsigned b);
/* Whether key (not NULL) names the packed key of bit b: ipft's collectors
 * pass the table's own strings (an address test, inline: the encoder and
 * the path comment ask for every key of every event); other names are
 * compared, with a call only when the first letter agrees. */
static inline bool ipft_packed_key_is(const char *key, unsigned b)
{
	const char *k = ipft_packed_key[b];

	return key == k || (key[0] == k[0] && ipft_packed_name_is(key, b));
}

/* Whether kv has the packed key of bit b: by the bit its writer gave
 * (ipft_kv.packed), else by its name. */
static inline bool ipft_kv_has_packed_key(const struct ipft_kv *kv, unsigned b)
{
	if (kv->packed)
		return kv->packed == b + 1;
	return kv->key && ipft_packed_key_is(kv->key, b);
}

/* How many of kv[0..n) go into one packed attribute (0: kv[0] is a KV
 * attribute of its own), that attribute's value length in *len and, if
 * bits is not NULL, each key's bit in bits[] (IPFT_PACKED_KEYS at most). */
size_t ipft_packed_run(const struct ipft_kv *kv, size_t n, size_t *len, uint8_t *bits);
/* The value length of the packed attribute of kv[0..n), a run above
 * with its bits: what ipft_packed_run() said, without the names. */
size_t ipft_packed_len(const struct ipft_kv *kv, const uint8_t *bits, size_t n);
/* Writes the value of the packed attribute of kv[0..n), a run above. */
void ipft_packed_put(uint8_t *p, const struct ipft_kv *kv, const uint8_t *bits, size_t n);

#endif
