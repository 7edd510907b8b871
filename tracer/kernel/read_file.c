/* read_file.c - a kernel-made text file read whole (read_file.h). */
#include "tracer/kernel/read_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

char *ipft_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;
	size_t n = 0, cap = 1 << 20;
	char *buf = fd < 0 ? NULL : malloc(cap);
	ssize_t got;

	while (buf) {
		if (cap - n < 65536 + 1) {
			char *b = realloc(buf, cap * 2);
			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got <= 0) {
			if (got == 0) {
				buf[n] = 0;
				close(fd);
				if (len)
					*len = n;
				return buf;
			}
			break;
		}
		n += (size_t)got;
	}
	saved = errno;
	free(buf);
	if (fd >= 0)
		close(fd);
	errno = saved;
	return NULL;
}
