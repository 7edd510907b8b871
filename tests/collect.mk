# tests of the collectors (-x, tracer/collectors/): their tracer side on
# made-up slots, then real traffic, each collector's keys in the file,
# through the plugin, in JSON and aggregate.
check_PROGRAMS += tests/collect/test-collect
tests_collect_test_collect_SOURCES = tests/collect/test-collect.c tracer/collect/assemble.c \
	tracer/collect/lineage.c \
	tracer/collect/clock.c tracer/collect/packets.c tracer/collect/huge_pages.c tracer/kernel/kallsyms.c tracer/kernel/read_file.c \
	tracer/kernel/drop_reason.c tracer/kernel/vmlinux_btf.c $(collector_sources)
tests_collect_test_collect_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS)
tests_collect_test_collect_LDADD = codec/libipftcodec.la $(LIBBPF_LIBS) $(LIBELF_LIBS) $(ZLIB_LIBS)
collect_tests = \
	tests/collect/meta.sh \
	tests/collect/task.sh \
	tests/collect/stack.sh \
	tests/collect/tpargs.sh \
	tests/collect/ext.sh \
	tests/collect/ext-bad.sh
TESTS += tests/collect/test-collect $(collect_tests)
EXTRA_DIST += $(collect_tests)
SANITIZER_TESTS += tests/collect/test-collect $(collect_tests)
