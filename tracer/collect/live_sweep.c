/* live_sweep.c - taking packets out of the kernel's tracking map.
 *
 * The map is read in batches (a syscall per 1024 entries: a walk of
 * get_next_key + lookup, two syscalls per entry, took a large share of
 * ipft's time under a flood with a full map); only the entries old enough
 * are then read again and taken one by one (value and removal in one
 * step), since whoever removes an entry owns it, the programs too.
 */
#include "tracer/collect/live_sweep.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#define BATCH 1024
#define ENOTSUPP_KERNEL 524 /* the kernel's ENOTSUPP, not in libc's errno.h */

/* The keys of entries born before born_before, by walking the map key by
 * key: kernels or maps without batch lookups. */
static size_t old_keys_walk(int map_fd, size_t max_entries, uint64_t born_before, uint64_t *old)
{
	/* Keys first: removing the key a walk stands on restarts the walk. */
	uint64_t *keys = malloc(max_entries * sizeof(*keys)), key, *prev = NULL;
	struct ipft_live entry;
	size_t n = 0, n_old = 0;

	if (!keys)
		return 0;
	while (n < max_entries && bpf_map_get_next_key(map_fd, prev, &key) == 0) {
		keys[n] = key;
		prev = &keys[n++];
	}
	for (size_t i = 0; i < n; i++)
		if (bpf_map_lookup_elem(map_fd, &keys[i], &entry) == 0 && entry.first_ts < born_before)
			old[n_old++] = keys[i];
	free(keys);
	return n_old;
}

/* The same with batch lookups; -1 if the kernel has none for this map. */
static long old_keys_batch(int map_fd, size_t max_entries, uint64_t born_before, uint64_t *old)
{
	uint64_t *keys = malloc(BATCH * sizeof(*keys)), in_batch = 0, out_batch = 0;
	struct ipft_live *vals = malloc(BATCH * sizeof(*vals));
	size_t n_old = 0;
	bool first = true;
	long rc = 0;

	if (!keys || !vals) {
		rc = -1;
		goto out;
	}
	for (;;) {
		__u32 count = BATCH;
		int r = bpf_map_lookup_batch(map_fd, first ? NULL : &in_batch, &out_batch, keys, vals,
					     &count, NULL);
		int e = r < 0 ? errno : 0;

		if (r < 0 && e != ENOENT) {
			rc = -1;  /* EINVAL (old kernel), ENOSPC (a huge bucket) */
			goto out;
		}
		for (__u32 i = 0; i < count && n_old < max_entries; i++)
			if (vals[i].first_ts < born_before)
				old[n_old++] = keys[i];
		if (r < 0)  /* ENOENT: that was the last batch */
			break;
		in_batch = out_batch;
		first = false;
	}
	rc = (long)n_old;
out:
	free(keys);
	free(vals);
	return rc;
}

/* Ends the packet in the kernel (bpf/sweep.bpf.h): 1 if it was, 0 if it
 * was gone, -1 if the kernel cannot run the program (before 5.10). */
static int end_in_kernel(int prog_fd, const uint64_t *key, uint64_t packet_id)
{
	uint64_t args[2] = { *key, packet_id };
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = args, .ctx_size_in = sizeof(args));

	if (bpf_prog_test_run_opts(prog_fd, &o) < 0)
		return -1;
	return o.retval == 1;
}

/* Removes the entry and returns its value in one step (5.14+), so hits
 * that landed since the lookup come with it; older kernels: the value read
 * before, then the removal (a hit in between is lost). */
static int take_entry(int map_fd, const uint64_t *key, struct ipft_live *entry)
{
	if (bpf_map_lookup_and_delete_elem(map_fd, key, entry) == 0)
		return 0;
	if (errno != EINVAL && errno != EOPNOTSUPP && errno != ENOTSUPP_KERNEL)
		return -1; /* gone: the programs removed it (freed, retired) */
	return bpf_map_delete_elem(map_fd, key);
}

size_t ipft_live_sweep(int map_fd, int *end_prog_fd, int64_t *n_live, size_t max_entries,
		       uint64_t born_before, ipft_live_fn fn, void *arg)
{
	uint64_t *old = malloc(max_entries * sizeof(*old));
	struct ipft_live entry;
	size_t taken = 0;
	long n_old;

	if (!old)
		return 0;
	n_old = old_keys_batch(map_fd, max_entries, born_before, old);
	if (n_old < 0)
		n_old = (long)old_keys_walk(map_fd, max_entries, born_before, old);
	for (long i = 0; i < n_old; i++) {
		/* Read again: the skb address may hold a new packet by now. */
		if (bpf_map_lookup_elem(map_fd, &old[i], &entry) < 0 || entry.first_ts >= born_before)
			continue;
		if (*end_prog_fd >= 0) {
			int ended = end_in_kernel(*end_prog_fd, &old[i], entry.packet_id);

			if (ended >= 0) {
				taken += (size_t)ended;
				continue;
			}
			*end_prog_fd = -1; /* from now on, from here */
		}
		if (take_entry(map_fd, &old[i], &entry) < 0)
			continue;
		__atomic_fetch_sub(n_live, 1, __ATOMIC_SEQ_CST);
		fn(&entry, arg);
		taken++;
	}
	free(old);
	return taken;
}
