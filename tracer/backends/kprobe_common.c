/* kprobe_common.c - what the kprobe and kprobe-multi backends share. */
#include "tracer/backends/kprobe_common.h"
#include "tracer/backends/bpf_object.h"

#include <linux/types.h>
#include "bpf/ipft_event.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

uint64_t ipft_kprobe_cookie(const struct ipft_probe *p)
{
	return (uint64_t)p->id | (uint64_t)ipft_function_role(p->name) << 32;
}

int ipft_kprobe_clones(const struct ipft_attach_ctx *ctx, struct ipft_probe **probes, size_t n,
		       bool multi, int fds[IPFT_KPROBE_POSITIONS], char *why, size_t len)
{
	bool need[IPFT_KPROBE_POSITIONS] = { false };
	struct ipft_clone_opts opts = {
		.type = BPF_PROG_TYPE_KPROBE,
		.expected_attach_type = multi ? BPF_TRACE_KPROBE_MULTI : 0,
		.cookie_ident = true,
	};

	for (size_t i = 0; i < n; i++)
		if (probes[i]->skb_arg >= 0 && probes[i]->skb_arg < IPFT_KPROBE_POSITIONS)
			need[probes[i]->skb_arg] = true;
	for (int pos = 0; pos < IPFT_KPROBE_POSITIONS; pos++) {
		char name[32];
		struct bpf_program *tmpl;

		fds[pos] = -1;
		if (!need[pos])
			continue;
		snprintf(name, sizeof(name), "%s%d", multi ? "ipft_kpm_skb" : "ipft_kp_skb", pos);
		tmpl = ipft_bpf_template(ctx->bpf, name);
		if (!tmpl) {
			snprintf(why, len, "template %s missing", name);
			goto fail;
		}
		fds[pos] = ipft_prog_clone(ctx->bpf, tmpl, 0, &opts, why, len);
		if (fds[pos] < 0)
			goto fail;
	}
	return 0;
fail:
	ipft_kprobe_close(fds);
	return -1;
}

void ipft_kprobe_close(int fds[IPFT_KPROBE_POSITIONS])
{
	for (int pos = 0; pos < IPFT_KPROBE_POSITIONS; pos++) {
		if (fds[pos] >= 0)
			close(fds[pos]);
		fds[pos] = -1;
	}
}

int ipft_kprobe_pmu_type(void)
{
	FILE *f = fopen("/sys/bus/event_source/devices/kprobe/type", "re");
	int type = -1;

	if (f) {
		if (fscanf(f, "%d", &type) != 1)
			type = -1;
		fclose(f);
	}
	return type;
}

int ipft_kprobe_available(char *why, size_t len)
{
	if (ipft_kprobe_pmu_type() < 0) {
		snprintf(why, len, "this kernel has no kprobes (CONFIG_KPROBES is off, no kprobe "
			 "perf events); use -b tracepoint");
		return -1;
	}
	return 0;
}
