/* cli.h - the command line: one option table drives parsing, --help and
 * the checks; an extcap can build its configuration from the same table. */
#ifndef IPFT_CLI_H
#define IPFT_CLI_H

#include "tracer/cli/options.h"

enum ipft_option_type {
	IPFT_OPT_FLAG,   /* no argument */
	IPFT_OPT_UINT,   /* C notation: 0x hexadecimal, a leading 0 octal */
	IPFT_OPT_DOUBLE, /* decimal, e.g. seconds */
	IPFT_OPT_STRING,
	IPFT_OPT_ENUM,   /* one of choices() */
};

enum ipft_option_group {
	IPFT_GROUP_OUTPUT,
	IPFT_GROUP_TRACE,
	IPFT_GROUP_PACKETS,
	IPFT_GROUP_STOP,
	IPFT_GROUP_LIMITS,
	IPFT_GROUP_PROGRAM, /* -v, -V, -h */
	IPFT_N_GROUPS,
};

struct ipft_option_group_info {
	const char *title; /* NULL: shown without a heading */
	const char *note;  /* said after the title in --help, or NULL */
};

struct ipft_cli;            /* the parse in progress (cli_internal.h) */
struct ipft_option_value;

struct ipft_option {
	const char *name;   /* long name without "--"; NULL: the positional EXPRESSION */
	char letter;        /* short option, 0: none */
	const char *arg;    /* the argument's name in --help; NULL for a flag */
	enum ipft_option_type type;
	/* IPFT_OPT_ENUM: the values, NULL-terminated; a function because
	 * -b's come from the backend table */
	const char *const *(*choices)(void);
	const char *def;    /* the default as a user writes it; NULL: none, or it depends */
	double min, max;    /* IPFT_OPT_UINT, IPFT_OPT_DOUBLE: accepted range */
	enum ipft_option_group group;
	const char *help;   /* one paragraph, unwrapped */
	/* Stores a parsed, range-checked value: 0, 1 (done: help or version
	 * printed) or -1 (error printed). NULL for EXPRESSION. */
	int (*set)(struct ipft_cli *, const struct ipft_option *, const struct ipft_option_value *);
};

extern const struct ipft_option ipft_options[];
extern const size_t ipft_n_options;
extern const struct ipft_option_group_info ipft_option_groups[IPFT_N_GROUPS];

/* 0: run with cfg; 1: done (help/version printed); -1: error printed. */
int ipft_cli_parse(int argc, char **argv, struct ipft_config *cfg);
void ipft_cli_free(struct ipft_config *cfg);
/* The help of the sub-command ipft trim (tracer/trim/trim.h). */
extern const char ipft_trim_help[];

#endif
