/* drop_reason.c - read enum skb_drop_reason from the running kernel.
 *
 * The values change between kernel versions, so they are never hard-coded:
 * the names come from the kernel's own BTF, without the SKB_DROP_REASON_
 * prefix.
 */
#include "tracer/kernel/drop_reason.h"
#include "tracer/kernel/vmlinux_btf.h"

#include <bpf/btf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "SKB_DROP_REASON_"

struct reason {
	uint32_t value;
	char *name;
};

struct ipft_drop_reasons {
	struct reason *v;
	size_t n;
	bool none;            /* the kernel has no drop reasons */
};

struct ipft_drop_reasons *ipft_drop_reasons_load(void)
{
	struct btf *btf = ipft_vmlinux_btf_get();
	struct ipft_drop_reasons *d = NULL;
	int id;

	if (!btf)
		return NULL;
	id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	if (id <= 0 && (d = calloc(1, sizeof(*d))))
		d->none = true;
	if (id > 0 && (d = calloc(1, sizeof(*d)))) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_enum *e = btf_enum(t);
		d->v = calloc(btf_vlen(t), sizeof(*d->v));
		for (int i = 0; d->v && i < btf_vlen(t); i++) {
			const char *name = btf__name_by_offset(btf, e[i].name_off);
			if (strncmp(name, PREFIX, strlen(PREFIX)) == 0)
				name += strlen(PREFIX);
			d->v[d->n].value = (uint32_t)e[i].val;
			if ((d->v[d->n].name = strdup(name)))
				d->n++;
		}
	}
	ipft_vmlinux_btf_put(btf);
	return d;
}

void ipft_drop_reasons_free(struct ipft_drop_reasons *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].name);
	free(d->v);
	free(d);
}

const char *ipft_drop_reason_name(const struct ipft_drop_reasons *d, uint32_t value)
{
	if (d && d->none)
		return IPFT_DROP_REASON_UNKNOWN;
	for (size_t i = 0; d && i < d->n; i++)
		if (d->v[i].value == value)
			return d->v[i].name;
	return NULL;
}

int ipft_drop_reason_value(const struct ipft_drop_reasons *d, const char *name, uint32_t *value)
{
	if (d && d->none)
		return -2;
	for (size_t i = 0; d && i < d->n; i++) {
		if (strcmp(d->v[i].name, name) == 0) {
			*value = d->v[i].value;
			return 0;
		}
	}
	return -1;
}
