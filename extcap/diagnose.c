/* diagnose.c - one line for each way a capture can fail: ipft missing,
 * without privileges, refused by the kernel; over SSH also the host out
 * of reach, the login refused, ipft missing or too old there, sudo
 * asking for a password. */
#include "extcap/diagnose.h"
#include "extcap/command.h"

#include <stdio.h>
#include <string.h>

#define SSH_FAILED 255   /* ssh: its own error, not the remote command's */
#define NOT_FOUND 127
#define TOO_OLD 126
#define NO_CONNECTION 125

/* ipft's words for missing privileges (tracer/kernel/kernel_check.c). */
#define NO_PRIVILEGES "CAP_BPF and CAP_PERFMON"

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void keep(char *dst, const char *line)
{
	snprintf(dst, XC_LINE_MAX, "%s", line);
}

enum xc_line_kind xc_diag_line(struct xc_diag *d, const char *line)
{
	if (starts(line, "ipft: ")) {
		if (starts(line, "ipft: tracing"))
			d->tracing = true;
		/* After a failure ipft detaches what it had attached. */
		else if (!starts(line, "ipft: detach"))
			keep(d->ipft_error, line);
		return XC_LINE_IPFT;
	}
	if (starts(line, XC_REMOTE_TAG)) {
		const char *what = line + strlen(XC_REMOTE_TAG);
		if (starts(what, "missing") || starts(what, "too-old") || starts(what, "no-connection"))
			keep(d->remote, what);
		return XC_LINE_REMOTE;
	}
	if (starts(line, "sudo: ")) {
		keep(d->sudo, line);
		return XC_LINE_SUDO;
	}
	if (line[0])
		keep(d->other, line);
	return XC_LINE_OTHER;
}

void xc_diag_not_started(const struct xc_request *rq, int err, char *msg, size_t len)
{
	const char *prog = xc_command_program(rq);

	if (xc_iface_kind(rq->iface) == XC_REMOTE)
		snprintf(msg, len, "cannot run ssh: %s (install the OpenSSH client)", strerror(err));
	else
		snprintf(msg, len, "cannot run ipft (%s): %s; install ipft or set the ipft program "
			 "(Program tab)", prog, strerror(err));
}

/* A good end: ipft stopped as asked, or Wireshark ended the capture (a
 * stop passed on, or its end of the FIFO gone: ipft's write then fails,
 * and over SSH ssh's). */
static bool ended_well(int status, bool stopped, bool reader_gone)
{
	return status == 0 || stopped || reader_gone;
}

static int local_verdict(const struct xc_diag *d, const struct xc_request *rq, int status,
			 char *msg, size_t len)
{
	const char *prog = xc_command_program(rq);

	if (strstr(d->ipft_error, NO_PRIVILEGES))
		snprintf(msg, len, "ipft (%s) may not trace: it needs root, or CAP_BPF and "
			 "CAP_PERFMON; as root, 'make install-capabilities' gives them to the "
			 "installed ipft (see docs/extcap.md)", prog);
	else if (status == 1 && d->ipft_error[0])
		snprintf(msg, len, "%s", d->ipft_error);
	else
		snprintf(msg, len, "ipft (%s) ended with status %d%s%s", prog, status,
			 d->ipft_error[0] ? ": " : "", d->ipft_error);
	return 1;
}

/* ssh's own failures: reaching the host, then logging in. */
static void ssh_verdict(const struct xc_diag *d, const struct xc_settings *s, char *msg,
			size_t len)
{
	const char *why = d->other[0] ? d->other : "no reason given";
	const char *user = s->user && s->user[0] ? s->user : "the default user";

	if (strstr(why, "Permission denied") || strstr(why, "Too many authentication failures"))
		snprintf(msg, len, "cannot log in to %s as %s (%s): ipft-extcap logs in with keys "
			 "or an ssh agent only, never a password", s->host, user, why);
	else if (strstr(why, "Host key verification failed") || strstr(why, "host key"))
		snprintf(msg, len, "the host key of %s is unknown or has changed: log in once "
			 "with ssh to check and accept it (%s)", s->host, why);
	else if (strstr(why, "resolve") || strstr(why, "connect to host") ||
		 strstr(why, "Connection") || strstr(why, "timed out") || strstr(why, "unreachable"))
		snprintf(msg, len, "cannot reach %s port %s: %s", s->host,
			 s->port && s->port[0] ? s->port : "22", why);
	else
		snprintf(msg, len, "ssh to %s failed: %s", s->host, why);
}

/* What the remote script said before ipft ran. */
static bool script_verdict(const struct xc_diag *d, const char *host, int status, char *msg,
			   size_t len)
{
	char version[64] = "", path[256] = "";

	if (status == NOT_FOUND && starts(d->remote, "missing "))
		snprintf(msg, len, "ipft is not installed on %s: found no %s; install it there or "
			 "set the remote ipft program (Server tab)", host, d->remote + 8);
	else if (status == TOO_OLD && sscanf(d->remote, "too-old %63s %255s", version, path) >= 1)
		snprintf(msg, len, "ipft %s on %s (%s) is too old: ipft-extcap needs "
			 XC_IPFT_MIN_VERSION " or newer", version, host, path);
	else if (status == NO_CONNECTION && starts(d->remote, "no-connection"))
		snprintf(msg, len, "%s did not name the SSH connection (SSH_CONNECTION is unset), so "
			 "it cannot be left out of the trace; tick 'Trace the SSH connection too' "
			 "to trace anyway", host);
	else
		return false;
	return true;
}

static int remote_verdict(const struct xc_diag *d, const struct xc_request *rq, int status,
			  char *msg, size_t len)
{
	const char *host = rq->set.host;

	if (status == SSH_FAILED)
		ssh_verdict(d, &rq->set, msg, len);
	else if (script_verdict(d, host, status, msg, len))
		;
	else if (strstr(d->sudo, "password"))
		snprintf(msg, len, "sudo on %s asks for a password: allow ipft there without one "
			 "(NOPASSWD in sudoers), or log in as root", host);
	else if (strstr(d->ipft_error, NO_PRIVILEGES))
		snprintf(msg, len, "ipft on %s may not trace: it needs root, or CAP_BPF and "
			 "CAP_PERFMON; choose sudo (Server tab), log in as root, or give ipft the "
			 "capabilities there (make install-capabilities)", host);
	else if (d->ipft_error[0])
		snprintf(msg, len, "ipft on %s: %s", host, d->ipft_error + strlen("ipft: "));
	else
		snprintf(msg, len, "the capture on %s ended with status %d%s%s", host, status,
			 d->other[0] || d->sudo[0] ? ": " : "", d->sudo[0] ? d->sudo : d->other);
	return 1;
}

int xc_diag_verdict(const struct xc_diag *d, const struct xc_request *rq, int status,
		    bool stopped, bool reader_gone, char *msg, size_t len)
{
	msg[0] = 0;
	if (ended_well(status, stopped, reader_gone))
		return 0;
	if (xc_iface_kind(rq->iface) == XC_REMOTE)
		return remote_verdict(d, rq, status, msg, len);
	return local_verdict(d, rq, status, msg, len);
}
