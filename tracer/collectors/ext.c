/* ext.c - a user extension's data as key/values (ext.h): each member of
 * its output struct named as the member, typed by its C type or its
 * ipft:fmt: tag, written where its bytes changed since the packet's
 * previous event (all of them on the first event with data).  Each key
 * is flagged as an extension's (IPFT_KV_EXT): the plugin shows it as
 * ipft.data.key/value, never as one of ipft's own fields of that name. */
#include "tracer/collectors/ext.h"
#include "tracer/collectors/ext_slot.h"

#include <stdio.h>
#include <string.h>

/* The data the packet's events have said so far. */
struct ext_state {
	bool known;
	uint8_t data[IPFT_EXT_BUF];
};

static uint64_t member_value(const struct ipft_ext_member *m, const uint8_t *data)
{
	uint64_t v = 0;

	memcpy(&v, data + m->off, m->size); /* little-endian: the low bytes */
	if (m->fmt == IPFT_EXT_SINT && m->size < 8 && (v >> (m->size * 8 - 1)) & 1)
		v |= ~0ULL << (m->size * 8);
	return v;
}

static const char *enum_name(const struct ipft_ext_member *m, uint64_t v)
{
	for (size_t i = 0; i < m->n_names; i++)
		if (m->names[i].value == v)
			return m->names[i].name;
	return NULL;
}

/* "a|b", bits without a name as 0x...; "none" for 0. */
static void flags_str(const struct ipft_ext_member *m, uint64_t v, char *buf, size_t len)
{
	size_t n = 0;

	snprintf(buf, len, "%s", v ? "" : "none");
	for (size_t i = 0; i < m->n_names && n < len; i++) {
		uint64_t b = m->names[i].value;

		if (b && (v & b) == b) {
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "|" : "", m->names[i].name);
			v &= ~b;
		}
	}
	if (v && n < len)
		snprintf(buf + n, len - n, "%s0x%llx", n ? "|" : "", (unsigned long long)v);
}

static bool add_member(const struct ipft_ext_member *m, const uint8_t *data, struct ipft_kv_out *o)
{
	uint64_t v = m->fmt == IPFT_EXT_STRING ? 0 : member_value(m, data);
	const char *name;
	char buf[128];

	switch (m->fmt) {
	case IPFT_EXT_UINT:
		return ipft_kv_add_u64(o, m->key, IPFT_VT_U64, v);
	case IPFT_EXT_SINT:
		return ipft_kv_add_u64(o, m->key, IPFT_VT_S64, v);
	case IPFT_EXT_HEX:
		return ipft_kv_add_u64(o, m->key, IPFT_VT_HEX64, v);
	case IPFT_EXT_ENUM:
		if (!(name = enum_name(m, v))) {
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
			name = buf;
		}
		return ipft_kv_add_str(o, m->key, name, strlen(name));
	case IPFT_EXT_FLAGS:
		flags_str(m, v, buf, sizeof(buf));
		return ipft_kv_add_str(o, m->key, buf, strlen(buf));
	case IPFT_EXT_STRING:
		return ipft_kv_add_str(o, m->key, (const char *)data + m->off, m->size);
	}
	return false;
}

void ipft_ext_kv(const struct ipft_ext *x, const uint8_t *data, const uint8_t *prev,
		 struct ipft_kv_out *o)
{
	for (size_t i = 0; i < x->n; i++) {
		const struct ipft_ext_member *m = &x->m[i];

		if (prev && memcmp(prev + m->off, data + m->off, m->size) == 0)
			continue;
		if (add_member(m, data, o))
			o->kv[o->n - 1].flags |= IPFT_KV_EXT;
	}
}

/* The extension's data slots after a hit, put together; whether any. */
static bool gather(const struct ipft_slot *data, size_t n_data, uint8_t *buf)
{
	bool any = false;

	memset(buf, 0, IPFT_EXT_BUF);
	for (size_t i = 0; i < n_data; i++) {
		const struct ipft_data_slot *d = (const struct ipft_data_slot *)&data[i];

		if (d->kind != IPFT_DATA_EXT || d->aux >= IPFT_EXT_SLOTS_MAX)
			continue;
		memcpy(buf + d->aux * IPFT_EXT_PART, d->data, IPFT_EXT_PART);
		any = true;
	}
	return any;
}

static void ext_event(void *state, const void *loaded, const struct ipft_slot *hit,
		      const struct ipft_slot *data, size_t n_data, struct ipft_kv_out *o)
{
	struct ext_state *s = state;
	uint8_t buf[IPFT_EXT_BUF];

	(void)hit;
	if (!loaded || !gather(data, n_data, buf))
		return;
	ipft_ext_kv(loaded, buf, s->known ? s->data : NULL, o);
	memcpy(s->data, buf, sizeof(buf));
	s->known = true;
}

static void *ext_load(const struct ipft_collect_env *env)
{
	return (void *)env->ext;
}

const struct ipft_collector ipft_collector_ext = {
	.bit = IPFT_COLLECT_EXT,
	.state_size = sizeof(struct ext_state),
	.load = ext_load,
	.event = ext_event,
};

_Static_assert(IPFT_EXT_PART == sizeof(((struct ipft_data_slot *)0)->data), "a part per slot");
