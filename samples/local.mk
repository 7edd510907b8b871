# samples: small pcapng files showing the trace format, regenerated and
# compared by tests/pcapng/samples.sh, read by the plugin's tests.
noinst_PROGRAMS += samples/gen-samples
samples_gen_samples_SOURCES = samples/gen-samples.c
samples_gen_samples_LDADD = pcapng/libipftpcapng.la
SAMPLE_FILES = samples/udp-drop.pcapng samples/trace-blocks.pcapng \
	samples/tcp-handshake.pcapng samples/function-graph.pcapng \
	samples/big-trace.pcapng samples/kv.pcapng
EXTRA_DIST += $(SAMPLE_FILES)
