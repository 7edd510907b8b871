/* backends.c - the table of backends, best first. */
#include "tracer/backend.h"

#include <string.h>

extern const struct ipft_backend ipft_backend_tracepoint;

const struct ipft_backend *const ipft_backends[] = {
	&ipft_backend_tracepoint,
	NULL,
};

const struct ipft_backend *ipft_backend_find(const char *name)
{
	for (size_t i = 0; ipft_backends[i]; i++)
		if (strcmp(ipft_backends[i]->name, name) == 0)
			return ipft_backends[i];
	return NULL;
}
