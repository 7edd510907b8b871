/* ipft.c - follow packets through the kernel and write what they met.
 *
 * main() checks what the kernel and our privileges allow, finds the attach
 * points, loads and attaches the BPF programs, then reads the ring buffer:
 * hits and header captures are gathered per packet (tracer/collect/packets.c) and
 * a packet is written when its skb is freed, or as a partial trace when it
 * stays alive too long or ipft stops.  Lost events are counted in the
 * kernel and reported at the end, on stderr and in the file.
 */
#include "tracer/backends/backend.h"
#include "tracer/backends/bpf_object.h"
#include "tracer/cli/cli.h"
#include "tracer/kernel/drop_reason.h"
#include "tracer/filter/filter.h"
#include "tracer/kernel/kallsyms.h"
#include "tracer/collect/live_sweep.h"
#include "tracer/collect/packets.h"
#include "tracer/output/pcapng_out.h"
#include "tracer/output/run_info.h"
#include "tracer/output/text_out.h"

#include <errno.h>
#include <linux/capability.h>
#include <malloc.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

_Static_assert((int)IPFT_HIT_ENTRY == (int)IPFT_KIND_FUNC_ENTRY, "kinds differ");
_Static_assert((int)IPFT_HIT_RETURN == (int)IPFT_KIND_FUNC_RETURN, "kinds differ");
_Static_assert((int)IPFT_HIT_TRACEPOINT == (int)IPFT_KIND_TRACEPOINT, "kinds differ");
_Static_assert(IPFT_SNAPLEN_MAX == IPFT_MAX_SNAPLEN, "snaplen limits differ");

#define NOFILE_WANTED 65536
#define EXIT_USAGE 1
#define EXIT_OUTPUT 2
#define MAX_EVENTS_PER_PACKET 4096
#define FLUSH_NS 1000000000ull /* the file on disk is at most this far behind */
#define POLL_MS 50   /* records wait at most this long (no wakeup per record) */
/* How often the tracking map is searched for packets older than the flush
 * timeout: every half timeout, at least a second apart.  A sweep reads
 * every entry (--max-inflight of them at most), so not more often. */
#define SWEEP_MIN_NS 1000000000ull

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

struct tracer {
	struct ipft_config cfg;
	struct ipft_probe_set probes;
	struct ipft_bpf bpf;
	struct ipft_packets *packets;
	struct ipft_pcapng_out *out;
	struct ipft_kallsyms *ksyms;
	struct ipft_drop_reasons *reasons;
	int64_t mono_to_real;     /* add to a CLOCK_MONOTONIC time for wall clock */
	uint64_t now_mono;        /* read once per ring-buffer batch */
	uint64_t written, partial;
	uint64_t swept_events;    /* hits read from the tracking map, not the ring */
	/* The events of the packet being written, made from its hits. */
	struct ipft_event *events;
	size_t cap_events;
	char drop_sym[96];        /* its drop location's symbol */
	bool output_failed, count_reached;
	bool draining;            /* detached: read what is left, whatever happened */
};

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* bpf_ktime_get_ns() is CLOCK_MONOTONIC; EPBs need wall-clock time. */
static int64_t mono_to_real_offset(void)
{
	uint64_t m1 = clock_ns(CLOCK_MONOTONIC), r = clock_ns(CLOCK_REALTIME),
		 m2 = clock_ns(CLOCK_MONOTONIC);
	return (int64_t)(r - (m1 + (m2 - m1) / 2));
}

/* ---- what the kernel and our privileges allow ------------------------ */

static bool has_bpf_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return geteuid() == 0;
	bool sys_admin = data[0].effective & (1u << CAP_SYS_ADMIN);
	bool bpf = data[1].effective & (1u << (39 - 32));      /* CAP_BPF */
	bool perfmon = data[1].effective & (1u << (38 - 32));  /* CAP_PERFMON */
	return sys_admin || (bpf && perfmon);
}

static int check_kernel(char *err, size_t errlen)
{
	char buf[256] = "";
	FILE *f;

	if (!has_bpf_caps()) {
		snprintf(err, errlen, "ipft needs root, or CAP_BPF and CAP_PERFMON, to load its "
			 "BPF programs");
		return -1;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		snprintf(err, errlen, "this kernel has no BTF (/sys/kernel/btf/vmlinux): ipft needs "
			 "CONFIG_DEBUG_INFO_BTF=y");
		return -1;
	}
	f = fopen("/sys/kernel/security/lockdown", "re");
	if (f) {
		if (fgets(buf, sizeof(buf), f) && strstr(buf, "[confidentiality]")) {
			fclose(f);
			snprintf(err, errlen, "the kernel is locked down (confidentiality): BPF "
				 "programs may not read kernel memory, so ipft cannot trace");
			return -1;
		}
		fclose(f);
	}
	return 0;
}

/* ---- attach points ---------------------------------------------------- */

static char *display_name(const struct ipft_probe *p, char *buf, size_t len)
{
	if (p->category)
		snprintf(buf, len, "%s:%s", p->category, p->name);
	else
		snprintf(buf, len, "%s", p->name);
	return buf;
}

/* Keeps the probes matching -r; renumbers ids to table positions.
 * with_functions: kernel functions were looked for (else only tracepoints). */
static int select_probes(struct tracer *t, bool with_functions, char *err, size_t errlen)
{
	struct ipft_probe_set *s = &t->probes;
	regex_t re;
	size_t kept = 0;
	char name[256];
	int rc;

	if (t->cfg.regex && (rc = regcomp(&re, t->cfg.regex, REG_EXTENDED | REG_NOSUB))) {
		char msg[128];
		regerror(rc, &re, msg, sizeof(msg));
		snprintf(err, errlen, "bad regex '%s': %s", t->cfg.regex, msg);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct ipft_probe *p = &s->v[i];
		bool keep = !t->cfg.regex || regexec(&re, p->name, 0, NULL, 0) == 0 ||
			    regexec(&re, display_name(p, name, sizeof(name)), 0, NULL, 0) == 0;
		if (keep) {
			s->v[kept] = *p;
			s->v[kept].id = (uint32_t)kept;
			kept++;
		} else {
			free(p->name);
			free(p->category);
		}
	}
	s->n = kept;
	if (t->cfg.regex)
		regfree(&re);
	if (!kept && with_functions) {
		snprintf(err, errlen, "no attach point matches '%s' (ipft -l lists them)",
			 t->cfg.regex ? t->cfg.regex : "");
		return -1;
	}
	if (!kept) {
		snprintf(err, errlen, "no tracepoint matches '%s', and this run traces no kernel "
			 "functions (-b tracepoint, or no function backend works here: ipft -l says)",
			 t->cfg.regex ? t->cfg.regex : "");
		return -1;
	}
	return 0;
}

static void list_probes(const struct tracer *t)
{
	char name[256];

	printf("%-11s %-40s %-5s %s\n", "TYPE", "NAME", "SKB", "BACKENDS");
	for (size_t i = 0; i < t->probes.n; i++) {
		const struct ipft_probe *p = &t->probes.v[i];
		printf("%-11s %-40s arg%-2d", p->type == IPFT_PROBE_TRACEPOINT ? "tracepoint" : "function",
		       display_name(p, name, sizeof(name)), p->skb_arg + 1);
		for (size_t b = 0; ipft_backends[b]; b++)
			if (p->backends & ipft_backends[b]->id)
				printf(" %s", ipft_backends[b]->name);
		putchar('\n');
	}
	printf("%zu attach point%s\n", t->probes.n, t->probes.n == 1 ? "" : "s");
	/* What this kernel allows, beside what each backend could attach. */
	for (size_t b = 0; ipft_backends[b]; b++) {
		char why[256];
		if (ipft_backends[b]->available(why, sizeof(why)) == 0)
			printf("backend %s: works on this kernel\n", ipft_backends[b]->name);
		else
			printf("backend %s: not here: %s\n", ipft_backends[b]->name, why);
	}
}

/* The backends of this run: tracepoints always through the tracepoint
 * backend; functions through -b's, or with auto the first the kernel
 * allows that fits the tracer (entries only, or with -t function_graph
 * entries and returns); none: functions are left out, -v says why. */
static int choose_backends(const struct tracer *t, const struct ipft_backend **tp,
			   const struct ipft_backend **fn, char *err, size_t errlen)
{
	char why[256] = "";
	const struct ipft_backend *b;

	*tp = ipft_backend_find("tracepoint");
	*fn = NULL;
	if (strcmp(t->cfg.backend, "auto") == 0) {
		for (size_t i = 0; ipft_backends[i]; i++) {
			b = ipft_backends[i];
			if (b->probes == IPFT_PROBE_FUNCTION && b->returns == t->cfg.function_graph &&
			    b->available(why, sizeof(why)) == 0) {
				*fn = b;
				break;
			}
		}
		/* A graph without functions is no graph: say why, stop. */
		if (!*fn && t->cfg.function_graph) {
			snprintf(err, errlen, "-t function_graph: %s", why);
			return -1;
		}
		if (!*fn && t->cfg.verbose)
			fprintf(stderr, "ipft: functions left out: %s\n", why);
		return 0;
	}
	b = ipft_backend_find(t->cfg.backend); /* the name was checked by the CLI */
	if (b->available(why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (b->probes == IPFT_PROBE_FUNCTION)
		*fn = b;
	return 0;
}

/* A line redrawn on a terminal; in a log (-v) only the total. */
static void attach_progress(size_t done, size_t total, void *arg)
{
	(void)arg;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\ripft: attaching %zu/%zu%s", done, total, done == total ? "\n" : "");
	else if (done == total)
		fprintf(stderr, "ipft: attaching: %zu/%zu done\n", done, total);
}

/* ---- events ----------------------------------------------------------- */

/* A return gets its call's duration from the entry it returns from: the
 * latest entry at its depth, found before any event of a shallower depth
 * (the caller's).  Both name the same attach point: the same name
 * pointer, from the attach-point table. */
static void pair_return(struct ipft_event *ev, size_t ret_index)
{
	struct ipft_event *ret = &ev[ret_index];

	for (size_t i = ret_index; i-- > 0;) {
		const struct ipft_event *e = &ev[i];
		if (e->depth < ret->depth)
			return;
		if (e->depth > ret->depth || e->kind != IPFT_KIND_FUNC_ENTRY)
			continue;
		if (e->name == ret->name && ret->ts_ns >= e->ts_ns) {
			ret->has |= IPFT_HAS_DURATION;
			ret->duration_ns = ret->ts_ns - e->ts_ns;
		}
		return;
	}
}

/* One hit becomes one event. */
static void make_event(struct tracer *t, const struct ipft_packet *p, size_t i,
		       struct ipft_event *e)
{
	const struct ipft_slot *sl = &p->hits[i];
	const struct ipft_probe *probe = &t->probes.v[sl->probe_id];

	memset(e, 0, sizeof(*e));
	e->ts_ns = sl->ts + (uint64_t)t->mono_to_real;
	e->cpu = sl->cpu;
	e->kind = sl->kind;
	e->depth = sl->depth;
	e->flags = ((int32_t)i == p->first_hit ? IPFT_EVF_FIRST : 0) |
		   ((int32_t)i == p->free_hit ? IPFT_EVF_FREE : 0);
	e->name = probe->name;
	if (sl->kind == IPFT_HIT_RETURN && !probe->returns_void) {
		e->has |= IPFT_HAS_RETVAL;
		e->retval = sl->retval;
	}
	if (sl->func_ip) {
		e->has |= IPFT_HAS_FUNC_ADDR;
		e->func_addr = sl->func_ip;
	}
	if ((int32_t)i == p->free_hit && p->has_reason) {
		e->has |= IPFT_HAS_DROP_REASON | IPFT_HAS_DROP_LOCATION;
		e->drop_reason = p->drop_reason;
		e->drop_reason_name = ipft_drop_reason_name(t->reasons, p->drop_reason);
		e->drop_location = p->drop_location;
		if (ipft_kallsyms_format(t->ksyms, p->drop_location, t->drop_sym,
					 sizeof(t->drop_sym)) == 0)
			e->drop_location_sym = t->drop_sym;
	}
}

/* The packet's events, made from its hits, in time order, returns paired
 * with their entries; 0 or -1 (no memory). */
static int make_events(struct tracer *t, struct ipft_packet *p)
{
	const char *cap_name = p->capture_probe >= 0 && (size_t)p->capture_probe < t->probes.n ?
				       t->probes.v[p->capture_probe].name : NULL;

	if (p->n_hits > t->cap_events) {
		size_t cap = p->n_hits < 64 ? 64 : p->n_hits;
		struct ipft_event *v = realloc(t->events, cap * sizeof(*v));
		if (!v)
			return -1;
		t->events = v;
		t->cap_events = cap;
	}
	for (size_t i = 0; i < p->n_hits; i++) {
		make_event(t, p, i, &t->events[i]);
		if (t->events[i].name == cap_name)
			p->capture_name = cap_name;
	}
	ipft_packet_events_sort(t->events, p->n_hits);
	for (size_t i = 0; i < p->n_hits; i++)
		if (t->events[i].kind == IPFT_KIND_FUNC_RETURN)
			pair_return(t->events, i);
	p->events = t->events;
	p->n_events = p->n_hits;
	return 0;
}

static void packet_done(struct ipft_packet *p, void *arg)
{
	struct tracer *t = arg;

	if (t->output_failed || t->count_reached)
		return;
	/* Headers but no hits: the packet's entry left the kernel's map (it
	 * is swept before ipft gives up on a packet), so the record holding
	 * its hits was lost. */
	if (!p->n_hits && !(p->flags & IPFT_TRACE_COMPLETE))
		p->flags |= IPFT_TRACE_EVENTS_LOST;
	if (make_events(t, p) < 0) {
		t->output_failed = true;
		return;
	}
	if (t->out && ipft_pcapng_out_packet(t->out, p) < 0) {
		t->output_failed = true;
		return;
	}
	if (t->cfg.format != IPFT_OUT_NONE && ipft_text_packet(stdout, t->cfg.format, p) < 0) {
		t->output_failed = true;
		return;
	}
	t->written++;
	if (p->flags & IPFT_TRACE_PARTIAL)
		t->partial++;
	if (t->cfg.count && t->written >= t->cfg.count)
		t->count_reached = true;
}

/* One slot of a tracking entry becomes one hit of its packet. */
static void add_slot(struct tracer *t, struct ipft_packet *p, const struct ipft_live *r,
		     const struct ipft_slot *sl, bool first, bool freed_here)
{
	struct ipft_slot *h;

	if (sl->probe_id >= t->probes.n || !(h = ipft_packets_add_hit(t->packets, p)))
		return;
	*h = *sl;
	if (first)
		p->first_hit = (int32_t)(p->n_hits - 1);
	if (freed_here) {
		p->free_hit = (int32_t)(p->n_hits - 1);
		if (r->flags & IPFT_LIVE_HAS_REASON) {
			p->has_reason = true;
			p->drop_reason = r->drop_reason;
			p->drop_location = r->drop_location;
		}
	}
}

/* A packet's hits, from the ring buffer or taken from the map (alive:
 * the packet was not freed, its trace ends here as partial). */
static void on_hits(struct tracer *t, const struct ipft_live *r, bool alive)
{
	uint64_t now = t->now_mono;
	bool ends = alive || (r->flags & (IPFT_LIVE_FREE | IPFT_LIVE_RETIRED));
	struct ipft_packet *p = ipft_packets_get(t->packets, r->packet_id, now, true, !ends);
	size_t n = r->n < IPFT_SLOTS ? r->n : IPFT_SLOTS;

	if (!p)
		return;
	/* New here (nothing yet) and not its first hits: its beginning was
	 * written or lost. */
	if (!(r->flags & IPFT_LIVE_FIRST) && p->n_hits == 0 && !p->captured)
		p->flags |= IPFT_TRACE_PARTIAL;
	if (r->flags & IPFT_LIVE_LOST_BEFORE || (alive && r->lost))
		p->flags |= IPFT_TRACE_EVENTS_LOST;
	for (size_t i = 0; i < n; i++)
		add_slot(t, p, r, &r->slot[i], i == 0 && (r->flags & IPFT_LIVE_FIRST),
			 (r->flags & IPFT_LIVE_FREED_HERE) && i == r->free_slot);
	if (alive)
		t->swept_events += n;
	if (r->flags & IPFT_LIVE_FREE)
		ipft_packets_finish(t->packets, p, IPFT_TRACE_COMPLETE);
	else if (alive || (r->flags & IPFT_LIVE_RETIRED))
		ipft_packets_finish(t->packets, p, IPFT_TRACE_PARTIAL);
}

static void on_swept(const struct ipft_live *entry, void *arg)
{
	on_hits(arg, entry, true);
}

static void on_capture(struct tracer *t, const struct ipft_capture *c, size_t size)
{
	struct ipft_packet *p = ipft_packets_get(t->packets, c->packet_id, t->now_mono, true, true);

	if (!p || p->captured || offsetof(struct ipft_capture, data) + c->caplen > size)
		return;
	ipft_packets_set_capture(t->packets, p, c);
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	uint32_t type;

	if (size >= sizeof(type)) {
		memcpy(&type, data, sizeof(type));
		if (type == IPFT_REC_HITS && size >= offsetof(struct ipft_live, slot)) {
			const struct ipft_live *r = data;
			if (size >= offsetof(struct ipft_live, slot) +
					    (size_t)r->n * sizeof(struct ipft_slot))
				on_hits(t, r, false);
		} else if (type == IPFT_REC_CAPTURE && size >= offsetof(struct ipft_capture, data)) {
			on_capture(t, data, size);
		}
	}
	/* A flood never empties the ring: let a stop end the batch.  Only
	 * after the record is used: libbpf has already consumed it. */
	if (!t->draining && (stop_signal || t->count_reached || t->output_failed))
		return -EINTR;
	return 0;
}

static void read_stats(const struct tracer *t, uint64_t out[IPFT_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals = calloc(ncpu > 0 ? (size_t)ncpu : 1, sizeof(*vals));

	memset(out, 0, IPFT_STAT_MAX * sizeof(*out));
	for (uint32_t k = 0; vals && k < IPFT_STAT_MAX; k++) {
		if (bpf_map_lookup_elem(ipft_bpf_stats_fd(&t->bpf), &k, vals) < 0)
			continue;
		for (int c = 0; c < ncpu; c++)
			out[k] += vals[c];
	}
	free(vals);
}

static void report_losses(const uint64_t s[IPFT_STAT_MAX])
{
	if (s[IPFT_STAT_LOST_RINGBUF])
		fprintf(stderr, "ipft: %llu events lost: the ring buffer was full "
			"(try --ringbuf-size, -r or a filter)\n",
			(unsigned long long)s[IPFT_STAT_LOST_RINGBUF]);
	if (s[IPFT_STAT_EVICTED])
		fprintf(stderr, "ipft: %llu packets written as partial traces before their end: "
			"%s in flight at once, the oldest made room (try --max-inflight)\n",
			(unsigned long long)s[IPFT_STAT_EVICTED], "too many packets");
	if (s[IPFT_STAT_LOST_MAPFULL])
		fprintf(stderr, "ipft: %llu packets not followed: %s in flight at once "
			"(try --max-inflight)\n", (unsigned long long)s[IPFT_STAT_LOST_MAPFULL],
			"too many packets");
}

/* ---- main ------------------------------------------------------------- */

/* -v shows libbpf's warnings and notes; its debug chatter stays quiet. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, ap);
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

int main(int argc, char **argv)
{
	struct tracer t = { 0 };
	/* [0] tracepoints, [1] functions: each with its backend and probes. */
	struct used { const struct ipft_backend *b; struct ipft_probe **v; size_t n, attached; }
		used[2] = { { 0 } };
	char backend_name[64] = "";
	const char **names = NULL;
	struct ring_buffer *rb = NULL;
	struct ipft_run_info ri = { 0 };
	struct ipft_run_stats rs = { 0 };
	struct ipft_attach_ctx actx = { 0 };
	uint64_t stats[IPFT_STAT_MAX], start_mono, last_report = 0, reported_lost = 0, last_flush = 0,
		 last_sweep = 0, sweep_ns, attach_start = 0;
	size_t attached = 0, n_attach = 0;
	unsigned backend_mask = 0;
	bool with_functions;
	char err[512] = "";
	int rc, exit_code = EXIT_USAGE;

	/* Packets in flight come and go by the hundred thousand per second:
	 * keep freed heap memory rather than hand it back and fault it in
	 * again (that was half of ipft's time under a flood). */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	/* One kprobe link per function, two with fentry/fexit: 1500
	 * functions are up to 3000 file descriptors, beyond the usual soft
	 * limit and some hard limits (root may raise those). */
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < NOFILE_WANTED) {
		struct rlimit want = { NOFILE_WANTED, NOFILE_WANTED };
		if (nofile.rlim_max >= NOFILE_WANTED || setrlimit(RLIMIT_NOFILE, &want) < 0) {
			nofile.rlim_cur = nofile.rlim_max;
			setrlimit(RLIMIT_NOFILE, &nofile);
		}
	}
	rc = ipft_cli_parse(argc, argv, &t.cfg);
	if (rc)
		return rc > 0 ? 0 : EXIT_USAGE;
	libbpf_set_print(t.cfg.verbose ? libbpf_print : libbpf_quiet);
	if (ipft_filter_check(&t.cfg, err, sizeof(err)) < 0)
		goto fail;
	if (!t.cfg.list && (check_kernel(err, sizeof(err)) < 0 ||
			    choose_backends(&t, &used[0].b, &used[1].b, err, sizeof(err)) < 0))
		goto fail;
	/* Attach-point discovery: each kind of probe adds its own.  Functions
	 * only when they can be used (every module's BTF and the ftrace list
	 * are read: a tenth of a second or more). */
	with_functions = t.cfg.list || used[1].b;
	if (ipft_probes_add_tracepoints(&t.probes, err, sizeof(err)) < 0 ||
	    (with_functions && ipft_probes_add_functions(&t.probes, t.cfg.verbose && !t.cfg.list,
							  err, sizeof(err)) < 0))
		goto fail;
	ipft_backends_mark_probes(&t.probes);
	if (select_probes(&t, with_functions, err, sizeof(err)) < 0)
		goto fail;
	if (t.cfg.list) {
		list_probes(&t);
		exit_code = 0;
		goto out;
	}

	if (getrandom(&t.cfg.id_salt, sizeof(t.cfg.id_salt), 0) != sizeof(t.cfg.id_salt))
		t.cfg.id_salt = clock_ns(CLOCK_REALTIME) ^ (uint64_t)getpid() << 32;
	t.cfg.id_salt &= ~IPFT_ID_COUNTER_MASK;

	t.ksyms = ipft_kallsyms_load();
	t.reasons = ipft_drop_reasons_load();
	t.packets = ipft_packets_new(t.cfg.max_inflight, MAX_EVENTS_PER_PACKET, t.cfg.snaplen,
				     packet_done, &t);
	used[0].v = calloc(t.probes.n ? t.probes.n : 1, sizeof(*used[0].v));
	used[1].v = calloc(t.probes.n ? t.probes.n : 1, sizeof(*used[1].v));
	names = calloc(t.probes.n ? t.probes.n : 1, sizeof(*names));
	if (!t.packets || !used[0].v || !used[1].v || !names) {
		snprintf(err, sizeof(err), "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < t.probes.n; i++)
		for (int u = 0; u < 2; u++)
			if (used[u].b && (t.probes.v[i].backends & used[u].b->id)) {
				used[u].v[used[u].n++] = &t.probes.v[i];
				break;
			}
	for (int u = 0; u < 2; u++) {
		if (!used[u].n)
			continue;
		backend_mask |= used[u].b->id;
		snprintf(backend_name + strlen(backend_name), sizeof(backend_name) - strlen(backend_name),
			 "%s%s", backend_name[0] ? "+" : "", used[u].b->name);
		n_attach += used[u].n;
	}
	if (!n_attach) {
		snprintf(err, sizeof(err), "none of the selected attach points can be used here "
			 "(ipft -l lists which backend can use each)");
		goto fail;
	}
	if (t.cfg.verbose)
		fprintf(stderr, "ipft: backend %s, %zu attach points\n", backend_name, n_attach);
	attach_start = clock_ns(CLOCK_MONOTONIC);
	if (ipft_bpf_open_load(&t.bpf, &t.cfg, &t.probes, backend_mask, err, sizeof(err)) < 0)
		goto fail;
	actx.bpf = &t.bpf;
	actx.verbose = t.cfg.verbose;
	/* Function backends take seconds to minutes: show progress on a
	 * terminal. */
	actx.progress = t.cfg.verbose || isatty(STDERR_FILENO) ? attach_progress : NULL;
	for (int u = 0; u < 2; u++) {
		if (used[u].n && used[u].b->attach(&actx, used[u].v, used[u].n, &used[u].attached,
						   err, sizeof(err)) < 0)
			goto fail;
		attached += used[u].attached;
	}
	if (t.cfg.verbose || attached < n_attach || used[1].n > 100)
		fprintf(stderr, "ipft: attached to %zu of %zu attach points in %.1f s%s\n", attached,
			n_attach, (double)(clock_ns(CLOCK_MONOTONIC) - attach_start) / 1e9,
			attached < n_attach && !t.cfg.verbose ? " (-v says why)" : "");

	/* Metadata names only the points actually attached. */
	for (int u = 0; u < 2; u++)
		for (size_t i = 0; i < used[u].n; i++) {
			char buf[256];
			if (used[u].v[i]->link_fd >= 0)
				names[ri.n_probes++] = strdup(display_name(used[u].v[i], buf, sizeof(buf)));
		}
	t.mono_to_real = mono_to_real_offset();
	ri.cmdline = t.cfg.cmdline;
	ri.backend = backend_name;
	ri.probe_names = names;
	ri.snaplen = t.cfg.snaplen;
	ri.start_real_ns = clock_ns(CLOCK_REALTIME);
	if (t.cfg.write_path) {
		t.out = ipft_pcapng_out_open(t.cfg.write_path, &ri, t.cfg.trace_blocks, err, sizeof(err));
		if (!t.out)
			goto fail;
	}
	rb = ring_buffer__new(ipft_bpf_events_fd(&t.bpf), on_record, &t, NULL);
	if (!rb) {
		snprintf(err, sizeof(err), "cannot read the ring buffer: %s", strerror(errno));
		goto fail;
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	start_mono = clock_ns(CLOCK_MONOTONIC);
	sweep_ns = t.cfg.flush_timeout_ns / 2 > SWEEP_MIN_NS ? t.cfg.flush_timeout_ns / 2 : SWEEP_MIN_NS;
	if (t.cfg.verbose)
		fprintf(stderr, "ipft: tracing; Ctrl-C to stop\n");
	while (!stop_signal && !t.count_reached && !t.output_failed) {
		t.now_mono = clock_ns(CLOCK_MONOTONIC);
		rc = ring_buffer__poll(rb, POLL_MS);
		t.now_mono = clock_ns(CLOCK_MONOTONIC);
		if (rc >= 0)  /* what arrived without a wakeup */
			rc = ring_buffer__consume(rb);
		if (rc < 0 && rc != -EINTR) {
			snprintf(err, sizeof(err), "reading the ring buffer failed: %s", strerror(-rc));
			break;
		}
		uint64_t now = t.now_mono;
		if (t.cfg.duration && now - start_mono >= (uint64_t)(t.cfg.duration * 1e9))
			break;
		/* Packets alive past the timeout: first those whose hits are
		 * still in the kernel's map, then (a sweep later) those ipft
		 * holds, so the two halves of a trace meet. */
		if (now > t.cfg.flush_timeout_ns && now - last_sweep >= sweep_ns) {
			last_sweep = now;
			if (*ipft_bpf_n_live(&t.bpf) > 0)
				ipft_live_sweep(ipft_bpf_live_fd(&t.bpf), ipft_bpf_n_live(&t.bpf),
						t.cfg.max_inflight, now - t.cfg.flush_timeout_ns,
						on_swept, &t);
		}
		if (now > t.cfg.flush_timeout_ns + 2 * sweep_ns)
			ipft_packets_expire(t.packets, now - t.cfg.flush_timeout_ns - 2 * sweep_ns);
		if (t.out && now - last_flush >= FLUSH_NS) {
			last_flush = now;
			if (ipft_pcapng_out_flush(t.out) < 0)
				t.output_failed = true;
		}
		if (now - last_report >= 5000000000ull) { /* losses show while they happen */
			last_report = now;
			read_stats(&t, stats);
			uint64_t lost = stats[IPFT_STAT_LOST_RINGBUF] + stats[IPFT_STAT_LOST_MAPFULL];
			if (lost > reported_lost) {
				fprintf(stderr, "ipft: %llu events or packets lost so far\n",
					(unsigned long long)lost);
				reported_lost = lost;
			}
		}
	}

	/* Detach first so no new events arrive, then drain what is queued.
	 * Thousands of functions take a while: say how long. */
	t.now_mono = clock_ns(CLOCK_MONOTONIC);
	if (t.cfg.verbose || used[1].n > 100)
		fprintf(stderr, "ipft: detaching from %zu attach points\n", attached);
	for (int u = 0; u < 2; u++)
		if (used[u].n)
			used[u].b->detach(used[u].v, used[u].n);
	if (t.cfg.verbose || used[1].n > 100)
		fprintf(stderr, "ipft: detached in %.1f s\n",
			(double)(clock_ns(CLOCK_MONOTONIC) - t.now_mono) / 1e9);
	t.now_mono = clock_ns(CLOCK_MONOTONIC);
	t.draining = true;
	ring_buffer__consume(rb);
	ipft_live_sweep(ipft_bpf_live_fd(&t.bpf), ipft_bpf_n_live(&t.bpf), t.cfg.max_inflight,
			UINT64_MAX, on_swept, &t);
	ipft_packets_flush_all(t.packets);
	read_stats(&t, stats);
	report_losses(stats);
	rs.events = stats[IPFT_STAT_EVENTS] + t.swept_events;
	rs.packets = stats[IPFT_STAT_PACKETS];
	rs.lost_ringbuf = stats[IPFT_STAT_LOST_RINGBUF];
	rs.lost_mapfull = stats[IPFT_STAT_LOST_MAPFULL];
	rs.stale = stats[IPFT_STAT_STALE];
	rs.evicted = stats[IPFT_STAT_EVICTED];
	rs.written = t.written;
	rs.partial = t.partial;
	rs.end_real_ns = clock_ns(CLOCK_REALTIME);
	exit_code = 0;
	if (t.output_failed) {
		snprintf(err, sizeof(err), "writing %s failed: %s",
			 t.cfg.write_path ? t.cfg.write_path : "stdout",
			 t.out ? ipft_pcapng_out_error(t.out) : strerror(errno));
		exit_code = EXIT_OUTPUT;
	} else if (err[0]) {
		exit_code = EXIT_OUTPUT;
	}
	if (t.out) {
		char cerr[256] = "";
		if (ipft_pcapng_out_close(t.out, &rs, cerr, sizeof(cerr)) < 0 && exit_code == 0) {
			snprintf(err, sizeof(err), "writing %s failed: %s", t.cfg.write_path, cerr);
			exit_code = EXIT_OUTPUT;
		}
		t.out = NULL;
	}
	if (exit_code)
		fprintf(stderr, "ipft: %s\n", err);
	if (t.cfg.write_path && strcmp(t.cfg.write_path, "-") != 0)
		fprintf(stderr, "ipft: %llu packets written to %s (%llu partial), %llu events\n",
			(unsigned long long)t.written, t.cfg.write_path,
			(unsigned long long)t.partial, (unsigned long long)rs.events);
	goto out;
fail:
	fprintf(stderr, "ipft: %s\n", err);
	for (int u = 0; u < 2; u++)
		if (used[u].b && used[u].v && used[u].n)
			used[u].b->detach(used[u].v, used[u].n);
out:
	ring_buffer__free(rb);
	if (t.out)
		ipft_pcapng_out_close(t.out, NULL, err, sizeof(err));
	if (t.bpf.skel)
		ipft_bpf_close(&t.bpf);
	ipft_packets_free(t.packets);
	free(t.events);
	for (size_t i = 0; names && i < ri.n_probes; i++)
		free((char *)names[i]);
	free(names);
	free(used[0].v);
	free(used[1].v);
	ipft_kallsyms_free(t.ksyms);
	ipft_drop_reasons_free(t.reasons);
	ipft_probe_set_free(&t.probes);
	ipft_cli_free(&t.cfg);
	return exit_code;
}
