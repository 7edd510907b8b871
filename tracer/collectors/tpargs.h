/* tpargs.h - the tpargs collector's questions to BTF, shared by the
 * tracepoints' discovery (tracer/probes/tracepoints.c: which positions a
 * clone copies) and the collector (tpargs.c: their names and types). */
#ifndef IPFT_TPARGS_H
#define IPFT_TPARGS_H

#include <linux/types.h>
#include <stdbool.h>
#include <stdint.h>

#include "tracer/collectors/tpargs_slot.h"

struct btf;
struct btf_type;

/* The type id under typedefs and qualifiers. */
uint32_t ipft_tpargs_skip_mods(const struct btf *btf, uint32_t id);
/* An integer, enum or bool, through typedefs and qualifiers. */
bool ipft_tpargs_is_scalar(const struct btf *btf, uint32_t type_id);
/* The positions (bit i: argument i, 0-based) of the scalar arguments of a
 * tracepoint prototype (btf_trace_X's: the context, then the arguments),
 * the skb's left out. */
uint8_t ipft_tpargs_mask(const struct btf *btf, const struct btf_type *proto, int skb_arg);

#endif
