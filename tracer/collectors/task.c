/* task.c - the task collector, the tracer's side (task.bpf.h is the
 * kernel's, task_slot.h their record): who ran each event, said where it
 * changed since the packet's previous event.
 *
 * Keys: context (string: task, softirq, irq) and, in a task's own
 * context, pid, tgid (U64) and comm (string).  All of them go out
 * together when any changed.
 */
#include "tracer/collectors/collectors.h"

static const char *context_name(uint8_t c)
{
	switch (c) {
	case IPFT_CTX_TASK: return "task";
	case IPFT_CTX_SOFTIRQ: return "softirq";
	case IPFT_CTX_IRQ: return "irq";
	}
	return "?";
}

/* The kernel sends the slot only where something changed. */
static void task_event(void *state, const void *loaded, const struct ipft_slot *hit,
		       const struct ipft_slot *data, size_t n_data, struct ipft_kv_out *o)
{
	(void)state;
	(void)loaded;
	(void)hit;
	for (size_t i = 0; i < n_data; i++) {
		const struct ipft_task_data *t = (const struct ipft_task_data *)&data[i];

		if (t->kind != IPFT_DATA_TASK)
			continue;
		ipft_kv_add_packed_str(o, IPFT_PK_CONTEXT, context_name(t->context), 8);
		if (t->context != IPFT_CTX_TASK)
			continue;
		ipft_kv_add_packed_u64(o, IPFT_PK_PID, IPFT_VT_U64, t->pid);
		ipft_kv_add_packed_u64(o, IPFT_PK_TGID, IPFT_VT_U64, t->tgid);
		ipft_kv_add_packed_str(o, IPFT_PK_COMM, t->comm, sizeof(t->comm));
	}
}

const struct ipft_collector ipft_collector_task = {
	.bit = IPFT_COLLECT_TASK,
	.event = task_event,
};

_Static_assert(sizeof(struct ipft_task_data) == sizeof(struct ipft_slot), "slot size");
_Static_assert(offsetof(struct ipft_task_data, kind) == offsetof(struct ipft_slot, kind), "kind");
