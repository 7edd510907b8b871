/* collect_prev.h - what the collectors last sent of a packet, kept in its
 * tracking entry past the slots (struct ipft_live.prev, never sent): they
 * send only what changed.  One member per collector that needs one.
 *
 * Included by bpf/ipft_event.h, for BPF code and the tracer.
 */
#ifndef IPFT_COLLECT_PREV_H
#define IPFT_COLLECT_PREV_H

#include "tracer/collectors/meta_slot.h"
#include "tracer/collectors/task_slot.h"
#include "tracer/collectors/ext_slot.h"

struct ipft_collect_prev {
	struct ipft_meta_prev meta;
	struct ipft_task_prev task;
	struct ipft_ext_prev ext;
};

#endif
