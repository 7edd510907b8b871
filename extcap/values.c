/* values.c - selector values: an enum option's choices from the option
 * table, the backends from `ipft -l`. */
#include "extcap/values.h"
#include "extcap/command.h"
#include "extcap/dialog.h"

#include <stdio.h>
#include <string.h>

void xc_values_init(struct xc_values *v, const struct xc_request *rq)
{
	struct xc_request local = *rq;
	struct xc_command cmd;
	char err[256];

	memset(v, 0, sizeof(*v));
	local.iface = XC_IFACE_LOCAL;
	v->local = xc_iface_kind(rq->iface) == XC_LOCAL;
	if (xc_command_local(&local, XC_TASK_LIST, &cmd) == 0)
		v->listed = xc_ipft_list(cmd.argv, &v->list, err, sizeof(err)) == 0;
	xc_command_free(&cmd);
}

void xc_values_free(struct xc_values *v)
{
	if (v->listed)
		xc_ipft_list_free(&v->list);
	v->listed = false;
}

/* -b: auto, then each backend ipft knows; here, whether it works. */
static void print_backends(const struct xc_values *v, int number, const struct ipft_option *o)
{
	char display[128];

	xc_print_value(number, "auto", "auto: the best this kernel allows", true);
	for (size_t i = 0; v->listed && i < v->list.n_backends; i++) {
		const struct xc_backend_state *b = &v->list.backends[i];
		if (v->local)
			snprintf(display, sizeof(display), "%s%s", b->name,
				 b->works ? "" : " (not on this kernel)");
		else
			snprintf(display, sizeof(display), "%s", b->name);
		xc_print_value(number, b->name, display, o->def && strcmp(o->def, b->name) == 0);
	}
}

void xc_print_choices(const struct xc_values *v, int number, const struct ipft_option *o)
{
	const char *const *c = o->choices();

	if (strcmp(o->name, "backend") == 0) {
		print_backends(v, number, o);
		return;
	}
	/* No default: ipft's own behaviour, which is not to filter. */
	if (!o->def)
		xc_print_value(number, "", "any", true);
	for (; *c; c++)
		xc_print_value(number, *c, *c, o->def && strcmp(o->def, *c) == 0);
}
