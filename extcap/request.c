/* request.c - Wireshark's command line to ipft-extcap, read into a
 * struct xc_request.  Every option is long ("--NAME VALUE" or
 * "--NAME=VALUE"): the protocol's own, the extcap's settings
 * (own_options.c) and the ipft options it forwards (forwarded.c). */
#include "extcap/request.h"
#include "extcap/forwarded.h"
#include "extcap/own_options.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Options that choose the step. */
static const struct {
	const char *name;
	enum xc_step step;
} step_options[] = {
	{ "extcap-interfaces", XC_STEP_INTERFACES },
	{ "extcap-dlts", XC_STEP_DLTS },
	{ "extcap-config", XC_STEP_CONFIG },
	{ "capture", XC_STEP_CAPTURE },
	{ "version", XC_STEP_VERSION },
	{ "help", XC_STEP_HELP },
};

#define RQ(f) offsetof(struct xc_request, f)

/* Options of the protocol that carry a value. */
static const struct {
	const char *name;
	size_t field; /* SIZE_MAX: read and ignored */
} protocol_values[] = {
	{ "extcap-interface", RQ(iface) },
	{ "extcap-capture-filter", RQ(capture_filter) },
	{ "fifo", RQ(fifo) },
	{ "extcap-control-in", RQ(control_in) },
	{ "extcap-control-out", RQ(control_out) },
	{ "extcap-reload-option", RQ(reload) },
	{ "extcap-version", SIZE_MAX },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum xc_iface xc_iface_kind(const char *name)
{
	if (name && strcmp(name, XC_IFACE_LOCAL) == 0)
		return XC_LOCAL;
	if (name && strcmp(name, XC_IFACE_REMOTE) == 0)
		return XC_REMOTE;
	return 0;
}

/* One option being read: its name, and its value once taken. */
struct cursor {
	int argc, i;
	char **argv;
	char name[64];
	const char *inline_value; /* after '=', or NULL */
};

static int take_value(struct cursor *c, const char **value, char *err, size_t len)
{
	if (c->inline_value) {
		*value = c->inline_value;
		return 0;
	}
	if (c->i + 1 >= c->argc) {
		snprintf(err, len, "--%s needs a value", c->name);
		return -1;
	}
	*value = c->argv[++c->i];
	return 0;
}

static bool step_option(struct xc_request *rq, const char *name)
{
	for (size_t k = 0; k < N(step_options); k++)
		if (strcmp(name, step_options[k].name) == 0) {
			/* --extcap-config with --capture never comes; the step named last wins. */
			rq->step = step_options[k].step;
			return true;
		}
	return false;
}

/* 1: a protocol value was read, 0: not one, -1: error. */
static int protocol_value(struct xc_request *rq, struct cursor *c, char *err, size_t len)
{
	const char *v;

	for (size_t k = 0; k < N(protocol_values); k++) {
		if (strcmp(c->name, protocol_values[k].name) != 0)
			continue;
		if (take_value(c, &v, err, len) < 0)
			return -1;
		if (protocol_values[k].field != SIZE_MAX)
			*(const char **)((char *)rq + protocol_values[k].field) = v;
		return 1;
	}
	return 0;
}

static int own_value(struct xc_request *rq, struct cursor *c, char *err, size_t len)
{
	const struct xc_own_option *o = xc_own_option_find(c->name);

	if (!o)
		return 0;
	if (o->kind == XC_ARG_FLAG) {
		*xc_own_value(&rq->set, o) = "";
		return 1;
	}
	return take_value(c, xc_own_value(&rq->set, o), err, len) < 0 ? -1 : 1;
}

static int forward_value(struct xc_request *rq, struct cursor *c, char *err, size_t len)
{
	const struct ipft_option *o = xc_forwarded_find(c->name);
	struct xc_forward *f;

	if (!o)
		return 0;
	if (rq->n_fwd == XC_FORWARD_MAX) {
		snprintf(err, len, "too many options");
		return -1;
	}
	f = &rq->fwd[rq->n_fwd++];
	f->name = o->name;
	f->value = NULL;
	if (o->type != IPFT_OPT_FLAG && take_value(c, &f->value, err, len) < 0)
		return -1;
	/* The dialog sends an emptied field as an empty value, and every
	 * default: ipft is left to its own (--mask alone is refused). */
	if (f->value && (!f->value[0] || (o->def && strcmp(f->value, o->def) == 0)))
		rq->n_fwd--;
	return 1;
}

/* Splits argv[c->i] into name and inline value. */
static int read_name(struct cursor *c, char *err, size_t len)
{
	const char *arg = c->argv[c->i], *eq;
	size_t n;

	if (strncmp(arg, "--", 2) != 0) {
		snprintf(err, len, "unexpected argument '%.64s' (every option is --NAME)", arg);
		return -1;
	}
	eq = strchr(arg + 2, '=');
	n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	if (n >= sizeof(c->name)) {
		snprintf(err, len, "unknown option '%.64s'", arg);
		return -1;
	}
	memcpy(c->name, arg + 2, n);
	c->name[n] = 0;
	c->inline_value = eq ? eq + 1 : NULL;
	return 0;
}

static int read_option(struct xc_request *rq, struct cursor *c, char *err, size_t len)
{
	int rc;

	if (read_name(c, err, len) < 0)
		return -1;
	if (step_option(rq, c->name))
		return 0;
	if ((rc = protocol_value(rq, c, err, len)) != 0 || (rc = own_value(rq, c, err, len)) != 0 ||
	    (rc = forward_value(rq, c, err, len)) != 0)
		return rc < 0 ? -1 : 0;
	/* Later Wireshark versions may add protocol options: not an error. */
	if (strncmp(c->name, "extcap-", 7) == 0)
		return 0;
	snprintf(err, len, "unknown option --%s", c->name);
	return -1;
}

/* The step follows from more than one option: a reload is a config
 * call, a filter check is a filter without a capture. */
static int settle_step(struct xc_request *rq, char *err, size_t len)
{
	if (rq->step == XC_STEP_CONFIG && rq->reload)
		rq->step = XC_STEP_RELOAD;
	if (rq->step == XC_STEP_NONE && rq->capture_filter)
		rq->step = XC_STEP_FILTER_CHECK;
	switch (rq->step) {
	case XC_STEP_NONE:
		snprintf(err, len, "nothing to do: ipft-extcap is started by Wireshark (see --help)");
		return -1;
	case XC_STEP_INTERFACES:
	case XC_STEP_VERSION:
	case XC_STEP_HELP:
		return 0;
	default:
		break;
	}
	if (!xc_iface_kind(rq->iface)) {
		snprintf(err, len, "--extcap-interface must be %s or %s", XC_IFACE_LOCAL,
			 XC_IFACE_REMOTE);
		return -1;
	}
	if (rq->step == XC_STEP_CAPTURE && !rq->fifo) {
		snprintf(err, len, "--capture needs --fifo PATH");
		return -1;
	}
	return 0;
}

/* The attach point chosen from the list is traced too: -r takes one
 * expression, so it joins the one typed as an alternative. */
static int join_attach_point(struct xc_request *rq, char *err, size_t len)
{
	const char *point = rq->set.attach_point;
	struct xc_forward *regex = NULL;

	if (!point || !point[0])
		return 0;
	for (size_t i = 0; i < rq->n_fwd; i++)
		if (strcmp(rq->fwd[i].name, "regex") == 0)
			regex = &rq->fwd[i];
	if (!regex) {
		if (rq->n_fwd == XC_FORWARD_MAX) {
			snprintf(err, len, "too many options");
			return -1;
		}
		regex = &rq->fwd[rq->n_fwd++];
		*regex = (struct xc_forward){ .name = "regex", .value = point };
		return 0;
	}
	snprintf(rq->regex, sizeof(rq->regex), "(%s)|(%s)", regex->value, point);
	regex->value = rq->regex;
	return 0;
}

int xc_request_parse(int argc, char **argv, struct xc_request *rq, char *err, size_t len)
{
	struct cursor c = { .argc = argc, .argv = argv };

	memset(rq, 0, sizeof(*rq));
	for (c.i = 1; c.i < argc; c.i++)
		if (read_option(rq, &c, err, len) < 0)
			return -1;
	if (join_attach_point(rq, err, len) < 0)
		return -1;
	return settle_step(rq, err, len);
}
