/* kernel_check.h - whether this kernel and our privileges let ipft trace. */
#ifndef IPFT_KERNEL_CHECK_H
#define IPFT_KERNEL_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 0, or -1 with the one thing missing in err: privileges (root, or
 * CAP_BPF and CAP_PERFMON), BTF, the BPF ring buffer (5.8), a lockdown
 * that forbids reading kernel memory. */
int ipft_kernel_check(char *err, size_t errlen);
/* 0 if the kernel can spare bytes for what (a map: "the tracking map of
 * --max-inflight 65536"): at most a quarter of the memory available now;
 * else -1 with both sizes in err. */
int ipft_kernel_check_memory(uint64_t bytes, const char *what, char *err, size_t errlen);
/* Whether this process's memory cgroup, or one above it, has a limit
 * (cgroup v2 memory.max, v1 memory.limit_in_bytes). */
bool ipft_kernel_memory_limited(void);

#endif
