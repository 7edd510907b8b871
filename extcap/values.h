/* values.h - the values of the dialog's selectors: the table's choices,
 * and what the installed ipft lists (its backends, its attach points). */
#ifndef XC_VALUES_H
#define XC_VALUES_H

#include "extcap/ipft_list.h"
#include "extcap/request.h"
#include "tracer/cli/cli.h"

#include <stdbool.h>

struct xc_values {
	struct xc_ipft_list list; /* the local ipft's -l, when it ran */
	bool listed;
	bool local;               /* the list is of the kernel being traced */
};

/* Runs the local ipft's -l for its backends; without it the backend
 * selector offers auto only. */
void xc_values_init(struct xc_values *v, const struct xc_request *rq);
void xc_values_free(struct xc_values *v);

/* The "value" sentences of an IPFT_OPT_ENUM option, argument number. */
void xc_print_choices(const struct xc_values *v, int number, const struct ipft_option *o);

#endif
