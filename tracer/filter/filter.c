/* filter.c - pcap-filter expressions evaluated in the kernel.
 *
 * The expression (the positional argument, ANDed with the shortcut flags)
 * is compiled by libpcap twice, for Ethernet and for raw IP, and each
 * classic program is translated to eBPF (tracer/filter/cbpf_xlat.c).  Every
 * program ipft loads passes through ipft_filter_splice(): the two stub
 * subprograms of bpf/pcap_filter.bpf.h become calls to the translations,
 * appended at the end of the program, and the third returns how many
 * bytes to copy and whether the wire length is read.  An expression that needs
 * link-layer fields has no raw-IP form: packets first seen without a MAC
 * header then never match, and ipft says so once.
 */
#include "tracer/filter/filter.h"
#include "tracer/filter/cbpf_xlat.h"
#include "tracer/cli/options.h"
#include "tracer/filter/pcap_compile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCAP_BUF 512 /* IPFT_PCAP_BUF of bpf/pcap_filter.bpf.h */
#define MARK_HI 0x1badc0deu
#define MARK_L2_LO 0x0f117e12u
#define MARK_L3_LO 0x0f117e13u
#define MARK_INFO_LO 0x0f117e14u
#define MARK_LO_BASE 0x0f117e10u /* the low words above, less their last digit */

static struct {
	bool active;
	struct bpf_insn *code[2]; /* [0] L2, [1] L3 */
	size_t n[2];
	uint32_t info;            /* bytes needed | reads the wire length << 16 */
} filter;

/* "return 0": the variant of an expression that does not compile. */
static const struct sock_filter never[] = { { BPF_RET | BPF_K, 0, 0, 0 } };

int ipft_filter_check(const struct ipft_config *cfg, char *err, size_t errlen)
{
	char perr[256];

	if (!cfg->filter_expr)
		return 0;
	for (int l3 = 0; l3 < 2; l3++) {
		struct sock_filter *c = NULL;
		size_t n;
		int rc = ipft_pcap_compile(cfg->filter_expr, l3, &c, &n, perr, sizeof(perr));
		if (rc < 0 && !l3) {
			snprintf(err, errlen, "bad filter expression '%s': %s", cfg->filter_expr, perr);
			return -1;
		}
		if (rc < 0)
			fprintf(stderr, "ipft: '%s' needs link-layer fields: packets first seen "
				"without a MAC header will not match\n", cfg->filter_expr);
		const struct sock_filter *prog = c ? c : never;
		size_t len = c ? n : 1;
		rc = ipft_cbpf_xlat(prog, len, PCAP_BUF, &filter.code[l3], &filter.n[l3], perr,
				    sizeof(perr));
		uint32_t need = ipft_cbpf_bytes_needed(prog, len, PCAP_BUF);
		if ((filter.info & 0xffff) < need)
			filter.info = (filter.info & ~0xffffu) | need;
		if (ipft_cbpf_uses_wirelen(prog, len))
			filter.info |= 1u << 16;
		free(c);
		if (rc < 0) {
			snprintf(err, errlen, "filter expression '%s': %s", cfg->filter_expr, perr);
			return -1;
		}
	}
	filter.active = true;
	return 0;
}

bool ipft_filter_active(const struct ipft_config *cfg)
{
	return cfg->filter_expr && filter.active;
}

static bool is_marker(const struct bpf_insn *in, size_t n, size_t i, uint32_t lo)
{
	return i + 2 < n && in[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       in[i].dst_reg == BPF_REG_0 && (uint32_t)in[i].imm == lo &&
	       (uint32_t)in[i + 1].imm == MARK_HI && in[i + 2].code == (BPF_JMP | BPF_EXIT);
}

int ipft_filter_splice(const struct bpf_insn *in, size_t n, struct bpf_insn **out,
		       size_t *nout, char *err, size_t errlen)
{
	size_t extra = filter.active ? filter.n[0] + filter.n[1] : 0, at = n;
	struct bpf_insn *v = malloc((n + extra) * sizeof(*v));

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(v, in, n * sizeof(*in));
	if (filter.active) {
		static const uint32_t marks[] = { MARK_L2_LO, MARK_L3_LO, MARK_INFO_LO };
		size_t where[3], found = 0;
		for (int m = 0; m < 3; m++) {
			where[m] = 0;
			while (where[m] < n && !is_marker(v, n, where[m], marks[m]))
				where[m]++;
			found += where[m] < n;
		}
		/* Programs that never filter (the frees) have no stub; one that
		 * has a stub left unrewritten would trace everything. */
		if (found != 0 && found != 3) {
			snprintf(err, errlen, "a BPF program has %zu of the 3 pcap-filter stubs", found);
			free(v);
			return -1;
		}
		for (int m = 0; m < 3 && found; m++) {
			size_t i = where[m];
			if (m == 2) { /* r0 = info; a no-op; the stub's exit */
				v[i] = (struct bpf_insn){ .code = BPF_ALU | BPF_MOV | BPF_K,
							  .dst_reg = BPF_REG_0,
							  .imm = (int32_t)filter.info };
				v[i + 1] = (struct bpf_insn){ .code = BPF_JMP | BPF_JA };
				continue;
			}
			/* call the appended translation; a no-op; the stub's exit */
			memcpy(v + at, filter.code[m], filter.n[m] * sizeof(*v));
			v[i] = (struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL,
						  .imm = (int32_t)(at - (i + 1)) };
			v[i + 1] = (struct bpf_insn){ .code = BPF_JMP | BPF_JA };
			at += filter.n[m];
		}
		for (size_t i = 0; i + 1 < at; i++) {
			if (v[i].code == (BPF_LD | BPF_IMM | BPF_DW) && (uint32_t)v[i + 1].imm == MARK_HI &&
			    ((uint32_t)v[i].imm & ~0xfu) == MARK_LO_BASE) {
				snprintf(err, errlen, "a pcap-filter stub in an unexpected form at %zu", i);
				free(v);
				return -1;
			}
			if (v[i].code == (BPF_LD | BPF_IMM | BPF_DW))
				i++;
		}
	}
	*out = v;
	*nout = at;
	return 0;
}
