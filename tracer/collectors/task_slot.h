/* task_slot.h - the task collector's data slot, as its BPF side
 * (task.bpf.h) writes it and the tracer (task.c) reads it: who runs a
 * hit, sent only where it differs from the packet's previous hit.
 *
 * Included by BPF code and by the tracer (after <linux/types.h>).
 */
#ifndef IPFT_TASK_SLOT_H
#define IPFT_TASK_SLOT_H

/* What the CPU was doing: a task's own work, or an interrupt of it (the
 * task is then whichever one was interrupted, and not named). */
enum ipft_task_context {
	IPFT_CTX_TASK = 1,
	IPFT_CTX_SOFTIRQ = 2,
	IPFT_CTX_IRQ = 3,
};

/* IPFT_DATA_TASK */
struct ipft_task_data {
	char comm[16];        /* with IPFT_CTX_TASK */
	__u32 pid;            /* thread id, in the initial pid namespace */
	__u32 tgid;           /* process id */
	__u8 context;         /* enum ipft_task_context */
	__u8 pad[5];
	__u8 kind;            /* IPFT_DATA_TASK */
	__u8 aux;
};

/* What the packet last sent (struct ipft_live, never sent itself). */
struct ipft_task_prev {
	__u64 pid_tgid;
	__u8 context;         /* 0: nothing sent yet */
	__u8 pad[7];
};

#endif
