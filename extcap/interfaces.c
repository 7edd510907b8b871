/* interfaces.c - the first two questions Wireshark asks: which
 * interfaces, and which link type. */
#include "extcap/steps.h"
#include "extcap/log.h"
#include "config.h"

#include <stdio.h>

int xc_print_interfaces(void)
{
	printf("extcap {version=%s}{help=" XC_HELP_URL "}"
	       "{display=ipft: packets' paths through the Linux kernel}\n", PACKAGE_VERSION);
	printf("interface {value=%s}{display=ipft: kernel packet paths (this host)}\n",
	       XC_IFACE_LOCAL);
	printf("interface {value=%s}{display=ipft: kernel packet paths (remote host over SSH)}\n",
	       XC_IFACE_REMOTE);
	printf("control {number=%d}{type=button}{role=logger}{display=Log}"
	       "{tooltip=ipft's messages and the counters}\n", XC_CONTROL_LOG);
	return 0;
}

/* ipft writes one interface per device, each with its own link type
 * (Ethernet, raw IP, ...); as in sshdump, the number here only stands in
 * until the stream's interface blocks arrive. */
int xc_print_dlts(const struct xc_request *rq)
{
	(void)rq;
	printf("dlt {number=147}{name=ipft}{display=Each device's own link type}\n");
	return 0;
}
