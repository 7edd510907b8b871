/* packet-ipft.h - what the dissector tells its statistics (the "ipft" tap). */
#ifndef IPFT_PACKET_IPFT_H
#define IPFT_PACKET_IPFT_H

#include <glib.h>

#define IPFT_TAP_MAX_FUNCS 512

typedef struct {
	guint64 packet_id;
	const char *drop_reason;           /* NULL: not dropped */
	const char *funcs[IPFT_TAP_MAX_FUNCS];
	guint n_funcs;                     /* in path order, returns excluded */
} ipft_tap_info_t;

void proto_register_ipft(void);
void proto_reg_handoff_ipft(void);
/* Registers the "ipft/Functions" and "ipft/Drop reasons" stats trees. */
void ipft_register_stats(void);

#endif
