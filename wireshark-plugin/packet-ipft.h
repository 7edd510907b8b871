/* packet-ipft.h - what the dissector tells its statistics (the "ipft" tap). */
#ifndef IPFT_PACKET_IPFT_H
#define IPFT_PACKET_IPFT_H

#include <glib.h>
#include <epan/packet.h>

#define IPFT_TAP_MAX_FUNCS 512
#define IPFT_TAP_MAX_DEVS 32

typedef struct {
	guint64 packet_id;
	const char *drop_reason;           /* NULL: not dropped */
	const char *funcs[IPFT_TAP_MAX_FUNCS];
	guint n_funcs;                     /* in path order, returns excluded */
	const char *devs[IPFT_TAP_MAX_DEVS]; /* devices it was on (-x meta), in order */
	guint n_devs;
} ipft_tap_info_t;

void proto_register_ipft(void);
void proto_reg_handoff_ipft(void);
/* Registers the "ipft/Functions" and "ipft/Drop reasons" stats trees. */
void ipft_register_stats(void);
/* The collectors' keys as fields of their own (ipft-fields.c): registered
 * with the protocol; adds the item of a key/value attribute it knows
 * (TRUE), else nothing. */
struct ipft_rec;
struct ipft_attr_view;
void ipft_fields_register(int proto);
gboolean ipft_fields_add(proto_tree *et, tvbuff_t *ptvb, packet_info *pinfo,
			 const struct ipft_rec *r, const struct ipft_attr_view *a);

#endif
