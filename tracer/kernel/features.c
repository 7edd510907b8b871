/* features.c - probe the BPF features ipft can do without (features.h). */
#include "tracer/kernel/features.h"
#include "tracer/kernel/vmlinux_btf.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define INSN(c, d, s, o, i) \
	{ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }
#define RET0 INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0), \
	INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
/* *(u64 *)(r10 - 8) = 0; r2 = r10 - 8: a stack slot for a helper */
#define STACK_SLOT_R2 INSN(BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, -8, 0), \
	INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0), \
	INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -8)
#define CALL(fn) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, fn)

static struct ipft_kernel_features features;
static bool fentry_loads; /* else the fentry helpers are nobody's concern */
static pthread_once_t probed = PTHREAD_ONCE_INIT;

/* Whether the kernel loads insns as a program of this type. */
static bool loads(enum bpf_prog_type type, enum bpf_attach_type attach, int btf_id,
		  const struct bpf_insn *insns, size_t n)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = attach,
		    .attach_btf_id = btf_id > 0 ? (unsigned)btf_id : 0);
	int fd = bpf_prog_load(type, "ipft_feature", "GPL", insns, n, &o);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static bool atomic_fetch(void)
{
	const struct bpf_insn insns[] = {
		INSN(BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, -8, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 1),
		INSN(BPF_STX | BPF_ATOMIC | BPF_DW, BPF_REG_10, BPF_REG_1, -8, BPF_ADD | BPF_FETCH),
		RET0,
	};
	return loads(BPF_PROG_TYPE_SOCKET_FILTER, 0, 0, insns, sizeof(insns) / sizeof(insns[0]));
}

/* fentry/fexit helpers, on a function every kernel has (kfree_skbmem). */
static void probe_tracing(const struct btf *btf)
{
	const struct bpf_insn plain[] = { RET0 };
	const struct bpf_insn func_ip[] = { CALL(BPF_FUNC_get_func_ip), RET0 };
	const struct bpf_insn func_ret[] = { STACK_SLOT_R2, CALL(BPF_FUNC_get_func_ret), RET0 };
	int id = btf ? btf__find_by_name_kind(btf, "kfree_skbmem", BTF_KIND_FUNC) : -1;

	fentry_loads = id > 0 && loads(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, id, plain,
				       sizeof(plain) / sizeof(plain[0]));
	if (!fentry_loads)
		return;
	features.tracing_func_ip = loads(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, id, func_ip,
					 sizeof(func_ip) / sizeof(func_ip[0]));
	features.func_ret = loads(BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, id, func_ret,
				  sizeof(func_ret) / sizeof(func_ret[0]));
}

/* Whether a program of this type may call bpf_rdonly_cast (fn, its BTF
 * id) on an sk_buff: the kfunc is 6.2's, and kfuncs need a JIT. */
static bool rdonly_cast(const struct btf *btf, int fn, enum bpf_prog_type type)
{
	int skb = btf__find_by_name_kind(btf, "sk_buff", BTF_KIND_STRUCT);
	const struct bpf_insn insns[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, skb),
		INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, fn),
		RET0,
	};
	return skb > 0 && loads(type, 0, 0, insns, sizeof(insns) / sizeof(insns[0]));
}

static void probe_skb_cast(const struct btf *btf)
{
	int fn = btf ? btf__find_by_name_kind(btf, "bpf_rdonly_cast", BTF_KIND_FUNC) : -1;

	if (fn <= 0)
		return;
	features.raw_tp_skb_cast = rdonly_cast(btf, fn, BPF_PROG_TYPE_RAW_TRACEPOINT);
	features.kprobe_skb_cast = rdonly_cast(btf, fn, BPF_PROG_TYPE_KPROBE);
	features.rdonly_cast_id = fn;
}

static bool helper(enum bpf_prog_type type, enum bpf_func_id fn)
{
	return libbpf_probe_bpf_helper(type, fn, NULL) == 1;
}

static void probe(void)
{
	struct btf *btf = ipft_vmlinux_btf_get();

	features.tai_clock = helper(BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_FUNC_ktime_get_tai_ns);
	features.atomic_fetch = atomic_fetch();
	features.kprobe_func_ip = helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_func_ip);
	features.kprobe_cookie = helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_attach_cookie);
	features.raw_tp_cookie = helper(BPF_PROG_TYPE_RAW_TRACEPOINT, BPF_FUNC_get_attach_cookie);
	features.drop_reasons =
		btf && btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM) > 0;
	probe_tracing(btf);
	probe_skb_cast(btf);
	ipft_vmlinux_btf_put(btf);
}

const struct ipft_kernel_features *ipft_kernel_features(void)
{
	pthread_once(&probed, probe);
	return &features;
}

void ipft_kernel_features_report(void)
{
	const struct ipft_kernel_features *f = ipft_kernel_features();
	static const char *const missing[] = {
		"no drop reasons (skb:kfree_skb has no reason argument before Linux 5.17): "
		"a drop's reason is written as UNKNOWN",
		"no atomic fetch-and-add (Linux 5.12): packet ids count up with the CPU "
		"number in their low bits",
		"no bpf_get_func_ip in kprobes (Linux 5.15): function addresses come from "
		"/proc/kallsyms",
		"no kprobe attach cookies (Linux 5.15): -b kprobe finds each function by its "
		"address (/proc/kallsyms)",
		"no bpf_get_func_ip in fentry/fexit (Linux 5.15): function addresses come from "
		"/proc/kallsyms",
		"no bpf_get_func_ret (Linux 5.17): fexit reads the return value after the "
		"arguments",
		"no bpf_ktime_get_tai_ns (Linux 6.1): wall-clock times come from the offset "
		"measured in user space",
		"no attach cookies on raw tracepoints (Linux 6.10): each tracepoint gets a "
		"program of its own (a typed clone)",
		"no bpf_rdonly_cast in raw tracepoints (Linux 6.2): raw_tp programs read "
		"each sk_buff field through a helper call",
		"no bpf_rdonly_cast in kprobes (Linux 6.2): kprobe programs read each "
		"sk_buff field through a helper call",
	};
	/* Without fentry at all (the backend says so), its helpers go unsaid. */
	const bool has[] = { f->drop_reasons, f->atomic_fetch, f->kprobe_func_ip,
			     f->kprobe_cookie, f->tracing_func_ip || !fentry_loads,
			     f->func_ret || !fentry_loads, f->tai_clock, f->raw_tp_cookie,
			     f->raw_tp_skb_cast, f->kprobe_skb_cast };

	_Static_assert(sizeof(has) / sizeof(has[0]) == sizeof(missing) / sizeof(missing[0]),
		       "a sentence per feature");
	for (size_t i = 0; i < sizeof(has) / sizeof(has[0]); i++)
		if (!has[i])
			fprintf(stderr, "ipft: this kernel has %s\n", missing[i]);
}
