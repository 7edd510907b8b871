/* no_backends.c - the backend table, empty, for the option table the
 * extcap links (tracer/cli/option_table.c names its -b choices from it).
 * The real table brings the whole BPF loader along; the extcap offers
 * instead the backends the installed ipft lists (`ipft -l`), which is
 * also what the dialog should show.  Once tracer/ keeps the backends'
 * names apart from their code, this file goes. */
#include "tracer/backends/backend.h"

const struct ipft_backend *const ipft_backends[] = { NULL };
