/* noop-attach.c - the floor under bench/overhead's ratios.
 *
 *   noop-attach TRACEPOINT...   attach a BPF program that does nothing
 *                               ("return 0") to each raw tracepoint given;
 *                               print "attached N", hold until SIGINT/TERM
 *
 * What a packet pays for that is the kernel's own cost of running a BPF
 * program at each tracepoint it passes: no tracer that attaches there can
 * do better.  The program is two instructions, loaded once, attached many
 * times.
 */
#include <bpf/bpf.h>
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

int main(int argc, char **argv)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int prog, attached = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: noop-attach TRACEPOINT...\n");
		return 1;
	}
	prog = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "noop", "GPL", insns, 2, NULL);
	if (prog < 0) {
		fprintf(stderr, "noop-attach: cannot load the program: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 1; i < argc; i++)
		if (bpf_raw_tracepoint_open(argv[i], prog) >= 0)
			attached++;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("attached %d\n", attached);
	fflush(stdout);
	while (!stop)
		pause();
	return 0;
}
