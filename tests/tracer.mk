# tests of the tracer area: real traffic through real network namespaces,
# traced by ipft and read back through pcapng-dump and tshark (root).
check_PROGRAMS += tests/tracer/netpeer tests/tracer/test-packets tests/tracer/test-assemble \
	tests/tracer/test-headers tests/tracer/test-known-names tests/tracer/test-ftrace-list \
	tests/tracer/gen-split-trace
# a file of traces in Custom Blocks split in parts, for ipft trim
tests_tracer_gen_split_trace_SOURCES = tests/tracer/gen-split-trace.c
tests_tracer_gen_split_trace_LDADD = pcapng/libipftpcapng.la codec/libipftcodec.la
tests_tracer_netpeer_SOURCES = tests/tracer/netpeer.c
# the table of packets in flight, on its own (with the clock its wall times use)
tests_tracer_test_packets_SOURCES = tests/tracer/test-packets.c tracer/collect/packets.c tracer/collect/huge_pages.c \
	tracer/collect/clock.c
# records to packets to events, fed synthetic ring-buffer records
tests_tracer_test_assemble_SOURCES = tests/tracer/test-assemble.c tracer/collect/assemble.c \
	tracer/collect/lineage.c \
	tracer/collect/clock.c \
	tracer/collect/packets.c tracer/collect/huge_pages.c tracer/kernel/kallsyms.c tracer/kernel/read_file.c tracer/kernel/drop_reason.c tracer/kernel/vmlinux_btf.c \
	$(collector_sources)
# where a packet's headers end (--headers-only, ipft trim)
tests_tracer_test_headers_SOURCES = tests/tracer/test-headers.c tracer/output/headers.c
tests_tracer_test_headers_CPPFLAGS = $(AM_CPPFLAGS) # its own objects: headers.c is in libipftout too
# the names of the functions ftrace can attach, counted
tests_tracer_test_known_names_SOURCES = tests/tracer/test-known-names.c tracer/probes/known_names.c \
	tracer/probes/ftrace_list.c tracer/kernel/read_file.c
# the copy of their list kept between runs of one boot
tests_tracer_test_ftrace_list_SOURCES = tests/tracer/test-ftrace-list.c tracer/probes/ftrace_list.c \
	tracer/kernel/read_file.c
tests_tracer_test_assemble_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS)
tests_tracer_test_assemble_LDADD = codec/libipftcodec.la $(LIBBPF_LIBS) $(LIBELF_LIBS) $(ZLIB_LIBS)

tracer_tests = \
	tests/tracer/cli.sh \
	tests/tracer/options-doc.sh \
	tests/tracer/cli-table.sh \
	tests/tracer/udp-drop.sh \
	tests/tracer/tcp-handshake.sh \
	tests/tracer/mark-filter.sh \
	tests/tracer/stop.sh \
	tests/tracer/text-output.sh \
	tests/tracer/trace-blocks.sh \
	tests/tracer/lost-events.sh \
	tests/tracer/alive.sh \
	tests/tracer/map-full.sh \
	tests/tracer/map-race.sh \
	tests/tracer/signals.sh \
	tests/tracer/busy-ring.sh \
	tests/tracer/map-memory.sh \
	tests/tracer/output-files.sh \
	tests/tracer/capabilities.sh \
	tests/tracer/ipv6.sh \
	tests/tracer/shortcuts.sh \
	tests/tracer/snaplen.sh \
	tests/tracer/json-and-file.sh \
	tests/tracer/raw-tp.sh \
	tests/tracer/clock.sh \
	tests/tracer/time-order.sh \
	tests/tracer/raw-addresses.sh \
	tests/tracer/headers-only.sh \
	tests/tracer/trigger.sh \
	tests/tracer/trim-input.sh
TESTS += tests/tracer/test-packets tests/tracer/test-assemble tests/tracer/test-headers \
	tests/tracer/test-known-names tests/tracer/test-ftrace-list \
	$(tracer_tests)
SANITIZER_TESTS += tests/tracer/test-packets tests/tracer/test-assemble tests/tracer/test-headers \
	tests/tracer/test-known-names tests/tracer/test-ftrace-list
# ipft trim read back with the plugin
if ENABLE_WIRESHARK_PLUGIN
TESTS += tests/tracer/trim.sh
endif
EXTRA_DIST += $(tracer_tests) tests/tracer/common.sh tests/tracer/trim.sh
# the aggregate listing's layout (-t function_graph as ipftrace2 lays it out)
check_PROGRAMS += tests/tracer/test-text-out
tests_tracer_test_text_out_SOURCES = tests/tracer/test-text-out.c
tests_tracer_test_text_out_LDADD = tracer/output/libipftout.la pcapng/libipftpcapng.la \
	codec/libipftcodec.la
TESTS += tests/tracer/test-text-out
SANITIZER_TESTS += tests/tracer/test-text-out
