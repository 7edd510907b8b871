/* netns.c - what --netns and -i name: a namespace checked to be a network
 * namespace, a device looked up in the namespace the user means. */
#define _GNU_SOURCE /* setns, CLONE_NEWNET */
#include "tracer/cli/cli_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* A namespace file's inode, if the file is a network namespace: any other
 * file would be taken for an inode that no packet ever carries. */
static int netns_file_inode(const char *path, uint32_t *inode, char *why, size_t len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int type;

	if (fd < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0 || fstat(fd, &st) < 0) {
		close(fd);
		snprintf(why, len, "not a namespace file (/run/netns/NAME, /proc/PID/ns/net)");
		return -1;
	}
	close(fd);
	if (type != CLONE_NEWNET) {
		snprintf(why, len, "a namespace, but not a network namespace");
		return -1;
	}
	*inode = (uint32_t)st.st_ino;
	return 0;
}

/* A bare number is an inode (decimal, as lsns and ls -i print it). */
static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int ipft_netns_inode(const char *arg, uint32_t *inode, char *path, size_t path_len,
		     char *why, size_t why_len)
{
	path[0] = 0;
	if (!all_digits(arg)) {
		if (netns_file_inode(arg, inode, why, why_len) < 0)
			return -1;
		snprintf(path, path_len, "%s", arg);
		return 0;
	}
	errno = 0;
	unsigned long long v = strtoull(arg, NULL, 10);
	if (errno || v == 0 || v > UINT32_MAX) {
		snprintf(why, why_len, "a namespace inode is a number from 1 to 4294967295");
		return -1;
	}
	*inode = (uint32_t)v;
	return 0;
}

/* Whether DIR/ENTRY/SUFFIX, for some entry, is the namespace DEV:INO. */
static bool find_in_dir(const char *dir, const char *suffix, dev_t dev, ino_t ino,
			char *path, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, len, "%s/%s%s", dir, e->d_name, suffix);
		found = stat(path, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
	}
	closedir(d);
	return found;
}

bool ipft_netns_known(uint32_t inode, char *path, size_t len)
{
	struct stat self;

	/* Namespace files all live on nsfs: its device tells them from files
	 * of /run/netns that happen to have the same inode number. */
	if (stat("/proc/self/ns/net", &self) < 0)
		return true; /* no /proc: nothing to check against */
	if (find_in_dir("/proc", "/ns/net", self.st_dev, inode, path, len) ||
	    find_in_dir("/run/netns", "", self.st_dev, inode, path, len))
		return true;
	path[0] = 0;
	return false;
}

struct device_lookup {
	const char *ifname;
	int ns_fd;
	bool missing;
};

static void *lookup_in_netns(void *arg)
{
	struct device_lookup *l = arg;

	/* setns moves only this thread; without CAP_SYS_ADMIN it fails and
	 * the device is not called missing. */
	if (setns(l->ns_fd, CLONE_NEWNET) == 0)
		l->missing = if_nametoindex(l->ifname) == 0 && errno == ENODEV;
	return NULL;
}

bool ipft_device_missing(const char *ifname, const char *netns_path)
{
	struct device_lookup l = { .ifname = ifname };
	pthread_t thread;

	if (!netns_path[0])
		return if_nametoindex(ifname) == 0 && errno == ENODEV;
	l.ns_fd = open(netns_path, O_RDONLY | O_CLOEXEC);
	if (l.ns_fd < 0)
		return false;
	if (pthread_create(&thread, NULL, lookup_in_netns, &l) == 0)
		pthread_join(thread, NULL);
	close(l.ns_fd);
	return l.missing;
}
