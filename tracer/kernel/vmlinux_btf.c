/* vmlinux_btf.c - the kernel's BTF, parsed once for all who read it. */
#include "tracer/kernel/vmlinux_btf.h"

#include <bpf/btf.h>
#include <errno.h>
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct btf *parsed;
static unsigned refs;

struct btf *ipft_vmlinux_btf_get(void)
{
	struct btf *btf;
	int err = 0;

	pthread_mutex_lock(&lock);
	if (!parsed && !(parsed = btf__load_vmlinux_btf()))
		err = errno;
	if (parsed)
		refs++;
	btf = parsed;
	pthread_mutex_unlock(&lock);
	if (!btf)
		errno = err;
	return btf;
}

void ipft_vmlinux_btf_put(struct btf *btf)
{
	if (!btf)
		return;
	pthread_mutex_lock(&lock);
	if (btf == parsed && refs && --refs == 0) {
		btf__free(parsed);
		parsed = NULL;
	}
	pthread_mutex_unlock(&lock);
}
