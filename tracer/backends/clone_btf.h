/* clone_btf.h - the function records a clone is loaded with (clone_btf.c). */
#ifndef IPFT_BACKENDS_CLONE_BTF_H
#define IPFT_BACKENDS_CLONE_BTF_H

#include <linux/bpf.h>
#include <stddef.h>

struct bpf_object;
struct bpf_program;

struct ipft_clone_btf {
	int btf_fd;                       /* the object's BTF; -1: load without */
	struct bpf_func_info *func_info;  /* one per function, by offset */
	size_t cnt;
};

/* The records for insns[0..n), a clone of obj's tmpl: none (cnt 0) when the
 * clone calls no global function or the object has no BTF.  -1: out of
 * memory. */
int ipft_clone_func_info(const struct bpf_object *obj, const struct bpf_program *tmpl,
			 const struct bpf_insn *insns, size_t n, struct ipft_clone_btf *out);
void ipft_clone_btf_free(struct ipft_clone_btf *c);

#endif
