/* vmlinux_btf.h - the kernel's BTF, parsed once for all who read it.
 *
 * Discovery (tracepoints, functions), the feature probes, the drop
 * reasons and the collectors each read /sys/kernel/btf/vmlinux; parsing
 * it takes 40 ms on this host and several times that under emulation.
 * Each reader takes a reference and puts it back; the parse is kept while
 * any is held (main holds one over the start, so it is parsed once). */
#ifndef IPFT_VMLINUX_BTF_H
#define IPFT_VMLINUX_BTF_H

struct btf;

/* The kernel's BTF with a reference taken, or NULL (errno set) when it
 * cannot be read.  Shared: never btf__free() it, put it back. */
struct btf *ipft_vmlinux_btf_get(void);
/* Gives back a reference from ipft_vmlinux_btf_get() (NULL is fine); the
 * last one frees the parse. */
void ipft_vmlinux_btf_put(struct btf *btf);

#endif
