/* kallsyms.h - kernel addresses to "symbol+0xoffset". */
#ifndef IPFT_KALLSYMS_H
#define IPFT_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipft_kallsyms;

/* Reads /proc/kallsyms; NULL if unreadable.  Without the right to see
 * addresses (kptr_restrict) every lookup fails and callers print hex. */
struct ipft_kallsyms *ipft_kallsyms_load(void);
void ipft_kallsyms_free(struct ipft_kallsyms *k);
/* The same read on a thread of its own, beside ipft's start: the table
 * comes back at once, and the first lookup in it (any function below)
 * waits for the read to end.  120k symbols take 30 ms on this host, most
 * of it the kernel's making of the text, and several tenths of a second
 * under emulation, which a start that waited for them would add.  Where
 * no thread can be made the read happens here.  NULL: out of memory. */
struct ipft_kallsyms *ipft_kallsyms_load_start(void);
/* Whether this process sees kernel addresses (kptr_restrict), from the
 * file's first line: without waiting for a table. */
bool ipft_kallsyms_visible(void);
/* Whether no address can be symbolised: unreadable, or every address
 * shown as 0 (kptr_restrict, e.g. with CAP_BPF and CAP_PERFMON only). */
bool ipft_kallsyms_hidden(const struct ipft_kallsyms *k);
/* Writes "name+0xoff" (or "name" at offset 0) into buf; -1 if unknown. */
int ipft_kallsyms_format(const struct ipft_kallsyms *k, uint64_t addr, char *buf, size_t len);
/* Sets addrs[i] to the address of the function names[i], for i < n: the
 * lowest of its addresses (vmlinux before modules, the symbol the
 * kernel's own lookup by name finds), 0 if kallsyms has no such function.
 * -1 when out of memory. */
int ipft_kallsyms_addrs(const struct ipft_kallsyms *k, const char *const *names, size_t n,
			uint64_t *addrs);

#endif
