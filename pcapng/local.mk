# pcapng: the pcapng reader/writer and the ipft trace format, shared by the
# tracer, the tests and (ipft_format.c) the Wireshark plugin.
noinst_LTLIBRARIES += pcapng/libipftpcapng.la
pcapng_libipftpcapng_la_SOURCES = \
	pcapng/pcapng.h \
	pcapng/pcapng_opts.c \
	pcapng/pcapng_writer.c \
	pcapng/pcapng_reader.c \
	pcapng/ipft_format.h \
	pcapng/ipft_format.c
