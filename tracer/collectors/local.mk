# tracer/collectors: what -x adds to each event.  A collector is its BPF
# side (NAME.bpf.h, compiled into bpf/ipft.bpf.o: see bpf/local.mk), the
# data slot or record both sides agree on (NAME_slot.h, NAME_rec.h) and
# the tracer's side (NAME.c), side by side.  A user extension (-e) is
# one more: ext.bpf.h calls its module(), ext_btf.c reads its struct,
# ext.c makes its key/values, ext_link.c links it into ipft's object.
# collector_sources make the key/values (the assembler's programs link
# them, with the codec: the packed keys' names); the loader's part (their
# own programs, --stack-at, linking) is the tracer's alone.
collector_sources = \
	tracer/collectors/collectors.h tracer/collectors/collectors.c \
	tracer/collectors/names.c tracer/collectors/keys.c tracer/collectors/kv_out.c \
	tracer/collectors/meta.c tracer/collectors/task.c tracer/collectors/stack.c \
	tracer/collectors/tpargs.h tracer/collectors/tpargs.c tracer/collectors/tpargs_btf.c \
	tracer/collectors/ext.h tracer/collectors/ext.c tracer/collectors/ext_btf.c
tracer_ipft_SOURCES += $(collector_sources) \
	tracer/collectors/hooks.c tracer/collectors/stack_at.c \
	tracer/collectors/ext_link.c tracer/collectors/ext_log.c
