/* function_role.c - what a kernel function tells about a packet's life.
 *
 * Every free path ends in kfree_skbmem (also where no tracepoint fires,
 * e.g. UDP's skb_consume_udp): it ends the trace.  The functions that run
 * only while an skb is released follow a tracked packet but never start
 * one: after a free tracepoint has ended the trace, they would otherwise
 * start a phantom packet at the address being freed.  The functions that
 * report their caller as a drop's location get no fexit.  The functions
 * that make new skbs from a traced one link them at their fexit.
 */
#include "tracer/probes/probe.h"

#include <linux/types.h>
#include "bpf/ipft_event.h"

#include <string.h>

static const char *const teardown[] = {
	"kfree_skbmem", "__kfree_skb", "kfree_skb_reason", "sk_skb_reason_drop",
	"kfree_skb_list_reason", "consume_skb", "__consume_stateless_skb",
	"napi_consume_skb", "__napi_kfree_skb", "napi_skb_cache_put",
	"skb_attempt_defer_free", "skb_release_all", "skb_release_head_state",
	"skb_release_data", "skb_free_head", "skb_free_frag",
	/* destructors, called from skb_release_head_state */
	"sock_rfree", "sock_wfree", "__sock_wfree", "sock_efree", "sock_edemux",
	"tcp_wfree", "sock_pfree",
};

/* They pass __builtin_return_address(0) to the kfree_skb or consume_skb
 * tracepoint as the place of the drop. */
static const char *const locates_caller[] = {
	"kfree_skb_reason", "sk_skb_reason_drop", "kfree_skb", "__kfree_skb_reason",
	"kfree_skb_list_reason", "consume_skb", "napi_consume_skb", "kfree_skb_partial",
	"skb_consume_udp", "__consume_stateless_skb",
};

/* They return new skbs made from their skb argument, merge their second
 * into their first, make their skb argument a reassembled datagram, or
 * move its data buffer (bpf/derive.bpf.h).
 * pskb_copy and skb_copy_expand's kin are inline or call these;
 * __skb_gso_segment and the protocols' gso_segment callbacks end in
 * skb_segment, so segments are linked once, where they are cut. */
static const struct {
	const char *name;
	uint32_t role;
} makers[] = {
	{ "skb_clone", IPFT_ROLE_MAKES_CLONE },
	{ "skb_copy", IPFT_ROLE_MAKES_COPY },
	{ "__pskb_copy_fclone", IPFT_ROLE_MAKES_COPY },
	{ "skb_copy_expand", IPFT_ROLE_MAKES_COPY },
	{ "skb_segment", IPFT_ROLE_MAKES_SEGMENTS },
	{ "skb_gro_receive", IPFT_ROLE_MERGES },      /* (p, skb): skb merged into p */
	{ "skb_gro_receive_list", IPFT_ROLE_MERGES }, /* the same, as a frag list */
	/* the datagram made whole in their skb argument */
	{ "ip_defrag", IPFT_ROLE_REASSEMBLES },
	{ "nf_ct_frag6_gather", IPFT_ROLE_REASSEMBLES },
	{ "ipv6_frag_rcv", IPFT_ROLE_REASSEMBLES_RET1 },
	/* skb's data buffer moved (what the lineage noted of it follows) */
	{ "pskb_expand_head", IPFT_ROLE_REALLOCS },
};

uint32_t ipft_function_role(const char *name)
{
	uint32_t role = 0;

	for (size_t i = 0; i < sizeof(makers) / sizeof(makers[0]); i++)
		if (strcmp(name, makers[i].name) == 0)
			role |= makers[i].role;

	for (size_t i = 0; i < sizeof(locates_caller) / sizeof(locates_caller[0]); i++)
		if (strcmp(name, locates_caller[i]) == 0)
			role |= IPFT_ROLE_ENTRY_ONLY;
	if (strcmp(name, "kfree_skbmem") == 0)
		role |= IPFT_ROLE_FREE;
	for (size_t i = 0; i < sizeof(teardown) / sizeof(teardown[0]); i++)
		if (strcmp(name, teardown[i]) == 0)
			role |= IPFT_ROLE_TEARDOWN;
	return role;
}
