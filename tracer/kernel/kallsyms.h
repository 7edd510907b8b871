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
/* The same on a thread of its own, overlapping ipft's start (reading and
 * sorting 120k symbols takes a tenth of a second on this host, far more
 * under emulation); finish waits for it.  Where start could not make a
 * thread (NULL, or no thread) the load runs in finish. */
struct ipft_kallsyms_job;
struct ipft_kallsyms_job *ipft_kallsyms_load_start(void);
struct ipft_kallsyms *ipft_kallsyms_load_finish(struct ipft_kallsyms_job *j);
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
