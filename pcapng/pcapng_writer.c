/* pcapng_writer.c - buffered pcapng output that is always a valid file.
 *
 * Blocks are assembled whole in an output buffer and written out by
 * pcapng_writer_flush().  The buffer remembers where each block ends, so
 * when the kernel accepts only part of a flush (full disk, file size limit)
 * a regular file is cut back to the end of the last whole block: readers
 * never see half a block.  After the first failure the writer refuses new
 * blocks and reports the errno, which the caller turns into an exit status.
 * A block refused for a bad argument is only reported: the file stays open.
 */
#include "pcapng/pcapng.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Flush on our own once this much is buffered. */
#define AUTO_FLUSH_BYTES (1u << 20)
/* After a stop, how long a reader that does not read is waited for. */
#define STOP_GRACE_MS 2000

/* Where a whole block ends in the buffer, and whether it is a packet. */
struct block_mark {
	size_t end;
	bool packet;
};

struct pcapng_writer {
	int fd;
	bool own_fd;
	bool regular;          /* can be truncated back after a short write */
	uint8_t *buf;
	size_t len, cap;
	struct block_mark *ends; /* each whole block in buf */
	size_t n_ends, cap_ends;
	uint64_t file_bytes;   /* whole blocks already written to fd */
	uint64_t accepted;     /* whole blocks accepted (written or buffered) */
	uint64_t packets_out;  /* EPBs written to fd */
	const volatile sig_atomic_t *stop; /* the caller is stopping */
	uint32_t n_ifaces;
	int err;
	char msg[256];
};

static void set_error(struct pcapng_writer *w, int err, const char *fmt, ...)
{
	va_list ap;

	if (w->err)
		return; /* keep the first cause */
	w->err = err ? err : EIO;
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
}

/* A refused block (bad argument) is reported but does not stop the writer. */
static void refuse(struct pcapng_writer *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
}

static struct pcapng_writer *writer_new(int fd, bool own_fd, char *errbuf, size_t errlen)
{
	struct pcapng_writer *w = calloc(1, sizeof(*w));
	struct stat st;

	if (!w) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	w->fd = fd;
	w->own_fd = own_fd;
	w->regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (w->regular) {
		off_t pos = lseek(fd, 0, SEEK_CUR);
		w->file_bytes = pos > 0 ? (uint64_t)pos : 0;
	}
	return w;
}

struct pcapng_writer *pcapng_writer_open_fd(int fd, bool own_fd, char *errbuf, size_t errlen)
{
	return writer_new(fd, own_fd, errbuf, errlen);
}

/* Whether path's directory can be written by anyone: a symlink there may
 * have been planted by another user to make root overwrite its target. */
static bool in_world_writable_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	struct stat st;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path) + (slash == path), path);
	return stat(dir, &st) == 0 && (st.st_mode & S_IWOTH);
}

struct pcapng_writer *pcapng_writer_open_path(const char *path, char *errbuf, size_t errlen)
{
	int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
	struct pcapng_writer *w;
	int fd;

	if (strcmp(path, "-") == 0)
		return writer_new(STDOUT_FILENO, false, errbuf, errlen);
	if (in_world_writable_dir(path))
		flags |= O_NOFOLLOW;
	/* 0644 less the umask, as tcpdump creates its files. */
	fd = open(path, flags, 0644);
	if (fd < 0 && errno == ELOOP && (flags & O_NOFOLLOW)) {
		snprintf(errbuf, errlen, "%s is a symbolic link in a directory anyone can write "
			 "to: not following it", path);
		return NULL;
	}
	if (fd < 0) {
		snprintf(errbuf, errlen, "cannot create %s: %s", path, strerror(errno));
		return NULL;
	}
	w = writer_new(fd, true, errbuf, errlen);
	if (!w)
		close(fd);
	return w;
}

/* After the caller's stop (a write it interrupted, or any write once it
 * came): a reader that has stopped reading gets STOP_GRACE_MS to take
 * more, else the output is given up (Ctrl-C must not hang on a stalled
 * pipe, also when it came while no write was blocked). */
static bool give_up_on_stop(const struct pcapng_writer *w, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	return w->stop && *w->stop && poll(&p, 1, STOP_GRACE_MS) == 0;
}

/* Writes buf[0..len) to fd; returns the number of bytes the kernel took. */
static size_t write_all(const struct pcapng_writer *w, int fd, const uint8_t *buf, size_t len,
			int *err)
{
	size_t done = 0;

	*err = 0;
	while (done < len) {
		if (give_up_on_stop(w, fd)) {
			*err = ETIMEDOUT;
			break;
		}
		ssize_t n = write(fd, buf + done, len - done);
		if (n < 0) {
			if (errno == EINTR && give_up_on_stop(w, fd)) {
				*err = ETIMEDOUT;
				break;
			}
			if (errno == EINTR)
				continue;
			/* A non-blocking stdout (set by whoever shares the pipe):
			 * wait until it drains rather than lose the output. */
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				struct pollfd p = { .fd = fd, .events = POLLOUT };
				if (poll(&p, 1, -1) >= 0 || errno == EINTR)
					continue;
			}
			*err = errno;
			break;
		}
		if (n == 0) {
			*err = ENOSPC;
			break;
		}
		done += (size_t)n;
	}
	return done;
}

int pcapng_writer_flush(struct pcapng_writer *w)
{
	size_t done, whole = 0;
	int err;

	if (w->err)
		return -1;
	if (w->len == 0)
		return 0;
	done = write_all(w, w->fd, w->buf, w->len, &err);
	/* Keep only the whole blocks that made it out. */
	for (size_t i = 0; i < w->n_ends && w->ends[i].end <= done; i++) {
		whole = w->ends[i].end;
		w->packets_out += w->ends[i].packet;
	}
	if (!err) {
		w->file_bytes += done;
		w->len = 0;
		w->n_ends = 0;
		return 0;
	}
	if (w->regular && done != whole &&
	    ftruncate(w->fd, (off_t)(w->file_bytes + whole)) == 0)
		lseek(w->fd, (off_t)(w->file_bytes + whole), SEEK_SET);
	w->file_bytes += whole;
	w->accepted = w->file_bytes;
	if (err == ETIMEDOUT)
		set_error(w, err, "the reader stopped reading (output blocked %d s after the stop)",
			  STOP_GRACE_MS / 1000);
	else
		set_error(w, err, "write failed: %s", strerror(err));
	return -1;
}

/* Starts a block of the given body size (a multiple of 4) in the buffer and
 * returns a pointer to its body, or NULL after setting the error. */
static uint8_t *block_begin(struct pcapng_writer *w, uint32_t type, size_t body_len)
{
	size_t total = 12 + body_len;
	uint32_t total32 = (uint32_t)total;

	if (w->err)
		return NULL;
	if (total > UINT32_MAX - 4) {
		refuse(w, "block of %zu bytes is too large", total);
		return NULL;
	}
	if (w->len + total > AUTO_FLUSH_BYTES && w->len && pcapng_writer_flush(w) < 0)
		return NULL;
	if (w->len + total > w->cap) {
		size_t cap = w->cap ? w->cap : 64 * 1024;
		while (cap < w->len + total)
			cap *= 2;
		uint8_t *b = realloc(w->buf, cap);
		if (!b) {
			set_error(w, ENOMEM, "out of memory");
			return NULL;
		}
		w->buf = b;
		w->cap = cap;
	}
	if (w->n_ends == w->cap_ends) {
		size_t cap = w->cap_ends ? 2 * w->cap_ends : 64;
		struct block_mark *e = realloc(w->ends, cap * sizeof(*e));
		if (!e) {
			set_error(w, ENOMEM, "out of memory");
			return NULL;
		}
		w->ends = e;
		w->cap_ends = cap;
	}
	uint8_t *p = w->buf + w->len;
	memcpy(p, &type, 4);
	memcpy(p + 4, &total32, 4);
	memcpy(p + 8 + body_len, &total32, 4);
	return p + 8;
}

static int block_end(struct pcapng_writer *w, size_t body_len)
{
	uint32_t type;

	memcpy(&type, w->buf + w->len, 4);
	w->len += 12 + body_len;
	w->accepted += 12 + body_len;
	w->ends[w->n_ends++] = (struct block_mark){ w->len, type == PCAPNG_BT_EPB };
	return 0;
}

static size_t opts_size(const struct pcapng_opts *opts)
{
	return opts && opts->len ? opts->len + 4 : 0; /* + opt_endofopt */
}

static int check_opts(struct pcapng_writer *w, const struct pcapng_opts *opts)
{
	if (opts && opts->failed) {
		refuse(w, "an option value was too long or memory ran out");
		return -1;
	}
	return 0;
}

static uint8_t *put_opts(uint8_t *p, const struct pcapng_opts *opts)
{
	if (opts && opts->len) {
		memcpy(p, opts->buf, opts->len);
		memset(p + opts->len, 0, 4);
		p += opts->len + 4;
	}
	return p;
}

static uint8_t *put_padded(uint8_t *p, const void *data, size_t len)
{
	size_t padded = (len + 3) & ~(size_t)3;
	if (len)
		memcpy(p, data, len);
	memset(p + len, 0, padded - len);
	return p + padded;
}

static uint8_t *put_ts(uint8_t *p, uint64_t ts)
{
	uint32_t hi = (uint32_t)(ts >> 32), lo = (uint32_t)ts;
	memcpy(p, &hi, 4);
	memcpy(p + 4, &lo, 4);
	return p + 8;
}

int pcapng_write_shb(struct pcapng_writer *w, const struct pcapng_opts *opts)
{
	size_t body = 16 + opts_size(opts);
	uint32_t magic = PCAPNG_BYTE_ORDER_MAGIC;
	uint16_t ver[2] = { 1, 0 };
	int64_t section_len = -1;
	uint8_t *p;

	if (check_opts(w, opts) < 0 || !(p = block_begin(w, PCAPNG_BT_SHB, body)))
		return -1;
	memcpy(p, &magic, 4);
	memcpy(p + 4, ver, 4);
	memcpy(p + 8, &section_len, 8);
	put_opts(p + 16, opts);
	w->n_ifaces = 0; /* interface ids restart in each section */
	return block_end(w, body);
}

int pcapng_write_idb(struct pcapng_writer *w, uint16_t linktype, uint32_t snaplen,
		     const struct pcapng_opts *opts)
{
	size_t body = 8 + opts_size(opts);
	uint16_t lt[2] = { linktype, 0 };
	uint8_t *p;

	if (check_opts(w, opts) < 0 || !(p = block_begin(w, PCAPNG_BT_IDB, body)))
		return -1;
	memcpy(p, lt, 4);
	memcpy(p + 4, &snaplen, 4);
	put_opts(p + 8, opts);
	block_end(w, body);
	return (int)w->n_ifaces++;
}

int pcapng_write_epb(struct pcapng_writer *w, uint32_t if_id, uint64_t ts,
		     const void *data, uint32_t caplen, uint32_t origlen,
		     const struct pcapng_opts *opts)
{
	size_t body = 20 + (((size_t)caplen + 3) & ~(size_t)3) + opts_size(opts);
	uint8_t *p;

	if (check_opts(w, opts) < 0)
		return -1;
	if (if_id >= w->n_ifaces) {
		refuse(w, "packet for interface %u, but only %u are described",
			  if_id, w->n_ifaces);
		return -1;
	}
	if (!(p = block_begin(w, PCAPNG_BT_EPB, body)))
		return -1;
	memcpy(p, &if_id, 4);
	p = put_ts(p + 4, ts);
	memcpy(p, &caplen, 4);
	memcpy(p + 4, &origlen, 4);
	p = put_padded(p + 8, data, caplen);
	put_opts(p, opts);
	return block_end(w, body);
}

int pcapng_write_isb(struct pcapng_writer *w, uint32_t if_id, uint64_t ts,
		     const struct pcapng_opts *opts)
{
	size_t body = 12 + opts_size(opts);
	uint8_t *p;

	if (check_opts(w, opts) < 0)
		return -1;
	if (if_id >= w->n_ifaces) {
		refuse(w, "statistics for interface %u, but only %u are described",
			  if_id, w->n_ifaces);
		return -1;
	}
	if (!(p = block_begin(w, PCAPNG_BT_ISB, body)))
		return -1;
	memcpy(p, &if_id, 4);
	p = put_ts(p + 4, ts);
	put_opts(p, opts);
	return block_end(w, body);
}

int pcapng_write_cb(struct pcapng_writer *w, uint32_t pen, const void *data, size_t len,
		    bool copyable)
{
	size_t body = 4 + ((len + 3) & ~(size_t)3);
	uint8_t *p;

	if (!(p = block_begin(w, copyable ? PCAPNG_BT_CB_COPY : PCAPNG_BT_CB_NOCOPY, body)))
		return -1;
	memcpy(p, &pen, 4);
	put_padded(p + 4, data, len);
	return block_end(w, body);
}

int pcapng_writer_close(struct pcapng_writer *w)
{
	int rc;

	if (!w)
		return 0;
	rc = pcapng_writer_flush(w);
	if (w->own_fd && close(w->fd) < 0 && rc == 0) {
		set_error(w, errno, "close failed: %s", strerror(errno));
		rc = -1;
	}
	free(w->buf);
	free(w->ends);
	free(w);
	return rc;
}

const char *pcapng_writer_error(const struct pcapng_writer *w)
{
	return w->msg;
}

int pcapng_writer_errno(const struct pcapng_writer *w)
{
	return w->err;
}

uint64_t pcapng_writer_bytes(const struct pcapng_writer *w)
{
	return w->accepted;
}

uint64_t pcapng_writer_packets_out(const struct pcapng_writer *w)
{
	return w->packets_out;
}

void pcapng_writer_give_up_on_stop(struct pcapng_writer *w, const volatile sig_atomic_t *stop)
{
	w->stop = stop;
}
