/* drop_reason.h - names of the kernel's enum skb_drop_reason, from BTF. */
#ifndef IPFT_DROP_REASON_H
#define IPFT_DROP_REASON_H

#include <stdint.h>

struct ipft_drop_reasons;

/* The reason a drop gets where the kernel has none (before 5.17:
 * kfree_skb's tracepoint has no reason argument, BTF no enum
 * skb_drop_reason).  The kernel's own names never take this one. */
#define IPFT_DROP_REASON_UNKNOWN "UNKNOWN"

/* The names; a table without names when the kernel has no enum
 * skb_drop_reason; NULL when the BTF cannot be read or memory is short. */
struct ipft_drop_reasons *ipft_drop_reasons_load(void);
void ipft_drop_reasons_free(struct ipft_drop_reasons *d);
/* "NO_SOCKET" for SKB_DROP_REASON_NO_SOCKET; IPFT_DROP_REASON_UNKNOWN for
 * every drop where the kernel has no reasons; NULL if unknown. */
const char *ipft_drop_reason_name(const struct ipft_drop_reasons *d, uint32_t value);
/* The value of the reason NAME ("NO_SOCKET"): 0; -1 when the kernel has
 * no such reason, -2 when it has no drop reasons at all. */
int ipft_drop_reason_value(const struct ipft_drop_reasons *d, const char *name, uint32_t *value);

#endif
