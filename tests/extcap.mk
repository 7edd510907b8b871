# tests of ipft-extcap: the extcap protocol, tshark capturing through it
# as an unprivileged user (locally and over ssh), Wireshark's GUI.
extcap_tests = tests/extcap/protocol.sh tests/extcap/capture.sh tests/extcap/ssh.sh \
	tests/extcap/gui.sh
if ENABLE_WIRESHARK_PLUGIN
TESTS += $(extcap_tests)
endif
EXTRA_DIST += $(extcap_tests) tests/extcap/extcap-lib.sh
