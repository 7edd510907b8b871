/* own_options.h - the settings ipft-extcap takes for itself, apart from
 * the ipft options it forwards: each one is both a command-line option
 * (--NAME VALUE) and an argument of Wireshark's capture dialog. */
#ifndef XC_OWN_OPTIONS_H
#define XC_OWN_OPTIONS_H

#include "extcap/request.h"

enum xc_arg_kind {
	XC_ARG_STRING,
	XC_ARG_UNSIGNED, /* extra: "MIN,MAX" */
	XC_ARG_FILE,     /* a file chosen in the dialog */
	XC_ARG_FLAG,     /* no value: given or not */
	XC_ARG_RADIO,    /* extra: the choices, "a|b" */
	XC_ARG_RELOADED, /* a selector filled by the extcap on Reload */
};

struct xc_own_option {
	const char *name;       /* without "--" */
	enum xc_arg_kind kind;
	unsigned ifaces;        /* XC_LOCAL | XC_REMOTE: where it is offered */
	const char *tab;        /* the dialog tab; NULL: beside's */
	const char *display;
	const char *tooltip;
	const char *def;        /* NULL: none */
	const char *extra;      /* see enum xc_arg_kind; string: a placeholder */
	bool required;
	const char *beside;     /* shown right after this ipft option, or NULL */
	size_t field;           /* offsetof(struct xc_settings, ...) */
};

extern const struct xc_own_option xc_own_options[];
extern const size_t xc_n_own_options;

/* The option called NAME, or NULL. */
const struct xc_own_option *xc_own_option_find(const char *name);
/* Where the value of o is kept in s. */
const char **xc_own_value(struct xc_settings *s, const struct xc_own_option *o);

#endif
