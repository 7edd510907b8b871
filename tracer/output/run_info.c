/* run_info.c - the program and machine a run records about itself. */
#include "tracer/output/run_info.h"
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

void ipft_run_host_now(struct ipft_run_host *h)
{
	struct utsname u;

	memset(h, 0, sizeof(*h));
	snprintf(h->application, sizeof(h->application), "ipft %s", PACKAGE_VERSION);
	if (uname(&u) < 0)
		return;
	snprintf(h->os, sizeof(h->os), "%s %s %s", u.sysname, u.release, u.version);
	snprintf(h->hardware, sizeof(h->hardware), "%s", u.machine);
	snprintf(h->kernel, sizeof(h->kernel), "%s", u.release);
}
