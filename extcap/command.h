/* command.h - the command lines ipft-extcap runs: ipft here, or ssh
 * running a short sh script that starts ipft on the server. */
#ifndef XC_COMMAND_H
#define XC_COMMAND_H

#include "extcap/request.h"

#include <stddef.h>

/* The oldest ipft the extcap drives: -w - flushed per packet, every stop
 * signal ending a run with its statistics, USR1 printing the counters. */
#define XC_IPFT_MIN_VERSION "0.1.0"

/* The remote script's lines on stderr start with this. */
#define XC_REMOTE_TAG "ipft-extcap-remote: "

#define XC_ARGV_MAX 160

struct xc_command {
	const char *argv[XC_ARGV_MAX + 1]; /* NULL-terminated */
	size_t n;
	char *script; /* remote: the sh script (owned) */
	char *split;  /* remote: --ssh-options cut into words (owned) */
	char flags[XC_FORWARD_MAX][40]; /* local: "--NAME" of each forwarded option */
};

enum xc_task { XC_TASK_TRACE, XC_TASK_LIST };

/* ipft on this host: `ipft -v -w - OPTIONS [FILTER]`, or `ipft -l`. */
int xc_command_local(const struct xc_request *rq, enum xc_task task, struct xc_command *c);
/* ssh HOST SCRIPT, where the script finds ipft, checks its version and
 * runs it; for a trace the SSH connection itself is left out of the
 * filter unless --trace-transport.  0, or -1 with one line in err. */
int xc_command_remote(const struct xc_request *rq, enum xc_task task, struct xc_command *c,
		      char *err, size_t len);
void xc_command_free(struct xc_command *c);

/* The program that runs: the ipft path, or "ssh". */
const char *xc_command_program(const struct xc_request *rq);

#endif
