# Shared test settings; each area owns its own fragment below.
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; top_builddir='$(abs_top_builddir)'; \
	TSHARK='$(TSHARK)'; CAPINFOS='$(CAPINFOS)'; WIRESHARK_MAJMIN='$(WIRESHARK_MAJMIN)'; \
	export top_srcdir top_builddir TSHARK CAPINFOS WIRESHARK_MAJMIN;
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
EXTRA_DIST += tests/lib.sh tests/run-all.sh tests/setup.sh tests/demo.sh

include tests/pcapng.mk
include tests/tracer.mk
include tests/plugin.mk
include tests/vm.mk
include tests/filter.mk
