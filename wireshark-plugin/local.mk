# wireshark-plugin: ipft.so, the epan plugin that shows each packet's kernel
# path.  It links the trace codec (codec/libipftcodec.la) in and exports only
# Wireshark's plugin_* entry points.
if ENABLE_WIRESHARK_PLUGIN
wsplugin_epandir = $(wsplugindir)/epan
wsplugin_epan_LTLIBRARIES = wireshark-plugin/ipft.la
wireshark_plugin_ipft_la_SOURCES = \
	wireshark-plugin/plugin.c \
	wireshark-plugin/packet-ipft.c wireshark-plugin/packet-ipft.h \
	wireshark-plugin/ipft-snapshot.c wireshark-plugin/ipft-snapshot.h \
	wireshark-plugin/ipft-stats.c wireshark-plugin/ipft-fields.c \
	wireshark-plugin/ws_compat.h
wireshark_plugin_ipft_la_CFLAGS = $(AM_CFLAGS) $(WIRESHARK_CFLAGS) -fvisibility=hidden \
	-Wno-unused-parameter
wireshark_plugin_ipft_la_LDFLAGS = -module -avoid-version -shared -export-symbols-regex '^plugin_'
wireshark_plugin_ipft_la_LIBADD = codec/libipftcodec.la $(WIRESHARK_LIBS) -lwiretap
endif

# The plugin against trixie's Wireshark 4.4, in a debootstrapped chroot.
check-wireshark-compat:
	sh $(top_srcdir)/wireshark-plugin/check-compat.sh $(top_srcdir)
.PHONY: check-wireshark-compat
EXTRA_DIST += wireshark-plugin/check-compat.sh

# docs/screenshot-drop.png: the GUI with the plugin (needs xvfb, xdotool, imagemagick).
screenshot:
	sh $(top_srcdir)/wireshark-plugin/screenshot.sh $(top_srcdir) $(top_builddir)
.PHONY: screenshot
EXTRA_DIST += wireshark-plugin/screenshot.sh
