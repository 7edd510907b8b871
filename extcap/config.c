/* config.c - --extcap-config: one "arg" sentence per dialog argument.
 * ipft's options come from its option table (tracer/cli/option_table.c):
 * type, choices, default, range and help become the argument's type,
 * values, default, validation and tooltip, and its group the tab. */
#include "extcap/steps.h"
#include "extcap/dialog.h"
#include "extcap/values.h"
#include "tracer/cli/cli_internal.h" /* ipft_option_range: the range as --help states it */

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Numbers the dialog's integer fields hold (Qt's validator is an int);
 * larger ones, and those written in hexadecimal, are text checked by
 * this pattern (C notation, as ipft reads them). */
#define INT_FIELD_MAX 2147483647.0
#define NUMBER_PATTERN "^(0[xX][0-9a-fA-F]+|[0-9]+)$"

static const char *const own_types[] = {
	[XC_ARG_STRING] = "string", [XC_ARG_UNSIGNED] = "unsigned",
	[XC_ARG_FILE] = "fileselect", [XC_ARG_FLAG] = "boolflag", [XC_ARG_RADIO] = "radio",
	[XC_ARG_RELOADED] = "selector",
};

static bool int_field(const struct ipft_option *o)
{
	return o->max <= INT_FIELD_MAX && !(o->def && strncmp(o->def, "0x", 2) == 0);
}

static const char *ipft_type(const struct ipft_option *o)
{
	switch (o->type) {
	case IPFT_OPT_FLAG:
		return "boolflag";
	case IPFT_OPT_ENUM:
		return "selector";
	case IPFT_OPT_DOUBLE:
		return "double";
	case IPFT_OPT_UINT:
		return int_field(o) ? "unsigned" : "string";
	case IPFT_OPT_STRING:
		break;
	}
	return "string";
}

/* "Max inflight (N)": the long name as words, and what it takes. */
static const char *display_name(const struct ipft_option *o, char *buf, size_t len)
{
	size_t n = 0;

	for (const char *s = o->name; *s && n + 1 < len; s++, n++)
		buf[n] = *s == '-' ? ' ' : s == o->name ? (char)toupper((unsigned char)*s) : *s;
	buf[n] = 0;
	if (o->arg && o->type != IPFT_OPT_ENUM)
		snprintf(buf + n, len - n, " (%s)", o->arg);
	return buf;
}

/* The help text and what --help adds to it: range, default. */
static const char *tooltip(const struct ipft_option *o, char *buf, size_t len)
{
	char range[128];
	int n = snprintf(buf, len, "%s", o->help);

	ipft_option_range(o, range, sizeof(range));
	if (n >= 0 && (size_t)n < len && range[0])
		n += snprintf(buf + n, len - (size_t)n, "; %s", range);
	if (n >= 0 && (size_t)n < len && o->def)
		snprintf(buf + n, len - (size_t)n, "; default %s", o->def);
	return buf;
}

static void print_limits(const struct ipft_option *o)
{
	char range[64];

	if (o->type == IPFT_OPT_DOUBLE || (o->type == IPFT_OPT_UINT && int_field(o))) {
		snprintf(range, sizeof(range), "%.15g,%.15g", o->min, o->max);
		xc_print_field("range", range);
	} else if (o->type == IPFT_OPT_UINT) {
		xc_print_field("validation", NUMBER_PATTERN);
	}
}

static void print_ipft_arg(int number, const struct ipft_option *o, const struct xc_values *v)
{
	char display[64], help[1024], call[64];

	snprintf(call, sizeof(call), "--%s", o->name);
	printf("arg {number=%d}", number);
	xc_print_field("call", call);
	xc_print_field("display", display_name(o, display, sizeof(display)));
	xc_print_field("type", ipft_type(o));
	xc_print_field("tooltip", tooltip(o, help, sizeof(help)));
	if (o->type != IPFT_OPT_ENUM)
		xc_print_field("default", o->def);
	print_limits(o);
	xc_print_field("group", ipft_option_groups[o->group].title);
	putchar('\n');
	if (o->type == IPFT_OPT_ENUM)
		xc_print_choices(v, number, o);
}

static void print_radio_values(int number, const struct xc_own_option *o)
{
	char choices[128];

	snprintf(choices, sizeof(choices), "%s", o->extra);
	for (char *c = strtok(choices, "|"); c; c = strtok(NULL, "|"))
		xc_print_value(number, c, c, o->def && strcmp(c, o->def) == 0);
}

static void print_own_arg(int number, const struct xc_dialog_arg *a)
{
	const struct xc_own_option *o = a->own;
	char call[64];

	snprintf(call, sizeof(call), "--%s", o->name);
	printf("arg {number=%d}", number);
	xc_print_field("call", call);
	xc_print_field("display", o->display);
	xc_print_field("type", own_types[o->kind]);
	xc_print_field("tooltip", o->tooltip);
	if (o->kind != XC_ARG_RADIO && o->kind != XC_ARG_RELOADED)
		xc_print_field("default", o->def);
	if (o->kind == XC_ARG_UNSIGNED)
		xc_print_field("range", o->extra);
	if (o->kind == XC_ARG_STRING)
		xc_print_field("placeholder", o->extra);
	if (o->kind == XC_ARG_RELOADED)
		printf("{reload=true}");
	if (o->required)
		printf("{required=true}");
	xc_print_field("group", o->tab ? o->tab : ipft_option_groups[a->ipft->group].title);
	putchar('\n');
	if (o->kind == XC_ARG_RADIO)
		print_radio_values(number, o);
	if (o->kind == XC_ARG_RELOADED)
		xc_print_value(number, "", "none (Reload lists them)", true);
}

int xc_print_config(const struct xc_request *rq)
{
	struct xc_dialog_arg args[XC_DIALOG_MAX];
	size_t n = xc_dialog_args(xc_iface_kind(rq->iface), args, XC_DIALOG_MAX);
	struct xc_values values;

	xc_values_init(&values, rq);
	for (size_t i = 0; i < n; i++) {
		if (args[i].own)
			print_own_arg((int)i, &args[i]);
		else
			print_ipft_arg((int)i, args[i].ipft, &values);
	}
	xc_values_free(&values);
	return 0;
}
