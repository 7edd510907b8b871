/* keys.c - the keys ipft's collectors write (collectors.h), so that a
 * tracepoint's argument or an extension's member of the same name can be
 * told apart from them. */
#include "tracer/collectors/collectors.h"

#include <string.h>

static const struct {
	uint32_t bit;
	const char *key;
} keys[] = {
	{ IPFT_COLLECT_META, "dev" },      { IPFT_COLLECT_META, "ifindex" },
	{ IPFT_COLLECT_META, "netns" },    { IPFT_COLLECT_META, "len" },
	{ IPFT_COLLECT_META, "data_len" }, { IPFT_COLLECT_META, "mark" },
	{ IPFT_COLLECT_META, "protocol" }, { IPFT_COLLECT_META, "pkt_type" },
	{ IPFT_COLLECT_META, "cloned" },   { IPFT_COLLECT_META, "gso_size" },
	{ IPFT_COLLECT_META, "gso_segs" }, { IPFT_COLLECT_META, "gso_type" },
	{ IPFT_COLLECT_TASK, "context" },  { IPFT_COLLECT_TASK, "pid" },
	{ IPFT_COLLECT_TASK, "tgid" },     { IPFT_COLLECT_TASK, "comm" },
	{ IPFT_COLLECT_STACK, "stack" },
};

bool ipft_collect_writes(uint32_t mask, const char *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((mask & keys[i].bit) && strcmp(key, keys[i].key) == 0)
			return true;
	return false;
}
