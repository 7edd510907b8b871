/* dialog.h - the arguments of the capture dialog, in their order: the
 * remote interface's connection settings, then ipft's options as its
 * option table groups them (one tab per group), then the rest of the
 * extcap's own settings.  An argument's number is its place here. */
#ifndef XC_DIALOG_H
#define XC_DIALOG_H

#include "extcap/own_options.h"
#include "tracer/cli/cli.h"

#include <stdbool.h>
#include <stddef.h>

struct xc_dialog_arg {
	const struct xc_own_option *own; /* an own setting, or NULL */
	const struct ipft_option *ipft;  /* an ipft option, or the one own is beside */
};

#define XC_DIALOG_MAX 64

/* The arguments the interface of this kind offers; how many. */
size_t xc_dialog_args(enum xc_iface kind, struct xc_dialog_arg *out, size_t max);
/* The number of the argument called NAME (without "--"), or -1. */
int xc_dialog_number(enum xc_iface kind, const char *name);
/* The name of an argument, without "--". */
const char *xc_dialog_name(const struct xc_dialog_arg *a);

/* One "value" line of a selector.  Text in braces is made safe. */
void xc_print_value(int arg, const char *value, const char *display, bool is_default);
/* {NAME=VALUE}, nothing when value is NULL. */
void xc_print_field(const char *name, const char *value);

#endif
