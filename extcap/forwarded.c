/* forwarded.c - the ipft options the capture dialog offers. */
#include "extcap/forwarded.h"

#include <string.h>

/* Decided by the extcap, not by the user: ipft writes pcapng to the
 * FIFO (-w -, never custom blocks, which a live view shows one record
 * late), says what it does (-v) and traces rather than lists or helps. */
static const char *const kept_back[] = {
	"write", "output", "trace-blocks", "list", "verbose", "version", "help",
};

bool xc_forwarded(const struct ipft_option *o)
{
	if (!o->name)
		return false;
	for (size_t i = 0; i < sizeof(kept_back) / sizeof(kept_back[0]); i++)
		if (strcmp(o->name, kept_back[i]) == 0)
			return false;
	return true;
}

const struct ipft_option *xc_forwarded_find(const char *name)
{
	for (size_t i = 0; i < ipft_n_options; i++)
		if (xc_forwarded(&ipft_options[i]) && strcmp(ipft_options[i].name, name) == 0)
			return &ipft_options[i];
	return NULL;
}
