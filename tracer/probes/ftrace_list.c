/* ftrace_list.c - available_filter_functions, and its copy kept between
 * runs of one boot (ftrace_list.h). */
#define _GNU_SOURCE /* asprintf */
#include "tracer/probes/ftrace_list.h"
#include "tracer/kernel/read_file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPY_NAME "ftrace-functions"
#define COPY_MAGIC "ipft ftrace-functions 1\n"

static const char *const tracefs_paths[] = {
	"/sys/kernel/tracing/available_filter_functions",
	"/sys/kernel/debug/tracing/available_filter_functions",
};

/* FNV-1a, 64 bits, going on from h. */
static uint64_t fnv64(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* The loaded modules by name, size, state and address (fields 1, 2, 5
 * and 6 of /proc/modules), not by their use count and users, which
 * change while the module and its functions stay. */
static uint64_t modules_hash(void)
{
	char *text = ipft_read_file("/proc/modules", NULL);
	uint64_t h = 14695981039346656037ull;
	unsigned field = 0;

	if (!text)
		return 0; /* a kernel without modules */
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, " \n");

		if (field != 2 && field != 3)
			h = fnv64(h, p, n + (p[n] != 0));
		field = p[n] == '\n' ? 0 : field + 1;
		p += n + (p[n] != 0);
	}
	free(text);
	return h;
}

char *ipft_ftrace_list_key(void)
{
	char *boot = ipft_read_file("/proc/sys/kernel/random/boot_id", NULL), *key = NULL;

	if (boot) {
		boot[strcspn(boot, "\n")] = 0;
		if (asprintf(&key, "boot %s\nmodules %016" PRIx64 "\n", boot, modules_hash()) < 0)
			key = NULL;
	}
	free(boot);
	return key;
}

/* root's, and only root can change it. */
static bool owned_by_root(const struct stat *st)
{
	return st->st_uid == 0 && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

static void copy_path(char *path, size_t len, const char *dir, const char *suffix)
{
	snprintf(path, len, "%s/" COPY_NAME "%s", dir, suffix);
}

char *ipft_ftrace_copy_read(const char *dir, const char *key)
{
	size_t magic = strlen(COPY_MAGIC), head = magic + strlen(key), len;
	char path[PATH_MAX], *text = NULL;
	struct stat st;
	int fd;

	copy_path(path, sizeof(path), dir, "");
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || !owned_by_root(&st) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && owned_by_root(&st))
		text = ipft_read_fd(fd, &len);
	close(fd);
	if (text && len > head && memcmp(text, COPY_MAGIC, magic) == 0 &&
	    memcmp(text + magic, key, head - magic) == 0) {
		memmove(text, text + head, len - head + 1);
		return text;
	}
	free(text);
	return NULL;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int ipft_ftrace_copy_write(const char *dir, const char *key, const char *text, size_t len)
{
	char path[PATH_MAX], tmp[PATH_MAX], pid[32];
	struct stat st;
	int fd, rc;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || !owned_by_root(&st)) {
		errno = EPERM;
		return -1;
	}
	snprintf(pid, sizeof(pid), ".%d", (int)getpid());
	copy_path(path, sizeof(path), dir, "");
	copy_path(tmp, sizeof(tmp), dir, pid);
	unlink(tmp); /* left by a run with this pid that died writing it */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	rc = write_all(fd, COPY_MAGIC, strlen(COPY_MAGIC)) | write_all(fd, key, strlen(key)) |
	     write_all(fd, text, len);
	if (close(fd) < 0 || rc < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

char *ipft_ftrace_list_read(const char *dir, bool *copied)
{
	char *key = dir ? ipft_ftrace_list_key() : NULL, *text = NULL;
	size_t len = 0;

	*copied = key && (text = ipft_ftrace_copy_read(dir, key));
	for (size_t i = 0; !text && i < sizeof(tracefs_paths) / sizeof(tracefs_paths[0]); i++)
		text = ipft_read_file(tracefs_paths[i], &len);
	/* Not a list the kernel could not make whole (an empty one). */
	if (text && !*copied && key && len)
		ipft_ftrace_copy_write(dir, key, text, len);
	free(key);
	return text;
}
