/* task.bpf.h - the task collector's BPF side (-x task): which task runs
 * a hit, or which kind of interrupt (task_slot.h), sent where it differs
 * from the packet's previous hit.  The tracer's side is task.c; it loads
 * and attaches the hooks below (task_hooks.c).
 *
 * In which context a CPU runs is in its preempt count, a per-CPU variable
 * that BPF reaches only as a typed kernel symbol, which a kernel without
 * CONFIG_KALLSYMS_ALL cannot resolve (and an unresolved one fails the
 * whole object).  So the collector keeps its own per-CPU state from the
 * tracepoints around each softirq action and each device interrupt
 * handler: the contexts network code runs in.
 */
#ifndef IPFT_TASK_BPF_H
#define IPFT_TASK_BPF_H

#include "tracer/collectors/task_slot.h"

#define IPFT_IN_SOFTIRQ 0x1
#define IPFT_IN_IRQ 0x2

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u32);  /* IPFT_IN_* */
	__uint(max_entries, 1);
} irq_state SEC(".maps");

static __always_inline int irq_state_set(__u32 bit, bool on)
{
	__u32 zero = 0, *s = bpf_map_lookup_elem(&irq_state, &zero);

	if (s)
		*s = on ? (*s | bit) : (*s & ~bit);
	return 0;
}

SEC("raw_tp/softirq_entry")
int ipft_softirq_entry(void *ctx) { return irq_state_set(IPFT_IN_SOFTIRQ, true); }
SEC("raw_tp/softirq_exit")
int ipft_softirq_exit(void *ctx) { return irq_state_set(IPFT_IN_SOFTIRQ, false); }
SEC("raw_tp/irq_handler_entry")
int ipft_irq_entry(void *ctx) { return irq_state_set(IPFT_IN_IRQ, true); }
SEC("raw_tp/irq_handler_exit")
int ipft_irq_exit(void *ctx) { return irq_state_set(IPFT_IN_IRQ, false); }

static __always_inline __u8 task_context(void)
{
	__u32 zero = 0, *s = bpf_map_lookup_elem(&irq_state, &zero);

	if (s && (*s & IPFT_IN_IRQ))
		return IPFT_CTX_IRQ;
	if (s && (*s & IPFT_IN_SOFTIRQ))
		return IPFT_CTX_SOFTIRQ;
	return IPFT_CTX_TASK;
}

static __always_inline void ipft_task_hit(struct ipft_live *t)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u8 ctx = task_context();
	struct ipft_task_data *d;

	if (t->prev.task.context == ctx && (ctx != IPFT_CTX_TASK || t->prev.task.pid_tgid == id))
		return;
	t->prev.task.context = ctx;
	t->prev.task.pid_tgid = id;
	d = (struct ipft_task_data *)ipft_data_slot(t, IPFT_DATA_TASK);
	d->context = ctx;
	d->pid = (__u32)id;
	d->tgid = (__u32)(id >> 32);
	if (ctx != IPFT_CTX_TASK || bpf_get_current_comm(d->comm, sizeof(d->comm)) < 0)
		d->comm[0] = 0;
}

#endif
