/* kernel_check.h - whether this kernel and our privileges let ipft trace. */
#ifndef IPFT_KERNEL_CHECK_H
#define IPFT_KERNEL_CHECK_H

#include <stddef.h>

/* 0, or -1 with the one thing missing in err: privileges (root, or
 * CAP_BPF and CAP_PERFMON), BTF, a lockdown that forbids reading kernel
 * memory. */
int ipft_kernel_check(char *err, size_t errlen);

#endif
