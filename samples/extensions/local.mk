# samples/extensions: user extensions (-e) as a user writes them, against
# the installed header include/ipft/extension.h (ipftrace2's interface),
# compiled as its comment says.  make builds them; tests/collect/ext*.sh
# compile gso.bpf.c themselves, as a user does.
EXT_BPF_CFLAGS = -target bpf -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-I$(top_srcdir)/include $(LIBBPF_CFLAGS)
sample_extensions = samples/extensions/gso.bpf.o samples/extensions/sock.bpf.o

samples/extensions/gso.bpf.o: $(top_srcdir)/samples/extensions/gso.bpf.c \
		$(top_srcdir)/include/ipft/extension.h
	@$(MKDIR_P) samples/extensions
	$(AM_V_GEN)$(CLANG) $(EXT_BPF_CFLAGS) -c $(top_srcdir)/samples/extensions/gso.bpf.c -o $@

samples/extensions/sock.bpf.o: $(top_srcdir)/samples/extensions/sock.bpf.c \
		$(top_srcdir)/include/ipft/extension.h
	@$(MKDIR_P) samples/extensions
	$(AM_V_GEN)$(CLANG) $(EXT_BPF_CFLAGS) -c $(top_srcdir)/samples/extensions/sock.bpf.c -o $@

noinst_DATA += $(sample_extensions)
CLEANFILES += $(sample_extensions)
EXTRA_DIST += samples/extensions/gso.bpf.c samples/extensions/sock.bpf.c

ipftincludedir = $(includedir)/ipft
ipftinclude_HEADERS = include/ipft/extension.h
