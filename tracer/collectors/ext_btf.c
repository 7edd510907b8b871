/* ext_btf.c - a user extension read and checked from its BTF (ext.h):
 * module()'s signature, and the members of its output struct with how
 * each is written (its type, ipftrace2's ipft:fmt: tags). */
#include "tracer/collectors/ext.h"
#include "tracer/collectors/ext_slot.h"

#include <bpf/btf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVENT_VAR "__ipft_event_struct"
#define TAG "ipft:fmt:"
#define SIGNATURE "int module(void *ctx, struct sk_buff *skb, __u8 data[64])"

__attribute__((format(printf, 4, 5)))
static int fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "extension %s: ", path);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* The type under typedefs and qualifiers. */
static const struct btf_type *resolve(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

static const struct btf_type *pointee(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = resolve(btf, id);

	return t && btf_is_ptr(t) ? resolve(btf, t->type) : NULL;
}

static bool is_int(const struct btf_type *t, __u32 size)
{
	return t && btf_is_int(t) && t->size == size;
}

/* int module(void *ctx, struct sk_buff *skb, __u8 data[64]), global. */
static bool module_ok(const struct btf *btf, const struct btf_type *fn)
{
	const struct btf_type *proto = btf__type_by_id(btf, fn->type), *skb;
	const struct btf_param *p;

	if (!proto || !btf_is_func_proto(proto) || btf_vlen(proto) != 3 ||
	    !is_int(resolve(btf, proto->type), 4))
		return false;
	p = btf_params(proto);
	skb = pointee(btf, p[1].type);
	return pointee(btf, p[0].type) && skb && (btf_is_struct(skb) || btf_is_fwd(skb)) &&
	       strcmp(btf__name_by_offset(btf, skb->name_off), "sk_buff") == 0 &&
	       is_int(pointee(btf, p[2].type), 1);
}

static int check_module(const struct btf *btf, const char *path, char *err, size_t errlen)
{
	int id = btf__find_by_name_kind(btf, "module", BTF_KIND_FUNC);
	const struct btf_type *fn = id > 0 ? btf__type_by_id(btf, id) : NULL;

	if (!fn)
		return fail(err, errlen, path, "no function module(): an extension defines "
			    SIGNATURE);
	if (btf_vlen(fn) == BTF_FUNC_STATIC)
		return fail(err, errlen, path, "module() is static: it must be global "
			    "(__hidden, as ipft/extension.h declares it)");
	if (!module_ok(btf, fn))
		return fail(err, errlen, path, "module() does not have the signature " SIGNATURE);
	return 0;
}

/* The names of enum type t for member m. */
static int fill_names(const struct btf *btf, const struct btf_type *t, struct ipft_ext_member *m)
{
	size_t n = btf_vlen(t);

	free(m->names);
	m->n_names = 0;
	if (!(m->names = calloc(n ? n : 1, sizeof(*m->names))))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *name = btf__name_by_offset(btf, btf_is_enum(t) ? btf_enum(t)[i].name_off :
								     btf_enum64(t)[i].name_off);

		m->names[i].value = btf_is_enum(t) ? (uint32_t)btf_enum(t)[i].val :
						     btf_enum64_value(&btf_enum64(t)[i]);
		if (!(m->names[i].name = strdup(name ? name : "")))
			return -1;
		m->n_names = i + 1;
	}
	return 0;
}

/* A member's own type: how it is written unless a tag says otherwise. */
static int member_type(const struct btf *btf, __u32 type, struct ipft_ext_member *m,
		       const char *path, char *err, size_t errlen)
{
	const struct btf_type *t = resolve(btf, type);

	if (t && btf_is_int(t) && t->size <= 8) {
		m->fmt = (btf_int_encoding(t) & BTF_INT_SIGNED) ? IPFT_EXT_SINT : IPFT_EXT_UINT;
		m->size = t->size;
	} else if (t && btf_is_any_enum(t) && t->size <= 8) {
		m->fmt = IPFT_EXT_ENUM;
		m->size = t->size;
		if (fill_names(btf, t, m) < 0)
			return fail(err, errlen, path, "out of memory");
	} else if (t && btf_is_ptr(t)) {
		m->fmt = IPFT_EXT_HEX;
		m->size = 8;
	} else if (t && btf_is_array(t) && is_int(resolve(btf, btf_array(t)->type), 1)) {
		m->fmt = IPFT_EXT_STRING;
		m->size = btf_array(t)->nelems;
	} else {
		return fail(err, errlen, path,
			    "member %s: not an integer, enum, pointer or char array", m->key);
	}
	return 0;
}

/* An ipft:fmt: tag on member m: hex, enum:REF, enum_flags:REF, where REF
 * names a variable (of section __ipft_skip) whose type is the enum. */
static int apply_tag(const struct btf *btf, const char *tag, struct ipft_ext_member *m,
		     const char *path, char *err, size_t errlen)
{
	const char *ref = NULL;
	const struct btf_type *t;
	int id;

	if (m->fmt != IPFT_EXT_UINT && m->fmt != IPFT_EXT_SINT && m->fmt != IPFT_EXT_ENUM)
		return fail(err, errlen, path, "member %s: %s%s on what is not an integer",
			    m->key, TAG, tag);
	if (strcmp(tag, "hex") == 0) {
		m->fmt = IPFT_EXT_HEX;
		return 0;
	}
	if (strncmp(tag, "enum_flags:", 11) == 0) {
		ref = tag + 11;
		m->fmt = IPFT_EXT_FLAGS;
	} else if (strncmp(tag, "enum:", 5) == 0) {
		ref = tag + 5;
		m->fmt = IPFT_EXT_ENUM;
	} else {
		return fail(err, errlen, path, "member %s: unknown format %s%s (hex, enum:REF, "
			    "enum_flags:REF)", m->key, TAG, tag);
	}
	id = btf__find_by_name_kind(btf, ref, BTF_KIND_VAR);
	t = id > 0 ? resolve(btf, btf__type_by_id(btf, id)->type) : NULL;
	if (!t || !btf_is_any_enum(t))
		return fail(err, errlen, path, "member %s: '%s' names no variable of an enum type "
			    "(declare one with __ipft_ref)", m->key, ref);
	if (fill_names(btf, t, m) < 0)
		return fail(err, errlen, path, "out of memory");
	return 0;
}

/* The tags on member i of struct sid. */
static int member_tags(const struct btf *btf, __u32 sid, int i, struct ipft_ext_member *m,
		       const char *path, char *err, size_t errlen)
{
	for (__u32 id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *tag;

		if (!btf_is_decl_tag(t) || t->type != sid || btf_decl_tag(t)->component_idx != i)
			continue;
		tag = btf__name_by_offset(btf, t->name_off);
		if (tag && strncmp(tag, TAG, strlen(TAG)) == 0 &&
		    apply_tag(btf, tag + strlen(TAG), m, path, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* The member's key: its name, or "ext.NAME" where a collector in use
 * (collect) writes NAME, so that no event has a key twice. */
static char *member_key(const char *name, uint32_t collect)
{
	size_t len = strlen(name) + sizeof("ext.");
	char *key = malloc(len);

	if (key)
		snprintf(key, len, "%s%s", ipft_collect_writes(collect, name) ? "ext." : "", name);
	return key;
}

static int read_members(const struct btf *btf, __u32 sid, uint32_t collect, struct ipft_ext *x,
			char *err, size_t errlen)
{
	const struct btf_type *st = btf__type_by_id(btf, sid);
	const struct btf_member *bm = btf_members(st);

	x->n = btf_vlen(st);
	if (x->n == 0 || x->n > IPFT_EXT_MEMBERS_MAX)
		return fail(err, errlen, x->path, "its output struct has %zu members (1 to %d)",
			    x->n, IPFT_EXT_MEMBERS_MAX);
	if (!(x->m = calloc(x->n, sizeof(*x->m))))
		return fail(err, errlen, x->path, "out of memory");
	for (size_t i = 0; i < x->n; i++) {
		struct ipft_ext_member *m = &x->m[i];
		const char *name = btf__name_by_offset(btf, bm[i].name_off);

		if (!name || !name[0])
			return fail(err, errlen, x->path, "its output struct has a member "
				    "without a name");
		if (!(m->key = member_key(name, collect)))
			return fail(err, errlen, x->path, "out of memory");
		if (btf_member_bitfield_size(st, (__u32)i))
			return fail(err, errlen, x->path, "member %s: a bit-field", name);
		m->off = btf_member_bit_offset(st, (__u32)i) / 8;
		if (member_type(btf, bm[i].type, m, x->path, err, errlen) < 0 ||
		    member_tags(btf, sid, (int)i, m, x->path, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* The output struct: the type of the global __ipft_event_struct. */
static int read_struct(const struct btf *btf, uint32_t collect, struct ipft_ext *x, char *err,
		       size_t errlen)
{
	int id = btf__find_by_name_kind(btf, EVENT_VAR, BTF_KIND_VAR);
	const struct btf_type *t;
	__u32 sid;

	if (id <= 0)
		return fail(err, errlen, x->path, "no output struct: the type of a global "
			    EVENT_VAR " in section __ipft_skip (ipft/extension.h)");
	sid = btf__type_by_id(btf, id)->type;
	t = btf__type_by_id(btf, sid);
	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		sid = t->type;
		t = btf__type_by_id(btf, sid);
	}
	if (!t || !btf_is_struct(t))
		return fail(err, errlen, x->path, EVENT_VAR " is not a struct");
	if (t->size > IPFT_EXT_DATA)
		return fail(err, errlen, x->path, "its output struct is %u bytes: module() may "
			    "write %d", t->size, IPFT_EXT_DATA);
	x->size = t->size;
	return read_members(btf, sid, collect, x, err, errlen);
}

int ipft_ext_open(const char *path, uint32_t collect, struct ipft_ext **out, char *err,
		  size_t errlen)
{
	struct ipft_ext *x = calloc(1, sizeof(*x));
	struct btf *btf;
	int rc;

	*out = NULL;
	if (!x || !(x->path = strdup(path))) {
		free(x);
		return fail(err, errlen, path, "out of memory");
	}
	btf = btf__parse_elf(path, NULL);
	if (!btf) {
		rc = errno;
		ipft_ext_free(x);
		return fail(err, errlen, path, "%s", rc == ENOENT ? strerror(rc) :
			    "not a BPF object with BTF (compile it with clang -target bpf -g)");
	}
	rc = check_module(btf, path, err, errlen) < 0 ? -1 : read_struct(btf, collect, x, err, errlen);
	btf__free(btf);
	if (rc < 0) {
		ipft_ext_free(x);
		return -1;
	}
	*out = x;
	return 0;
}

void ipft_ext_free(struct ipft_ext *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++) {
		for (size_t j = 0; j < x->m[i].n_names; j++)
			free(x->m[i].names[j].name);
		free(x->m[i].names);
		free(x->m[i].key);
	}
	free(x->m);
	free(x->linked);
	free(x->path);
	free(x);
}
