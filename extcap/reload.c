/* reload.c - --extcap-reload-option: Reload beside the attach-point
 * selector lists what `ipft -l` lists, here or on the remote host (over
 * ssh, with the dialog's connection settings). */
#include "extcap/steps.h"
#include "extcap/command.h"
#include "extcap/dialog.h"
#include "extcap/ipft_list.h"
#include "extcap/own_options.h"

#include <stdio.h>
#include <string.h>

static int list_points(const struct xc_request *rq, struct xc_ipft_list *l, char *err, size_t len)
{
	struct xc_command cmd;
	int rc;

	if (xc_iface_kind(rq->iface) == XC_REMOTE)
		rc = xc_command_remote(rq, XC_TASK_LIST, &cmd, err, len);
	else
		rc = xc_command_local(rq, XC_TASK_LIST, &cmd);
	if (rc == 0)
		rc = xc_ipft_list(cmd.argv, l, err, len);
	xc_command_free(&cmd);
	return rc;
}

/* Each point as an exact match: -r takes a regular expression. */
static void print_points(int number, const struct xc_ipft_list *l)
{
	char value[256], display[256];

	for (size_t i = 0; i < l->n_points; i++) {
		snprintf(value, sizeof(value), "^%s$", l->points[i].name);
		snprintf(display, sizeof(display), "%s (%s)", l->points[i].name, l->points[i].type);
		xc_print_value(number, value, display, false);
	}
}

int xc_print_reload(const struct xc_request *rq)
{
	const char *name = strncmp(rq->reload, "--", 2) == 0 ? rq->reload + 2 : rq->reload;
	const struct xc_own_option *o = xc_own_option_find(name);
	int number = xc_dialog_number(xc_iface_kind(rq->iface), name);
	struct xc_ipft_list l;
	char err[512], display[600];

	if (!o || number < 0 || o->kind != XC_ARG_RELOADED)
		return 0;
	if (list_points(rq, &l, err, sizeof(err)) < 0) {
		/* The dialog shows values only: the error becomes one. */
		snprintf(display, sizeof(display), "cannot list the attach points: %s", err);
		xc_print_value(number, "", display, true);
		return 0;
	}
	print_points(number, &l);
	xc_ipft_list_free(&l);
	return 0;
}
