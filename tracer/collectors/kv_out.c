/* kv_out.c - key/values made for a packet's events (collectors.h). */
#include "tracer/collectors/collectors.h"

#include <string.h>

bool ipft_kv_add_u64(struct ipft_kv_out *o, const char *key, uint8_t type, uint64_t v)
{
	if (o->n >= o->cap)
		return false;
	o->kv[o->n++] = (struct ipft_kv){ .key = key, .type = type, .u64 = v };
	return true;
}

bool ipft_kv_add_str(struct ipft_kv_out *o, const char *key, const char *s, size_t len)
{
	char *dst;

	len = strnlen(s, len);
	if (o->n >= o->cap || o->str_cap - o->str_len < len)
		return false;
	dst = o->str + o->str_len;
	memcpy(dst, s, len);
	o->str_len += len;
	o->kv[o->n++] = (struct ipft_kv){ .key = key, .type = IPFT_VT_STRING, .ptr = dst, .len = len };
	return true;
}

bool ipft_kv_add_packed_u64(struct ipft_kv_out *o, unsigned pk, uint8_t type, uint64_t v)
{
	if (!ipft_kv_add_u64(o, ipft_packed_key[pk], type, v))
		return false;
	o->kv[o->n - 1].packed = (uint8_t)(pk + 1);
	return true;
}

bool ipft_kv_add_packed_str(struct ipft_kv_out *o, unsigned pk, const char *s, size_t len)
{
	if (!ipft_kv_add_str(o, ipft_packed_key[pk], s, len))
		return false;
	o->kv[o->n - 1].packed = (uint8_t)(pk + 1);
	return true;
}
