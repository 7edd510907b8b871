/* main.c - follow packets through the kernel and write what they met.
 *
 * The phases, in order: parse the command line; discover the attach
 * points (tracer/probes) and pick the backends (tracer/backends/plan.c);
 * load the BPF object; attach; run: read the ring buffer, gathering hits
 * and header captures per packet (tracer/collect) and writing each packet
 * when it ends (tracer/output); detach and drain what is queued; report
 * the counters, on stderr and in the file.
 */
#include "tracer/backends/backend.h"
#include "tracer/backends/bpf_object.h"
#include "tracer/backends/ahead.h"
#include "tracer/backends/plan.h"
#include "tracer/cli/cli.h"
#include "tracer/collect/assemble.h"
#include "tracer/collect/clock.h"
#include "tracer/collect/counters.h"
#include "tracer/collect/live_sweep.h"
#include "tracer/collectors/collectors.h"
#include "tracer/collectors/ext.h"
#include "tracer/filter/filter.h"
#include "tracer/filter/trigger.h"
#include "tracer/kernel/drop_reason.h"
#include "tracer/kernel/kallsyms.h"
#include "tracer/kernel/kernel_check.h"
#include "tracer/kernel/prog_misses.h"
#include "tracer/kernel/vmlinux_btf.h"
#include "tracer/output/pcapng_out.h"
#include "tracer/output/run_info.h"
#include "tracer/output/text_out.h"
#include "tracer/probes/probe.h"
#include "tracer/probes/select.h"
#include "tracer/trim/trim.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* Exit statuses (ipft.8, EXIT STATUS). */
#define EXIT_USAGE 1    /* bad input, or the kernel refused to trace */
#define EXIT_OUTPUT 2   /* writing the output failed */
#define EXIT_RINGBUF 3  /* reading the kernel's ring buffer failed */

#define NOFILE_WANTED 65536
#define MAX_EVENTS_PER_PACKET 4096
#define TRACKING_ENTRY_OVERHEAD 96 /* hash bucket, key, queue reference */
#define NS 1000000000ull
#define FLUSH_NS NS           /* written packets reach the file at most this late */
#define LOSS_REPORT_NS (5 * NS) /* losses show on stderr while they happen */
#define POLL_MS 50            /* records wait at most this long (no wakeup per record) */
/* A sweep reads every entry of the tracking map (--max-inflight of them
 * at most), so not more often than this. */
#define SWEEP_MIN_NS NS
#define LIVE_ORDER_WINDOW_NS NS
#define CLOCK_RETAKE_NS (10 * NS) /* the wall clock's offset, taken again */
#define CLOCK_STEP_SAID_NS 1000000ll /* smaller changes (NTP's slewing): only in the file */
/* Records reach ipft within a poll (and a wakeup): a finished packet
 * waits this long for those of packets that started before it. */
#define ORDER_SETTLE_NS (4 * POLL_MS * 1000000ull)

static volatile sig_atomic_t stop_signal, counters_wanted;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void on_usr1(int sig)
{
	(void)sig;
	counters_wanted = 1;
}

/* Every signal that ends a run ends it cleanly (detach, drain, statistics,
 * a complete file): a closed terminal or SSH session (HUP) too.  They do
 * not restart system calls: a write blocked on a stalled pipe returns and
 * gives up (pcapng_writer_give_up_on_stop).  USR1 prints the counters, as
 * tcpdump does.  A file-size limit (XFSZ) is an output error like a full
 * disk, not a kill. */
static void install_signals(void)
{
	struct sigaction stop = { .sa_handler = on_stop }, usr1 = { .sa_handler = on_usr1,
								    .sa_flags = SA_RESTART };
	const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		sigaction(stops[i], &stop, NULL);
	sigaction(SIGUSR1, &usr1, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
}

/* The start-up's phases, timed for -v (make bench-vm reads them). */
enum phase { PHASE_DISCOVER, PHASE_LOAD, PHASE_ATTACH, PHASE_OUTPUTS, PHASES };

struct tracer {
	struct ipft_config cfg;
	struct ipft_probe_set probes;
	struct ipft_attach_plan plan;
	struct ipft_bpf bpf;
	struct ipft_assembler *assembler;
	struct ipft_pcapng_out *out;
	struct ipft_kallsyms *ksyms; /* read on a thread from the load on */
	struct ipft_functions_job *functions_job; /* what ftrace can attach, read ahead */
	bool memory_limited;      /* a memory cgroup's limit: no thread beside the maps made */
	struct ipft_drop_reasons *reasons;
	struct ring_buffer *rb;
	struct ipft_clock clock;  /* kernel times to wall clock, its changes */
	struct ipft_run_info ri;
	const char **attached_names;
	bool flush_failed;        /* writing the file out failed */
	int text_errno;           /* why writing -o output failed */
	bool draining;            /* detached: read what is left, whatever happened */
	int sweep_fd;             /* ends a swept packet in the kernel; -1: ipft does */
	uint64_t swept_discarded; /* --trigger: packets swept from the map untriggered */
	uint64_t nested_misses;   /* hits the kernel skipped ipft's programs at (prog_misses.h) */
	uint64_t batch_end;       /* CLOCK_MONOTONIC: a batch of records ends by then */
	bool batch_ended;         /* on_record ended it (BATCH_ENDED) */
	unsigned batch_records;   /* records read, for when to look at the clock */
	uint64_t phase_mark;      /* CLOCK_MONOTONIC: the last start-up phase ended */
	uint64_t phase_ns[PHASES];
	struct btf *start_btf;    /* the kernel's BTF, parsed once over the start */
	char err[512];
};

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

/* Ends phase p: the time since the previous phase ended.  Passes the
 * phase's result on, so main reads as the list of phases. */
static int phase_end(struct tracer *t, enum phase p, int rc)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC);

	t->phase_ns[p] = now - t->phase_mark;
	t->phase_mark = now;
	return rc;
}

static double ns_to_s(uint64_t ns)
{
	return (double)ns / NS;
}

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

static void setup_process(void)
{
	struct rlimit nofile;

	/* Packets in flight come and go by the hundred thousand per second:
	 * keep freed heap memory rather than hand it back and fault it in
	 * again (that was half of ipft's time under a flood). */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	/* One kprobe link per function, two with fentry/fexit: 1500
	 * functions are up to 3000 file descriptors, beyond the usual soft
	 * limit and some hard limits (root may raise those). */
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < NOFILE_WANTED) {
		struct rlimit want = { NOFILE_WANTED, NOFILE_WANTED };
		if (nofile.rlim_max >= NOFILE_WANTED || setrlimit(RLIMIT_NOFILE, &want) < 0) {
			nofile.rlim_cur = nofile.rlim_max;
			setrlimit(RLIMIT_NOFILE, &nofile);
		}
	}
}

/* ---- discover: the attach points and backends of this run ----------- */

/* The tracking map's kernel memory, roughly: an entry, its hash-table
 * overhead and its place in the queue of started packets. */
static uint64_t tracking_map_bytes(uint32_t max_inflight)
{
	return (uint64_t)max_inflight * (sizeof(struct ipft_live) + TRACKING_ENTRY_OVERHEAD);
}

static int check_memory(const struct tracer *t, char *err, size_t errlen)
{
	char what[64];

	snprintf(what, sizeof(what), "--max-inflight %u", t->cfg.max_inflight);
	if (t->cfg.verbose)
		fprintf(stderr, "ipft: the tracking map takes about %.1f MiB of kernel memory\n",
			(double)tracking_map_bytes(t->cfg.max_inflight) / (1 << 20));
	return ipft_kernel_check_memory(tracking_map_bytes(t->cfg.max_inflight), what, err, errlen);
}

static int discover(struct tracer *t)
{
	const struct ipft_config *c = &t->cfg;
	bool with_functions;

	if (ipft_filter_check(c, t->err, sizeof(t->err)) < 0)
		return -1;
	if (!c->list && (ipft_kernel_check(t->err, sizeof(t->err)) < 0 ||
			 ipft_plan_choose(&t->plan, c->backend, c->function_graph, c->verbose,
					  t->err, sizeof(t->err)) < 0))
		return -1;
	/* The ring buffer and the tracking map are made while the probes
	 * are found.  Not in a memory cgroup with a limit: a map that does not
	 * fit fills the cgroup for a moment before it fails, and another
	 * thread allocating then is killed by the OOM killer instead of
	 * ipft saying which map did not fit (libbpf makes them at load). */
	if (!c->list) {
		if (check_memory(t, t->err, sizeof(t->err)) < 0)
			return -1;
		t->memory_limited = ipft_kernel_memory_limited();
		if (!t->memory_limited)
			t->bpf.maps_job = ipft_maps_ahead_start(c->ringbuf_bytes, c->max_inflight);
	}
	/* Each kind of probe adds its own.  Functions only when they can be
	 * used: reading every module's BTF and the ftrace list (that one
	 * ahead, on a thread) takes a tenth of a second or more. */
	with_functions = c->list || ipft_plan_has_functions(&t->plan);
	if (ipft_probes_add_tracepoints(&t->probes, t->err, sizeof(t->err)) < 0)
		return -1;
	if (with_functions) {
		struct ipft_functions_job *job = t->functions_job;

		t->functions_job = NULL; /* taken, also on failure */
		if (ipft_probes_add_functions(&t->probes, job, c->verbose && !c->list, t->err,
					      sizeof(t->err)) < 0)
			return -1;
	} else {
		ipft_probes_functions_drop(t->functions_job); /* not needed: ended now */
		t->functions_job = NULL;
	}
	ipft_backends_mark_probes(&t->probes);
	return ipft_probes_select(&t->probes, c->regex, with_functions, t->err, sizeof(t->err));
}

/* ---- load and attach ------------------------------------------------- */

static void new_id_salt(struct ipft_config *c)
{
	if (getrandom(&c->id_salt, sizeof(c->id_salt), 0) != sizeof(c->id_salt))
		c->id_salt = clock_ns(CLOCK_REALTIME) ^ (uint64_t)getpid() << 32;
	c->id_salt &= ~IPFT_ID_COUNTER_MASK;
}

static int load(struct tracer *t)
{
	/* A bad extension is told before anything is loaded. */
	if (t->cfg.extension &&
	    ipft_ext_open(t->cfg.extension, t->cfg.collect, &t->bpf.ext, t->err,
			  sizeof(t->err)) < 0)
		return -1;
	new_id_salt(&t->cfg);
	if (!t->memory_limited) /* else after the maps are made: see discover */
		t->ksyms = ipft_kallsyms_load_start();
	t->reasons = ipft_drop_reasons_load();
	if (ipft_trigger_resolve(&t->cfg.trigger, t->reasons, t->err, sizeof(t->err)) < 0)
		return -1;
	if (ipft_plan_assign(&t->plan, &t->probes, t->err, sizeof(t->err)) < 0)
		return -1;
	if (ipft_bpf_open_load(&t->bpf, &t->cfg, t->plan.part, IPFT_PLAN_PARTS, t->err,
			       sizeof(t->err)) < 0)
		return -1;
	if (t->memory_limited)
		t->ksyms = ipft_kallsyms_load_start();
	t->sweep_fd = ipft_bpf_sweep_fd(&t->bpf);
	return 0;
}

static int attach(struct tracer *t)
{
	if (ipft_plan_attach(&t->plan, &t->bpf, t->ksyms, t->err, sizeof(t->err)) < 0)
		return -1;
	/* The file's metadata names only the points actually attached. */
	t->attached_names = calloc(t->plan.n_probes, sizeof(*t->attached_names));
	if (!t->attached_names) {
		snprintf(t->err, sizeof(t->err), "out of memory");
		return -1;
	}
	t->ri.probe_names = t->attached_names;
	t->ri.n_probes = ipft_plan_attached_names(&t->plan, t->attached_names);
	return 0;
}

/* ---- run: records to packets to the outputs -------------------------- */

static int write_packet(const struct ipft_packet *p, void *arg)
{
	struct tracer *t = arg;

	if (t->out && ipft_pcapng_out_packet(t->out, p) < 0)
		return -1;
	if (t->cfg.format != IPFT_OUT_NONE && ipft_text_packet(stdout, t->cfg.format, p) < 0) {
		t->text_errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

static bool output_failed(const struct tracer *t)
{
	return t->flush_failed || ipft_assembler_write_failed(t->assembler);
}

static bool writing_over(const struct tracer *t)
{
	return ipft_assembler_count_reached(t->assembler) || output_failed(t);
}

/* How on_record ends a batch: libbpf stops reading and returns it. */
#define BATCH_ENDED (-ECANCELED)
/* The clock is read every so many records, not for each one. */
#define BATCH_CLOCK_EVERY 64

static int on_record(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;

	ipft_assembler_record(t->assembler, data, size);
	if (t->draining)
		return 0;
	/* libbpf reads for as long as records come: under a flood the ring
	 * may never empty, and the run loop (sweeps, flushes, --duration, SIGUSR1,
	 * the assembler's clock) would wait for the flood to end.  A stop or
	 * a poll interval ends the batch, after the record is used (libbpf
	 * has consumed it). */
	if (stop_signal || writing_over(t) ||
	    (++t->batch_records % BATCH_CLOCK_EVERY == 0 &&
	     clock_ns(CLOCK_MONOTONIC) >= t->batch_end)) {
		t->batch_ended = true;
		return BATCH_ENDED;
	}
	return 0;
}

/* A packet that never met --trigger was followed, not sent: forgotten. */
static void on_swept(const struct ipft_live *entry, void *arg)
{
	struct tracer *t = arg;

	if (t->cfg.trigger.bits && !entry->triggered)
		t->swept_discarded++;
	else
		ipft_assembler_swept(t->assembler, entry);
}

/* How often the tracking map is searched for packets older than the
 * flush timeout: every half timeout, at least SWEEP_MIN_NS apart. */
static uint64_t sweep_period(const struct ipft_config *c)
{
	return c->flush_timeout_ns / 2 > SWEEP_MIN_NS ? c->flush_timeout_ns / 2 : SWEEP_MIN_NS;
}

/* Packets are written in the order they started.  A finished one waits
 * for earlier ones still in flight: in a file up to the flush timeout and
 * two sweeps (when they end at the latest), so partial traces keep their
 * place too; in a live view (-w -, -o) up to a second. */
static uint64_t order_window(const struct ipft_config *c)
{
	bool live = !c->write_path || strcmp(c->write_path, "-") == 0;

	return live ? LIVE_ORDER_WINDOW_NS : c->flush_timeout_ns + 2 * sweep_period(c);
}

/* The kernel's symbols are still being read (load): whether they will
 * name anything is told now, from the file's first lines. */
static void tell_hidden_addresses(const struct tracer *t)
{
	if (!ipft_kallsyms_visible())
		fprintf(stderr, "ipft: kernel addresses are hidden from this process (/proc/kallsyms, "
			"kptr_restrict): drop locations have no symbol%s\n",
			t->cfg.raw_addresses ? "s, only addresses" : " and are left out "
			"(--raw-addresses writes their addresses)");
}

/* The assembler, the outputs and the ring-buffer reader. */
static int open_outputs(struct tracer *t)
{
	struct ipft_assembler_cfg ac;

	tell_hidden_addresses(t);
	ac = (struct ipft_assembler_cfg){
		.probes = &t->probes, .ksyms = t->ksyms, .reasons = t->reasons,
		.max_inflight = t->cfg.max_inflight, .max_hits = MAX_EVENTS_PER_PACKET,
		.snaplen = t->cfg.snaplen, .clock = &t->clock, .raw_addresses = t->cfg.raw_addresses,
		.collect = t->cfg.collect | (t->bpf.ext ? IPFT_COLLECT_EXT : 0), .ext = t->bpf.ext,
		.max_written = t->cfg.count, .write = write_packet, .arg = t,
		.order_window_ns = order_window(&t->cfg), .order_settle_ns = ORDER_SETTLE_NS,
	};

	t->assembler = ipft_clock_init(&t->clock) == 0 ? ipft_assembler_new(&ac) : NULL;
	if (!t->assembler) {
		snprintf(t->err, sizeof(t->err), "out of memory");
		return -1;
	}
	t->ri.cmdline = t->cfg.cmdline;
	t->ri.backend = t->plan.backend_name;
	t->ri.snaplen = t->cfg.snaplen;
	t->ri.start_real_ns = clock_ns(CLOCK_REALTIME);
	if (t->cfg.write_path &&
	    !(t->out = ipft_pcapng_out_open(t->cfg.write_path, &t->ri, t->cfg.trace_blocks,
					    t->err, sizeof(t->err))))
		return -1;
	if (t->out)
		ipft_pcapng_out_give_up_on_stop(t->out, &stop_signal);
	if (t->out && t->cfg.headers_only)
		ipft_pcapng_out_headers_only(t->out);
	t->rb = ring_buffer__new(ipft_bpf_events_fd(&t->bpf), on_record, t, NULL);
	if (!t->rb) {
		snprintf(t->err, sizeof(t->err), "cannot read the ring buffer: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Takes packets alive past the timeout out of the kernel's map. */
static void sweep_alive(struct tracer *t, uint64_t born_before)
{
	bool in_kernel = t->sweep_fd >= 0;

	if (*ipft_bpf_n_live(&t->bpf) > 0)
		ipft_live_sweep(ipft_bpf_live_fd(&t->bpf), &t->sweep_fd, ipft_bpf_n_live(&t->bpf),
				t->cfg.max_inflight, born_before, on_swept, t);
	if (in_kernel && t->sweep_fd < 0)
		fprintf(stderr, "ipft: this kernel cannot run a BPF program on request (raw_tp "
			"test runs, 5.10): old packets are taken from the map by ipft, and a hit "
			"landing meanwhile is lost uncounted\n");
}

struct run_clock {
	uint64_t start, last_sweep, last_flush, last_report, reported_lost, sweep_ns, last_clock;
};

static void report_clock_change(const struct ipft_clock *c)
{
	fprintf(stderr, "ipft: the wall clock moved by %+.6f s; events from then on are stamped "
		"with the new time (the file's statistics list each change)\n",
		(double)c->changes[c->n - 1].step / 1e9);
}

/* SIGUSR1: where the run stands. */
static void print_counters(const struct tracer *t)
{
	struct ipft_assembly_counts n = ipft_assembler_counts(t->assembler);
	uint64_t s[IPFT_STAT_MAX];

	ipft_counters_read(ipft_bpf_stats_fd(&t->bpf), s);
	fprintf(stderr, "ipft: so far %llu packets written (%llu partial), %llu events, "
		"%llu events lost, %llu packets not followed\n",
		(unsigned long long)n.written, (unsigned long long)n.partial,
		(unsigned long long)(s[IPFT_STAT_EVENTS] + n.swept_events),
		(unsigned long long)s[IPFT_STAT_LOST_RINGBUF],
		(unsigned long long)s[IPFT_STAT_LOST_MAPFULL]);
}

/* What the run loop does besides reading: sweeps, expiry, flushes of the
 * file, loss reports. */
static void periodic(struct tracer *t, struct run_clock *rc, uint64_t now)
{
	uint64_t timeout = t->cfg.flush_timeout_ns, stats[IPFT_STAT_MAX];

	/* Packets alive past the timeout: first those whose hits are still
	 * in the kernel's map, then (a sweep later) those ipft holds, so the
	 * two halves of a trace meet. */
	if (now > timeout && now - rc->last_sweep >= rc->sweep_ns) {
		rc->last_sweep = now;
		sweep_alive(t, now - timeout);
	}
	if (now > timeout + 2 * rc->sweep_ns)
		ipft_assembler_expire(t->assembler, now - timeout - 2 * rc->sweep_ns);
	if (t->out && now - rc->last_flush >= FLUSH_NS) {
		rc->last_flush = now;
		if (ipft_pcapng_out_flush(t->out) < 0)
			t->flush_failed = true;
	}
	/* The wall clock: at once when it is set, else now and then (NTP
	 * slews it). */
	if (ipft_clock_update(&t->clock, now - rc->last_clock >= CLOCK_RETAKE_NS,
			      order_window(&t->cfg) + t->cfg.flush_timeout_ns) &&
	    llabs(t->clock.changes[t->clock.n - 1].step) >= CLOCK_STEP_SAID_NS)
		report_clock_change(&t->clock);
	if (now - rc->last_clock >= CLOCK_RETAKE_NS)
		rc->last_clock = now;
	if (counters_wanted) {
		counters_wanted = 0;
		print_counters(t);
	}
	if (now - rc->last_report >= LOSS_REPORT_NS) {
		rc->last_report = now;
		ipft_counters_read(ipft_bpf_stats_fd(&t->bpf), stats);
		if (ipft_counters_lost(stats) > rc->reported_lost) {
			rc->reported_lost = ipft_counters_lost(stats);
			fprintf(stderr, "ipft: %llu events or packets lost so far\n",
				(unsigned long long)rc->reported_lost);
		}
	}
}

/* Reads until a stop: a signal, -c, --duration, an output error; 0, or
 * -1 when the ring buffer could not be read. */
static int run(struct tracer *t)
{
	struct run_clock rc = { .start = clock_ns(CLOCK_MONOTONIC) };

	rc.last_clock = rc.start;
	uint64_t now;
	int n;

	rc.sweep_ns = sweep_period(&t->cfg);
	if (t->cfg.verbose)
		fprintf(stderr, "ipft: started in %.3f s: discover %.3f s, load %.3f s, attach %.3f s, "
			"outputs %.3f s\nipft: tracing; Ctrl-C to stop\n",
			ns_to_s(t->phase_ns[PHASE_DISCOVER] + t->phase_ns[PHASE_LOAD] +
				t->phase_ns[PHASE_ATTACH] + t->phase_ns[PHASE_OUTPUTS]),
			ns_to_s(t->phase_ns[PHASE_DISCOVER]), ns_to_s(t->phase_ns[PHASE_LOAD]),
			ns_to_s(t->phase_ns[PHASE_ATTACH]), ns_to_s(t->phase_ns[PHASE_OUTPUTS]));
	while (!stop_signal && !writing_over(t)) {
		now = clock_ns(CLOCK_MONOTONIC);
		ipft_assembler_set_now(t->assembler, now);
		t->batch_end = now + POLL_MS * 1000000ull;
		t->batch_ended = false;
		n = ring_buffer__poll(t->rb, POLL_MS);
		if (n >= 0)  /* what arrived without a wakeup */
			n = ring_buffer__consume(t->rb);
		now = clock_ns(CLOCK_MONOTONIC);
		ipft_assembler_set_now(t->assembler, now);
		if (n < 0 && n != -EINTR && !(n == BATCH_ENDED && t->batch_ended)) {
			snprintf(t->err, sizeof(t->err), "reading the ring buffer failed: %s",
				 strerror(-n));
			return -1;
		}
		if (t->cfg.duration && now - rc.start >= (uint64_t)(t->cfg.duration * 1e9))
			break;
		periodic(t, &rc, now);
	}
	return 0;
}

/* ---- detach and report ------------------------------------------------ */

/* Detaches first so no new events arrive, then writes what is queued in
 * the ring, left in the map and gathered in user space. */
static void detach_and_drain(struct tracer *t)
{
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC), t1;

	/* Read while the programs are loaded: detaching closes them. */
	t->nested_misses = ipft_prog_misses();
	ipft_plan_detach(&t->plan);
	t1 = clock_ns(CLOCK_MONOTONIC);
	ipft_assembler_set_now(t->assembler, t1);
	t->draining = true;
	t->sweep_fd = -1; /* no program runs: what is left is taken here */
	ring_buffer__consume(t->rb);
	sweep_alive(t, UINT64_MAX);
	ipft_assembler_flush_all(t->assembler);
	if (t->cfg.verbose)
		fprintf(stderr, "ipft: stopped: detach %.3f s, drain %.3f s\n", ns_to_s(t1 - t0),
			ns_to_s(clock_ns(CLOCK_MONOTONIC) - t1));
}

static void run_stats(const struct tracer *t, struct ipft_run_stats *rs)
{
	struct ipft_assembly_counts n = ipft_assembler_counts(t->assembler);
	uint64_t s[IPFT_STAT_MAX];

	ipft_counters_read(ipft_bpf_stats_fd(&t->bpf), s);
	ipft_counters_report_losses(s);
	rs->events = s[IPFT_STAT_EVENTS] + n.swept_events;
	rs->packets = s[IPFT_STAT_PACKETS];
	rs->lost_ringbuf = s[IPFT_STAT_LOST_RINGBUF];
	rs->lost_mapfull = s[IPFT_STAT_LOST_MAPFULL];
	rs->stale = s[IPFT_STAT_STALE];
	rs->evicted = s[IPFT_STAT_EVICTED];
	rs->lost_evict_race = s[IPFT_STAT_LOST_EVICT_RACE];
	rs->lost_nested = t->nested_misses;
	if (rs->lost_nested)
		fprintf(stderr, "ipft: %llu events lost: the kernel did not run ipft's program "
			"where it was already running on that CPU (an interrupt inside a traced "
			"call)\n", (unsigned long long)rs->lost_nested);
	rs->trigger = t->cfg.trigger.bits != 0;
	rs->discarded = s[IPFT_STAT_DISCARDED] + t->swept_discarded;
	rs->trigger_overflow = s[IPFT_STAT_TRIGGER_OVERFLOW];
	rs->over_cap = n.over_cap;
	rs->clock_changes = t->clock.logged;
	rs->n_clock_changes = t->clock.n_logged;
	rs->n_clock_changes_total = t->clock.n_changes;
	rs->clock_steps_sum = t->clock.sum_steps;
	if (n.over_cap)
		fprintf(stderr, "ipft: %llu events dropped: packets with more than %d events "
			"(written as truncated traces)\n", (unsigned long long)n.over_cap,
			MAX_EVENTS_PER_PACKET);
	rs->written = n.written;
	rs->partial = n.partial;
	if (t->cfg.verbose && n.written)
		fprintf(stderr, "ipft: %llu bytes from the ring buffer, %llu per packet written\n",
			(unsigned long long)n.ring_bytes,
			(unsigned long long)(n.ring_bytes / n.written));
	rs->end_real_ns = clock_ns(CLOCK_REALTIME);
}

/* The statistics block, the file closed, the last stderr lines; returns
 * the exit status, given the run's so far. */
static int report(struct tracer *t, int status)
{
	struct ipft_run_stats rs = { 0 };
	uint64_t in_file = 0;
	char cerr[256] = "";

	run_stats(t, &rs);
	if (output_failed(t) && status == 0) {
		snprintf(t->err, sizeof(t->err), "writing %s failed: %s",
			 t->out ? t->cfg.write_path : "stdout",
			 t->out ? ipft_pcapng_out_error(t->out) : strerror(t->text_errno));
		status = EXIT_OUTPUT;
	}
	/* The packets ahead of the statistics: what the file really holds. */
	if (t->out) {
		ipft_pcapng_out_flush(t->out); /* a failure shows at the close */
		in_file = ipft_pcapng_out_packets_written(t->out);
	}
	if (t->out && ipft_pcapng_out_close(t->out, &rs, cerr, sizeof(cerr)) < 0 && status == 0) {
		snprintf(t->err, sizeof(t->err), "writing %s failed: %s", t->cfg.write_path, cerr);
		status = EXIT_OUTPUT;
	}
	t->out = NULL;
	if (status)
		fprintf(stderr, "ipft: %s\n", t->err);
	if (t->cfg.write_path && strcmp(t->cfg.write_path, "-") != 0)
		fprintf(stderr, "ipft: %llu packets written to %s (%llu partial), %llu events\n",
			(unsigned long long)in_file, t->cfg.write_path,
			(unsigned long long)rs.partial, (unsigned long long)rs.events);
	if (rs.trigger)
		fprintf(stderr, "ipft: --trigger: %llu packets followed, %llu discarded without "
			"meeting it, %llu sent without their oldest hits (more than the kernel "
			"holds)\n",
			(unsigned long long)rs.packets, (unsigned long long)rs.discarded,
			(unsigned long long)rs.trigger_overflow);
	return status;
}

static void cleanup(struct tracer *t)
{
	ipft_vmlinux_btf_put(t->start_btf);
	ring_buffer__free(t->rb);
	if (t->out)
		ipft_pcapng_out_close(t->out, NULL, t->err, sizeof(t->err));
	if (t->bpf.skel)
		ipft_bpf_close(&t->bpf);
	ipft_assembler_free(t->assembler);
	ipft_ext_free(t->bpf.ext);
	ipft_clock_free(&t->clock);
	for (size_t i = 0; t->attached_names && i < t->ri.n_probes; i++)
		free((char *)t->attached_names[i]);
	free(t->attached_names);
	ipft_plan_free(&t->plan);
	ipft_bpf_ahead_end(&t->bpf); /* a start that failed */
	ipft_probes_functions_drop(t->functions_job); /* a start that failed */
	ipft_kallsyms_free(t->ksyms); /* waits for its thread */
	ipft_drop_reasons_free(t->reasons);
	ipft_probe_set_free(&t->probes);
	ipft_cli_free(&t->cfg);
}

/* The start failed: say why, undo what was attached. */
static int fail(struct tracer *t)
{
	fprintf(stderr, "ipft: %s\n", t->err);
	ipft_plan_detach(&t->plan);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct tracer t = { .clock.set_fd = -1 };
	int rc, status;

	/* A sub-command, before the tracer's options. */
	if (argc > 1 && strcmp(argv[1], "trim") == 0)
		return ipft_trim_main(argc - 1, argv + 1);
	setup_process();
	rc = ipft_cli_parse(argc, argv, &t.cfg);
	if (rc)
		return rc > 0 ? 0 : EXIT_USAGE;
	libbpf_set_print(t.cfg.verbose ? libbpf_print : libbpf_quiet);
	/* Before anything is discovered or attached: a stop that comes while
	 * ipft attaches (a minute with every function) ends the run once it
	 * is attached, cleanly.  Until then a background job's SIGINT would
	 * be ignored (a non-interactive shell starts it so) and lost. */
	if (!t.cfg.list)
		install_signals();
	t.phase_mark = clock_ns(CLOCK_MONOTONIC);
	/* libbpf parses the kernel's BTF for the object while ipft parses it
	 * for discovery (an extension's object is made at load). */
	if (!t.cfg.list && !t.cfg.extension)
		t.bpf.open_job = ipft_open_ahead_start();
	/* The list of functions ftrace can attach is read meanwhile too,
	 * where functions may be traced. */
	if (strcmp(t.cfg.backend, "tracepoint") != 0)
		t.functions_job = ipft_probes_functions_start();
	t.start_btf = ipft_vmlinux_btf_get();
	if (phase_end(&t, PHASE_DISCOVER, discover(&t)) < 0) {
		status = fail(&t);
	} else if (t.cfg.list) {
		ipft_probes_list(&t.probes);
		status = 0;
	} else if (phase_end(&t, PHASE_LOAD, load(&t)) < 0 ||
		   phase_end(&t, PHASE_ATTACH, attach(&t)) < 0 ||
		   phase_end(&t, PHASE_OUTPUTS, open_outputs(&t)) < 0) {
		status = fail(&t);
	} else {
		ipft_vmlinux_btf_put(t.start_btf);
		t.start_btf = NULL;
		status = run(&t) < 0 ? EXIT_RINGBUF : 0;
		detach_and_drain(&t);
		status = report(&t, status);
	}
	cleanup(&t);
	return status;
}
