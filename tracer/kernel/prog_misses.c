/* prog_misses.c - hits the kernel did not run ipft's programs for
 * (prog_misses.h). */
#include "tracer/kernel/prog_misses.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether fd is a BPF program: its link names the anon inode. */
static bool is_bpf_prog(int dfd, const char *name)
{
	char target[64];
	ssize_t n = readlinkat(dfd, name, target, sizeof(target) - 1);

	if (n <= 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "anon_inode:bpf-prog") == 0;
}

uint64_t ipft_prog_misses(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	uint64_t sum = 0;

	if (!d)
		return 0;
	/* Every loaded program has its own fd here: backends that share one
	 * program among many attach points hold it once. */
	while ((e = readdir(d))) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd == dirfd(d) || !is_bpf_prog(dirfd(d), e->d_name))
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
			sum += info.recursion_misses;
	}
	closedir(d);
	return sum;
}
