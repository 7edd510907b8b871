/* ext_slot.h - a user extension's data (-e FILE.bpf.o), as its BPF side
 * (ext.bpf.h) sends it and the tracer (ext.c) reads it.
 *
 * The extension's module() fills up to IPFT_EXT_DATA bytes; the first
 * ipft_ext_size of them (its output struct) go out in data slots of
 * IPFT_EXT_PART bytes each, numbered by aux, right after the hit's slot,
 * and only where they differ from what the packet last sent.
 *
 * Included by BPF code and by the tracer (after <linux/types.h>).
 */
#ifndef IPFT_EXT_SLOT_H
#define IPFT_EXT_SLOT_H

/* What module() may write (ipftrace2's interface: __u8 data[64]). */
#define IPFT_EXT_DATA 64
/* Bytes of the struct one data slot carries (struct ipft_data_slot.data). */
#define IPFT_EXT_PART 30
#define IPFT_EXT_SLOTS_MAX ((IPFT_EXT_DATA + IPFT_EXT_PART - 1) / IPFT_EXT_PART)
/* The buffer module() writes into: room for the last part's full copy. */
#define IPFT_EXT_BUF (IPFT_EXT_SLOTS_MAX * IPFT_EXT_PART)

/* What the packet last sent (struct ipft_live, never sent itself): a hash
 * of the data, not the data (64 bytes more per tracked packet, extension
 * or not, for a 2^-64 chance of a change left unsaid). */
struct ipft_ext_prev {
	__u64 hash;
	__u8 valid;           /* hash holds what was sent */
	__u8 pad[7];
};

#endif
