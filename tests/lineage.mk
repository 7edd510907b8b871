# tests of one packet across the changes of its skb and headers (issue 13:
# forwarding, NAT, snapshots, lineage): real traffic through namespaces.
lineage_tests = \
	tests/lineage/nat.sh \
	tests/lineage/tcp-analysis.sh \
	tests/lineage/tunnel.sh \
	tests/lineage/l2.sh \
	tests/lineage/clones.sh \
	tests/lineage/fragments.sh \
	tests/lineage/fragments6.sh \
	tests/lineage/fragments-forward.sh \
	tests/lineage/fragments-nat.sh \
	tests/lineage/gso.sh
TESTS += $(lineage_tests)
EXTRA_DIST += $(lineage_tests) tests/lineage/common.sh
SANITIZER_TESTS += $(lineage_tests)
# samples/lineage.pcapng through the plugin: no tracing
if ENABLE_WIRESHARK_PLUGIN
TESTS += tests/lineage/sample.sh
endif
EXTRA_DIST += tests/lineage/sample.sh
