/* live_sweep.c - taking packets out of the kernel's tracking map. */
#include "tracer/live_sweep.h"

#include <bpf/bpf.h>
#include <stdlib.h>

size_t ipft_live_sweep(int map_fd, int64_t *n_live, size_t max_entries, uint64_t born_before,
		       ipft_live_fn fn, void *arg)
{
	/* Keys first: removing the key a walk stands on restarts the walk. */
	uint64_t *keys = malloc(max_entries * sizeof(*keys)), key, *prev = NULL;
	struct ipft_live entry;
	size_t n = 0, taken = 0;

	if (!keys)
		return 0;
	while (n < max_entries && bpf_map_get_next_key(map_fd, prev, &key) == 0) {
		keys[n] = key;
		prev = &keys[n++];
	}
	for (size_t i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(map_fd, &keys[i], &entry) < 0 || entry.first_ts >= born_before)
			continue;
		/* Whoever removes the entry owns it: the programs too. */
		if (bpf_map_delete_elem(map_fd, &keys[i]) < 0)
			continue;
		__atomic_fetch_sub(n_live, 1, __ATOMIC_SEQ_CST);
		fn(&entry, arg);
		taken++;
	}
	free(keys);
	return taken;
}
