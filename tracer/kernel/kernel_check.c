/* kernel_check.c - whether this kernel and our privileges let ipft trace. */
#include "tracer/kernel/kernel_check.h"

#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Older kernel headers lack these (Linux 5.8). */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define MEMINFO "/proc/meminfo"
#define MIB (1024.0 * 1024.0)
#define LOCKDOWN "/sys/kernel/security/lockdown"

static bool cap_effective(const struct __user_cap_data_struct data[2], int cap)
{
	return data[cap / 32].effective & (1u << (cap % 32));
}

static bool has_bpf_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return geteuid() == 0;
	return cap_effective(data, CAP_SYS_ADMIN) ||
	       (cap_effective(data, CAP_BPF) && cap_effective(data, CAP_PERFMON));
}

/* Lockdown's confidentiality mode forbids bpf_probe_read_kernel. */
static bool locked_down(void)
{
	char buf[256] = "";
	FILE *f = fopen(LOCKDOWN, "re");
	bool locked;

	if (!f)
		return false;
	locked = fgets(buf, sizeof(buf), f) && strstr(buf, "[confidentiality]");
	fclose(f);
	return locked;
}

int ipft_kernel_check(char *err, size_t errlen)
{
	if (!has_bpf_caps()) {
		snprintf(err, errlen, "root, or CAP_BPF and CAP_PERFMON, are needed to load the "
			 "BPF programs");
		return -1;
	}
	if (access(VMLINUX_BTF, R_OK) != 0) {
		snprintf(err, errlen, "this kernel has no BTF (%s): ipft needs "
			 "CONFIG_DEBUG_INFO_BTF=y", VMLINUX_BTF);
		return -1;
	}
	/* Every record reaches ipft through a BPF ring buffer (Linux 5.8).  A
	 * probe that cannot tell (an error) leaves the verdict to the load. */
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) == 0) {
		snprintf(err, errlen, "this kernel has no BPF ring buffer: ipft needs "
			 "Linux 5.8 or newer");
		return -1;
	}
	if (locked_down()) {
		snprintf(err, errlen, "the kernel is locked down (confidentiality): BPF "
			 "programs may not read kernel memory, so ipft cannot trace");
		return -1;
	}
	return 0;
}

/* MemAvailable of /proc/meminfo in bytes; 0 if unknown. */
static uint64_t memory_available(void)
{
	unsigned long long kib = 0;
	char line[128];
	FILE *f = fopen(MEMINFO, "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return (uint64_t)kib * 1024;
}

int ipft_kernel_check_memory(uint64_t bytes, const char *what, char *err, size_t errlen)
{
	uint64_t avail = memory_available();

	if (!avail || bytes <= avail / 4)
		return 0;
	snprintf(err, errlen, "%s needs about %.0f MiB of kernel memory; %.0f MiB are available "
		 "and ipft takes at most a quarter", what, (double)bytes / MIB, (double)avail / MIB);
	return -1;
}

/* Whether the file holds a memory limit: not "max" (v2), nor v1's
 * "unlimited" (a number near 2^63). */
static bool limit_in(const char *path)
{
	char v[32] = "";
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	if (!fgets(v, sizeof(v), f))
		v[0] = 0;
	fclose(f);
	return v[0] && strncmp(v, "max", 3) != 0 && strtoull(v, NULL, 10) < (1ULL << 60);
}

bool ipft_kernel_memory_limited(void)
{
	char line[512], path[700];
	FILE *f = fopen("/proc/self/cgroup", "re");
	bool limited = false;

	while (f && !limited && fgets(line, sizeof(line), f)) {
		const char *root = strncmp(line, "0::", 3) == 0 ? "/sys/fs/cgroup" :
				   strstr(line, ":memory:") ? "/sys/fs/cgroup/memory" : NULL;
		const char *file = root && line[0] == '0' ? "memory.max" : "memory.limit_in_bytes";
		char *cg = root ? strchr(strchr(line, ':') + 1, ':') + 1 : NULL;

		if (!cg)
			continue;
		cg[strcspn(cg, "\n")] = 0;
		/* This cgroup and each one above it: "/a/b", "/a", "". */
		while (!limited) {
			char *up = strrchr(cg, '/');

			snprintf(path, sizeof(path), "%s%s/%s", root, cg, file);
			limited = limit_in(path);
			if (!up)
				break;
			*up = 0;
		}
	}
	if (f)
		fclose(f);
	return limited;
}
