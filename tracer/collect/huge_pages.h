/* huge_pages.h - memory for the packets in flight on transparent huge
 * pages (huge_pages.c).
 *
 * Under a flood ipft holds tens of thousands of packets, over a hundred
 * megabytes touched at random: on 4 KiB pages nearly every packet it
 * looks at is a TLB miss, and in a VM each miss walks two page tables.
 * Where transparent huge pages are "madvise" (Debian's default), memory
 * only gets them when asked.
 */
#ifndef IPFT_HUGE_PAGES_H
#define IPFT_HUGE_PAGES_H

#include <stddef.h>

#define IPFT_HUGE_PAGE (2u << 20)

/* len bytes, zeroed, aligned to IPFT_HUGE_PAGE and advised to the kernel
 * as huge-page memory (a kernel that cannot still gives small pages), or
 * NULL. */
void *ipft_huge_alloc(size_t len);
void ipft_huge_free(void *p, size_t len);

#endif
