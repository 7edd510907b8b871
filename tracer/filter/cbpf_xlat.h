/* cbpf_xlat.h - translate a classic BPF filter (libpcap's pcap_compile
 * output) into eBPF instructions that run on a copy of the packet. */
#ifndef IPFT_CBPF_XLAT_H
#define IPFT_CBPF_XLAT_H

#include <linux/bpf.h>
#include <linux/filter.h>
#include <stddef.h>

/* The translated code is one eBPF subprogram:
 *   in:  R1 = pointer to the packet bytes, readable for buf_max bytes
 *        R2 = captured length (0..buf_max), R3 = the packet's wire length
 *   out: R0 = the filter's return value (0: no match), as bpf_filter()
 * It reads beyond R2 never, like bpf_filter(): such a load returns 0.
 * It uses R6-R9 (restored by the calling convention) and 72 bytes of stack.
 * Returns 0 and a malloc'ed array, or -1 with a message in err. */
int ipft_cbpf_xlat(const struct sock_filter *in, size_t n, unsigned buf_max,
		   struct bpf_insn **out, size_t *nout, char *err, size_t errlen);

/* How many packet bytes, from the start, the filter can ever load: a
 * conservative bound (at most buf_max) from the constant offsets and from
 * what X can hold (4*([k]&0xf) <= 60, an immediate, or unknown).  Copying
 * min(packet, this) bytes and passing that as the captured length gives
 * the same verdicts as copying buf_max bytes. */
unsigned ipft_cbpf_bytes_needed(const struct sock_filter *in, size_t n, unsigned buf_max);
/* Whether the filter reads the wire length (ld #len, ldx #len: "len",
 * "less", "greater"); if not, R3 is never read. */
int ipft_cbpf_uses_wirelen(const struct sock_filter *in, size_t n);

#endif
