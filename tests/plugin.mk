# tests of the Wireshark plugin: tshark with the plugin from the build tree
if ENABLE_WIRESHARK_PLUGIN
check_PROGRAMS += tests/plugin/gen-malformed
tests_plugin_gen_malformed_SOURCES = tests/plugin/gen-malformed.c
tests_plugin_gen_malformed_LDADD = pcapng/libipftpcapng.la codec/libipftcodec.la
TESTS += tests/plugin/samples.sh tests/plugin/robustness.sh tests/plugin/live.sh \
	tests/plugin/live-expert.sh tests/plugin/live-blocks.sh
endif
EXTRA_DIST += tests/plugin/plugin-lib.sh tests/plugin/samples.sh tests/plugin/robustness.sh tests/plugin/live.sh \
	tests/plugin/live-expert.sh tests/plugin/live-blocks.sh
# Wireshark's file tools (editcap, reordercap, tshark -w) on real traces
if ENABLE_WIRESHARK_PLUGIN
TESTS += tests/plugin/tools-real.sh
endif
EXTRA_DIST += tests/plugin/tools-real.sh
