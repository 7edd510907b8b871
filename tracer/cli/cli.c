/* cli.c - ipft's command line, parsed as the option table
 * (option_table.c) says: getopt from the table, values checked by their
 * type and range, then the checks that involve several options. */
#include "tracer/cli/cli_internal.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long returns this plus the table index for every long option,
 * above any short letter. */
#define LONG_OPTION 256

const char *ipft_cli_echo(const char *arg, char *buf, size_t len)
{
	size_t n;

	for (n = 0; arg[n] && n < IPFT_ECHO_MAX && n + 4 < len; n++)
		buf[n] = iscntrl((unsigned char)arg[n]) ? '?' : arg[n];
	snprintf(buf + n, len - n, "%s", arg[n] ? "..." : "");
	return buf;
}

int ipft_cli_usage(const char *msg, const char *arg)
{
	char echo[IPFT_ECHO_MAX + 4];

	fprintf(stderr, "ipft: ");
	fprintf(stderr, msg, ipft_cli_echo(arg, echo, sizeof(echo)));
	fprintf(stderr, " (see ipft --help)\n");
	return -1;
}

int ipft_cli_bad(const struct ipft_option *o, const char *arg, const char *why)
{
	char echo[IPFT_ECHO_MAX + 4];

	fprintf(stderr, "ipft: bad --%s '%s': %s (see ipft --help)\n", o->name,
		ipft_cli_echo(arg, echo, sizeof(echo)), why);
	return -1;
}

const char *ipft_option_range(const struct ipft_option *o, char *buf, size_t len)
{
	buf[0] = 0;
	if (o->type == IPFT_OPT_DOUBLE)
		snprintf(buf, len, "%g to %g", o->min, o->max);
	else if (o->type == IPFT_OPT_UINT && o->max == UINT32_MAX)
		snprintf(buf, len, "%.0f to 0xffffffff", o->min);
	else if (o->type == IPFT_OPT_UINT && o->max == (double)UINT64_MAX)
		snprintf(buf, len, "at least %.0f", o->min);
	else if (o->type == IPFT_OPT_UINT)
		snprintf(buf, len, "%.0f to %.0f", o->min, o->max);
	return buf;
}

const char *ipft_option_choices(const struct ipft_option *o, char *buf, size_t len)
{
	const char *const *c = o->choices();

	buf[0] = 0;
	for (size_t i = 0; c[i]; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			 i == 0 ? "" : c[i + 1] ? ", " : " or ", c[i]);
	return buf;
}

/* Numbers start with a digit: strtoull would take " -1" as 2^64 - 1,
 * strtod "inf" and "nan". */
static int parse_uint(const struct ipft_option *o, const char *s, uint64_t *v)
{
	char range[64], why[96], *end;

	if (isdigit((unsigned char)s[0])) {
		errno = 0;
		*v = strtoull(s, &end, 0);
		if (!errno && !*end && *v >= o->min && *v <= o->max)
			return 0;
		if (s[0] == '0' && isdigit((unsigned char)s[1]) && *end)
			return ipft_cli_bad(o, s, "a leading 0 makes an octal number: leave it out");
	}
	snprintf(why, sizeof(why), "expected a number, %s", ipft_option_range(o, range, sizeof(range)));
	return ipft_cli_bad(o, s, why);
}

static int parse_double(const struct ipft_option *o, const char *s, double *v)
{
	char range[64], why[96], *end;

	if (isdigit((unsigned char)s[0]) || s[0] == '.') {
		errno = 0;
		*v = strtod(s, &end);
		if (!errno && !*end && *v >= o->min && *v <= o->max)
			return 0;
	}
	snprintf(why, sizeof(why), "expected a number, %s", ipft_option_range(o, range, sizeof(range)));
	return ipft_cli_bad(o, s, why);
}

static int parse_choice(const struct ipft_option *o, const char *s, size_t *i)
{
	const char *const *c = o->choices();
	char list[256], why[300];

	for (*i = 0; c[*i]; (*i)++)
		if (strcmp(s, c[*i]) == 0)
			return 0;
	snprintf(why, sizeof(why), "choose %s", ipft_option_choices(o, list, sizeof(list)));
	return ipft_cli_bad(o, s, why);
}

/* ARG as O's type says, within O's range; -1: refused (said why). */
static int parse_value(const struct ipft_option *o, const char *arg, struct ipft_option_value *v)
{
	memset(v, 0, sizeof(*v));
	v->text = arg;
	switch (o->type) {
	case IPFT_OPT_UINT:
		return parse_uint(o, arg, &v->u);
	case IPFT_OPT_DOUBLE:
		return parse_double(o, arg, &v->d);
	case IPFT_OPT_ENUM:
		return parse_choice(o, arg, &v->choice);
	default:
		return 0;
	}
}

/* The table's defaults go through the same setters as typed values. */
static int apply_defaults(struct ipft_cli *cli)
{
	struct ipft_option_value v;

	for (size_t i = 0; i < ipft_n_options; i++) {
		const struct ipft_option *o = &ipft_options[i];
		int rc;

		if (!o->def || !o->set)
			continue;
		rc = parse_value(o, o->def, &v);
		if (rc == 0)
			rc = o->set(cli, o, &v);
		if (rc)
			return rc;
	}
	return 0;
}

/* A value given twice is refused rather than one silently winning (or,
 * for the shortcuts, the filter silently widening or narrowing). */
static int take_option(struct ipft_cli *cli, const struct ipft_option *o, const char *arg)
{
	struct ipft_option_value v = { .text = arg };
	size_t i = (size_t)(o - ipft_options);

	if (cli->given[i] && o->arg) {
		fprintf(stderr, "ipft: --%s given twice: give it once (see ipft --help)\n", o->name);
		return -1;
	}
	cli->given[i] = true;
	if (o->arg && parse_value(o, arg, &v) < 0)
		return -1;
	return o->set(cli, o, &v);
}

static void build_getopt(struct option *longopts, char *shortopts)
{
	size_t n = 0;

	*shortopts++ = ':'; /* ':' for a missing value, '?' for the unknown */
	for (size_t i = 0; i < ipft_n_options; i++) {
		const struct ipft_option *o = &ipft_options[i];

		if (!o->name)
			continue;
		longopts[n++] = (struct option){ o->name, o->arg ? required_argument : no_argument,
						 NULL, LONG_OPTION + (int)i };
		if (o->letter) {
			*shortopts++ = o->letter;
			if (o->arg)
				*shortopts++ = ':';
		}
	}
	longopts[n] = (struct option){ 0 };
	*shortopts = 0;
}

static const struct ipft_option *option_of(int c)
{
	if (c >= LONG_OPTION)
		return &ipft_options[c - LONG_OPTION];
	for (size_t i = 0; i < ipft_n_options; i++)
		if (ipft_options[i].letter && ipft_options[i].letter == c)
			return &ipft_options[i];
	return NULL;
}

/* getopt_long takes any unique prefix of a long name; "--ma" names
 * several: say which, rather than "unknown". */
static bool ambiguous(const char *arg, char *buf, size_t len)
{
	size_t n = strcspn(arg + 2, "="), found = 0;

	buf[0] = 0;
	for (size_t i = 0; n && i < ipft_n_options; i++) {
		const char *name = ipft_options[i].name;

		if (strncmp(arg, "--", 2) || !name || strncmp(name, arg + 2, n))
			continue;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s--%s", found++ ? ", " : "", name);
	}
	return found > 1;
}

/* getopt's ':' or '?': optopt names the option when getopt knows it. */
static int getopt_error(int c, char **argv)
{
	char name[IPFT_ECHO_MAX + 3], echo[IPFT_ECHO_MAX + 4], candidates[256];

	if (optopt >= LONG_OPTION)
		snprintf(name, sizeof(name), "--%s", ipft_options[optopt - LONG_OPTION].name);
	else if (optopt)
		snprintf(name, sizeof(name), "-%c", optopt);
	else
		snprintf(name, sizeof(name), "%s", argv[optind - 1]);
	if (c == ':')
		return ipft_cli_usage("option '%s' needs a value", name);
	if (optopt >= LONG_OPTION)
		return ipft_cli_usage("option '%s' takes no value", name);
	if (ambiguous(name, candidates, sizeof(candidates))) {
		fprintf(stderr, "ipft: option '%s' is ambiguous: %s?\n",
			ipft_cli_echo(name, echo, sizeof(echo)), candidates);
		return -1;
	}
	return ipft_cli_usage("unknown option '%s'", name);
}

static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* The rest of the command line is one pcap-filter expression, as with
 * tcpdump; the shortcut terms are ANDed with it. */
static int build_filter(struct ipft_cli *cli, int argc, char **argv)
{
	char *rest, *expr;
	size_t len;

	if (argc == 0 && cli->n_terms == 0)
		return 0;
	rest = argc ? join_args(argc, argv) : NULL;
	len = (rest ? strlen(rest) : 0) + 8 + (size_t)cli->n_terms * (sizeof(cli->terms[0]) + 5);
	expr = calloc(1, len);
	if (!expr || (argc && !rest)) {
		free(rest);
		free(expr);
		return ipft_cli_usage("%s", "out of memory");
	}
	for (int i = 0; i < cli->n_terms; i++)
		snprintf(expr + strlen(expr), len - strlen(expr), "%s%s", i ? " and " : "", cli->terms[i]);
	if (rest)
		snprintf(expr + strlen(expr), len - strlen(expr), cli->n_terms ? " and (%s)" : "%s", rest);
	free(rest);
	cli->cfg->filter_expr = expr;
	return 0;
}

static bool given(const struct ipft_cli *cli, const char *name)
{
	for (size_t i = 0; i < ipft_n_options; i++)
		if (ipft_options[i].name && strcmp(ipft_options[i].name, name) == 0)
			return cli->given[i];
	return false;
}

/* fentry is the backend that traces returns: -b fentry is a graph. */
static int check_tracer(const struct ipft_cli *cli)
{
	struct ipft_config *cfg = cli->cfg;

	if (strcmp(cfg->backend, "fentry") == 0) {
		if (given(cli, "tracer") && !cfg->function_graph)
			return ipft_cli_usage("-b %s traces entries and returns: use it with -t "
					      "function_graph", cfg->backend);
		cfg->function_graph = true;
	} else if (cfg->function_graph && strcmp(cfg->backend, "auto") != 0) {
		return ipft_cli_usage("-t function_graph needs returns, which -b %s does not trace: "
				      "use -b fentry (or auto)", cfg->backend);
	}
	return 0;
}

static int check_combinations(const struct ipft_cli *cli)
{
	struct ipft_config *cfg = cli->cfg;

	if (check_tracer(cli) < 0)
		return -1;
	if (!given(cli, "output") && !cfg->write_path)
		cfg->format = IPFT_OUT_AGGREGATE;
	if (cfg->write_path && strcmp(cfg->write_path, "-") == 0 && cfg->format != IPFT_OUT_NONE)
		return ipft_cli_usage("%s", "-w - and -o both want stdout: choose one");
	if (cfg->trace_blocks && !cfg->write_path)
		return ipft_cli_usage("%s", "--trace-blocks needs -w");
	if (cfg->headers_only && !cfg->write_path)
		return ipft_cli_usage("%s", "--headers-only needs -w (the other outputs hold no payload)");
	if (cfg->stack_at && !(cfg->collect & IPFT_COLLECT_STACK))
		return ipft_cli_usage("%s", "--stack-at needs the stack collector: -x ...,stack");
	if (given(cli, "mask") && !cfg->mark_set)
		return ipft_cli_usage("%s", "--mask needs -m: it masks the mark -m compares");
	return 0;
}

/* Accepted, but worth one line: what was named may not exist (yet). Said
 * only once every check has passed, so that a refusal stays one line. */
static void warn_unseen(struct ipft_cli *cli)
{
	struct ipft_config *cfg = cli->cfg;
	char echo[IPFT_ECHO_MAX + 4];

	if (cfg->list) /* -l traces nothing */
		return;
	if (cfg->netns && !cli->netns_path[0] &&
	    !ipft_netns_known(cfg->netns, cli->netns_path, sizeof(cli->netns_path)))
		fprintf(stderr, "ipft: warning: no process or /run/netns entry is in network "
			"namespace %u: tracing it anyway\n", cfg->netns);
	if (cfg->ifname[0] && ipft_device_missing(cfg->ifname, cli->netns_path))
		fprintf(stderr, "ipft: warning: no device '%s' in %s now: ipft traces one of "
			"that name if it appears\n", ipft_cli_echo(cfg->ifname, echo, sizeof(echo)),
			cfg->netns ? "that network namespace" : "ipft's network namespace");
}

static int parse_options(struct ipft_cli *cli, int argc, char **argv)
{
	struct option longopts[IPFT_OPTIONS_MAX + 1];
	char shortopts[2 * IPFT_OPTIONS_MAX + 2];
	int c, rc;

	build_getopt(longopts, shortopts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct ipft_option *o = c == ':' || c == '?' ? NULL : option_of(c);

		rc = o ? take_option(cli, o, optarg) : getopt_error(c, argv);
		if (rc)
			return rc;
	}
	return 0;
}

int ipft_cli_parse(int argc, char **argv, struct ipft_config *cfg)
{
	struct ipft_cli cli = { .cfg = cfg };
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	rc = apply_defaults(&cli);
	if (rc == 0)
		rc = parse_options(&cli, argc, argv);
	if (rc == 0)
		rc = build_filter(&cli, argc - optind, argv + optind);
	if (rc == 0)
		rc = check_combinations(&cli);
	if (rc) {
		ipft_cli_free(cfg);
		return rc;
	}
	warn_unseen(&cli);
	cfg->cmdline = join_args(argc, argv);
	return 0;
}

void ipft_cli_free(struct ipft_config *cfg)
{
	free((char *)cfg->filter_expr);
	free(cfg->cmdline);
	cfg->filter_expr = NULL;
	cfg->cmdline = NULL;
}
