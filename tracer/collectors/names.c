/* names.c - the collectors' names, and -x (collectors.h).  Apart from
 * the collectors themselves: the extcap parses ipft's options too. */
#include "tracer/collectors/collectors.h"

#include <stdio.h>
#include <string.h>

const struct ipft_collect_name ipft_collect_names[] = {
	{ "meta", IPFT_COLLECT_META },
	{ "task", IPFT_COLLECT_TASK },
	{ "stack", IPFT_COLLECT_STACK },
	{ "tpargs", IPFT_COLLECT_TPARGS },
	{ NULL, 0 },
};

static const struct ipft_collect_name *by_name(const char *name, size_t len)
{
	for (const struct ipft_collect_name *c = ipft_collect_names; c->name; c++)
		if (strlen(c->name) == len && strncmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

int ipft_collect_parse(const char *list, uint32_t *mask, char *why, size_t whylen)
{
	const char *p = list;

	*mask = 0;
	if (strcmp(list, "none") == 0)
		return 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		const struct ipft_collect_name *c = by_name(p, len);

		if (!c) {
			size_t n = (size_t)snprintf(why, whylen, "%s: 'none', or collectors separated "
						    "by commas:", len ? "no such collector" :
						    "an empty name");
			for (c = ipft_collect_names; c->name && n < whylen; c++)
				n += (size_t)snprintf(why + n, whylen - n, " %s", c->name);
			return -1;
		}
		*mask |= c->bit;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}
