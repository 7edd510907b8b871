/* stack.c - the stack collector, the tracer's side (stack.bpf.h is the
 * kernel's, stack_rec.h their record): the kernel stack taken at a drop,
 * or at a hit of an attach point --stack-at names, on that hit's event as
 * the key "stack" once per frame, innermost first, each "sym+0xoff" from
 * /proc/kallsyms.  The innermost frames that are the tracing itself (the
 * BPF program, the tracepoint or kprobe machinery) are left out.  A frame
 * without a symbol is its address with --raw-addresses, else "?": a
 * kernel address tells where the kernel sits in memory (KASLR).
 */
#include "tracer/collectors/collectors.h"
#include "tracer/collectors/stack_rec.h"
#include "tracer/kernel/kallsyms.h"

#include <stdio.h>
#include <string.h>

struct stack_state {
	const uint8_t *extra;  /* the packet's records, as kept with it */
	size_t len;
};

static void stack_begin(void *state, const void *loaded, const struct ipft_collect_packet *pk)
{
	struct stack_state *s = state;

	(void)loaded;
	s->extra = pk->extra;
	s->len = pk->extra_len;
}

/* The stack taken at this hit, if one was; *nr its frames. */
static const struct ipft_stack_rec *find(const struct stack_state *s, const struct ipft_slot *hit,
					 size_t *nr)
{
	const size_t hdr = offsetof(struct ipft_stack_rec, ips);
	uint32_t size;

	for (size_t off = 0; off + 8 <= s->len; off += (8 + (size_t)size + 7) & ~(size_t)7) {
		const struct ipft_stack_rec *r = (const void *)(s->extra + off + 8);
		memcpy(&size, s->extra + off, sizeof(size));
		if (size < hdr || off + 8 + size > s->len || r->type != IPFT_REC_STACK ||
		    r->ts != hit->ts || r->probe_id != hit->probe_id)
			continue;
		*nr = r->nr < (size - hdr) / sizeof(r->ips[0]) ? r->nr : (size - hdr) / sizeof(r->ips[0]);
		return r;
	}
	return NULL;
}

/* The tracing's own frames, innermost: the program, the tracepoint's or
 * kprobe's way to it. */
static bool tracing_frame(const char *sym)
{
	static const char *const prefixes[] = {
		"bpf_", "__bpf_", "___bpf", "__traceiter_", "trace_call_bpf", "perf_",
		"kprobe_", "fprobe", "rethook", "ftrace_", "arch_ftrace", "__ftrace",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(sym, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

/* The tracing's frames are innermost, after the program's own (which
 * /proc/kallsyms, read before the programs loaded, does not name, or names
 * after a module's last symbol): the frames up to the last of them within
 * the first few go. */
#define INNER_FRAMES 8

static void stack_event(void *state, const void *loaded, const struct ipft_slot *hit,
			const struct ipft_slot *data, size_t n_data, struct ipft_kv_out *o)
{
	const struct ipft_collect_env *env = loaded;
	const struct ipft_stack_rec *r;
	char sym[IPFT_STACK_DEPTH][128];
	bool known[IPFT_STACK_DEPTH];
	size_t nr, first = 0;

	(void)data;
	(void)n_data;
	if (!(r = find(state, hit, &nr)))
		return;
	for (size_t i = 0; i < nr; i++) {
		known[i] = ipft_kallsyms_format(env ? env->ksyms : NULL, r->ips[i], sym[i],
						sizeof(sym[i])) == 0;
		if (!known[i])
			snprintf(sym[i], sizeof(sym[i]), env && env->raw_addresses ? "0x%llx" : "?",
				 (unsigned long long)r->ips[i]);
		if (i < INNER_FRAMES && tracing_frame(sym[i]))
			first = i + 1;
	}
	while (first < nr && !known[first])
		first++;
	for (size_t i = first; i < nr; i++)
		ipft_kv_add_str(o, "stack", sym[i], sizeof(sym[i]));
}

/* What load() keeps: the tracer's symbols and whether addresses may show. */
static void *stack_load(const struct ipft_collect_env *env)
{
	return (void *)env;
}

const struct ipft_collector ipft_collector_stack = {
	.bit = IPFT_COLLECT_STACK,
	.state_size = sizeof(struct stack_state),
	.load = stack_load,
	.begin = stack_begin,
	.event = stack_event,
};

_Static_assert(offsetof(struct ipft_stack_rec, packet_id) ==
		       offsetof(struct ipft_collect_rec_hdr, packet_id) &&
	       offsetof(struct ipft_stack_rec, ts) == offsetof(struct ipft_collect_rec_hdr, ts),
	       "a collector's record starts as struct ipft_collect_rec_hdr");
