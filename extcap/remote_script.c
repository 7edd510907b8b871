/* remote_script.c - the sh script the remote interface runs over ssh.
 * It is POSIX sh, run by the SSH user's login shell.  Its own lines on
 * stderr start with XC_REMOTE_TAG; diagnose.c reads them:
 *   missing WHAT       no ipft there (exit 127)
 *   too-old V PATH     ipft older than XC_IPFT_MIN_VERSION (exit 126)
 *   no-connection      SSH_CONNECTION unset: the transport cannot be told apart (exit 125)
 *   left out: FILTER   what keeps the SSH connection out of the trace
 * A line on stdin asks ipft for its counters (SIGUSR1); the end of stdin
 * stops it (SIGTERM), so ipft finishes its file through the connection.
 * Through sudo the signals go to sudo, which passes them on: all but
 * SIGINT, which it ignores from its own process group (a terminal's). */
#include "extcap/remote_script.h"
#include "extcap/forwarded.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG XC_REMOTE_TAG

static const char find_ipft[] =
	"if [ -n \"$want\" ]; then\n"
	"  ipft=$(command -v \"$want\") || ipft=\n"
	"else\n"
	"  for c in ipft /usr/local/sbin/ipft /usr/sbin/ipft; do\n"
	"    ipft=$(command -v \"$c\") && break\n"
	"  done\n"
	"fi\n"
	"if [ -z \"$ipft\" ]; then\n"
	"  echo \"" TAG "missing ${want:-ipft (PATH, /usr/local/sbin, /usr/sbin)}\" >&2; exit 127\n"
	"fi\n";

/* awk compares the versions: sort -V is not POSIX. */
static const char check_version[] =
	"v=$(\"$ipft\" --version 2>/dev/null | sed -n '1s/^ipft //p')\n"
	"case $(echo \"${v:-0} " XC_IPFT_MIN_VERSION "\" | awk '{ split($1, a, \".\"); "
	"split($2, b, \".\"); for (i = 1; i <= 3; i++) { if (a[i] + 0 < b[i] + 0) { print \"old\"; "
	"exit } if (a[i] + 0 > b[i] + 0) exit } }') in\n"
	"old) echo \"" TAG "too-old ${v:-unknown} $ipft\" >&2; exit 126;;\n"
	"esac\n";

/* sshd names the connection: client address and port, server address
 * and port, as the server sees them (through any NAT). */
static const char leave_out_transport[] =
	"set -- $SSH_CONNECTION\n"
	"if [ $# -ne 4 ]; then echo \"" TAG "no-connection\" >&2; exit 125; fi\n"
	"x=\"not (tcp and host $1 and port $2 and host $3 and port $4)\"\n"
	"if [ -n \"$f\" ]; then f=\"($f) and $x\"; else f=$x; fi\n"
	"echo \"" TAG "left out: $x\" >&2\n";

static const char run_ipft[] =
	"echo \"" TAG "running $ipft $v\" >&2\n"
	"exec 3<&0\n"
	"%s\"$ipft\" -v -w - %s${f:+\"$f\"} </dev/null &\n"
	"p=$!\n"
	"(while read -r c <&3; do kill -USR1 $p; done; kill -TERM $p) >/dev/null 2>&1 &\n"
	"w=$!\n"
	"wait $p\n"
	"s=$?\n"
	"kill $w 2>/dev/null\n"
	"exit $s\n";

static const char run_list[] = "exec %s\"$ipft\" -l\n";

struct buf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->failed || n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = (b->len + (size_t)n + 1) * 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->failed = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* TEXT as one sh word: in single quotes, each ' written as '\''. */
static void put_quoted(struct buf *b, const char *text)
{
	put(b, "'");
	for (const char *q; (q = strchr(text, '\'')); text = q + 1)
		put(b, "%.*s'\\''", (int)(q - text), text);
	put(b, "%s' ", text);
}

static void put_forwarded(struct buf *b, const struct xc_request *rq)
{
	for (size_t i = 0; i < rq->n_fwd; i++) {
		put(b, "--%s ", rq->fwd[i].name);
		if (rq->fwd[i].value)
			put_quoted(b, rq->fwd[i].value);
	}
}

static const char *priv(const struct xc_request *rq)
{
	const char *p = rq->set.remote_priv;

	return p && strcmp(p, "sudo") == 0 ? "sudo -n " : "";
}

char *xc_remote_script(const struct xc_request *rq, enum xc_task task)
{
	struct buf b = { 0 }, args = { 0 };

	put(&b, "want=");
	put_quoted(&b, rq->set.remote_ipft ? rq->set.remote_ipft : "");
	put(&b, "\nf=");
	put_quoted(&b, rq->capture_filter ? rq->capture_filter : "");
	put(&b, "\n%s%s", find_ipft, check_version);
	if (task == XC_TASK_LIST) {
		put(&b, run_list, priv(rq));
	} else {
		if (!rq->set.trace_transport)
			put(&b, "%s", leave_out_transport);
		put_forwarded(&args, rq);
		put(&b, run_ipft, priv(rq), args.s ? args.s : "");
	}
	free(args.s);
	if (b.failed || args.failed) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
