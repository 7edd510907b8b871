/* capture.c - --capture --fifo PATH.  ipft (or ssh running ipft) gets
 * Wireshark's FIFO as its stdout, where ipft writes pcapng flushed per
 * packet; ipft-extcap stays beside it to pass Wireshark's stop on (ipft
 * then detaches and ends the stream with its statistics block), to log
 * what ipft says and ask it for its counters every second, and to turn a
 * failure into one line for Wireshark's error dialog. */
#include "extcap/steps.h"
#include "extcap/child.h"
#include "extcap/command.h"
#include "extcap/diagnose.h"
#include "extcap/log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 1000
/* After a stop, how long ipft may take to finish before it is killed
 * (detaching thousands of kprobes takes seconds). */
#define STOP_GRACE_MS 30000

struct run {
	const struct xc_request *rq;
	struct xc_child child;
	struct xc_diag diag;
	struct xc_log log;
	int sig_fd;
	bool remote, stopped, exited;
	int status;
	long long stop_deadline, next_tick;
	char line[XC_LINE_MAX];
	size_t line_len;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Stop requests and the child's end arrive on a signalfd. */
static int watch_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	/* A write to a gone ssh is an error to see, not a death. */
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* ---- what ipft says ------------------------------------------------- */

static void take_line(struct run *r, const char *line)
{
	static const char counters[] = "ipft: so far ";
	enum xc_line_kind kind = xc_diag_line(&r->diag, line);

	if (kind == XC_LINE_IPFT && strncmp(line, counters, sizeof(counters) - 1) == 0)
		xc_log_status(&r->log, line);
	else if (line[0])
		xc_log_line(&r->log, "%s", line);
}

/* Reads stderr; lines longer than XC_LINE_MAX are cut.  False at its end. */
static bool read_stderr(struct run *r)
{
	char buf[4096];
	ssize_t n = read(r->child.err_fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || buf[i] == '\r') {
			r->line[r->line_len] = 0;
			take_line(r, r->line);
			r->line_len = 0;
		} else if (r->line_len + 1 < sizeof(r->line)) {
			r->line[r->line_len++] = buf[i];
		}
	}
	return n > 0;
}

/* ---- stopping ------------------------------------------------------- */

/* Locally the signal goes to ipft as it came; over SSH the end of ssh's
 * stdin tells the remote script to stop ipft (remote_script.c). */
static void pass_stop(struct run *r, int sig)
{
	if (r->stopped || r->exited)
		return;
	r->stopped = true;
	r->stop_deadline = now_ms() + STOP_GRACE_MS;
	xc_log_line(&r->log, "ipft-extcap: stopping (signal %d)", sig);
	if (r->remote) {
		close(r->child.in_fd);
		r->child.in_fd = -1;
	} else {
		kill(r->child.pid, sig);
	}
}

static void reap(struct run *r)
{
	int status;
	pid_t pid = waitpid(r->child.pid, &status, WNOHANG);

	if (pid != r->child.pid)
		return;
	r->exited = true;
	r->status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void read_signals(struct run *r)
{
	struct signalfd_siginfo si;

	while (read(r->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			reap(r);
		else
			pass_stop(r, (int)si.ssi_signo);
	}
}

/* ---- every second ---------------------------------------------------- */

/* Counters only once ipft handles USR1 (it said it traces), and only when
 * someone reads them. */
static void ask_counters(struct run *r)
{
	if (!r->diag.tracing || r->stopped || !xc_log_read(&r->log))
		return;
	if (r->remote) {
		if (r->child.in_fd >= 0 && write(r->child.in_fd, "c\n", 2) < 0)
			xc_log_line(&r->log, "ipft-extcap: cannot ask for counters: %s", strerror(errno));
	} else {
		kill(r->child.pid, SIGUSR1);
	}
}

static void tick(struct run *r)
{
	long long now = now_ms();

	if (now < r->next_tick)
		return;
	r->next_tick = now + TICK_MS;
	xc_log_tick(&r->log);
	ask_counters(r);
	if (r->stopped && now > r->stop_deadline) {
		xc_log_line(&r->log, "ipft-extcap: ipft did not end in time: killed");
		kill(r->child.pid, SIGKILL);
	}
}

/* ---- the run ---------------------------------------------------------- */

static void supervise(struct run *r)
{
	bool err_open = true;

	r->next_tick = now_ms() + TICK_MS;
	while (!r->exited || err_open) {
		struct pollfd p[2] = { { r->sig_fd, POLLIN, 0 }, { r->child.err_fd, POLLIN, 0 } };
		int wait = (int)(r->next_tick - now_ms());

		if (!err_open)
			p[1].fd = -1;
		if (poll(p, 2, wait < 0 ? 0 : wait) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			read_signals(r);
		if (err_open && p[1].revents)
			err_open = read_stderr(r);
		tick(r);
	}
	if (!r->exited) { /* only when poll failed */
		r->status = xc_child_wait(&r->child);
		r->exited = true;
	}
}

static int start(struct run *r, int fifo_fd, char *err, size_t len)
{
	struct xc_command cmd;
	int rc;

	rc = r->remote ? xc_command_remote(r->rq, XC_TASK_TRACE, &cmd, err, len)
		       : xc_command_local(r->rq, XC_TASK_TRACE, &cmd);
	if (rc < 0)
		return -1;
	xc_log_line(&r->log, "ipft-extcap: running %s%s%s", cmd.argv[0],
		    r->remote ? " to " : "", r->remote ? r->rq->set.host : "");
	rc = xc_child_start(cmd.argv, fifo_fd, r->remote, &r->child);
	if (rc < 0)
		xc_diag_not_started(r->rq, errno, err, len);
	xc_command_free(&cmd);
	return rc;
}

/* Signals watched, the log open, ipft started: 0, or -1 with the line
 * in err. */
static int begin(struct run *r, int fifo_fd, char *err, size_t len)
{
	r->sig_fd = watch_signals();
	if (r->sig_fd < 0) {
		snprintf(err, len, "cannot watch signals: %s", strerror(errno));
		return -1;
	}
	if (xc_log_open(&r->log, r->rq, err, len) < 0)
		return -1;
	return start(r, fifo_fd, err, len);
}

/* Whether Wireshark stopped reading: a FIFO without a reader refuses a
 * non-blocking writer (or Wireshark removed it). */
static bool reader_gone(const char *path)
{
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return errno == ENXIO || errno == ENOENT;
	close(fd);
	return false;
}

/* The FIFO opens once Wireshark reads it. */
static int open_fifo(const char *path, char *err, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		snprintf(err, len, "cannot open the FIFO %s: %s", path, strerror(errno));
	return fd;
}

static int fail(struct run *r, const char *msg)
{
	xc_log_line(&r->log, "ipft-extcap: %s", msg);
	fprintf(stderr, "%s\n", msg);
	xc_log_close(&r->log);
	return 1;
}

int xc_capture(const struct xc_request *rq)
{
	struct run r = { .rq = rq, .remote = xc_iface_kind(rq->iface) == XC_REMOTE,
			 .log = { .out_fd = -1, .in_fd = -1 } };
	char err[XC_LINE_MAX] = "";
	int fifo_fd;

	/* The FIFO first: Wireshark waits for it, also to hear of a failure. */
	fifo_fd = open_fifo(rq->fifo, err, sizeof(err));
	if (fifo_fd < 0)
		return fail(&r, err);
	if (begin(&r, fifo_fd, err, sizeof(err)) < 0) {
		fail(&r, err);
		close(fifo_fd);
		return 1;
	}
	supervise(&r);
	xc_log_line(&r.log, "ipft-extcap: %s ended with status %d", r.remote ? "ssh" : "ipft",
		    r.status);
	/* Our copy of the FIFO stays open until the verdict is out: Wireshark
	 * reads the extcap's stderr when the stream ends, not later. */
	if (xc_diag_verdict(&r.diag, rq, r.status, r.stopped, r.status && reader_gone(rq->fifo),
			    err, sizeof(err))) {
		fail(&r, err);
		close(fifo_fd);
		return 1;
	}
	close(fifo_fd);
	xc_log_close(&r.log);
	return 0;
}
