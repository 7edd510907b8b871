/* log.c - the log file and Wireshark's control pipes.  A control message
 * is 'T', a 3-byte big-endian length (of what follows it), the control
 * number, the command and its text. */
#include "extcap/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum control_command {
	CTRL_ADD = 2,       /* append to the logger */
	CTRL_STATUSBAR = 6,
};

#define CONTROL_TEXT_MAX 1024

int xc_log_open(struct xc_log *l, const struct xc_request *rq, char *err, size_t len)
{
	l->file = NULL;
	l->out_fd = l->in_fd = -1;
	l->out_path = rq->control_out;
	/* Wireshark opens its end of this pipe for writing, which waits for
	 * a reader: open it now, without waiting for a writer ourselves. */
	if (rq->control_in)
		l->in_fd = open(rq->control_in, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rq->set.log_file && rq->set.log_file[0]) {
		l->file = fopen(rq->set.log_file, "ae");
		if (!l->file) {
			snprintf(err, len, "cannot write the log file %s: %s", rq->set.log_file,
				 strerror(errno));
			return -1;
		}
		setvbuf(l->file, NULL, _IOLBF, 0);
	}
	xc_log_tick(l);
	return 0;
}

void xc_log_close(struct xc_log *l)
{
	if (l->file)
		fclose(l->file);
	if (l->out_fd >= 0)
		close(l->out_fd);
	if (l->in_fd >= 0)
		close(l->in_fd);
	l->file = NULL;
	l->out_fd = l->in_fd = -1;
}

bool xc_log_read(const struct xc_log *l)
{
	return l->file || l->out_path;
}

/* A lost control message costs a log line: never block the capture. */
static void control_send(struct xc_log *l, int command, const char *text)
{
	unsigned char msg[6 + CONTROL_TEXT_MAX];
	size_t n = strnlen(text, CONTROL_TEXT_MAX), size = n + 2;

	if (l->out_fd < 0)
		return;
	msg[0] = 'T';
	msg[1] = (unsigned char)(size >> 16);
	msg[2] = (unsigned char)(size >> 8);
	msg[3] = (unsigned char)size;
	msg[4] = XC_CONTROL_LOG;
	msg[5] = (unsigned char)command;
	memcpy(msg + 6, text, n);
	if (write(l->out_fd, msg, 6 + n) < 0 && errno == EPIPE) {
		close(l->out_fd);
		l->out_fd = -1;
		l->out_path = NULL;
	}
}

static void file_line(struct xc_log *l, const char *text)
{
	char stamp[32];
	time_t now = time(NULL);

	if (!l->file)
		return;
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", localtime(&now));
	fprintf(l->file, "%s %s\n", stamp, text);
}

void xc_log_line(struct xc_log *l, const char *fmt, ...)
{
	char text[CONTROL_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text) - 1, fmt, ap);
	va_end(ap);
	file_line(l, text);
	strcat(text, "\n");
	control_send(l, CTRL_ADD, text);
}

void xc_log_status(struct xc_log *l, const char *text)
{
	file_line(l, text);
	control_send(l, CTRL_STATUSBAR, text);
}

void xc_log_tick(struct xc_log *l)
{
	char drop[4096];

	if (l->out_fd < 0 && l->out_path)
		l->out_fd = open(l->out_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	while (l->in_fd >= 0 && read(l->in_fd, drop, sizeof(drop)) > 0)
		;
}
