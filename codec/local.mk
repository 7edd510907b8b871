# codec: the ipft trace record (what a packet met in the kernel), encoded and
# decoded; independent of the container.  Shared by the tracer, the tests,
# the fuzzers and (compiled in) the Wireshark plugin.
noinst_LTLIBRARIES += codec/libipftcodec.la
codec_libipftcodec_la_SOURCES = \
	codec/ipft_format.h \
	codec/ipft_format.c \
	codec/ipft_packed.h \
	codec/ipft_packed.c
