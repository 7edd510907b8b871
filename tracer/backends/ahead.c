/* ahead.c - ipft's object opened and its tracking map made on threads. */
#include "tracer/backends/ahead.h"

#include <linux/types.h>
#include "bpf/ipft_event.h"
#include "bpf/ipft_shared.h"
#include "bpf/ipft_features.h"
#include "ipft.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- the object, and libbpf's parse of the kernel's BTF -------------- */

struct ipft_open_job {
	pthread_t thread;
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

	if (j && pthread_create(&j->thread, NULL, open_job, j) != 0) {
		free(j);
		j = NULL;
	}
	return j;
}

struct ipft_skel *ipft_open_ahead_finish(struct ipft_open_job *j)
{
	struct ipft_skel *s;

	if (!j)
		return NULL;
	pthread_join(j->thread, NULL);
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

/* ---- the tracking map ------------------------------------------------- */

struct ipft_live_map_job {
	pthread_t thread;
	uint32_t max_entries;
	int fd;
};

static void *live_map_job(void *arg)
{
	struct ipft_live_map_job *j = arg;

	/* As libbpf would make it from the object's definition. */
	j->fd = bpf_map_create(BPF_MAP_TYPE_HASH, "live", sizeof(__u64), sizeof(struct ipft_live),
			       j->max_entries, NULL);
	return NULL;
}

struct ipft_live_map_job *ipft_live_map_start(uint32_t max_entries)
{
	struct ipft_live_map_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->max_entries = max_entries;
	j->fd = -1;
	if (pthread_create(&j->thread, NULL, live_map_job, j) != 0) {
		free(j);
		return NULL;
	}
	return j;
}

/* Whether the map made ahead is the one the object defines. */
static bool live_map_matches(const struct ipft_live_map_job *j, const struct bpf_map *m)
{
	return bpf_map__type(m) == BPF_MAP_TYPE_HASH && bpf_map__key_size(m) == sizeof(__u64) &&
	       bpf_map__value_size(m) == sizeof(struct ipft_live) &&
	       bpf_map__max_entries(m) == j->max_entries && bpf_map__map_flags(m) == 0;
}

void ipft_live_map_finish(struct ipft_live_map_job *j, struct bpf_map *m)
{
	if (!j)
		return;
	pthread_join(j->thread, NULL);
	/* reuse_fd keeps a copy of the fd. */
	if (j->fd >= 0 && m && live_map_matches(j, m))
		bpf_map__reuse_fd(m, j->fd);
	if (j->fd >= 0)
		close(j->fd);
	free(j);
}
