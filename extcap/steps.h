/* steps.h - what ipft-extcap does at each step of Wireshark's extcap
 * protocol.  Each returns the exit status; an error is one line on
 * stderr, which Wireshark shows in its error dialog. */
#ifndef XC_STEPS_H
#define XC_STEPS_H

#include "extcap/request.h"

/* --extcap-interfaces: the interfaces and the toolbar (interfaces.c). */
int xc_print_interfaces(void);
/* --extcap-dlts: the link type (interfaces.c). */
int xc_print_dlts(const struct xc_request *rq);
/* --extcap-config: the dialog's arguments (config.c). */
int xc_print_config(const struct xc_request *rq);
/* --extcap-reload-option: a selector's values (reload.c). */
int xc_print_reload(const struct xc_request *rq);
/* --extcap-capture-filter alone: empty output if valid, else libpcap's
 * message (filter_check.c). */
int xc_check_filter(const struct xc_request *rq);
/* --capture: ipft, here or over SSH, writing into the FIFO (capture.c). */
int xc_capture(const struct xc_request *rq);

#endif
