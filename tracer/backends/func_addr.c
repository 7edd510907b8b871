/* func_addr.c - the traced functions' addresses from /proc/kallsyms. */
#include "tracer/backends/func_addr.h"
#include "tracer/kernel/kallsyms.h"

#include <stdlib.h>

int ipft_func_addrs(struct ipft_probe **probes, size_t n)
{
	struct ipft_kallsyms *k = ipft_kallsyms_load();
	const char **names = calloc(n ? n : 1, sizeof(*names));
	uint64_t *addrs = calloc(n ? n : 1, sizeof(*addrs));
	int rc = -1;

	if (names && addrs) {
		for (size_t i = 0; i < n; i++)
			names[i] = probes[i]->name;
		rc = ipft_kallsyms_addrs(k, names, n, addrs);
		for (size_t i = 0; rc == 0 && i < n; i++)
			probes[i]->addr = addrs[i];
	}
	free(names);
	free(addrs);
	ipft_kallsyms_free(k);
	return rc;
}
