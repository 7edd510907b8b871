/* ws_compat.h - what differs between the Wireshark versions the plugin
 * builds against (4.0 in Debian 12, 4.4 in Debian 13, 4.6 in Debian testing).
 */
#ifndef IPFT_WS_COMPAT_H
#define IPFT_WS_COMPAT_H

#define WS_BUILD_DLL
#include <wireshark.h>          /* glib, ws_version.h */
#include <wiretap/wtap.h>
#include <wiretap/wtap_opttypes.h>

#define IPFT_WS_AT_LEAST(maj, min)                 \
	(WIRESHARK_VERSION_MAJOR > (maj) ||        \
	 (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* The custom binary option's fields were renamed in 4.6. */
#if IPFT_WS_AT_LEAST(4, 6)
#define IPFT_OPT_PEN(o) ((o)->custom_binaryval.pen)
#define IPFT_OPT_DATA(o) ((const guint8 *)(o)->custom_binaryval.data.custom_data)
#define IPFT_OPT_LEN(o) ((o)->custom_binaryval.data.custom_data_len)
#else
#define IPFT_OPT_PEN(o) ((o)->custom_opt.pen)
#define IPFT_OPT_DATA(o) ((const guint8 *)(o)->custom_opt.data.generic_data.custom_data)
#define IPFT_OPT_LEN(o) ((o)->custom_opt.data.generic_data.custom_data_len)
#endif

/* wtap_block_foreach_func returns gboolean in 4.0 and bool in 4.4: take
 * whatever the installed header declares (GCC 14 rejects a mismatch). */
typedef __typeof__(((wtap_block_foreach_func)0)(NULL, 0, (wtap_opttype_e)0, NULL, NULL))
	ipft_foreach_ret_t;

#endif
