/* read_file.c - a kernel-made text file read whole (read_file.h). */
#include "tracer/kernel/read_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

char *ipft_read_fd(int fd, size_t *len)
{
	size_t n = 0, cap = 1 << 20;
	char *buf = malloc(cap);
	ssize_t got;
	int saved;

	while (buf) {
		if (cap - n < 65536 + 1) {
			char *b = realloc(buf, cap * 2);
			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got == 0) {
			buf[n] = 0;
			if (len)
				*len = n;
			return buf;
		}
		if (got < 0)
			break;
		n += (size_t)got;
	}
	saved = errno;
	free(buf);
	errno = saved;
	return NULL;
}

char *ipft_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;
	char *text = fd < 0 ? NULL : ipft_read_fd(fd, len);

	saved = errno;
	if (fd >= 0)
		close(fd);
	errno = saved;
	return text;
}
