# tests of the tracer area: real traffic through real network namespaces,
# traced by ipft and read back through pcapng-dump and tshark (root).
check_PROGRAMS += tests/tracer/netpeer tests/tracer/test-packets
tests_tracer_netpeer_SOURCES = tests/tracer/netpeer.c
# the table of packets in flight, on its own
tests_tracer_test_packets_SOURCES = tests/tracer/test-packets.c tracer/collect/packets.c

tracer_tests = \
	tests/tracer/cli.sh \
	tests/tracer/udp-drop.sh \
	tests/tracer/tcp-handshake.sh \
	tests/tracer/mark-filter.sh \
	tests/tracer/stop.sh \
	tests/tracer/text-output.sh \
	tests/tracer/trace-blocks.sh \
	tests/tracer/lost-events.sh \
	tests/tracer/alive.sh \
	tests/tracer/map-full.sh
TESTS += tests/tracer/test-packets $(tracer_tests)
SANITIZER_TESTS += tests/tracer/test-packets
EXTRA_DIST += $(tracer_tests) tests/tracer/common.sh
