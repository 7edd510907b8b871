/* rusage.c - run a command and say how much memory it took at its peak.
 *
 *   rusage FILE COMMAND [ARG...]
 *
 * Runs COMMAND as a child, writes "pid N" to FILE as soon as it started
 * (bench/overhead reads the child's /proc/N/fdinfo while it runs), passes
 * SIGINT and SIGTERM on to it, and when it has exited appends
 * "maxrss_kib N" (the child's own peak resident set, getrusage's
 * ru_maxrss as wait4 returns it: taken when the process is gone, so the
 * last allocations before exit count too).  Exits with the child's status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t child;

static void pass_on(int sig)
{
	if (child > 0)
		kill(child, sig);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = pass_on };
	struct rusage ru;
	FILE *out;
	int status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: rusage FILE COMMAND [ARG...]\n");
		return 2;
	}
	out = fopen(argv[1], "w");
	if (!out) {
		fprintf(stderr, "rusage: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	/* Handlers before the fork: a signal that arrives at once is passed on
	 * as soon as the child exists (child is set right after fork). */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "rusage: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		/* The shell started us in the background with SIGINT ignored;
		 * the command gets the defaults (it sets its own handlers). */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "rusage: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	child = pid;
	fprintf(out, "pid %d\n", (int)pid);
	fflush(out);
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "rusage: wait: %s\n", strerror(errno));
			return 2;
		}
	fprintf(out, "maxrss_kib %ld\n", ru.ru_maxrss);
	fclose(out);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
