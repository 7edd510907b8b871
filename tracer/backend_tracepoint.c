/* backend_tracepoint.c - attach to tracepoints as raw tracepoints.
 *
 * Raw tracepoint programs receive the tracepoint's arguments unconverted
 * (u64 each), need neither kprobes nor tracefs, and work on every kernel
 * ipft supports.  Each tracepoint gets a clone of the template that reads
 * the skb from its argument position; the free tracepoints get templates
 * that also end the packet's trace.
 */
#include "tracer/backend.h"
#include "tracer/bpf_object.h"

#include <linux/types.h>
#include "bpf/ipft_event.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int tp_available(char *why, size_t len)
{
	(void)why;
	(void)len;
	return 0; /* raw tracepoints exist since 4.17; a load failure says more */
}

static const char *template_for(const struct ipft_probe *p)
{
	static const char *by_pos[] = { "ipft_tp_skb0", "ipft_tp_skb1", "ipft_tp_skb2",
					"ipft_tp_skb3" };

	if (strcmp(p->name, "kfree_skb") == 0 && p->skb_arg == 0)
		return p->nargs >= 3 ? "ipft_tp_kfree_skb_reason" : "ipft_tp_kfree_skb";
	if (strcmp(p->name, "consume_skb") == 0 && p->skb_arg == 0)
		return "ipft_tp_consume_skb";
	if (p->skb_arg >= 0 && (size_t)p->skb_arg < sizeof(by_pos) / sizeof(by_pos[0]))
		return by_pos[p->skb_arg];
	return NULL;
}

/* What the tracepoint says about the packet's life (bpf/ipft_event.h). */
static uint32_t role_of(const struct ipft_probe *p)
{
	static const char *rx_entry[] = { "netif_receive_skb_entry", "netif_receive_skb_list_entry",
					  "netif_rx_entry", "napi_gro_receive_entry",
					  "napi_gro_frags_entry" };

	if (strcmp(p->name, "net_dev_queue") == 0)
		return IPFT_ROLE_START;
	for (size_t i = 0; i < sizeof(rx_entry) / sizeof(rx_entry[0]); i++)
		if (strcmp(p->name, rx_entry[i]) == 0)
			return IPFT_ROLE_START | IPFT_ROLE_RX;
	if (strcmp(p->name, "netif_receive_skb") == 0 || strcmp(p->name, "netif_rx") == 0)
		return IPFT_ROLE_RX;
	return 0;
}

static bool tp_can_attach(const struct ipft_probe *p)
{
	return p->type == IPFT_PROBE_TRACEPOINT && template_for(p) != NULL;
}

static int tp_attach(const struct ipft_attach_ctx *ctx, struct ipft_probe **probes, size_t n,
		     size_t *attached, char *err, size_t errlen)
{
	struct ipft_clone_opts opts = { .type = BPF_PROG_TYPE_RAW_TRACEPOINT };
	char why[256] = "";

	*attached = 0;
	for (size_t i = 0; i < n; i++) {
		struct ipft_probe *p = probes[i];
		const char *tmpl_name = template_for(p);
		struct bpf_program *tmpl = tmpl_name ? ipft_bpf_template(ctx->bpf, tmpl_name) : NULL;

		if (!tmpl) {
			snprintf(why, sizeof(why), "tracepoint %s: skb is argument %d, beyond what "
				 "ipft reads", p->name, p->skb_arg + 1);
			goto skip;
		}
		opts.role = role_of(p);
		p->prog_fd = ipft_prog_clone(ctx->bpf, tmpl, p->id, &opts,
					     why, sizeof(why));
		if (p->prog_fd < 0)
			goto skip;
		p->link_fd = bpf_raw_tracepoint_open(p->name, p->prog_fd);
		if (p->link_fd < 0) {
			snprintf(why, sizeof(why), "tracepoint %s: attach failed: %s", p->name,
				 strerror(errno));
			close(p->prog_fd);
			p->prog_fd = -1;
			goto skip;
		}
		(*attached)++;
		goto next;
skip:
		if (ctx->verbose)
			fprintf(stderr, "ipft: skipped %s\n", why);
next:
		if (ctx->progress && ((i + 1) % 16 == 0 || i + 1 == n))
			ctx->progress(i + 1, n, ctx->progress_arg);
	}
	if (*attached == 0 && n) {
		snprintf(err, errlen, "no tracepoint could be attached (last error: %s)", why);
		return -1;
	}
	return 0;
}

static void tp_detach(struct ipft_probe **probes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (probes[i]->link_fd >= 0)
			close(probes[i]->link_fd);
		if (probes[i]->prog_fd >= 0)
			close(probes[i]->prog_fd);
		probes[i]->link_fd = probes[i]->prog_fd = -1;
	}
}

const struct ipft_backend ipft_backend_tracepoint = {
	.name = "tracepoint",
	.id = IPFT_BACKEND_TRACEPOINT,
	.probes = IPFT_PROBE_TRACEPOINT,
	.available = tp_available,
	.can_attach = tp_can_attach,
	.attach = tp_attach,
	.detach = tp_detach,
};
