/* backend_kprobe.c - one kprobe per function.
 *
 * Works wherever the kernel has kprobes (every Debian kernel but this
 * development VM's).  Each function gets its own perf-event kprobe and a
 * BPF link carrying its cookie (probe id); the programs are one clone per
 * skb argument position.  Attaching costs milliseconds per function (the
 * kernel registers kprobes one at a time, so a progress line is shown);
 * detaching waits for an RCU grace period per kprobe, so it is done by
 * several threads at once, whose waits overlap.
 */
#include "tracer/kprobe_common.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>

static int prog_fds[IPFT_KPROBE_POSITIONS] = { -1, -1, -1, -1, -1, -1 };

static int kp_available(char *why, size_t len)
{
	return ipft_kprobe_available(why, len);
}

static bool kp_can_attach(const struct ipft_probe *p)
{
	return p->type == IPFT_PROBE_FUNCTION && p->skb_arg >= 0 &&
	       p->skb_arg < IPFT_KPROBE_POSITIONS;
}

/* A kprobe on func as a perf event, then a BPF link with the cookie. */
static int attach_one(int prog_fd, int pmu, const char *func, uint64_t cookie)
{
	struct perf_event_attr attr = {
		.type = (uint32_t)pmu,
		.size = sizeof(attr),
		.config1 = (uint64_t)(uintptr_t)func,
		.config2 = 0,
	};
	LIBBPF_OPTS(bpf_link_create_opts, lo, .perf_event.bpf_cookie = cookie);
	int pfd, link, e;

	pfd = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return -1;
	link = bpf_link_create(prog_fd, pfd, BPF_PERF_EVENT, &lo);
	e = errno;
	close(pfd); /* the link keeps the event */
	errno = e;
	return link;
}

static int kp_attach(const struct ipft_attach_ctx *ctx, struct ipft_probe **probes, size_t n,
		     size_t *attached, char *err, size_t errlen)
{
	int pmu = ipft_kprobe_pmu_type();
	char why[256] = "";

	*attached = 0;
	if (ipft_kprobe_clones(ctx, probes, n, false, prog_fds, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct ipft_probe *p = probes[i];

		p->prog_fd = -1;
		p->link_fd = attach_one(prog_fds[p->skb_arg], pmu, p->name, ipft_kprobe_cookie(p));
		if (p->link_fd >= 0)
			(*attached)++;
		else {
			snprintf(why, sizeof(why), "function %s: kprobe failed: %s", p->name,
				 strerror(errno));
			if (ctx->verbose)
				fprintf(stderr, "ipft: skipped %s\n", why);
		}
		if (ctx->progress && ((i + 1) % 64 == 0 || i + 1 == n))
			ctx->progress(i + 1, n, ctx->progress_arg);
	}
	if (*attached == 0 && n) {
		snprintf(err, errlen, "no function could be attached (last error: %s)", why);
		return -1;
	}
	return 0;
}

#define DETACH_THREADS 16

struct detach_slice {
	struct ipft_probe **probes;
	size_t from, n, step;
};

static void *detach_some(void *arg)
{
	struct detach_slice *d = arg;

	for (size_t i = d->from; i < d->n; i += d->step) {
		if (d->probes[i]->link_fd >= 0)
			close(d->probes[i]->link_fd);
		d->probes[i]->link_fd = d->probes[i]->prog_fd = -1;
	}
	return NULL;
}

static void kp_detach(struct ipft_probe **probes, size_t n)
{
	pthread_t th[DETACH_THREADS];
	struct detach_slice d[DETACH_THREADS];
	bool started[DETACH_THREADS] = { false };

	for (size_t t = 0; t < DETACH_THREADS && t < n; t++) {
		d[t] = (struct detach_slice){ probes, t, n, DETACH_THREADS };
		started[t] = pthread_create(&th[t], NULL, detach_some, &d[t]) == 0;
		if (!started[t])
			detach_some(&d[t]); /* no thread: this slice here */
	}
	for (size_t t = 0; t < DETACH_THREADS && t < n; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	ipft_kprobe_close(prog_fds);
}

const struct ipft_backend ipft_backend_kprobe = {
	.name = "kprobe",
	.id = IPFT_BACKEND_KPROBE,
	.probes = IPFT_PROBE_FUNCTION,
	.available = kp_available,
	.can_attach = kp_can_attach,
	.attach = kp_attach,
	.detach = kp_detach,
};
