/* ipft_format.h - the ipft trace format: PEN-tagged custom data in pcapng.
 *
 * This header and ipft_format.c are the only definition of the layout; the
 * tracer (encoder), the tests and the Wireshark plugin (decoder) all use
 * them.  docs/format.md documents every byte.
 *
 * A record is a header (struct ipft_wire_rec) and a body.  A TRACE body is
 * one packet's kernel path (split into parts when large): the rest of
 * struct ipft_wire_trace, then events.  An event is struct ipft_wire_event,
 * its name zero-padded to a multiple of 4, then attributes.  An attribute is
 * struct ipft_wire_attr, its value, zero padding to 4; a KV attribute's value
 * starts with struct ipft_wire_kv, then the key bytes, then the value bytes.
 * RUN_INFO and STATS bodies: the rest of struct ipft_wire_info, then KV
 * attributes.  Multi-byte fields are in the byte order named by the record
 * header (never the pcapng section's).
 */
#ifndef IPFT_FORMAT_H
#define IPFT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 5612's documentation PEN, used until IANA assigns ipft its own. */
#define IPFT_PEN 32473u
#define IPFT_MAGIC "IPFT"
#define IPFT_FORMAT_VERSION 1
#define IPFT_BO_LITTLE 'L'
#define IPFT_BO_BIG 'B'

/* ---- the layout, field by field --------------------------------------- */

/* The fixed parts of the format, declared once so that every field's offset
 * and size has a name: IPFT_OFF(event, ts_ns) is where an event's timestamp
 * starts (add the event's offset), IPFT_SIZE(event, ts_ns) its length.  The
 * encoder writes these structs in host byte order; readers go through
 * ipft_rec_u16/32/64, which apply the record's byte order.  A change here is
 * a format version change (test-pcapng pins them to docs/format.md). */
struct ipft_wire_rec {
	uint8_t magic[4];      /* IPFT_MAGIC */
	uint8_t version;       /* IPFT_FORMAT_VERSION */
	uint8_t byte_order;    /* IPFT_BO_LITTLE or IPFT_BO_BIG */
	uint16_t type;         /* IPFT_REC_* */
	uint32_t len;          /* header included, padding excluded */
	uint32_t reserved;     /* 0 */
} __attribute__((packed));

struct ipft_wire_trace {
	struct ipft_wire_rec rec;
	uint64_t packet_id;    /* == epb_packetid of the packet's EPB */
	uint32_t flags;        /* IPFT_TRACE_* */
	uint16_t part;         /* 0-based */
	uint16_t parts;        /* >= 1 */
	uint32_t n_events;     /* in this part */
	uint32_t reserved;     /* 0 */
} __attribute__((packed));

struct ipft_wire_info {        /* RUN_INFO and STATS */
	struct ipft_wire_rec rec;
	uint32_t n_attrs;
	uint32_t reserved;     /* 0 */
} __attribute__((packed));

struct ipft_wire_event {
	uint16_t len;          /* header + name + padding + attributes, a multiple of 4 */
	uint8_t kind;          /* IPFT_KIND_* */
	uint8_t flags;         /* IPFT_EVF_* */
	uint16_t depth;        /* call depth, 0 for flat traces */
	uint16_t name_len;     /* bytes of UTF-8, no NUL */
	uint32_t cpu;
	uint32_t n_attrs;
	uint64_t ts_ns;        /* since the UNIX epoch, the EPB's clock */
} __attribute__((packed));

struct ipft_wire_attr {
	uint16_t type;         /* IPFT_ATTR_* */
	uint16_t len;          /* of the value, padding excluded */
} __attribute__((packed));

struct ipft_wire_kv {          /* starts an IPFT_ATTR_KV value */
	uint8_t key_len;       /* <= value length - IPFT_KV_HDR_LEN */
	uint8_t vtype;         /* IPFT_VT_* */
	uint16_t flags;        /* IPFT_KV_*; other bits 0 */
} __attribute__((packed));

#define IPFT_OFF(part, field) offsetof(struct ipft_wire_##part, field)
#define IPFT_SIZE(part, field) sizeof(((struct ipft_wire_##part *)0)->field)

#define IPFT_REC_HDR_LEN sizeof(struct ipft_wire_rec)
#define IPFT_TRACE_HDR_LEN sizeof(struct ipft_wire_trace)
#define IPFT_INFO_HDR_LEN sizeof(struct ipft_wire_info)
#define IPFT_EVENT_HDR_LEN sizeof(struct ipft_wire_event)
#define IPFT_ATTR_HDR_LEN sizeof(struct ipft_wire_attr)
#define IPFT_KV_HDR_LEN sizeof(struct ipft_wire_kv)

enum ipft_rec_type {
	IPFT_REC_TRACE = 1,    /* one packet's events */
	IPFT_REC_RUN_INFO = 2, /* run metadata: backend, attach points, command line */
	IPFT_REC_STATS = 3,    /* end-of-run counters: events, packets, lost events */
};

/* TRACE flags */
#define IPFT_TRACE_COMPLETE    0x1u /* the skb was freed while traced */
#define IPFT_TRACE_PARTIAL     0x2u /* still alive when written (timeout, exit, memory bound) */
#define IPFT_TRACE_EVENTS_LOST 0x4u /* events of this packet may be missing */
#define IPFT_TRACE_TRUNCATED   0x8u /* more events than the per-packet cap; the rest were dropped */
/* The EPB holds a later snapshot of the packet's headers (where they changed,
 * after its first EPB); the trace's one event is where it was taken. */
#define IPFT_TRACE_SNAPSHOT    0x10u
/* A snapshot EPB's bytes: an exported PDU (LINKTYPE_WIRESHARK_UPPER_PDU)
 * naming the ipft plugin's dissector for headers that start with
 * Ethernet, or with IP (docs/format.md). */
#define IPFT_SNAP_PDU_ETH "ipft_snap_eth"
#define IPFT_SNAP_PDU_IP  "ipft_snap_ip"

enum ipft_event_kind {
	IPFT_KIND_FUNC_ENTRY = 1,
	IPFT_KIND_FUNC_RETURN = 2,
	IPFT_KIND_TRACEPOINT = 3,
};

/* Event flags */
#define IPFT_EVF_FIRST   0x1u /* the packet entered the trace here */
#define IPFT_EVF_FREE    0x2u /* the skb was freed here */
#define IPFT_EVF_CAPTURE 0x4u /* the EPB's header bytes were captured here */
#define IPFT_EVF_SNAPSHOT 0x8u /* the headers changed before here: a snapshot EPB holds them */

enum ipft_attr_type {
	IPFT_ATTR_DROP_REASON = 1,     /* u32: enum skb_drop_reason value */
	IPFT_ATTR_DROP_REASON_NAME = 2,/* string, e.g. "NO_SOCKET" */
	IPFT_ATTR_DROP_LOCATION = 3,   /* u64: kernel address */
	IPFT_ATTR_DROP_LOCATION_SYM = 4, /* string, e.g. "__udp4_lib_rcv+0x8f1" */
	IPFT_ATTR_RETVAL = 5,          /* s64: function return value */
	IPFT_ATTR_DURATION = 6,        /* u64: ns from entry to this return */
	IPFT_ATTR_FUNC_ADDR = 7,       /* u64: function address */
	IPFT_ATTR_KV = 8,              /* typed key/value, see IPFT_VT_* */
	IPFT_ATTR_PACKED = 9,          /* key/values of -x meta and task, packed (ipft_packed.c) */
};

enum ipft_value_type {
	IPFT_VT_U64 = 1,
	IPFT_VT_S64 = 2,
	IPFT_VT_STRING = 3,
	IPFT_VT_BYTES = 4,
	IPFT_VT_HEX64 = 5, /* u64 shown in hex (addresses, marks) */
};

/* KV flags */
#define IPFT_KV_EXT 0x1u /* a user extension's key (-e): not one of ipft's own */

/* ---- in-memory form (encoder input, full decoder output) ------------- */

struct ipft_kv {
	const char *key;
	uint8_t type;              /* IPFT_VT_* */
	uint8_t packed;            /* a packed key's IPFT_PK_* + 1, when the writer
				      names it so (codec/ipft_packed.h); 0: by key */
	uint16_t flags;            /* IPFT_KV_* */
	uint64_t u64;              /* U64, HEX64; S64 stored as two's complement */
	const void *ptr;           /* STRING (not NUL-terminated needed), BYTES */
	size_t len;
};

/* Bits of ipft_event.has: which optional attributes are present. */
#define IPFT_HAS_DROP_REASON   0x01u
#define IPFT_HAS_DROP_LOCATION 0x02u /* drop_location, the address (the symbol: drop_location_sym) */
#define IPFT_HAS_RETVAL        0x04u
#define IPFT_HAS_DURATION      0x08u
#define IPFT_HAS_FUNC_ADDR     0x10u

struct ipft_event {
	uint64_t ts_ns;
	uint32_t cpu;
	uint8_t kind;
	uint8_t flags;
	uint16_t depth;
	const char *name;
	uint32_t has;
	uint32_t drop_reason;
	const char *drop_reason_name;   /* may be NULL */
	uint64_t drop_location;         /* with IPFT_HAS_DROP_LOCATION: the raw address */
	const char *drop_location_sym;  /* may be NULL; written with or without the address */
	int64_t retval;
	uint64_t duration_ns;
	uint64_t func_addr;
	size_t n_kv;
	const struct ipft_kv *kv;
};

struct ipft_trace {
	uint64_t packet_id;
	uint32_t flags;
	size_t n_events;
	const struct ipft_event *events;
};

/* ---- encoder ---------------------------------------------------------- */

/* Called once per encoded record. Return non-zero to stop encoding. */
typedef int (*ipft_emit_fn)(const uint8_t *rec, size_t len, void *arg);

/* Encodes t as one or more TRACE records no longer than max_rec_len each
 * (events are never split; pass PCAPNG_OPT_MAX_LEN - 4 for EPB options).
 * Written in host byte order.  Returns 0, -1 on a bad argument (an event
 * larger than max_rec_len, no memory) or the emitter's non-zero value. */
int ipft_trace_encode(const struct ipft_trace *t, size_t max_rec_len,
		      ipft_emit_fn emit, void *arg);
/* The same with options: IPFT_ENC_KV_ONLY writes every key/value as a KV
 * attribute, none packed (the layout of files written before packing). */
#define IPFT_ENC_KV_ONLY 0x1u
int ipft_trace_encode_opts(const struct ipft_trace *t, size_t max_rec_len, unsigned opts,
			   ipft_emit_fn emit, void *arg);

/* Encodes a RUN_INFO or STATS record; *out is malloc'ed. 0 or -1. */
int ipft_info_encode(enum ipft_rec_type type, const struct ipft_kv *kv, size_t n,
		     uint8_t **out, size_t *len);

/* ---- decoder (views with offsets, for the plugin's tree items) -------- */

/* A record's header fields are at IPFT_OFF(rec, ...), IPFT_OFF(trace, ...)
 * or IPFT_OFF(info, ...) from buf; an event's at ev.off + IPFT_OFF(event, ...). */
struct ipft_rec {
	const uint8_t *buf;
	size_t len;            /* record length from the header (<= buffer size) */
	bool big_endian;
	uint8_t version;
	uint16_t type;
	/* TRACE */
	uint64_t packet_id;
	uint32_t flags;
	uint16_t part, parts;
	uint32_t n_events;
	/* RUN_INFO / STATS */
	uint32_t n_attrs;
	size_t body_off;       /* first event (TRACE) or attribute (info) */
};

struct ipft_event_view {
	size_t off, len;       /* of the whole event in the record */
	uint8_t kind, flags;
	uint16_t depth;
	uint32_t cpu;
	uint64_t ts_ns;
	const char *name;      /* not NUL-terminated */
	size_t name_off;
	uint16_t name_len;
	uint32_t n_attrs;
	size_t attrs_off, attrs_end;
};

struct ipft_attr_view {
	uint16_t type;
	uint16_t len;          /* of the value */
	size_t off;            /* of the attribute header in the record */
	size_t val_off;
	const uint8_t *val;
	/* IPFT_ATTR_KV, and each key of an IPFT_ATTR_PACKED (packed): the
	 * key is then a static name, not in the record (key_off is the
	 * value's), and an integer's value is 1, 2, 4 or 8 bytes. */
	bool packed;
	uint8_t vtype;
	uint16_t kflags;       /* IPFT_KV_* */
	const char *key;
	uint8_t key_len;
	size_t key_off;
	const uint8_t *kval;
	size_t kval_len, kval_off;
};

/* Whether buf holds an ipft record at all: the PEN is RFC 5612's, shared
 * with everyone's examples, so only a record starting with the magic is
 * ipft's (docs/format.md 1.1); others' data is skipped, not malformed. */
bool ipft_rec_is_ipft(const uint8_t *buf, size_t len);
/* The one verdict on a record, for every reader: its header, and the body
 * of the types this version knows (a TRACE decoded in full as by
 * ipft_trace_decode, a RUN_INFO or STATS record's attributes).  0 or -1
 * with a message in err. */
int ipft_rec_check(const uint8_t *buf, size_t len, char *err, size_t errlen);
/* Parses and validates the header of the record at buf (buf_len may include
 * trailing padding).  0 or -1 with a message in err. */
int ipft_rec_parse(struct ipft_rec *r, const uint8_t *buf, size_t buf_len,
		   char *err, size_t errlen);
/* Iterators: *cursor starts at 0.  1: item filled; 0: end; -1: malformed
 * (message in err).  Every offset and length is checked. */
int ipft_rec_next_event(const struct ipft_rec *r, size_t *cursor,
			struct ipft_event_view *ev, char *err, size_t errlen);
int ipft_rec_next_attr(const struct ipft_rec *r, const struct ipft_event_view *ev,
		       size_t *cursor, struct ipft_attr_view *a, char *err, size_t errlen);
/* The key/values of an IPFT_ATTR_PACKED attribute, one at a time, as KV
 * views (packed set); *cursor starts at 0.  1, 0 at the end, -1 when
 * malformed (message in err). */
int ipft_rec_next_packed(const struct ipft_rec *r, const struct ipft_attr_view *packed,
			 size_t *cursor, struct ipft_attr_view *kv, char *err, size_t errlen);
/* An integer key/value's value: 8 bytes, or a packed key's 1, 2 or 4;
 * false for the other types and widths. */
bool ipft_kv_int(const struct ipft_rec *r, const struct ipft_attr_view *a, uint64_t *v);
/* Reads fixed-size values of a record in its byte order. */
uint16_t ipft_rec_u16(const struct ipft_rec *r, size_t off);
uint32_t ipft_rec_u32(const struct ipft_rec *r, size_t off);
uint64_t ipft_rec_u64(const struct ipft_rec *r, size_t off);

/* Full decode of a TRACE record into malloc'ed memory (strings copied,
 * NUL-terminated); free with ipft_trace_free().  0 or -1. */
int ipft_trace_decode(const uint8_t *buf, size_t len, struct ipft_trace **out,
		      char *err, size_t errlen);
/* Appends the events of the next part of the same packet (same packet_id,
 * same part count, a higher part index). */
int ipft_trace_decode_append(struct ipft_trace *t, const uint8_t *buf, size_t len,
			     char *err, size_t errlen);
void ipft_trace_free(struct ipft_trace *t);

/* Names for display. */
const char *ipft_kind_name(uint8_t kind);      /* "entry", "return", "tracepoint" */
/* "ip_rcv > ip_local_deliver > kfree_skb (NO_SOCKET)": entry and tracepoint
 * events in order, the drop reason name after the event that has one, a
 * device or namespace change before the event that says it ("[veth1, ns
 * 4026532187] netif_rx"; the "dev" and "netns" keys of -x meta);
 * at most max_len bytes (ending in "..." when cut), 0 = no limit; malloc'ed. */
char *ipft_trace_path(const struct ipft_trace *t, size_t max_len);

/* packet_id = per-run salt in the high IPFT_ID_SALT_BITS bits, counter below. */
#define IPFT_ID_SALT_BITS 24
#define IPFT_ID_COUNTER_MASK ((1ull << (64 - IPFT_ID_SALT_BITS)) - 1)

#endif
