/* backend_tracepoint.c - attach to tracepoints (tp_btf, else raw_tp).
 *
 * Tracepoint programs receive the tracepoint's arguments unconverted (u64
 * each) and need neither kprobes nor tracefs.  Each tracepoint gets a clone
 * of the template that reads the skb from its argument position; the free
 * tracepoints get templates that also end the packet's trace.  A tp_btf
 * clone (typed arguments: plain loads of sk_buff fields) is preferred; a
 * raw_tp clone (every read a helper call) is the fallback.
 */
#include "tracer/backends/backend.h"
#include "tracer/backends/bpf_object.h"

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

const char *ipft_tp_template(const struct ipft_probe *p, bool typed)
{
	static const char *by_pos[2][4] = {
		{ "ipft_tp_skb0", "ipft_tp_skb1", "ipft_tp_skb2", "ipft_tp_skb3" },
		{ "ipft_tpb_skb0", "ipft_tpb_skb1", "ipft_tpb_skb2", "ipft_tpb_skb3" },
	};

	if (p->type != IPFT_PROBE_TRACEPOINT)
		return NULL;
	if (strcmp(p->name, "kfree_skb") == 0 && p->skb_arg == 0) {
		if (p->nargs >= 3)
			return typed ? "ipft_tpb_kfree_skb_reason" : "ipft_tp_kfree_skb_reason";
		return typed ? "ipft_tpb_kfree_skb" : "ipft_tp_kfree_skb";
	}
	if (strcmp(p->name, "consume_skb") == 0 && p->skb_arg == 0)
		return typed ? "ipft_tpb_consume_skb" : "ipft_tp_consume_skb";
	if (p->skb_arg >= 0 && p->skb_arg < 4)
		return by_pos[typed][p->skb_arg];
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
	return p->type == IPFT_PROBE_TRACEPOINT && ipft_tp_template(p, false) != NULL;
}

/* Loads p's program: a typed (tp_btf) clone where the kernel takes one,
 * else an untyped (raw_tp) clone.  Returns the fd, or -1 with why. */
static int load_clone(const struct ipft_attach_ctx *ctx, const struct ipft_probe *p,
		      bool *is_typed, char *why, size_t len)
{
	struct ipft_clone_opts typed = {
		.type = BPF_PROG_TYPE_TRACING,
		.expected_attach_type = BPF_TRACE_RAW_TP,
		.attach_btf_id = p->btf_id,
		.attach_btf_obj_fd = p->btf_obj_fd,
		.role = role_of(p),
	};
	struct ipft_clone_opts raw = { .type = BPF_PROG_TYPE_RAW_TRACEPOINT, .role = role_of(p) };
	const char *name = ipft_tp_template(p, true);
	struct bpf_program *tmpl = name ? ipft_bpf_template(ctx->bpf, name) : NULL;
	int fd = -1;

	if (tmpl && bpf_program__fd(tmpl) >= 0 && p->btf_id) {
		fd = ipft_prog_clone(ctx->bpf, tmpl, p->id, &typed, why, len);
		*is_typed = fd >= 0;
		if (fd >= 0)
			return fd;
		if (ctx->verbose)
			fprintf(stderr, "ipft: %s: no typed program (%s), using raw_tp\n", p->name, why);
	}
	name = ipft_tp_template(p, false);
	tmpl = name ? ipft_bpf_template(ctx->bpf, name) : NULL;
	if (!tmpl) {
		snprintf(why, len, "tracepoint %s: skb is argument %d, beyond what ipft reads",
			 p->name, p->skb_arg + 1);
		return -1;
	}
	return ipft_prog_clone(ctx->bpf, tmpl, p->id, &raw, why, len);
}

/* Each tracepoint gets its own program and link, kept in its probe. */
static int tp_attach(const struct ipft_attach_ctx *ctx, struct ipft_attachment *a, char *err,
		     size_t errlen)
{
	size_t n = a->n;
	char why[256] = "";

	a->attached = 0;
	for (size_t i = 0; i < n; i++) {
		struct ipft_probe *p = a->probes[i];
		bool typed = false;

		p->prog_fd = load_clone(ctx, p, &typed, why, sizeof(why));
		if (p->prog_fd < 0)
			goto skip;
		/* A typed program knows its tracepoint; a raw one is told. */
		p->link_fd = bpf_raw_tracepoint_open(typed ? NULL : p->name, p->prog_fd);
		if (p->link_fd < 0) {
			snprintf(why, sizeof(why), "tracepoint %s: attach failed: %s", p->name,
				 strerror(errno));
			close(p->prog_fd);
			p->prog_fd = -1;
			goto skip;
		}
		a->attached++;
		goto next;
skip:
		if (ctx->verbose)
			fprintf(stderr, "ipft: skipped %s\n", why);
next:
		if (ctx->progress && ((i + 1) % 16 == 0 || i + 1 == n))
			ctx->progress(i + 1, n, ctx->progress_arg);
	}
	if (a->attached == 0 && n) {
		snprintf(err, errlen, "no tracepoint could be attached (last error: %s)", why);
		return -1;
	}
	return 0;
}

static void tp_detach(struct ipft_attachment *a)
{
	for (size_t i = 0; i < a->n; i++) {
		struct ipft_probe *p = a->probes[i];
		if (p->link_fd >= 0)
			close(p->link_fd);
		if (p->prog_fd >= 0)
			close(p->prog_fd);
		p->link_fd = p->prog_fd = -1;
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
