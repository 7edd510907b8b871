/* drop_reason.h - names of the kernel's enum skb_drop_reason, from BTF. */
#ifndef IPFT_DROP_REASON_H
#define IPFT_DROP_REASON_H

#include <stdint.h>

struct ipft_drop_reasons;

/* NULL when the kernel's BTF has no enum skb_drop_reason (before 5.17). */
struct ipft_drop_reasons *ipft_drop_reasons_load(void);
void ipft_drop_reasons_free(struct ipft_drop_reasons *d);
/* "NO_SOCKET" for SKB_DROP_REASON_NO_SOCKET; NULL if unknown. */
const char *ipft_drop_reason_name(const struct ipft_drop_reasons *d, uint32_t value);

#endif
