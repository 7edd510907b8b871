/* ipft_format.h - the ipft trace format: PEN-tagged custom data in pcapng.
 *
 * This header and ipft_format.c are the only definition of the layout; the
 * tracer (encoder), the tests and the Wireshark plugin (decoder) all use
 * them.  docs/format.md documents every byte.
 *
 * Record = 16-byte header + body.  All multi-byte fields are in the byte
 * order named by the header's byte_order field (never the pcapng section's):
 *
 *   off len  field
 *    0   4   magic "IPFT"
 *    4   1   version (IPFT_FORMAT_VERSION)
 *    5   1   byte_order: 'L' little endian, 'B' big endian
 *    6   2   record type (IPFT_REC_*)
 *    8   4   record length in bytes, header included, padding excluded
 *   12   4   reserved, 0
 *
 * TRACE body (one packet's kernel path; split into parts when large):
 *   16   8   packet_id (== epb_packetid of the packet's EPB)
 *   24   4   flags (IPFT_TRACE_*)
 *   28   2   part index (0-based)
 *   30   2   part count (>= 1)
 *   32   4   number of events in this part
 *   36   4   reserved, 0
 *   40   ... events
 *
 * Event (length is a multiple of 4):
 *    0   2   event length, header + name + padding + attributes
 *    2   1   kind (IPFT_KIND_*)
 *    3   1   flags (IPFT_EVF_*)
 *    4   2   call depth (0 for flat traces)
 *    6   2   name length (bytes of UTF-8, no NUL)
 *    8   4   CPU
 *   12   4   number of attributes
 *   16   8   timestamp, ns since the UNIX epoch (same clock as the EPB)
 *   24   ... name, zero-padded to a multiple of 4, then attributes
 *
 * Attribute: type u16, value length u16, value, zero padding to 4.
 *   KV attribute value: key length u8, value type u8 (IPFT_VT_*), 2 bytes 0,
 *   key bytes, value bytes (rest of the attribute).
 *
 * RUN_INFO / STATS bodies: 16 number of attributes u32, 20 reserved u32,
 *   24 ... attributes (KV attributes).
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

#define IPFT_REC_HDR_LEN 16
#define IPFT_TRACE_HDR_LEN 40
#define IPFT_INFO_HDR_LEN 24
#define IPFT_EVENT_HDR_LEN 24

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

enum ipft_event_kind {
	IPFT_KIND_FUNC_ENTRY = 1,
	IPFT_KIND_FUNC_RETURN = 2,
	IPFT_KIND_TRACEPOINT = 3,
};

/* Event flags */
#define IPFT_EVF_FIRST   0x1u /* the packet entered the trace here */
#define IPFT_EVF_FREE    0x2u /* the skb was freed here */
#define IPFT_EVF_CAPTURE 0x4u /* the EPB's header bytes were captured here */

enum ipft_attr_type {
	IPFT_ATTR_DROP_REASON = 1,     /* u32: enum skb_drop_reason value */
	IPFT_ATTR_DROP_REASON_NAME = 2,/* string, e.g. "NO_SOCKET" */
	IPFT_ATTR_DROP_LOCATION = 3,   /* u64: kernel address */
	IPFT_ATTR_DROP_LOCATION_SYM = 4, /* string, e.g. "__udp4_lib_rcv+0x8f1" */
	IPFT_ATTR_RETVAL = 5,          /* s64: function return value */
	IPFT_ATTR_DURATION = 6,        /* u64: ns from entry to this return */
	IPFT_ATTR_FUNC_ADDR = 7,       /* u64: function address */
	IPFT_ATTR_KV = 8,              /* typed key/value, see IPFT_VT_* */
};

enum ipft_value_type {
	IPFT_VT_U64 = 1,
	IPFT_VT_S64 = 2,
	IPFT_VT_STRING = 3,
	IPFT_VT_BYTES = 4,
	IPFT_VT_HEX64 = 5, /* u64 shown in hex (addresses, marks) */
};

/* ---- in-memory form (encoder input, full decoder output) ------------- */

struct ipft_kv {
	const char *key;
	uint8_t type;              /* IPFT_VT_* */
	uint64_t u64;              /* U64, HEX64; S64 stored as two's complement */
	const void *ptr;           /* STRING (not NUL-terminated needed), BYTES */
	size_t len;
};

/* Bits of ipft_event.has: which optional attributes are present. */
#define IPFT_HAS_DROP_REASON   0x01u
#define IPFT_HAS_DROP_LOCATION 0x02u
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
	uint64_t drop_location;
	const char *drop_location_sym;  /* may be NULL */
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

/* Encodes a RUN_INFO or STATS record; *out is malloc'ed. 0 or -1. */
int ipft_info_encode(enum ipft_rec_type type, const struct ipft_kv *kv, size_t n,
		     uint8_t **out, size_t *len);

/* ---- decoder (views with offsets, for the plugin's tree items) -------- */

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
	/* IPFT_ATTR_KV only */
	uint8_t vtype;
	const char *key;
	uint8_t key_len;
	size_t key_off;
	const uint8_t *kval;
	size_t kval_len, kval_off;
};

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
 * events in order, the drop reason name after the event that has one;
 * at most max_len bytes (ending in "..." when cut), 0 = no limit; malloc'ed. */
char *ipft_trace_path(const struct ipft_trace *t, size_t max_len);

/* packet_id = per-run salt in the high IPFT_ID_SALT_BITS bits, counter below. */
#define IPFT_ID_SALT_BITS 24
#define IPFT_ID_COUNTER_MASK ((1ull << (64 - IPFT_ID_SALT_BITS)) - 1)

#endif
