/* forwarded.h - which of ipft's options (its option table,
 * tracer/cli/option_table.c) the capture dialog offers and ipft-extcap
 * passes on to ipft unchanged. */
#ifndef XC_FORWARDED_H
#define XC_FORWARDED_H

#include "tracer/cli/cli.h"

#include <stdbool.h>

/* Whether the dialog offers o: every option of the table except those
 * the extcap decides itself (output, -l, -v, ...) and EXPRESSION, which
 * is Wireshark's capture filter. */
bool xc_forwarded(const struct ipft_option *o);
/* The offered option called NAME, or NULL. */
const struct ipft_option *xc_forwarded_find(const char *name);

#endif
