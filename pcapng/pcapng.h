/* pcapng.h - a small pcapng writer and reader.
 *
 * Writer: every block is assembled in memory and handed to the output
 * buffer whole; a failed write (full disk, broken pipe) rolls the file back
 * to the end of the last whole block, so the file on disk is always a valid
 * pcapng.  pcapng_writer_flush() pushes buffered blocks to the fd so that a
 * reader at the other end of a pipe sees whole blocks.
 *
 * Reader: walks a pcapng held in memory (either byte order), checks every
 * length against what remains before using it, and reports malformed input
 * with an error message; it never reads out of bounds.
 *
 * Block and option codes follow draft-ietf-opsawg-pcapng.
 */
#ifndef IPFT_PCAPNG_H
#define IPFT_PCAPNG_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Block types */
#define PCAPNG_BT_SHB     0x0A0D0D0Au
#define PCAPNG_BT_IDB     0x00000001u
#define PCAPNG_BT_SPB     0x00000003u
#define PCAPNG_BT_NRB     0x00000004u
#define PCAPNG_BT_ISB     0x00000005u
#define PCAPNG_BT_EPB     0x00000006u
#define PCAPNG_BT_DSB     0x0000000Au
#define PCAPNG_BT_CB_COPY 0x00000BADu
#define PCAPNG_BT_CB_NOCOPY 0x40000BADu

#define PCAPNG_BYTE_ORDER_MAGIC 0x1A2B3C4Du

/* Option codes valid in every block */
#define PCAPNG_OPT_ENDOFOPT   0
#define PCAPNG_OPT_COMMENT    1
#define PCAPNG_OPT_CUSTOM_STR_COPY   2988
#define PCAPNG_OPT_CUSTOM_BIN_COPY   2989
#define PCAPNG_OPT_CUSTOM_STR_NOCOPY 19372
#define PCAPNG_OPT_CUSTOM_BIN_NOCOPY 19373
/* SHB */
#define PCAPNG_OPT_SHB_HARDWARE 2
#define PCAPNG_OPT_SHB_OS       3
#define PCAPNG_OPT_SHB_USERAPPL 4
/* IDB */
#define PCAPNG_OPT_IF_NAME        2
#define PCAPNG_OPT_IF_DESCRIPTION 3
#define PCAPNG_OPT_IF_TSRESOL     9
/* EPB */
#define PCAPNG_OPT_EPB_FLAGS     2
#define PCAPNG_OPT_EPB_DROPCOUNT 4
#define PCAPNG_OPT_EPB_PACKETID  5
/* ISB */
#define PCAPNG_OPT_ISB_STARTTIME    2
#define PCAPNG_OPT_ISB_ENDTIME      3
#define PCAPNG_OPT_ISB_IFRECV       4
#define PCAPNG_OPT_ISB_IFDROP       5
#define PCAPNG_OPT_ISB_FILTERACCEPT 6
#define PCAPNG_OPT_ISB_OSDROP       7
#define PCAPNG_OPT_ISB_USRDELIV     8

/* epb_flags bits 0-1: direction */
#define PCAPNG_EPB_FLAG_INBOUND  0x1u
#define PCAPNG_EPB_FLAG_OUTBOUND 0x2u

/* Largest option value a pcapng option length (u16) can describe once
 * padded to 32 bits. */
#define PCAPNG_OPT_MAX_LEN 65532u

/* ---- options list (used by the writer) ------------------------------- */

/* A growable, already-encoded option list (host byte order, padded). */
struct pcapng_opts {
	uint8_t *buf;
	size_t len;
	size_t cap;
	bool failed; /* an add failed (no memory or value too long) */
};

void pcapng_opts_init(struct pcapng_opts *o);
void pcapng_opts_reset(struct pcapng_opts *o); /* empty, keep the buffer */
void pcapng_opts_free(struct pcapng_opts *o);
/* Each returns 0, or -1 (and sets o->failed) when the value does not fit. */
int pcapng_opts_add(struct pcapng_opts *o, uint16_t code, const void *val, size_t len);
int pcapng_opts_add_str(struct pcapng_opts *o, uint16_t code, const char *s);
int pcapng_opts_add_u8(struct pcapng_opts *o, uint16_t code, uint8_t v);
int pcapng_opts_add_u32(struct pcapng_opts *o, uint16_t code, uint32_t v);
int pcapng_opts_add_u64(struct pcapng_opts *o, uint16_t code, uint64_t v);
/* A timestamp option (isb_starttime, isb_endtime): two 32-bit halves, high
 * first, like the EPB timestamp -- not a plain u64. */
int pcapng_opts_add_ts(struct pcapng_opts *o, uint16_t code, uint64_t ts);
/* Custom option (2988/2989/19372/19373): PEN followed by the data. */
int pcapng_opts_add_custom(struct pcapng_opts *o, uint16_t code, uint32_t pen,
			   const void *data, size_t len);

/* ---- writer ---------------------------------------------------------- */

struct pcapng_writer;

/* Writes to fd (not closed by the writer unless own_fd).  errbuf receives
 * a one-line message on failure. */
struct pcapng_writer *pcapng_writer_open_fd(int fd, bool own_fd, char *errbuf, size_t errlen);
/* Creates/truncates path; "-" means stdout. */
struct pcapng_writer *pcapng_writer_open_path(const char *path, char *errbuf, size_t errlen);

/* Block writers return 0 or -1 with pcapng_writer_error() set.  After an
 * output error (pcapng_writer_errno() != 0) the writer refuses further
 * blocks and the file holds every block accepted before the failing one; a
 * block refused for a bad argument leaves the writer usable. */
int pcapng_write_shb(struct pcapng_writer *w, const struct pcapng_opts *opts);
/* Returns the new interface id (>= 0) or -1. */
int pcapng_write_idb(struct pcapng_writer *w, uint16_t linktype, uint32_t snaplen,
		     const struct pcapng_opts *opts);
/* ts is in the interface's resolution units (ipft uses 1 ns: if_tsresol 9). */
int pcapng_write_epb(struct pcapng_writer *w, uint32_t if_id, uint64_t ts,
		     const void *data, uint32_t caplen, uint32_t origlen,
		     const struct pcapng_opts *opts);
int pcapng_write_isb(struct pcapng_writer *w, uint32_t if_id, uint64_t ts,
		     const struct pcapng_opts *opts);
/* Custom Block 0x00000BAD (copyable) or 0x40000BAD: PEN + data, no options. */
int pcapng_write_cb(struct pcapng_writer *w, uint32_t pen, const void *data, size_t len,
		    bool copyable);

int pcapng_writer_flush(struct pcapng_writer *w);
/* Flushes and frees; returns -1 if the final flush failed (call
 * pcapng_writer_flush() first to read the message). */
int pcapng_writer_close(struct pcapng_writer *w);
const char *pcapng_writer_error(const struct pcapng_writer *w);
/* errno of the first failure (ENOSPC, EPIPE, ...), 0 if none. */
int pcapng_writer_errno(const struct pcapng_writer *w);
/* Bytes accepted into whole blocks so far. */
uint64_t pcapng_writer_bytes(const struct pcapng_writer *w);
/* Packets (EPBs) written out to the file so far, not only buffered. */
uint64_t pcapng_writer_packets_out(const struct pcapng_writer *w);
/* When *stop is set (by a signal handler), a write blocked on a reader
 * that does not read is given up after a short grace: the writer fails
 * with ETIMEDOUT instead of hanging. */
void pcapng_writer_give_up_on_stop(struct pcapng_writer *w, const volatile sig_atomic_t *stop);

/* ---- reader ---------------------------------------------------------- */

struct pcapng_reader;

struct pcapng_block {
	uint32_t type;
	uint32_t total_len;       /* as in the file, includes header and trailer */
	uint64_t file_offset;     /* of the block's first byte */
	bool swapped;             /* section is of the other byte order */
	const uint8_t *body;      /* between the type/length header and the trailer */
	size_t body_len;
	/* Fixed fields, decoded to host order for the block types known here. */
	union {
		struct { uint16_t major, minor; int64_t section_len; } shb;
		struct { uint16_t linktype; uint32_t snaplen; } idb;
		struct { uint32_t if_id; uint64_t ts; uint32_t caplen, origlen;
			 const uint8_t *data; } epb;
		struct { uint32_t origlen; const uint8_t *data; uint32_t caplen; } spb;
		struct { uint32_t if_id; uint64_t ts; } isb;
		/* len is body_len - 4: it includes the block's padding, so the
		 * data must carry its own length (ipft records do). */
		struct { uint32_t pen; const uint8_t *data; size_t len; } cb;
	} u;
	const uint8_t *opts;      /* option area (NULL when none) */
	size_t opts_len;
	/* EPB/ISB: timestamp units per second of the block's interface in the
	 * current section (1e9 for if_tsresol 9, 1e6 without if_tsresol). */
	uint64_t ts_units_per_sec;
};

struct pcapng_option {
	uint16_t code;
	uint16_t len;
	const uint8_t *val;       /* raw value, in the section's byte order */
	size_t offset;            /* of the option header from the block start */
};

/* The reader keeps a pointer to buf; buf must outlive it. */
struct pcapng_reader *pcapng_reader_open_mem(const uint8_t *buf, size_t len,
					     char *errbuf, size_t errlen);
/* Reads a whole file into memory ("-" is stdin). */
struct pcapng_reader *pcapng_reader_open_path(const char *path, char *errbuf, size_t errlen);
void pcapng_reader_close(struct pcapng_reader *r);

/* 1: *b holds the next block; 0: clean end of file; -1: malformed input,
 * message in pcapng_reader_error(). */
int pcapng_reader_next(struct pcapng_reader *r, struct pcapng_block *b);
const char *pcapng_reader_error(const struct pcapng_reader *r);

/* Iterate a block's options: *cursor starts at 0.  1: *o filled; 0: end;
 * -1: malformed option area (message in errbuf). */
int pcapng_block_next_option(const struct pcapng_block *b, size_t *cursor,
			     struct pcapng_option *o, char *errbuf, size_t errlen);
/* Option value helpers honour the section byte order. */
uint32_t pcapng_opt_u32(const struct pcapng_block *b, const struct pcapng_option *o);
uint64_t pcapng_opt_u64(const struct pcapng_block *b, const struct pcapng_option *o);
/* Timestamp option (isb_starttime/endtime): high half first. */
uint64_t pcapng_opt_ts(const struct pcapng_block *b, const struct pcapng_option *o);
/* Custom option: PEN and data after it; returns -1 if shorter than a PEN. */
int pcapng_opt_custom(const struct pcapng_block *b, const struct pcapng_option *o,
		      uint32_t *pen, const uint8_t **data, size_t *len);

#endif
