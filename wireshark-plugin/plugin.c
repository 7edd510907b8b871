/* plugin.c - the entry points Wireshark looks up in a plugin (4.0-4.6). */
#include "wireshark-plugin/ws_compat.h"
#include "wireshark-plugin/packet-ipft.h"
#include "config.h"

#include <epan/packet.h>
#if IPFT_WS_AT_LEAST(4, 2)
#include <wsutil/plugins.h> /* WS_PLUGIN_DESC_*; Debian's 4.0 -dev lacks it */
#endif

WS_DLL_PUBLIC_DEF const char plugin_version[] = PACKAGE_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
void plugin_register(void)
{
	static proto_plugin plug;

	plug.register_protoinfo = proto_register_ipft;
	plug.register_handoff = proto_reg_handoff_ipft;
	proto_register_plugin(&plug);
}

#if IPFT_WS_AT_LEAST(4, 2)
WS_DLL_PUBLIC uint32_t plugin_describe(void);
uint32_t plugin_describe(void)
{
	return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
