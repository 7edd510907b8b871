/* diagnose.h - what went wrong, in the one line Wireshark's error dialog
 * shows: from the exit status of ipft (or ssh) and the lines it wrote on
 * stderr while running. */
#ifndef XC_DIAGNOSE_H
#define XC_DIAGNOSE_H

#include "extcap/request.h"

#include <stdbool.h>
#include <stddef.h>

#define XC_LINE_MAX 512

enum xc_line_kind {
	XC_LINE_IPFT,    /* "ipft: ..." */
	XC_LINE_REMOTE,  /* the remote script's own (command.h XC_REMOTE_TAG) */
	XC_LINE_SUDO,    /* "sudo: ..." */
	XC_LINE_OTHER,   /* ssh, the verifier's log, ... */
};

struct xc_diag {
	char ipft_error[XC_LINE_MAX]; /* ipft's last line, not counting its detach lines */
	char remote[XC_LINE_MAX];     /* the remote script's last word on a failure */
	char sudo[XC_LINE_MAX];
	char other[XC_LINE_MAX];      /* the last other line: ssh's error */
	bool tracing;                 /* ipft said it traces: signals are safe now */
};

/* Takes one line of stderr (without its newline) into account; says
 * what kind it is. */
enum xc_line_kind xc_diag_line(struct xc_diag *d, const char *line);

/* The verdict once the program exited with status: 0 (a good end), or 1
 * with the line for Wireshark in msg.  stopped: the extcap passed a stop
 * on; reader_gone: Wireshark no longer reads the FIFO.  Either way
 * Wireshark ended the capture, and a write error is its end, not a
 * failure. */
int xc_diag_verdict(const struct xc_diag *d, const struct xc_request *rq, int status,
		    bool stopped, bool reader_gone, char *msg, size_t len);

/* The line for a program that could not be started at all. */
void xc_diag_not_started(const struct xc_request *rq, int err, char *msg, size_t len);

#endif
