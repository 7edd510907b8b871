/* ahead.c - ipft's object opened and its sized maps made on threads. */
#include "tracer/backends/ahead.h"

#include <linux/types.h>
#include "bpf/ipft_event.h"
#include "bpf/ipft_shared.h"
#include "bpf/ipft_features.h"
#include "ipft.skel.h"
#include "tracer/job.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- the object, and libbpf's parse of the kernel's BTF -------------- */

struct ipft_open_job {
	struct ipft_job job;
	struct ipft_skel *skel;
};

static void *open_job(void *arg)
{
	struct ipft_open_job *j = arg;

	j->skel = ipft_skel__open();
	/* Naming a typed program's target makes libbpf parse the kernel's
	 * BTF now and keep it for the load (which otherwise parses it
	 * there).  The target is set again, or the program left out, when
	 * the backends choose their templates. */
	if (j->skel)
		bpf_program__set_attach_target(j->skel->progs.ipft_tpb_kfree_skb_reason, 0,
					       "kfree_skb");
	return NULL;
}

struct ipft_open_job *ipft_open_ahead_start(void)
{
	struct ipft_open_job *j = calloc(1, sizeof(*j));

	if (j)
		ipft_job_start(&j->job, open_job, j);
	return j;
}

struct ipft_skel *ipft_open_ahead_finish(struct ipft_open_job *j)
{
	struct ipft_skel *s;

	if (!j)
		return NULL;
	ipft_job_join(&j->job);
	s = j->skel;
	free(j);
	return s;
}

/* libbpf (1.1) frees the kernel's BTF it parsed at the end of a load,
 * not when the object is closed: an empty load (no map made, no program
 * loaded, libbpf quiet) ends it before the object is closed. */
void ipft_open_ahead_discard(struct ipft_skel *s)
{
	libbpf_print_fn_t print;
	struct bpf_program *prog;
	struct bpf_map *map;

	if (!s)
		return;
	bpf_object__for_each_program(prog, s->obj)
		bpf_program__set_autoload(prog, false);
	bpf_object__for_each_map(map, s->obj)
		bpf_map__set_autocreate(map, false);
	print = libbpf_set_print(NULL);
	bpf_object__load(s->obj);
	libbpf_set_print(print);
	ipft_skel__destroy(s);
}

/* ---- the sized maps: the ring buffer, then the tracking map ---------- */

enum { AHEAD_EVENTS, AHEAD_LIVE, AHEAD_MAPS };

struct ipft_maps_job {
	struct ipft_job job;
	uint32_t size[AHEAD_MAPS];
	int fd[AHEAD_MAPS];
};

static void *maps_job(void *arg)
{
	struct ipft_maps_job *j = arg;

	/* As libbpf would make them from the object's definitions, in its
	 * order: when the ring buffer does not fit (a memory cgroup's limit),
	 * the tracking map is not made either, and libbpf's load names the
	 * one refused. */
	j->fd[AHEAD_EVENTS] = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "events", 0, 0,
					     j->size[AHEAD_EVENTS], NULL);
	if (j->fd[AHEAD_EVENTS] >= 0)
		j->fd[AHEAD_LIVE] = bpf_map_create(BPF_MAP_TYPE_HASH, "live", sizeof(__u64),
						   sizeof(struct ipft_live), j->size[AHEAD_LIVE],
						   NULL);
	return NULL;
}

struct ipft_maps_job *ipft_maps_ahead_start(uint32_t ringbuf_bytes, uint32_t max_inflight)
{
	struct ipft_maps_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->size[AHEAD_EVENTS] = ringbuf_bytes;
	j->size[AHEAD_LIVE] = max_inflight;
	j->fd[AHEAD_EVENTS] = j->fd[AHEAD_LIVE] = -1;
	ipft_job_start(&j->job, maps_job, j);
	return j;
}

/* Whether the map made ahead (i) is the one the object defines. */
static bool map_matches(const struct ipft_maps_job *j, int i, const struct bpf_map *m)
{
	if (i == AHEAD_EVENTS)
		return bpf_map__type(m) == BPF_MAP_TYPE_RINGBUF &&
		       bpf_map__max_entries(m) == j->size[i];
	return bpf_map__type(m) == BPF_MAP_TYPE_HASH && bpf_map__key_size(m) == sizeof(__u64) &&
	       bpf_map__value_size(m) == sizeof(struct ipft_live) &&
	       bpf_map__max_entries(m) == j->size[i] && bpf_map__map_flags(m) == 0;
}

void ipft_maps_ahead_finish(struct ipft_maps_job *j, struct bpf_map *events, struct bpf_map *live)
{
	struct bpf_map *m[AHEAD_MAPS] = { events, live };

	if (!j)
		return;
	ipft_job_join(&j->job);
	for (int i = 0; i < AHEAD_MAPS; i++) {
		/* reuse_fd keeps a copy of the fd. */
		if (j->fd[i] >= 0 && m[i] && map_matches(j, i, m[i]))
			bpf_map__reuse_fd(m[i], j->fd[i]);
		if (j->fd[i] >= 0)
			close(j->fd[i]);
	}
	free(j);
}
