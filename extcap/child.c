/* child.c - starting and reaping the programs ipft-extcap runs. */
#define _GNU_SOURCE /* pipe2 */
#include "extcap/child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* A run's output beyond this is dropped (ipft -l prints about 200 KB). */
#define OUTPUT_MAX (8u << 20)

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

/* The parent blocks the signals it waits for (signalfd); the child
 * starts with none blocked and every one at its default. */
static int child_attrs(posix_spawnattr_t *attr)
{
	sigset_t all, none;

	sigfillset(&all);
	sigemptyset(&none);
	if (posix_spawnattr_init(attr) != 0)
		return -1;
	posix_spawnattr_setsigdefault(attr, &all);
	posix_spawnattr_setsigmask(attr, &none);
	posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	return 0;
}

/* Wires the child's stdin (in), stdout (out) and stderr (err) ends. */
static int child_files(posix_spawn_file_actions_t *fa, int in, int out, int err)
{
	if (posix_spawn_file_actions_init(fa) != 0)
		return -1;
	if (in < 0)
		posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);
	else
		posix_spawn_file_actions_adddup2(fa, in, 0);
	posix_spawn_file_actions_adddup2(fa, out, 1);
	posix_spawn_file_actions_adddup2(fa, err, 2);
	return 0;
}

static int spawn(const char *const argv[], int in, int out, int err, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int rc;

	if (child_attrs(&attr) < 0)
		return -1;
	if (child_files(&fa, in, out, err) < 0) {
		posix_spawnattr_destroy(&attr);
		return -1;
	}
	rc = posix_spawnp(pid, argv[0], &fa, &attr, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return 0;
}

int xc_child_start(const char *const argv[], int out_fd, bool want_stdin, struct xc_child *c)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, saved;

	c->pid = -1;
	c->in_fd = c->out_fd = c->err_fd = -1;
	if ((want_stdin && pipe2(in, O_CLOEXEC) < 0) || (out_fd < 0 && pipe2(out, O_CLOEXEC) < 0) ||
	    pipe2(err, O_CLOEXEC) < 0)
		goto fail;
	if (spawn(argv, in[0], out_fd >= 0 ? out_fd : out[1], err[1], &c->pid) < 0)
		goto fail;
	close(err[1]);
	c->err_fd = err[0];
	if (want_stdin) {
		close(in[0]);
		c->in_fd = in[1];
	}
	if (out_fd < 0) {
		close(out[1]);
		c->out_fd = out[0];
	}
	return 0;
fail:
	saved = errno;
	close_pair(in);
	close_pair(out);
	close_pair(err);
	errno = saved;
	return -1;
}

int xc_child_wait(struct xc_child *c)
{
	int status;

	while (waitpid(c->pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	c->pid = -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* ---- short runs: ipft -l, ipft --version ------------------------------- */

struct sink {
	int fd;
	char *buf;
	size_t len, cap;
};

/* Reads what is there; false at end of file. */
static bool drain(struct sink *s)
{
	char chunk[65536];
	ssize_t n = read(s->fd, chunk, sizeof(chunk));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	if (s->len + (size_t)n + 1 > s->cap && s->len + (size_t)n < OUTPUT_MAX) {
		size_t cap = (s->len + (size_t)n + 1) * 2;
		char *b = realloc(s->buf, cap);
		if (b) {
			s->buf = b;
			s->cap = cap;
		}
	}
	if (s->len + (size_t)n + 1 <= s->cap) {
		memcpy(s->buf + s->len, chunk, (size_t)n);
		s->len += (size_t)n;
		s->buf[s->len] = 0;
	}
	return true;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Reads both pipes to their end; false when the deadline passed first. */
static bool collect(struct sink s[2], long long deadline)
{
	bool open[2] = { true, true };

	while (open[0] || open[1]) {
		struct pollfd p[2] = { { s[0].fd, POLLIN, 0 }, { s[1].fd, POLLIN, 0 } };
		long long left = deadline - now_ms();

		for (int k = 0; k < 2; k++)
			if (!open[k])
				p[k].fd = -1;
		if (left <= 0)
			return false;
		if (poll(p, 2, (int)left) < 0 && errno != EINTR)
			return false;
		for (int k = 0; k < 2; k++)
			if (open[k] && p[k].revents)
				open[k] = drain(&s[k]);
	}
	return true;
}

int xc_child_run(const char *const argv[], int timeout_ms, struct xc_output *o)
{
	struct xc_child c;
	struct sink s[2] = { { .fd = -1 }, { .fd = -1 } };
	bool done;
	int rc;

	o->out = o->err = NULL;
	if (xc_child_start(argv, -1, false, &c) < 0)
		return -1;
	s[0].fd = c.out_fd;
	s[1].fd = c.err_fd;
	done = collect(s, now_ms() + timeout_ms);
	if (!done)
		kill(c.pid, SIGKILL);
	rc = xc_child_wait(&c);
	close(c.out_fd);
	close(c.err_fd);
	o->out = s[0].buf ? s[0].buf : strdup("");
	o->err = s[1].buf ? s[1].buf : strdup("");
	return done ? rc : -2;
}

void xc_output_free(struct xc_output *o)
{
	free(o->out);
	free(o->err);
	o->out = o->err = NULL;
}
