/* ipft-stats.c - Statistics > ipft: packets per function, per drop reason
 * and per device, fed by the dissector's "ipft" tap.  tshark: -z
 * ipft_funcs,tree, -z ipft_drops,tree and -z ipft_devs,tree. */
#include "wireshark-plugin/ws_compat.h"
#include "wireshark-plugin/packet-ipft.h"

#include <epan/stats_tree.h>

static int funcs_node = -1, drops_node = -1, devs_node = -1;

static void funcs_init(stats_tree *st)
{
	funcs_node = stats_tree_create_node(st, "Packets per function", 0, STAT_DT_INT, TRUE);
}

/* A packet counts once per function it passed, however often it did. */
static tap_packet_status funcs_packet(stats_tree *st, packet_info *pinfo _U_,
				      epan_dissect_t *edt _U_, const void *p, tap_flags_t flags _U_)
{
	const ipft_tap_info_t *t = (const ipft_tap_info_t *)p;

	tick_stat_node(st, "Packets per function", 0, FALSE);
	for (guint i = 0; i < t->n_funcs; i++) {
		gboolean seen = FALSE;
		for (guint j = 0; j < i && !seen; j++)
			seen = strcmp(t->funcs[i], t->funcs[j]) == 0;
		if (!seen)
			tick_stat_node(st, t->funcs[i], funcs_node, FALSE);
	}
	return TAP_PACKET_REDRAW;
}

static void drops_init(stats_tree *st)
{
	drops_node = stats_tree_create_node(st, "Dropped packets per reason", 0, STAT_DT_INT, TRUE);
}

static tap_packet_status drops_packet(stats_tree *st, packet_info *pinfo _U_,
				      epan_dissect_t *edt _U_, const void *p, tap_flags_t flags _U_)
{
	const ipft_tap_info_t *t = (const ipft_tap_info_t *)p;

	if (!t->drop_reason)
		return TAP_PACKET_DONT_REDRAW;
	tick_stat_node(st, "Dropped packets per reason", 0, FALSE);
	tick_stat_node(st, t->drop_reason, drops_node, FALSE);
	return TAP_PACKET_REDRAW;
}

static void devs_init(stats_tree *st)
{
	devs_node = stats_tree_create_node(st, "Packets per device", 0, STAT_DT_INT, TRUE);
}

/* A packet counts once per device it was on (-x meta). */
static tap_packet_status devs_packet(stats_tree *st, packet_info *pinfo _U_,
				     epan_dissect_t *edt _U_, const void *p, tap_flags_t flags _U_)
{
	const ipft_tap_info_t *t = (const ipft_tap_info_t *)p;

	if (!t->n_devs)
		return TAP_PACKET_DONT_REDRAW;
	tick_stat_node(st, "Packets per device", 0, FALSE);
	for (guint i = 0; i < t->n_devs; i++) {
		gboolean seen = FALSE;
		for (guint j = 0; j < i && !seen; j++)
			seen = strcmp(t->devs[i], t->devs[j]) == 0;
		if (!seen)
			tick_stat_node(st, t->devs[i], devs_node, FALSE);
	}
	return TAP_PACKET_REDRAW;
}

void ipft_register_stats(void)
{
	stats_tree_register_plugin("ipft", "ipft_funcs", "ipft/Functions", 0, funcs_packet,
				   funcs_init, NULL);
	stats_tree_register_plugin("ipft", "ipft_drops", "ipft/Drop reasons", 0, drops_packet,
				   drops_init, NULL);
	stats_tree_register_plugin("ipft", "ipft_devs", "ipft/Devices", 0, devs_packet,
				   devs_init, NULL);
}
