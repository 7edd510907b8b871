/* cli_internal.h - what the parts of the command line share. */
#ifndef IPFT_CLI_INTERNAL_H
#define IPFT_CLI_INTERNAL_H

#include "tracer/cli/cli.h"

#include <limits.h>

#define IPFT_OPTIONS_MAX 40  /* entries of ipft_options[] (checked there) */
#define IPFT_SHORTCUTS 5     /* --proto --saddr --daddr --sport --dport */
#define IPFT_ECHO_MAX 64     /* an error quotes at most this much of an argument */

struct ipft_option_value {
	const char *text; /* as typed */
	uint64_t u;       /* IPFT_OPT_UINT */
	double d;         /* IPFT_OPT_DOUBLE */
	size_t choice;    /* IPFT_OPT_ENUM: index in choices() */
};

struct ipft_cli {
	struct ipft_config *cfg;
	bool given[IPFT_OPTIONS_MAX];   /* by table index: typed by the user */
	char terms[IPFT_SHORTCUTS][64]; /* pcap-filter terms of the shortcuts */
	int n_terms;
	char netns_path[PATH_MAX];      /* a file of the --netns namespace, if known */
};

/* "ipft: bad --NAME 'ARG': WHY (see ipft --help)"; returns -1. */
int ipft_cli_bad(const struct ipft_option *o, const char *arg, const char *why);
/* "ipft: MSG (see ipft --help)", where MSG's one %s shows ARG, shortened
 * and on one line; returns -1. */
int ipft_cli_usage(const char *msg, const char *arg);
/* ARG as an error quotes it: at most IPFT_ECHO_MAX bytes, control
 * characters as '?' (one line whatever was typed). */
const char *ipft_cli_echo(const char *arg, char *buf, size_t len);
/* The accepted range as --help and errors state it ("1 to 1024"), or "". */
const char *ipft_option_range(const struct ipft_option *o, char *buf, size_t len);
/* An IPFT_OPT_ENUM's values: "aggregate or json". */
const char *ipft_option_choices(const struct ipft_option *o, char *buf, size_t len);

/* help.c */
void ipft_cli_help(void);

/* netns.c: what --netns and -i name. */
int ipft_netns_inode(const char *arg, uint32_t *inode, char *path, size_t path_len,
		     char *why, size_t why_len);
bool ipft_netns_known(uint32_t inode, char *path, size_t len);
bool ipft_device_missing(const char *ifname, const char *netns_path);

#endif
