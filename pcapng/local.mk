# pcapng: the pcapng container, read and written (blocks, options, byte
# order); knows nothing of what ipft puts inside (codec/).
noinst_LTLIBRARIES += pcapng/libipftpcapng.la
pcapng_libipftpcapng_la_SOURCES = \
	pcapng/pcapng.h \
	pcapng/pcapng_opts.c \
	pcapng/pcapng_writer.c \
	pcapng/pcapng_reader.c
