# extcap: ipft-extcap makes ipft a capture interface of Wireshark, tshark
# and dumpcap: "ipft" traces this host, "ipft-ssh" another one over ssh
# (docs/extcap.md).  It links ipft's option table, from which it builds
# the capture dialog, and ipft's filter compiler and translator, with
# which it checks capture filters; it runs ipft itself for the rest.
extcapdir = $(wsextcapdir)
extcap_PROGRAMS = extcap/ipft-extcap
extcap_ipft_extcap_SOURCES = \
	extcap/main.c extcap/steps.h \
	extcap/request.c extcap/request.h \
	extcap/own_options.c extcap/own_options.h \
	extcap/forwarded.c extcap/forwarded.h \
	extcap/interfaces.c \
	extcap/dialog.c extcap/dialog.h \
	extcap/config.c \
	extcap/values.c extcap/values.h \
	extcap/reload.c \
	extcap/ipft_list.c extcap/ipft_list.h \
	extcap/filter_check.c \
	extcap/capture.c \
	extcap/child.c extcap/child.h \
	extcap/command.c extcap/command.h \
	extcap/remote_script.c extcap/remote_script.h \
	extcap/diagnose.c extcap/diagnose.h \
	extcap/log.c extcap/log.h \
	extcap/no_backends.c \
	tracer/cli/cli.c tracer/cli/option_table.c tracer/cli/help.c tracer/cli/netns.c \
	tracer/collectors/names.c \
	tracer/filter/pcap_compile.c tracer/filter/cbpf_xlat.c tracer/filter/trigger_parse.c
extcap_ipft_extcap_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS) \
	-DIPFT_DEFAULT_PATH='"$(sbindir)/ipft"' -DXC_HELP_URL='"file://$(docdir)/extcap.md"'
extcap_ipft_extcap_LDADD = $(LIBPCAP_LIBS) -lpthread

dist_doc_DATA += docs/extcap.md

# Opt-in: ipft traces without root, with exactly the capabilities it
# needs (CAP_BPF, CAP_PERFMON), for the members of IPFT_CAPS_GROUP only
# (empty: for every user).  Needs root and setcap (libcap2-bin).
IPFT_CAPS_GROUP = wireshark
install-capabilities:
	sh $(top_srcdir)/extcap/install-capabilities.sh '$(DESTDIR)$(sbindir)/ipft' '$(IPFT_CAPS_GROUP)'
.PHONY: install-capabilities
EXTRA_DIST += extcap/install-capabilities.sh

# distcheck installs below its own prefix only.
AM_DISTCHECK_CONFIGURE_FLAGS = --with-wireshark-extcapdir='$${libdir}/wireshark/extcap'

# docs/extcap-*.png: the GUI check (tests/extcap/gui.sh) keeps its
# screenshots (needs root, xvfb, xdotool, imagemagick, wireshark-qt).
extcap-screenshots: all tests/tracer/netpeer$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' TSHARK='$(TSHARK)' \
	CAPINFOS='$(CAPINFOS)' WIRESHARK_MAJMIN='$(WIRESHARK_MAJMIN)' \
	IPFT_SCREENSHOTS='$(abs_top_srcdir)/docs' sh $(top_srcdir)/tests/extcap/gui.sh
.PHONY: extcap-screenshots
dist_doc_DATA += docs/extcap-interfaces.png docs/extcap-options-local.png \
	docs/extcap-options-remote.png docs/extcap-capture.png docs/extcap-no-privileges.png

# ipft-extcap against the Wireshark versions of the plugin's compat check
# (their chroots: make check-wireshark-compat first).
check-extcap-compat: extcap/ipft-extcap$(EXEEXT)
	sh $(top_srcdir)/extcap/check-compat.sh $(top_srcdir) $(top_builddir)
.PHONY: check-extcap-compat
EXTRA_DIST += extcap/check-compat.sh tests/extcap/compat.sh
