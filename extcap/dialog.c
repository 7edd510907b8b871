/* dialog.c - the order of the dialog's arguments, and the braces of the
 * extcap sentences. */
#include "extcap/dialog.h"
#include "extcap/forwarded.h"

#include <stdio.h>
#include <string.h>

static size_t add(struct xc_dialog_arg *out, size_t n, size_t max, const struct xc_own_option *own,
		  const struct ipft_option *ipft)
{
	if (n < max)
		out[n] = (struct xc_dialog_arg){ .own = own, .ipft = ipft };
	return n + 1;
}

static size_t add_own(enum xc_iface kind, bool connection, struct xc_dialog_arg *out, size_t n,
		      size_t max)
{
	for (size_t i = 0; i < xc_n_own_options; i++) {
		const struct xc_own_option *o = &xc_own_options[i];
		/* The settings only the remote interface has: how to get there. */
		bool is_connection = o->ifaces == XC_REMOTE;
		if ((o->ifaces & kind) && !o->beside && is_connection == connection)
			n = add(out, n, max, o, NULL);
	}
	return n;
}

/* An ipft option, and the own settings shown beside it. */
static size_t add_ipft(enum xc_iface kind, const struct ipft_option *o, struct xc_dialog_arg *out,
		       size_t n, size_t max)
{
	n = add(out, n, max, NULL, o);
	for (size_t i = 0; i < xc_n_own_options; i++) {
		const struct xc_own_option *own = &xc_own_options[i];
		if ((own->ifaces & kind) && own->beside && strcmp(own->beside, o->name) == 0)
			n = add(out, n, max, own, o);
	}
	return n;
}

size_t xc_dialog_args(enum xc_iface kind, struct xc_dialog_arg *out, size_t max)
{
	size_t n = add_own(kind, true, out, 0, max);

	for (int g = 0; g < IPFT_N_GROUPS; g++)
		for (size_t i = 0; i < ipft_n_options; i++)
			if (ipft_options[i].group == (enum ipft_option_group)g &&
			    xc_forwarded(&ipft_options[i]))
				n = add_ipft(kind, &ipft_options[i], out, n, max);
	n = add_own(kind, false, out, n, max);
	return n < max ? n : max;
}

const char *xc_dialog_name(const struct xc_dialog_arg *a)
{
	return a->own ? a->own->name : a->ipft->name;
}

int xc_dialog_number(enum xc_iface kind, const char *name)
{
	struct xc_dialog_arg args[XC_DIALOG_MAX];
	size_t n = xc_dialog_args(kind, args, XC_DIALOG_MAX);

	if (strncmp(name, "--", 2) == 0)
		name += 2;
	for (size_t i = 0; i < n; i++)
		if (strcmp(xc_dialog_name(&args[i]), name) == 0)
			return (int)i;
	return -1;
}

/* Braces end a field and newlines a sentence: neither may appear inside. */
void xc_print_field(const char *name, const char *value)
{
	if (!value)
		return;
	printf("{%s=", name);
	for (; *value; value++)
		putchar(*value == '{' ? '(' : *value == '}' ? ')' : *value == '\n' ? ' ' : *value);
	putchar('}');
}

void xc_print_value(int arg, const char *value, const char *display, bool is_default)
{
	printf("value {arg=%d}", arg);
	xc_print_field("value", value);
	xc_print_field("display", display);
	if (is_default)
		printf("{default=true}");
	putchar('\n');
}
