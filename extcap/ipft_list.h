/* ipft_list.h - what `ipft -l` says: the attach points, and which
 * backends work on the kernel it ran on. */
#ifndef XC_IPFT_LIST_H
#define XC_IPFT_LIST_H

#include "extcap/child.h"

#include <stdbool.h>
#include <stddef.h>

struct xc_attach_point {
	const char *type; /* "tracepoint", "function" */
	const char *name;
};

struct xc_backend_state {
	const char *name;
	bool works;
};

#define XC_BACKENDS_MAX 16

struct xc_ipft_list {
	struct xc_output raw; /* owns every string below */
	struct xc_attach_point *points;
	size_t n_points;
	struct xc_backend_state backends[XC_BACKENDS_MAX];
	size_t n_backends;
};

/* Runs argv (ipft -l, or ssh running it) and reads its listing: 0, or -1
 * with one line in err. */
int xc_ipft_list(const char *const argv[], struct xc_ipft_list *l, char *err, size_t len);
void xc_ipft_list_free(struct xc_ipft_list *l);

#endif
