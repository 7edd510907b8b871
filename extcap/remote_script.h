/* remote_script.h - the sh script ssh runs on the server: find ipft,
 * check its version, leave the SSH connection out of the filter, run
 * ipft and stop it when the extcap closes the connection's stdin. */
#ifndef XC_REMOTE_SCRIPT_H
#define XC_REMOTE_SCRIPT_H

#include "extcap/command.h"

/* The script for task, malloc'ed; NULL when out of memory. */
char *xc_remote_script(const struct xc_request *rq, enum xc_task task);

#endif
