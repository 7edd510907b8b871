/* noop-attach.c - the floor under bench/overhead's ratios.
 *
 *   noop-attach TRACEPOINT...      attach a BPF program that does nothing
 *                                  ("return 0") to each raw tracepoint
 *                                  given; print "attached N", hold until
 *                                  SIGINT/TERM
 *   noop-attach -p TRACEPOINT...   the same with one typed (tp_btf)
 *                                  program per tracepoint, as ipft loads
 *                                  them
 *
 * What a packet pays for that is the kernel's own cost of running a BPF
 * program at each tracepoint it passes: no tracer that attaches there can
 * do better.  Without -p the program is two instructions, loaded once,
 * attached many times: the lowest floor.  A tracer that runs a program of
 * its own at each tracepoint (ipft: a clone per tracepoint, verified
 * against its BTF type) also pays for a kernel program object, a JIT
 * image and a recursion counter per tracepoint; -p measures that floor.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static const struct bpf_insn noop[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};
#define NOOP_LEN (sizeof(noop) / sizeof(noop[0]))

/* One tp_btf program for the tracepoint name, attached; whether it was. */
static int attach_typed(const struct btf *vmlinux, const char *name)
{
	char type[128];
	int id, prog;

	snprintf(type, sizeof(type), "btf_trace_%s", name);
	if ((id = btf__find_by_name_kind(vmlinux, type, BTF_KIND_TYPEDEF)) < 0) {
		fprintf(stderr, "noop-attach: %s: no such tracepoint in the kernel's BTF\n", name);
		return 0;
	}
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP,
		    .attach_btf_id = (__u32)id);
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "noop", "GPL", noop, NOOP_LEN, &opts);
	return prog >= 0 && bpf_raw_tracepoint_open(NULL, prog) >= 0;
}

int main(int argc, char **argv)
{
	int per_tracepoint = argc > 1 && !strcmp(argv[1], "-p");
	int first = 1 + per_tracepoint, prog = -1, attached = 0;
	struct btf *vmlinux = NULL;

	if (argc <= first) {
		fprintf(stderr, "usage: noop-attach [-p] TRACEPOINT...\n");
		return 1;
	}
	if (per_tracepoint && !(vmlinux = btf__load_vmlinux_btf())) {
		fprintf(stderr, "noop-attach: cannot read the kernel's BTF: %s\n", strerror(errno));
		return 1;
	}
	if (!per_tracepoint &&
	    (prog = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "noop", "GPL", noop, NOOP_LEN,
				  NULL)) < 0) {
		fprintf(stderr, "noop-attach: cannot load the program: %s\n", strerror(errno));
		return 1;
	}
	for (int i = first; i < argc; i++)
		attached += per_tracepoint ? attach_typed(vmlinux, argv[i])
					   : bpf_raw_tracepoint_open(argv[i], prog) >= 0;
	btf__free(vmlinux);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("attached %d\n", attached);
	fflush(stdout);
	while (!stop)
		pause();
	return 0;
}
