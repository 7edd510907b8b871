/* log.h - where ipft's messages and the live counters go while a capture
 * runs: the Log of Wireshark's interface toolbar (control pipes, GUI
 * only), its status bar, and the log file when one is set. */
#ifndef XC_LOG_H
#define XC_LOG_H

#include "extcap/request.h"

#include <stdbool.h>
#include <stdio.h>

/* The toolbar's controls (--extcap-interfaces). */
#define XC_CONTROL_LOG 0

struct xc_log {
	FILE *file;
	const char *out_path; /* control pipe to Wireshark, until open */
	int out_fd;           /* -1 until Wireshark reads it */
	int in_fd;            /* control pipe from Wireshark, or -1 */
};

/* Opens what rq names: 0, or -1 with one line in err (a log file that
 * cannot be written). */
int xc_log_open(struct xc_log *l, const struct xc_request *rq, char *err, size_t len);
void xc_log_close(struct xc_log *l);

/* Whether anyone reads the log: counters are only asked for then. */
bool xc_log_read(const struct xc_log *l);

/* A line for the log (file and toolbar). */
void xc_log_line(struct xc_log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A line for the status bar, and the log file. */
void xc_log_status(struct xc_log *l, const char *text);

/* Now and then: opens the pipe to Wireshark once it reads, and drops
 * what Wireshark sent (the toolbar has no input controls). */
void xc_log_tick(struct xc_log *l);

#endif
