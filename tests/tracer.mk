# tests of the tracer area
# netgen: the traffic the tracer tests and tests/demo.sh send.
noinst_PROGRAMS += tests/tracer/netgen
tests_tracer_netgen_SOURCES = tests/tracer/netgen.c
