/* child.h - the programs ipft-extcap starts: ipft itself, or ssh running
 * ipft on another host. */
#ifndef XC_CHILD_H
#define XC_CHILD_H

#include <stdbool.h>
#include <sys/types.h>

struct xc_child {
	pid_t pid;
	int in_fd;  /* its stdin when asked for, else -1 */
	int out_fd; /* its stdout when it goes to a pipe, else -1 */
	int err_fd; /* its stderr */
};

/* Starts argv (argv[0] searched in PATH) with stdout on out_fd, or on a
 * pipe (c->out_fd) when out_fd is -1; stdin is a pipe (c->in_fd) when
 * want_stdin, else /dev/null; stderr is a pipe.  The child gets default
 * signal handling and an empty signal mask.  0, or -1 with errno. */
int xc_child_start(const char *const argv[], int out_fd, bool want_stdin, struct xc_child *c);

/* Waits for the child: its exit status, or 128 + the signal that ended it. */
int xc_child_wait(struct xc_child *c);

/* What a short run (xc_child_run) printed. */
struct xc_output {
	char *out, *err; /* NUL-terminated, malloc'ed */
};

/* Runs argv to its end within timeout_ms, collecting its stdout and
 * stderr: its exit status, -1 when it could not start (errno), or -2
 * when it was killed for taking too long. */
int xc_child_run(const char *const argv[], int timeout_ms, struct xc_output *o);
void xc_output_free(struct xc_output *o);

#endif
