# Shared test settings; each area owns its own fragment below.
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; top_builddir='$(abs_top_builddir)'; \
	TSHARK='$(TSHARK)'; CAPINFOS='$(CAPINFOS)'; WIRESHARK_MAJMIN='$(WIRESHARK_MAJMIN)'; \
	CLANG='$(CLANG)'; export top_srcdir top_builddir TSHARK CAPINFOS WIRESHARK_MAJMIN CLANG;
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = /bin/sh
# check-sanitizers runs the tests listed here (user space only: tshark
# cannot load an ASan-built plugin) in a tree built with ASan + UBSan.
SANITIZER_TESTS =
check-sanitizers:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$(SANITIZER_TESTS)" IPFT_NO_VM=1
.PHONY: check-sanitizers

EXTRA_DIST += tests/lib.sh tests/run-all.sh tests/setup.sh tests/demo.sh tests/unit_check.h

include tests/pcapng.mk
include tests/tracer.mk
include tests/collect.mk
include tests/lineage.mk
include tests/plugin.mk
include tests/vm.mk
include tests/filter.mk
include tests/extcap.mk

# The tracer's tests run ipft itself on real traffic: under the sanitizer
# build they check the whole user-space tracer with ASan + UBSan.
SANITIZER_TESTS += $(tracer_tests)
