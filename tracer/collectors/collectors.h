/* collectors.h - the collectors (-x): what each event says about the
 * packet besides where it was, the tracer's side.
 *
 * Each collector has a BPF side (NAME.bpf.h: reads at a hit, appends data
 * slots where something changed), its data slot layout (NAME_slot.h) and
 * this side (NAME.c: a hit and its data slots to typed key/values on the
 * event).  The assembler hands each hit with the data slots that follow
 * it to ipft_collect_event(), in the order the kernel recorded them.
 */
#ifndef IPFT_COLLECTORS_H
#define IPFT_COLLECTORS_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf/ipft_event.h"
#include "codec/ipft_format.h"
#include "codec/ipft_packed.h"

/* Key/values being made for one packet's events: they, and the strings
 * they point to, live until the packet's next use. */
struct ipft_kv_out {
	struct ipft_kv *kv;
	size_t n, cap;
	char *str;            /* strings made for values */
	size_t str_len, str_cap;
};

/* Appends a key/value (false when the packet's room is used up; the
 * room is sized so that it is not). */
bool ipft_kv_add_u64(struct ipft_kv_out *o, const char *key, uint8_t type, uint64_t v);
/* A string value of at most len bytes (up to a NUL), copied. */
bool ipft_kv_add_str(struct ipft_kv_out *o, const char *key, const char *s, size_t len);
/* The same for a key the codec packs (IPFT_PK_*, codec/ipft_packed.h),
 * named by its bit: the encoder and the path comment need not look its
 * name up. */
bool ipft_kv_add_packed_u64(struct ipft_kv_out *o, unsigned pk, uint8_t type, uint64_t v);
bool ipft_kv_add_packed_str(struct ipft_kv_out *o, unsigned pk, const char *s, size_t len);

/* -x's names (names.c, which the extcap links too). */
struct ipft_collect_name {
	const char *name;
	uint32_t bit;         /* IPFT_COLLECT_* */
};
extern const struct ipft_collect_name ipft_collect_names[]; /* { NULL } ends it */

/* -x: names separated by commas, or "none"; IPFT_COLLECT_* bits, or -1
 * with why (the names it knows). */
int ipft_collect_parse(const char *list, uint32_t *mask, char *why, size_t whylen);

/* Whether a collector of mask (IPFT_COLLECT_*) writes key (keys.c). */
bool ipft_collect_writes(uint32_t mask, const char *key);

/* Not a -x name: the collector of a user extension's data (-e, ext.h).
 * The BPF side has its own switch (ipft_ext_size, ext.bpf.h). */
#define IPFT_COLLECT_EXT 0x100

/* What the collectors may use of the tracer's (NULL: none). */
struct ipft_kallsyms;
struct ipft_ext;
struct ipft_probe_set;
struct ipft_collect_env {
	const struct ipft_kallsyms *ksyms;
	const struct ipft_probe_set *probes; /* the attach points, by id */
	bool raw_addresses;   /* kernel addresses may be written */
	const struct ipft_ext *ext; /* -e: the extension's output struct */
};

/* A packet about to be written: its slots, the collectors' own records
 * kept with it (ipft_packets_add_extra: each a u32 size, then the record,
 * 8-aligned), and its first capture (NULL when none arrived), whose
 * device the meta collector may refer to (meta_slot.h). */
struct ipft_collect_packet {
	size_t n_slots;
	const uint8_t *extra;
	size_t extra_len;
	const struct ipft_capture *capture;
};

/* The collectors' own ring-buffer records (IPFT_REC_STACK) start so. */
struct ipft_collect_rec_hdr {
	__u32 type;
	__u32 aux;            /* the collector's */
	__u64 packet_id;
	__u64 ts;             /* kernel time of the hit it belongs to */
};

struct ipft_collector {
	uint32_t bit;         /* IPFT_COLLECT_* */
	size_t state_size;    /* per packet, zeroed at its start */
	/* Loads what the collector needs (names from BTF, the tracer's
	 * symbols); once, before tracing.  May be NULL. */
	void *(*load)(const struct ipft_collect_env *env);
	void (*unload)(void *loaded);
	/* A packet starts (after its state was zeroed); may be NULL. */
	void (*begin)(void *state, const void *loaded, const struct ipft_collect_packet *pk);
	/* One event: its hit and the data slots that follow it (any
	 * collector's: each looks at its own kinds). */
	void (*event)(void *state, const void *loaded, const struct ipft_slot *hit,
		      const struct ipft_slot *data, size_t n_data, struct ipft_kv_out *out);
};

/* The table, in the order their keys appear on an event; NULL-terminated. */
extern const struct ipft_collector *const ipft_collectors[];

/* The collectors' own programs (the task collector's softirq and irq
 * hooks), in the loaded object: chosen before it loads (autoload), then
 * attached and at the end detached (links[0..*n)). */
struct bpf_object;
struct bpf_link;
#define IPFT_COLLECT_HOOKS_MAX 8
void ipft_collect_hooks_select(struct bpf_object *obj, uint32_t mask);
int ipft_collect_hooks_attach(struct bpf_object *obj, uint32_t mask, struct bpf_link **links,
			      size_t *n, char *err, size_t errlen);
void ipft_collect_hooks_detach(struct bpf_link **links, size_t *n);
/* --stack-at: marks the probes of parts[0..n_parts) whose name (or
 * system:name) matches regex (NULL: none) in the loaded object's stack_at
 * map.  0, or -1 with err. */
struct ipft_attachment;
int ipft_collect_stack_at(struct bpf_object *obj, const char *regex,
			  const struct ipft_attachment *parts, size_t n_parts, char *err,
			  size_t errlen);

static inline bool ipft_slot_is_data(const struct ipft_slot *s)
{
	return s->kind >= IPFT_DATA_FIRST && s->kind <= IPFT_DATA_LAST;
}

/* What the assembler keeps of the collectors in use. */
struct ipft_collect;

/* mask: IPFT_COLLECT_*; NULL when out of memory. */
struct ipft_collect *ipft_collect_new(uint32_t mask, const struct ipft_collect_env *env);
void ipft_collect_free(struct ipft_collect *c);
/* A packet's events are about to be made: per-packet state reset, room
 * for their key/values.  0 or -1. */
int ipft_collect_begin(struct ipft_collect *c, const struct ipft_collect_packet *pk);
/* The key/values of event e, made from the hit and its n_data data
 * slots: only what changed since the packet's previous event. */
void ipft_collect_event(struct ipft_collect *c, const struct ipft_slot *hit,
			const struct ipft_slot *data, size_t n_data, struct ipft_event *e);

#endif
