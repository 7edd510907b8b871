/* main.c - ipft-extcap: ipft as a capture interface of Wireshark (and
 * tshark, dumpcap).  Wireshark runs it once per step of the extcap
 * protocol; request.c reads which, steps.h does it. */
#include "extcap/request.h"
#include "extcap/steps.h"
#include "config.h"

#include <stdio.h>

static const char usage[] =
	"Usage: ipft-extcap --extcap-interfaces | --extcap-interface IFACE STEP [OPTIONS]\n"
	"Wireshark's capture interfaces for ipft, the kernel packet-path tracer:\n"
	"  " XC_IFACE_LOCAL "      ipft on this host\n"
	"  " XC_IFACE_REMOTE "  ipft on another host, over ssh\n"
	"Wireshark (tshark, dumpcap) runs it from its extcap folder; see docs/extcap.md.\n"
	"STEP: --extcap-dlts, --extcap-config, --extcap-capture-filter FILTER,\n"
	"      --capture --fifo PATH [--extcap-capture-filter FILTER]\n"
	"OPTIONS: what `ipft-extcap --extcap-interface IFACE --extcap-config` lists.\n";

static int run(const struct xc_request *rq)
{
	switch (rq->step) {
	case XC_STEP_INTERFACES:
		return xc_print_interfaces();
	case XC_STEP_DLTS:
		return xc_print_dlts(rq);
	case XC_STEP_CONFIG:
		return xc_print_config(rq);
	case XC_STEP_RELOAD:
		return xc_print_reload(rq);
	case XC_STEP_FILTER_CHECK:
		return xc_check_filter(rq);
	case XC_STEP_CAPTURE:
		return xc_capture(rq);
	case XC_STEP_VERSION:
		printf("ipft-extcap %s\n", PACKAGE_VERSION);
		return 0;
	case XC_STEP_HELP:
	case XC_STEP_NONE:
		break;
	}
	fputs(usage, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct xc_request rq;
	char err[512];

	if (xc_request_parse(argc, argv, &rq, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipft-extcap: %s\n", err);
		return 1;
	}
	return run(&rq);
}
