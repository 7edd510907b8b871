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

#include <linux/types.h>
#include "bpf/ipft_shared.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct {
	bool active;
	struct bpf_insn *code[2]; /* [0] L2, [1] L3 */
	size_t n[2];
	uint32_t info;            /* IPFT_PCAP_INFO_*: bytes needed, reads the wire length */
} filter;

/* "return 0": the variant of an expression that does not compile. */
static const struct sock_filter never[] = { { BPF_RET | BPF_K, 0, 0, 0 } };

/* libpcap's optimiser is slow on expressions with many alternatives (a
 * thousand 'host X' take a minute or more, docs/filter.md), and nothing
 * can be said from inside pcap_compile(): a thread says so when compiling
 * still runs after a second, and how long it took at the end. */
struct slow_note {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	struct timespec start;
	bool started, done, said;
};

static void *slow_note_wait(void *arg)
{
	struct slow_note *s = arg;
	struct timespec until = s->start;

	until.tv_sec += 1;
	pthread_mutex_lock(&s->mu);
	while (!s->done && pthread_cond_timedwait(&s->cv, &s->mu, &until) != ETIMEDOUT)
		continue;
	if (!s->done) {
		fprintf(stderr, "ipft: compiling the filter expression takes long: libpcap's "
			"optimiser is slow on many alternatives ('ip host A', 'tcp port N' "
			"compile much faster than 'host A', 'port N')\n");
		s->said = true;
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void slow_note_start(struct slow_note *s)
{
	pthread_condattr_t ca;

	*s = (struct slow_note){ .mu = PTHREAD_MUTEX_INITIALIZER };
	clock_gettime(CLOCK_MONOTONIC, &s->start);
	if (pthread_condattr_init(&ca) != 0)
		return;
	if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
	    pthread_cond_init(&s->cv, &ca) == 0) {
		s->started = pthread_create(&s->thread, NULL, slow_note_wait, s) == 0;
		if (!s->started)
			pthread_cond_destroy(&s->cv);
	}
	pthread_condattr_destroy(&ca);
}

static void slow_note_end(struct slow_note *s)
{
	struct timespec now;

	if (!s->started)
		return;
	pthread_mutex_lock(&s->mu);
	s->done = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->cv);
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (s->said)
		fprintf(stderr, "ipft: filter expression compiled in %.1f s\n",
			(double)(now.tv_sec - s->start.tv_sec) +
				(double)(now.tv_nsec - s->start.tv_nsec) / 1e9);
}

/* Compiles and translates the expression, for Ethernet and for raw IP. */
static int check_expr(const struct ipft_config *cfg, char *err, size_t errlen)
{
	char perr[256];

	for (int l3 = 0; l3 < 2; l3++) {
		struct sock_filter *c = NULL;
		size_t n;
		int rc = ipft_pcap_compile(cfg->filter_expr, l3, &c, &n, perr, sizeof(perr));
		if (rc < 0 && !l3) {
			snprintf(err, errlen, "bad filter expression '%.64s%s': %s", cfg->filter_expr,
				 strlen(cfg->filter_expr) > 64 ? "..." : "", perr);
			return -1;
		}
		if (rc < 0)
			fprintf(stderr, "ipft: '%.64s%s' needs link-layer fields: packets first "
				"seen without a MAC header will not match\n", cfg->filter_expr,
				strlen(cfg->filter_expr) > 64 ? "..." : "");
		const struct sock_filter *prog = c ? c : never;
		size_t len = c ? n : 1;
		rc = ipft_cbpf_xlat(prog, len, IPFT_PCAP_BUF, &filter.code[l3], &filter.n[l3], perr,
				    sizeof(perr));
		uint32_t need = ipft_cbpf_bytes_needed(prog, len, IPFT_PCAP_BUF);
		if ((filter.info & IPFT_PCAP_INFO_BYTES) < need)
			filter.info = (filter.info & ~IPFT_PCAP_INFO_BYTES) | need;
		if (ipft_cbpf_uses_wirelen(prog, len))
			filter.info |= IPFT_PCAP_INFO_WIRELEN;
		free(c);
		if (rc < 0) {
			snprintf(err, errlen, "filter expression '%.64s%s': %s", cfg->filter_expr,
				 strlen(cfg->filter_expr) > 64 ? "..." : "", perr);
			return -1;
		}
	}
	filter.active = true;
	return 0;
}

int ipft_filter_check(const struct ipft_config *cfg, char *err, size_t errlen)
{
	struct slow_note note;
	int rc;

	if (!cfg->filter_expr)
		return 0;
	slow_note_start(&note);
	rc = check_expr(cfg, err, errlen);
	slow_note_end(&note);
	return rc;
}

bool ipft_filter_active(const struct ipft_config *cfg)
{
	return cfg->filter_expr && filter.active;
}

/* The 64-bit constant an ld_imm64 at in[i] loads. */
static uint64_t imm64(const struct bpf_insn *in, size_t i)
{
	return (uint64_t)(uint32_t)in[i].imm | (uint64_t)(uint32_t)in[i + 1].imm << 32;
}

static bool is_pcap_mark(uint64_t v)
{
	return v == IPFT_MARK_PCAP_L2 || v == IPFT_MARK_PCAP_L3 || v == IPFT_MARK_PCAP_INFO;
}

/* in[i] is the stub: "r0 = mark ll; exit". */
static bool is_stub(const struct bpf_insn *in, size_t n, size_t i, uint64_t mark)
{
	return i + 2 < n && in[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       in[i].dst_reg == BPF_REG_0 && imm64(in, i) == mark &&
	       in[i + 2].code == (BPF_JMP | BPF_EXIT);
}

/* The stubs of bpf/pcap_filter.bpf.h; the run stubs index filter.code. */
enum stub { STUB_L2, STUB_L3, STUB_INFO, N_STUBS };

/* Where each stub starts in v[0..n) (n where absent); how many there are. */
static size_t find_stubs(const struct bpf_insn *v, size_t n, size_t where[N_STUBS])
{
	static const uint64_t marks[N_STUBS] = {
		[STUB_L2] = IPFT_MARK_PCAP_L2, [STUB_L3] = IPFT_MARK_PCAP_L3,
		[STUB_INFO] = IPFT_MARK_PCAP_INFO,
	};
	size_t found = 0;

	for (int m = 0; m < N_STUBS; m++) {
		where[m] = 0;
		while (where[m] < n && !is_stub(v, n, where[m], marks[m]))
			where[m]++;
		found += where[m] < n;
	}
	return found;
}

/* The stub's two-slot ld_imm64 becomes one instruction and a no-op; its
 * exit stays.  The info stub returns filter.info; a run stub calls its
 * translation, appended at *end. */
static void rewrite_stubs(struct bpf_insn *v, const size_t where[N_STUBS], size_t *end)
{
	v[where[STUB_INFO]] = (struct bpf_insn){ .code = BPF_ALU | BPF_MOV | BPF_K,
						 .dst_reg = BPF_REG_0, .imm = (int32_t)filter.info };
	v[where[STUB_INFO] + 1] = (struct bpf_insn){ .code = BPF_JMP | BPF_JA };
	for (int m = STUB_L2; m <= STUB_L3; m++) {
		size_t i = where[m];
		memcpy(v + *end, filter.code[m], filter.n[m] * sizeof(*v));
		v[i] = (struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL,
					  .imm = (int32_t)(*end - (i + 1)) };
		v[i + 1] = (struct bpf_insn){ .code = BPF_JMP | BPF_JA };
		*end += filter.n[m];
	}
}

/* A marker left after the rewrite is a stub in a shape is_stub() does not
 * know: unrewritten, it would match every packet.  Its index, or n. */
static size_t mark_left(const struct bpf_insn *v, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (v[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (is_pcap_mark(imm64(v, i)))
			return i;
		i++;
	}
	return n;
}

int ipft_filter_splice(const struct bpf_insn *in, size_t n, struct bpf_insn **out,
		       size_t *nout, char *err, size_t errlen)
{
	size_t extra = filter.active ? filter.n[0] + filter.n[1] : 0, at = n;
	struct bpf_insn *v = malloc((n + extra) * sizeof(*v));
	size_t where[N_STUBS], found, bad;

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(v, in, n * sizeof(*in));
	if (filter.active) {
		/* Programs that never filter (the frees) have no stub; one that
		 * has a stub left unrewritten would trace everything. */
		found = find_stubs(v, n, where);
		if (found != 0 && found != N_STUBS) {
			snprintf(err, errlen, "a BPF program has %zu of the %d pcap-filter stubs",
				 found, N_STUBS);
			free(v);
			return -1;
		}
		if (found)
			rewrite_stubs(v, where, &at);
		if ((bad = mark_left(v, at)) < at) {
			snprintf(err, errlen, "a pcap-filter stub in an unexpected form at %zu", bad);
			free(v);
			return -1;
		}
	}
	*out = v;
	*nout = at;
	return 0;
}
