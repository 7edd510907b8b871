# samples: deterministic example files (what ipft writes) for the plugin's
# tests and the documentation, written by the tracer's own pcapng writer
# (tracer/output/libipftout.la).  tests/pcapng/samples.sh checks that the
# generator still reproduces the checked-in files byte for byte.
noinst_PROGRAMS += samples/ipft-gen-samples
samples_ipft_gen_samples_SOURCES = samples/ipft-gen-samples.c
samples_ipft_gen_samples_LDADD = tracer/output/libipftout.la pcapng/libipftpcapng.la codec/libipftcodec.la
IPFT_SAMPLES = \
	samples/udp-drop.pcapng \
	samples/trace-blocks.pcapng \
	samples/tcp-handshake.pcapng \
	samples/function-graph.pcapng \
	samples/big-trace.pcapng \
	samples/kv.pcapng \
	samples/lineage.pcapng
EXTRA_DIST += $(IPFT_SAMPLES)
