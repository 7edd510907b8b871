/* cbpf_xlat.c - classic BPF to eBPF, for pcap-filter expressions.
 *
 * Registers: A = R7, X = R8, packet = R6, captured length = R9; the wire
 * length and the scratch memory M[0..15] live on the stack.  Each classic
 * instruction becomes a short eBPF sequence:
 *
 *   ld/ldh/ldb [k]      if len < k+size: return 0; A = be(*(buf + k))
 *                       (k+size > buf_max: "if len >= 0: return 0")
 *   ld/ldh/ldb [x+k]    off = X + k; if off > buf_max - size or
 *                       off + size > len: return 0; A = be(*(buf + off))
 *   ldx 4*([k]&0xf)     the byte load above, then X = (b & 0xf) << 2
 *   ld #len, ldx #len   A/X = wire length
 *   ld/ldx #k, M[k]     immediate / stack slot
 *   st/stx M[k]         stack slot = A / X
 *   alu op #k / x       32-bit op on A (same opcodes); division or modulo
 *                       by X == 0 returns 0, shifts by X >= 32 give 0, as
 *                       in libpcap's bpf_filter()
 *   jmp ja/jeq/jgt/jge/jset   JMP32 (unsigned 32-bit) to the translated
 *                       targets; two-way jumps become a conditional and a ja;
 *                       a backward ja (a loop: 'protochain') is refused
 *   ret #k / a          R0 = k / A; exit
 *   tax / txa           X = A / A = X
 *
 * The constant bound on every offset (buf_max - size) is what lets the
 * verifier accept the loads; the comparison with the captured length is
 * what makes the result equal bpf_filter()'s.  Jumps are fixed up after
 * all instructions are emitted, since one classic instruction takes a
 * varying number of eBPF ones.
 */
#include "tracer/filter/cbpf_xlat.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define R_A BPF_REG_7
#define R_X BPF_REG_8
#define R_BUF BPF_REG_6
#define R_LEN BPF_REG_9
#define WIRELEN_OFF (-72)           /* u32 at r10 - 72 */
#define MEM_SLOTS 16                /* M[0..15] */
#define MEM_OFF(k) (-64 + 4 * (int)(k)) /* M[k] at r10 - 64 + 4k */
/* What the jump fix-up does with each emitted instruction: a classic pc
 * (jump there), or one of these. */
#define TARGET_FAIL (-1)  /* jump to the shared "return 0" */
#define TARGET_NONE (-2)  /* no fix-up: not a jump, or a jump within its sequence */

struct emitter {
	struct bpf_insn *v;
	int *target;          /* per eBPF insn: classic target pc, TARGET_FAIL or TARGET_NONE */
	size_t n, cap;
	bool oom;
};

static void emit_jump(struct emitter *e, struct bpf_insn insn, int target)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 256;
		struct bpf_insn *v = realloc(e->v, cap * sizeof(*v));
		if (v)
			e->v = v;
		int *t = v ? realloc(e->target, cap * sizeof(*t)) : NULL;
		if (t)
			e->target = t;
		if (!v || !t) {
			e->oom = true;
			return;
		}
		e->cap = cap;
	}
	e->v[e->n] = insn;
	e->target[e->n++] = target;
}

/* An instruction whose offset needs no fix-up. */
static void emit(struct emitter *e, struct bpf_insn insn)
{
	emit_jump(e, insn, TARGET_NONE);
}

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define MOV64_REG(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV32_REG(d, s) INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV32_IMM(d, i) INSN(BPF_ALU | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ALU64_IMM(op, d, i) INSN(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define ALU64_REG(op, d, s) INSN(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define LDX(size, d, s, o) INSN(BPF_LDX | (size) | BPF_MEM, d, s, o, 0)
#define STX(size, d, s, o) INSN(BPF_STX | (size) | BPF_MEM, d, s, o, 0)
#define ST_IMM(size, d, o, i) INSN(BPF_ST | (size) | BPF_MEM, d, 0, o, i)
#define JMP_IMM(op, d, i) INSN(BPF_JMP | (op) | BPF_K, d, 0, 0, i)
#define JMP_REG(op, d, s) INSN(BPF_JMP | (op) | BPF_X, d, s, 0, 0)
#define JMP32_IMM(op, d, i) INSN(BPF_JMP32 | (op) | BPF_K, d, 0, 0, i)
#define JMP32_REG(op, d, s) INSN(BPF_JMP32 | (op) | BPF_X, d, s, 0, 0)
#define JA() INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define BE(d, bits) INSN(BPF_ALU | BPF_END | BPF_TO_BE, d, 0, 0, bits)

static int xerr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static unsigned load_size(uint16_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_W: return 4;
	case BPF_H: return 2;
	default: return 1;
	}
}

/* dst = packet bytes at [R_BUF + k] or [R_BUF + X + k], big-endian, or
 * return 0 when out of the captured bytes.  A load that can never be
 * within the copy jumps to "return 0" with a condition that always holds
 * (length >= 0): an unconditional jump would leave the instructions after
 * it unreachable, which the verifier rejects. */
static int emit_load(struct emitter *e, int dst, unsigned size, bool indirect, uint32_t k,
		     unsigned buf_max)
{
	int bpf_size = size == 4 ? BPF_W : size == 2 ? BPF_H : BPF_B;

	if (!indirect) {
		if ((uint64_t)k + size > buf_max) {
			emit_jump(e, JMP_IMM(BPF_JGE, R_LEN, 0), TARGET_FAIL);
			return 0;
		}
		emit_jump(e, JMP_IMM(BPF_JLT, R_LEN, (int32_t)(k + size)), TARGET_FAIL);
		emit(e, LDX(bpf_size, dst, R_BUF, (int16_t)k));
	} else {
		if (k > buf_max) {
			emit_jump(e, JMP_IMM(BPF_JGE, R_LEN, 0), TARGET_FAIL);
			return 0;
		}
		emit(e, MOV32_REG(BPF_REG_1, R_X));              /* r1 = X (zero-extended) */
		emit(e, ALU64_IMM(BPF_ADD, BPF_REG_1, (int32_t)k)); /* no wrap in 64 bits */
		emit_jump(e, JMP_IMM(BPF_JGT, BPF_REG_1, (int32_t)(buf_max - size)), TARGET_FAIL);
		emit(e, MOV64_REG(BPF_REG_2, BPF_REG_1));
		emit(e, ALU64_IMM(BPF_ADD, BPF_REG_2, (int32_t)size));
		emit_jump(e, JMP_REG(BPF_JGT, BPF_REG_2, R_LEN), TARGET_FAIL);
		emit(e, MOV64_REG(BPF_REG_2, R_BUF));
		emit(e, ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_1));
		emit(e, LDX(bpf_size, dst, BPF_REG_2, 0));
	}
	if (size > 1)
		emit(e, BE(dst, (int32_t)(size * 8)));
	return 0;
}

/* A (ld) or X (ldx) = packet bytes, the wire length, an immediate or
 * M[k]; ldx 4*([k]&0xf) too. */
static int translate_load(struct emitter *e, const struct sock_filter *f, size_t pc,
			  unsigned buf_max, char *err, size_t errlen)
{
	uint16_t code = f->code;
	uint32_t k = f->k;
	int dst = BPF_CLASS(code) == BPF_LD ? R_A : R_X;

	switch (BPF_MODE(code)) {
	case BPF_ABS:
	case BPF_IND:
		if (dst != R_A)
			break;
		if (BPF_MODE(code) == BPF_ABS && k >= 0x80000000u)
			return xerr(err, errlen, "instruction %zu: Linux ancillary loads are not "
				    "supported", pc);
		return emit_load(e, R_A, load_size(code), BPF_MODE(code) == BPF_IND, k, buf_max);
	case BPF_MSH:
		if (dst != R_X)
			break;
		emit_load(e, R_X, 1, false, k, buf_max);
		emit(e, INSN(BPF_ALU | BPF_AND | BPF_K, R_X, 0, 0, 0xf));
		emit(e, INSN(BPF_ALU | BPF_LSH | BPF_K, R_X, 0, 0, 2));
		return 0;
	case BPF_LEN:
		emit(e, LDX(BPF_W, dst, BPF_REG_10, WIRELEN_OFF));
		return 0;
	case BPF_IMM:
		emit(e, MOV32_IMM(dst, (int32_t)k));
		return 0;
	case BPF_MEM:
		if (k >= MEM_SLOTS)
			return xerr(err, errlen, "instruction %zu: M[%u] out of range", pc, k);
		emit(e, LDX(BPF_W, dst, BPF_REG_10, MEM_OFF(k)));
		return 0;
	}
	return xerr(err, errlen, "instruction %zu: unsupported opcode 0x%04x", pc, code);
}

/* A = A op k or A op X, with bpf_filter()'s answers for a division by
 * zero (return 0) and shifts by 32 or more (0). */
static int translate_alu(struct emitter *e, const struct sock_filter *f, size_t pc, char *err,
			 size_t errlen)
{
	uint16_t code = f->code, op = BPF_OP(code);
	uint32_t k = f->k;

	if (op == BPF_NEG) {
		emit(e, INSN(BPF_ALU | BPF_NEG, R_A, 0, 0, 0));
		return 0;
	}
	if (op > BPF_XOR)
		return xerr(err, errlen, "instruction %zu: unknown ALU op 0x%x", pc, op);
	if (BPF_SRC(code) == BPF_K) {
		if ((op == BPF_DIV || op == BPF_MOD) && k == 0)
			return xerr(err, errlen, "instruction %zu: division by zero", pc);
		if ((op == BPF_LSH || op == BPF_RSH) && k >= 32) {
			emit(e, MOV32_IMM(R_A, 0));
			return 0;
		}
		emit(e, INSN(BPF_ALU | op | BPF_K, R_A, 0, 0, (int32_t)k));
		return 0;
	}
	if (op == BPF_DIV || op == BPF_MOD)
		emit_jump(e, JMP32_IMM(BPF_JEQ, R_X, 0), TARGET_FAIL);
	if (op == BPF_LSH || op == BPF_RSH) {
		/* if X >= 32: A = 0, else shift */
		emit(e, INSN(BPF_JMP32 | BPF_JLT | BPF_K, R_X, 0, 2, 32));
		emit(e, MOV32_IMM(R_A, 0));
		emit(e, INSN(BPF_JMP | BPF_JA, 0, 0, 1, 0));
	}
	emit(e, INSN(BPF_ALU | op | BPF_X, R_A, R_X, 0, 0));
	return 0;
}

/* ja, or a comparison of A with k or X that goes to jt or jf. */
static int translate_jump(struct emitter *e, const struct sock_filter *f, size_t pc, size_t n,
			  char *err, size_t errlen)
{
	uint16_t code = f->code, op = BPF_OP(code);
	uint32_t k = f->k;
	size_t t = pc + 1 + f->jt, fl = pc + 1 + f->jf;

	if (op == BPF_JA) {
		/* k is unsigned in bpf_filter(): a "negative" k is a backward
		 * jump, which libpcap makes for protochain. */
		if (k >= 0x80000000u)
			return xerr(err, errlen, "instruction %zu: a backward jump (a loop, as "
				    "'protochain' makes) cannot run in the kernel", pc);
		if (pc + 1 + k >= n)
			return xerr(err, errlen, "instruction %zu: jump out of the program", pc);
		emit_jump(e, JA(), (int)(pc + 1 + k));
		return 0;
	}
	if (t >= n || fl >= n)
		return xerr(err, errlen, "instruction %zu: jump out of the program", pc);
	if (op != BPF_JEQ && op != BPF_JGT && op != BPF_JGE && op != BPF_JSET)
		return xerr(err, errlen, "instruction %zu: unknown jump 0x%x", pc, op);
	if (BPF_SRC(code) == BPF_K)
		emit_jump(e, JMP32_IMM(op, R_A, (int32_t)k), (int)t);
	else
		emit_jump(e, JMP32_REG(op, R_A, R_X), (int)t);
	if (fl != pc + 1)
		emit_jump(e, JA(), (int)fl);
	return 0;
}

static int translate_one(struct emitter *e, const struct sock_filter *f, size_t pc, size_t n,
			 unsigned buf_max, char *err, size_t errlen)
{
	uint16_t code = f->code;
	uint32_t k = f->k;

	switch (BPF_CLASS(code)) {
	case BPF_LD:
	case BPF_LDX:
		return translate_load(e, f, pc, buf_max, err, errlen);
	case BPF_ST:
	case BPF_STX:
		if (k >= MEM_SLOTS)
			return xerr(err, errlen, "instruction %zu: M[%u] out of range", pc, k);
		emit(e, STX(BPF_W, BPF_REG_10, BPF_CLASS(code) == BPF_ST ? R_A : R_X, MEM_OFF(k)));
		return 0;
	case BPF_ALU:
		return translate_alu(e, f, pc, err, errlen);
	case BPF_JMP:
		return translate_jump(e, f, pc, n, err, errlen);
	case BPF_RET:
		if (BPF_RVAL(code) == BPF_A)
			emit(e, MOV32_REG(BPF_REG_0, R_A));
		else
			emit(e, MOV32_IMM(BPF_REG_0, (int32_t)k));
		emit(e, EXIT());
		return 0;
	case BPF_MISC:
		if (BPF_MISCOP(code) == BPF_TAX)
			emit(e, MOV32_REG(R_X, R_A));
		else
			emit(e, MOV32_REG(R_A, R_X));
		return 0;
	}
	return xerr(err, errlen, "instruction %zu: unsupported opcode 0x%04x", pc, code);
}

int ipft_cbpf_xlat(const struct sock_filter *in, size_t n, unsigned buf_max,
		   struct bpf_insn **out, size_t *nout, char *err, size_t errlen)
{
	struct emitter e = { 0 };
	size_t *start = calloc(n + 1, sizeof(*start));
	size_t fail_at;
	int rc = -1;

	if (!start)
		return xerr(err, errlen, "out of memory");
	if (n == 0 || buf_max < 4 || buf_max > 0x7fff) {
		xerr(err, errlen, "empty filter or bad buffer size");
		goto out;
	}
	/* Prologue: keep the arguments, clear A, X and M[]. */
	emit(&e, MOV64_REG(R_BUF, BPF_REG_1));
	emit(&e, MOV64_REG(R_LEN, BPF_REG_2));
	emit(&e, STX(BPF_W, BPF_REG_10, BPF_REG_3, WIRELEN_OFF));
	emit(&e, MOV64_IMM(R_A, 0));
	emit(&e, MOV64_IMM(R_X, 0));
	for (int i = 0; i < MEM_SLOTS / 2; i++) /* two slots per store */
		emit(&e, ST_IMM(BPF_DW, BPF_REG_10, MEM_OFF(2 * i), 0));
	for (size_t pc = 0; pc < n; pc++) {
		start[pc] = e.n;
		if (translate_one(&e, &in[pc], pc, n, buf_max, err, errlen) < 0)
			goto out;
	}
	/* The shared "return 0" of failed loads and divisions, also what
	 * falling off the end means; emitted only when something reaches it
	 * (the verifier rejects unreachable instructions). */
	fail_at = e.n;
	bool need_fail = BPF_CLASS(in[n - 1].code) != BPF_RET;
	for (size_t i = 0; i < e.n; i++)
		need_fail |= e.target[i] == TARGET_FAIL;
	if (need_fail) {
		emit(&e, MOV64_IMM(BPF_REG_0, 0));
		emit(&e, EXIT());
	}
	if (e.oom) {
		xerr(err, errlen, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < e.n; i++) {
		int t = e.target[i];
		if (t == TARGET_NONE)
			continue;
		size_t dest = t == TARGET_FAIL ? fail_at : start[t];
		long off = (long)dest - (long)(i + 1);
		if (off < -32768 || off > 32767) {
			xerr(err, errlen, "filter too large: a jump does not fit");
			goto out;
		}
		e.v[i].off = (int16_t)off;
	}
	*out = e.v;
	*nout = e.n;
	e.v = NULL;
	rc = 0;
out:
	free(e.v);
	free(e.target);
	free(start);
	return rc;
}

/* The largest value X can hold on entry to each instruction: jumps only go
 * forward, so one pass in order sees every predecessor first. */
#define X_UNKNOWN UINT32_MAX

unsigned ipft_cbpf_bytes_needed(const struct sock_filter *in, size_t n, unsigned buf_max)
{
	uint32_t *xmax = calloc(n + 1, sizeof(*xmax));
	bool *reached = calloc(n + 1, sizeof(*reached));
	uint64_t need = 0;

	if (!xmax || !reached) {
		free(xmax);
		free(reached);
		return buf_max;
	}
	reached[0] = true; /* X starts at 0 */
	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *f = &in[pc];
		uint32_t x = xmax[pc], x_after = x;
		uint16_t code = f->code;

		if (!reached[pc])
			continue;
		switch (BPF_CLASS(code)) {
		case BPF_LD:
			if (BPF_MODE(code) == BPF_ABS)
				need = need > (uint64_t)f->k + load_size(code) ? need : (uint64_t)f->k + load_size(code);
			else if (BPF_MODE(code) == BPF_IND)
				need = x == X_UNKNOWN ? buf_max
				       : need > (uint64_t)x + f->k + load_size(code) ? need
				       : (uint64_t)x + f->k + load_size(code);
			break;
		case BPF_LDX:
			if (BPF_MODE(code) == BPF_IMM) {
				x_after = f->k;
			} else if (BPF_MODE(code) == BPF_MSH) {
				need = need > (uint64_t)f->k + 1 ? need : (uint64_t)f->k + 1;
				x_after = 60;
			} else {
				x_after = X_UNKNOWN; /* a length or a scratch word */
			}
			break;
		case BPF_MISC:
			if (BPF_MISCOP(code) == BPF_TAX)
				x_after = X_UNKNOWN;
			break;
		}
		/* Hand X's bound to the successors (out-of-range targets are
		 * the translator's error to report). */
		size_t next[2];
		int nnext = 0;
		if (BPF_CLASS(code) == BPF_RET) {
			nnext = 0;
		} else if (BPF_CLASS(code) == BPF_JMP && BPF_OP(code) == BPF_JA) {
			next[nnext++] = pc + 1 + f->k;
		} else if (BPF_CLASS(code) == BPF_JMP) {
			next[nnext++] = pc + 1 + f->jt;
			next[nnext++] = pc + 1 + f->jf;
		} else {
			next[nnext++] = pc + 1;
		}
		for (int i = 0; i < nnext; i++) {
			if (next[i] >= n)
				continue;
			if (!reached[next[i]] || x_after > xmax[next[i]])
				xmax[next[i]] = x_after;
			reached[next[i]] = true;
		}
	}
	free(xmax);
	free(reached);
	return need > buf_max ? buf_max : (unsigned)need;
}

int ipft_cbpf_uses_wirelen(const struct sock_filter *in, size_t n)
{
	for (size_t pc = 0; pc < n; pc++) {
		uint16_t code = in[pc].code;
		if ((BPF_CLASS(code) == BPF_LD || BPF_CLASS(code) == BPF_LDX) &&
		    BPF_MODE(code) == BPF_LEN)
			return 1;
	}
	return 0;
}
