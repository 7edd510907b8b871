/* ext_link.c - a user extension linked into ipft's BPF object (ext.h)
 * with libbpf's static linker, as ipftrace2 does: its module() resolves
 * the weak one of bpf/ext.bpf.h.  Attaching it on its own (fentry,
 * freplace) does not load on kernels that have no fentry (this host's).
 *
 * The linker reads and writes files: memfds, named by /proc/self/fd. */
#define _GNU_SOURCE
#include "tracer/collectors/ext.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The linker's last warning: what it found wrong. */
static char linker_said[256];

static int keep_warning(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN) {
		vsnprintf(linker_said, sizeof(linker_said), fmt, ap);
		linker_said[strcspn(linker_said, "\n")] = 0;
	}
	return 0;
}

static int memfd_with(const char *name, const void *data, size_t len)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	size_t done = 0;

	while (fd >= 0 && done < len) {
		ssize_t n = write(fd, (const char *)data + done, len - done);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	return fd;
}

/* The whole of fd into a new buffer. */
static void *read_all(int fd, size_t *len)
{
	struct stat st;
	char *buf;
	size_t done = 0;

	if (fstat(fd, &st) < 0 || st.st_size <= 0 || !(buf = malloc((size_t)st.st_size)))
		return NULL;
	while (done < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + done, (size_t)st.st_size - done, (off_t)done);

		if (n <= 0) {
			free(buf);
			return NULL;
		}
		done += (size_t)n;
	}
	*len = done;
	return buf;
}

static int link_files(const char *core, const char *ext, const char *out)
{
	struct bpf_linker *l = bpf_linker__new(out, NULL);
	int rc;

	if (!l)
		return -1;
	rc = bpf_linker__add_file(l, core, NULL) || bpf_linker__add_file(l, ext, NULL) ||
	     bpf_linker__finalize(l) ? -1 : 0;
	bpf_linker__free(l);
	return rc;
}

int ipft_ext_link(struct ipft_ext *x, const void *core, size_t len, char *err, size_t errlen)
{
	int in = memfd_with("ipft-core", core, len), out = memfd_create("ipft-linked", MFD_CLOEXEC);
	char in_path[64], out_path[64];
	libbpf_print_fn_t old;
	int rc = -1;

	if (in < 0 || out < 0) {
		snprintf(err, errlen, "extension %s: cannot link it: %s", x->path, strerror(errno));
		goto out;
	}
	snprintf(in_path, sizeof(in_path), "/proc/self/fd/%d", in);
	snprintf(out_path, sizeof(out_path), "/proc/self/fd/%d", out);
	linker_said[0] = 0;
	old = libbpf_set_print(keep_warning);
	rc = link_files(in_path, x->path, out_path);
	libbpf_set_print(old);
	if (rc == 0 && !(x->linked = read_all(out, &x->linked_len)))
		rc = -1;
	if (rc < 0)
		snprintf(err, errlen, "extension %s: cannot link it into ipft's BPF object: %s",
			 x->path, linker_said[0] ? linker_said : strerror(errno));
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}
