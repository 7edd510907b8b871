/* huge_pages.c - anonymous mappings aligned to a huge page and advised as
 * huge-page memory (huge_pages.h says why). */
#include "tracer/collect/huge_pages.h"

#include <stdint.h>
#include <sys/mman.h>

static size_t round_up(size_t len)
{
	return (len + IPFT_HUGE_PAGE - 1) & ~(size_t)(IPFT_HUGE_PAGE - 1);
}

void *ipft_huge_alloc(size_t len)
{
	size_t want = round_up(len), lead;
	uint8_t *m;

	if (!len || want < len)
		return NULL;
	/* Mapped a huge page larger, then trimmed to an aligned start: only
	 * whole aligned huge pages inside a mapping can be huge. */
	m = mmap(NULL, want + IPFT_HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	lead = (IPFT_HUGE_PAGE - ((uintptr_t)m & (IPFT_HUGE_PAGE - 1))) & (IPFT_HUGE_PAGE - 1);
	if (lead)
		munmap(m, lead);
	munmap(m + lead + want, IPFT_HUGE_PAGE - lead);
	/* Advice only: without it (THP off, an old kernel) the pages are small. */
	madvise(m + lead, want, MADV_HUGEPAGE);
	return m + lead;
}

void ipft_huge_free(void *p, size_t len)
{
	if (p)
		munmap(p, round_up(len));
}
