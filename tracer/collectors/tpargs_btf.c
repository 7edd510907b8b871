/* tpargs_btf.c - which of a tracepoint's arguments the tpargs collector
 * copies: the scalar ones (integers, enums, bools), not the skb, among
 * the first IPFT_TPARGS_POSITIONS, at most IPFT_TPARGS_MAX (tpargs.h). */
#include "tracer/collectors/tpargs.h"

#include <bpf/btf.h>

uint32_t ipft_tpargs_skip_mods(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	return id;
}

bool ipft_tpargs_is_scalar(const struct btf *btf, uint32_t type_id)
{
	const struct btf_type *t = btf__type_by_id(btf, ipft_tpargs_skip_mods(btf, type_id));

	return t && (btf_is_int(t) || btf_is_any_enum(t));
}

uint8_t ipft_tpargs_mask(const struct btf *btf, const struct btf_type *proto, int skb_arg)
{
	const struct btf_param *params = btf_params(proto);
	uint8_t mask = 0;
	int n = 0;

	/* params[0] is the probe's context, the tracepoint's arguments follow. */
	for (int i = 1; i < btf_vlen(proto) && i <= IPFT_TPARGS_POSITIONS; i++) {
		if (i - 1 == skb_arg || !ipft_tpargs_is_scalar(btf, params[i].type))
			continue;
		mask |= (uint8_t)(1u << (i - 1));
		if (++n == IPFT_TPARGS_MAX)
			break;
	}
	return mask;
}
