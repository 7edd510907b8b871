/* tpargs.c - the tpargs collector, the tracer's side (tpargs.bpf.h is the
 * kernel's, tpargs_slot.h their record): a tracepoint hit's scalar
 * arguments, other than the skb, as key/values named as the kernel names
 * them (the parameters of its __bpf_trace_<name> in BTF; "argN" where BTF
 * has no name), integers by their size and signedness, enums by their
 * enumerators' names.  A name the other collectors write gets "tp."
 * before it (skb_copy_datagram_iovec's len is tp.len).
 */
#include "tracer/collectors/collectors.h"
#include "tracer/collectors/tpargs.h"
#include "tracer/kernel/vmlinux_btf.h"
#include "tracer/probes/probe.h"

#include <bpf/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arg_desc {
	char key[48];
	uint8_t size;         /* bytes of the C type */
	bool is_signed;
	uint32_t enum_id;     /* its enum's BTF id, 0 for an integer */
};

struct tp_desc {
	struct arg_desc arg[IPFT_TPARGS_MAX];
	uint8_t n;
};

struct tpargs_loaded {
	struct btf *btf;
	struct tp_desc *by_id; /* by probe id */
	size_t n;
};

/* The collectors whose keys a tracepoint's argument is told apart from,
 * in use or not: a key means the same in every file. */
#define OTHERS (IPFT_COLLECT_META | IPFT_COLLECT_TASK | IPFT_COLLECT_STACK)

static void describe_arg(const struct btf *btf, uint32_t type_id, const char *name, int pos,
			 struct arg_desc *d)
{
	uint32_t id = ipft_tpargs_skip_mods(btf, type_id);
	const struct btf_type *t = btf__type_by_id(btf, id);

	if (!name || !name[0])
		snprintf(d->key, sizeof(d->key), "arg%d", pos);
	else
		snprintf(d->key, sizeof(d->key), "%s%s", ipft_collect_writes(OTHERS, name) ? "tp." : "",
			 name);
	d->size = (uint8_t)(t ? t->size : 8);
	d->is_signed = t && ((btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED)) ||
			     (btf_is_any_enum(t) && btf_kflag(t)));
	d->enum_id = t && btf_is_any_enum(t) ? id : 0;
}

/* The arguments p's clones copy, named from __bpf_trace_<name>. */
static void describe(const struct btf *btf, const struct ipft_probe *p, struct tp_desc *d)
{
	const struct btf_type *proto = btf__type_by_id(btf, ipft_tpargs_skip_mods(btf, p->btf_id));
	const struct btf_type *named = NULL;
	char fname[160];
	int fid;

	if (proto && btf_is_ptr(proto))
		proto = btf__type_by_id(btf, ipft_tpargs_skip_mods(btf, proto->type));
	if (!proto || !btf_is_func_proto(proto))
		return;
	snprintf(fname, sizeof(fname), "__bpf_trace_%s", p->name);
	fid = btf__find_by_name_kind(btf, fname, BTF_KIND_FUNC);
	if (fid > 0) {
		named = btf__type_by_id(btf, btf__type_by_id(btf, fid)->type);
		if (named && btf_vlen(named) != btf_vlen(proto))
			named = NULL;
	}
	for (int i = 1; i < btf_vlen(proto) && d->n < IPFT_TPARGS_MAX; i++) {
		if (!(p->args_mask & (1u << (i - 1))))
			continue;
		describe_arg(btf, btf_params(proto)[i].type,
			     named ? btf__name_by_offset(btf, btf_params(named)[i].name_off) : NULL,
			     i - 1, &d->arg[d->n++]);
	}
}

static void *tpargs_load(const struct ipft_collect_env *env)
{
	struct tpargs_loaded *l = calloc(1, sizeof(*l));

	if (!l || !env || !env->probes || !(l->btf = ipft_vmlinux_btf_get()))
		return l;
	l->by_id = calloc(env->probes->n, sizeof(*l->by_id));
	l->n = l->by_id ? env->probes->n : 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct ipft_probe *p = &env->probes->v[i];
		if (p->type == IPFT_PROBE_TRACEPOINT && p->args_mask && p->btf_obj_fd == 0)
			describe(l->btf, p, &l->by_id[i]);
	}
	return l;
}

static void tpargs_unload(void *loaded)
{
	struct tpargs_loaded *l = loaded;

	ipft_vmlinux_btf_put(l->btf);
	free(l->by_id);
	free(l);
}

/* The enumerator of e named v, or NULL. */
static const char *enum_name(const struct btf *btf, uint32_t enum_id, int64_t v)
{
	const struct btf_type *t = btf__type_by_id(btf, enum_id);

	for (int i = 0; t && btf_is_enum(t) && i < btf_vlen(t); i++)
		if (btf_enum(t)[i].val == v)
			return btf__name_by_offset(btf, btf_enum(t)[i].name_off);
	for (int i = 0; t && btf_is_enum64(t) && i < btf_vlen(t); i++)
		if ((int64_t)btf_enum64_value(&btf_enum64(t)[i]) == v)
			return btf__name_by_offset(btf, btf_enum64(t)[i].name_off);
	return NULL;
}

static void put_arg(const struct tpargs_loaded *l, const struct arg_desc *d, uint64_t raw,
		    struct ipft_kv_out *o)
{
	unsigned bits = d->size && d->size < 8 ? 8u * d->size : 64;
	uint64_t v = bits < 64 ? raw & ((1ull << bits) - 1) : raw;
	const char *name;

	if (d->is_signed && bits < 64 && (v >> (bits - 1)))
		v |= ~0ull << bits; /* sign-extended */
	if (d->enum_id && (name = enum_name(l->btf, d->enum_id, (int64_t)v)))
		ipft_kv_add_str(o, d->key, name, strlen(name));
	else
		ipft_kv_add_u64(o, d->key, d->is_signed ? IPFT_VT_S64 : IPFT_VT_U64, v);
}

static void tpargs_event(void *state, const void *loaded, const struct ipft_slot *hit,
			 const struct ipft_slot *data, size_t n_data, struct ipft_kv_out *o)
{
	const struct tpargs_loaded *l = loaded;

	(void)state;
	if (!l || hit->probe_id >= l->n)
		return;
	for (size_t i = 0; i < n_data; i++) {
		const struct ipft_tpargs_data *t = (const struct ipft_tpargs_data *)&data[i];
		const struct tp_desc *d = &l->by_id[hit->probe_id];
		if (t->kind != IPFT_DATA_TPARGS)
			continue;
		for (uint8_t k = 0; k < t->n && k < d->n; k++)
			put_arg(l, &d->arg[k], t->v[k], o);
	}
}

const struct ipft_collector ipft_collector_tpargs = {
	.bit = IPFT_COLLECT_TPARGS,
	.load = tpargs_load,
	.unload = tpargs_unload,
	.event = tpargs_event,
};

_Static_assert(sizeof(struct ipft_tpargs_data) == sizeof(struct ipft_slot), "slot size");
_Static_assert(offsetof(struct ipft_tpargs_data, kind) == offsetof(struct ipft_slot, kind), "kind");
