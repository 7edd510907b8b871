/* trim_opts.c - an option of IN copied to OUT (trim_internal.h).
 *
 * The writer writes this host's byte order; a section of the other order
 * has its numbers turned, so each option's kind must be known.  Options
 * of unknown kind are copied from a section of this host's order only.
 */
#include "tracer/trim/trim_internal.h"

enum kind { K_UNKNOWN, K_BYTES, K_U32, K_U64, K_TS };

struct opt_kind {
	uint32_t block;
	uint16_t code;
	enum kind kind;
};

/* Strings, single bytes and addresses in network order are K_BYTES:
 * copied as they are in either byte order. */
static const struct opt_kind kinds[] = {
	{ PCAPNG_BT_SHB, PCAPNG_OPT_SHB_HARDWARE, K_BYTES },
	{ PCAPNG_BT_SHB, PCAPNG_OPT_SHB_OS, K_BYTES },
	{ PCAPNG_BT_SHB, PCAPNG_OPT_SHB_USERAPPL, K_BYTES },
	{ PCAPNG_BT_IDB, PCAPNG_OPT_IF_NAME, K_BYTES },
	{ PCAPNG_BT_IDB, PCAPNG_OPT_IF_DESCRIPTION, K_BYTES },
	{ PCAPNG_BT_IDB, 4, K_BYTES },   /* if_IPv4addr */
	{ PCAPNG_BT_IDB, 5, K_BYTES },   /* if_IPv6addr */
	{ PCAPNG_BT_IDB, 6, K_BYTES },   /* if_MACaddr */
	{ PCAPNG_BT_IDB, 7, K_BYTES },   /* if_EUIaddr */
	{ PCAPNG_BT_IDB, 8, K_U64 },     /* if_speed */
	{ PCAPNG_BT_IDB, PCAPNG_OPT_IF_TSRESOL, K_BYTES },
	{ PCAPNG_BT_IDB, 12, K_BYTES },  /* if_os */
	{ PCAPNG_BT_IDB, 13, K_BYTES },  /* if_fcslen */
	{ PCAPNG_BT_IDB, 14, K_U64 },    /* if_tsoffset */
	{ PCAPNG_BT_IDB, 15, K_BYTES },  /* if_hardware */
	{ PCAPNG_BT_IDB, 16, K_U64 },    /* if_txspeed */
	{ PCAPNG_BT_IDB, 17, K_U64 },    /* if_rxspeed */
	{ PCAPNG_BT_EPB, PCAPNG_OPT_EPB_FLAGS, K_U32 },
	{ PCAPNG_BT_EPB, PCAPNG_OPT_EPB_DROPCOUNT, K_U64 },
	{ PCAPNG_BT_EPB, PCAPNG_OPT_EPB_PACKETID, K_U64 },
	{ PCAPNG_BT_EPB, 6, K_U32 },     /* epb_queue */
	{ PCAPNG_BT_ISB, PCAPNG_OPT_ISB_STARTTIME, K_TS },
	{ PCAPNG_BT_ISB, PCAPNG_OPT_ISB_ENDTIME, K_TS },
	{ PCAPNG_BT_ISB, PCAPNG_OPT_ISB_IFRECV, K_U64 },
	{ PCAPNG_BT_ISB, PCAPNG_OPT_ISB_IFDROP, K_U64 },
	{ PCAPNG_BT_ISB, PCAPNG_OPT_ISB_FILTERACCEPT, K_U64 },
	{ PCAPNG_BT_ISB, PCAPNG_OPT_ISB_OSDROP, K_U64 },
	{ PCAPNG_BT_ISB, PCAPNG_OPT_ISB_USRDELIV, K_U64 },
};

static enum kind kind_of(uint32_t block, uint16_t code)
{
	if (code == PCAPNG_OPT_COMMENT)
		return K_BYTES;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].block == block && kinds[i].code == code)
			return kinds[i].kind;
	return K_UNKNOWN;
}

int trim_copy_option(struct trimmer *t, const struct pcapng_block *b,
		     const struct pcapng_option *o)
{
	enum kind k = kind_of(b->type, o->code);

	if ((k == K_U32 && o->len != 4) || ((k == K_U64 || k == K_TS) && o->len != 8))
		k = K_UNKNOWN;  /* not the size its kind has: copied as it is, or left out */
	switch (k) {
	case K_U32:
		return pcapng_opts_add_u32(&t->opts, o->code, pcapng_opt_u32(b, o));
	case K_U64:
		return pcapng_opts_add_u64(&t->opts, o->code, pcapng_opt_u64(b, o));
	case K_TS:
		return pcapng_opts_add_ts(&t->opts, o->code, pcapng_opt_ts(b, o));
	case K_BYTES:
		return pcapng_opts_add(&t->opts, o->code, o->val, o->len);
	default:
		break;
	}
	if (b->swapped) {
		t->left_out++;
		return 0;
	}
	return pcapng_opts_add(&t->opts, o->code, o->val, o->len);
}
