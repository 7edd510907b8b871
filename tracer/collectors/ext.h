/* ext.h - a user extension (-e FILE.bpf.o), the tracer's side.
 *
 * An extension is a BPF object the user compiles: one function,
 * int module(void *ctx, struct sk_buff *skb, __u8 data[64]), that fills
 * a struct of its own, the type of the global __ipft_event_struct
 * (ipftrace2's interface; include/ipft/extension.h).  ipft checks it and
 * reads that struct's members from its BTF (ext_btf.c), links it into its
 * own BPF object (ext_link.c), says what the verifier refused in it
 * (ext_log.c) and makes key/values of the data each hit sends (ext.c).
 */
#ifndef IPFT_EXT_H
#define IPFT_EXT_H

#include <stddef.h>
#include <stdint.h>

#include "tracer/collectors/collectors.h"

/* How a member's value is written. */
enum ipft_ext_fmt {
	IPFT_EXT_UINT,        /* U64 */
	IPFT_EXT_SINT,        /* S64 */
	IPFT_EXT_HEX,         /* HEX64: ipft:fmt:hex, pointers */
	IPFT_EXT_ENUM,        /* STRING: the enumerator's name (else the number) */
	IPFT_EXT_FLAGS,       /* STRING: the names of the bits set, joined by '|' */
	IPFT_EXT_STRING,      /* STRING: a char array, up to its first NUL */
};

struct ipft_ext_name {
	char *name;
	uint64_t value;
};

struct ipft_ext_member {
	char *key;
	uint32_t off, size;   /* bytes, in the struct */
	enum ipft_ext_fmt fmt;
	struct ipft_ext_name *names; /* IPFT_EXT_ENUM, IPFT_EXT_FLAGS */
	size_t n_names;
};

/* An extension's members are at most this many (each event's key/values
 * are bounded by the data slots that carry them). */
#define IPFT_EXT_MEMBERS_MAX 32

struct ipft_ext {
	char *path;
	uint32_t size;        /* of the struct, <= IPFT_EXT_DATA */
	size_t n;
	struct ipft_ext_member *m;
	void *linked;         /* ipft's object with the extension in it (ext_link.c) */
	size_t linked_len;
};

/* Reads and checks the extension at path: module()'s signature, its
 * output struct (at most 64 bytes; integers, enums, pointers, char
 * arrays; ipft:fmt: tags).  A member named like a key the collectors of
 * collect (IPFT_COLLECT_*) write is the key "ext.NAME": one event never
 * has a key twice.  0, or -1 with one line in err. */
int ipft_ext_open(const char *path, uint32_t collect, struct ipft_ext **out, char *err,
		  size_t errlen);
void ipft_ext_free(struct ipft_ext *x);

/* Links the extension into ipft's BPF object core[0..len) (x->linked).
 * 0, or -1 with err (the linker's complaint). */
int ipft_ext_link(struct ipft_ext *x, const void *core, size_t len, char *err, size_t errlen);

/* The lines of a verifier log that say why it refused: from the last
 * source line it quotes to the error, without its counts.  Writes at
 * most len bytes into out, each line indented. */
void ipft_ext_log_lines(const char *log, char *out, size_t len);

/* The key/values of the members whose bytes in data differ from prev
 * (all of them when prev is NULL). */
void ipft_ext_kv(const struct ipft_ext *x, const uint8_t *data, const uint8_t *prev,
		 struct ipft_kv_out *o);

#endif
