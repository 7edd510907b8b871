/* kallsyms.c - symbolise kernel addresses through /proc/kallsyms. */
#include "tracer/kernel/kallsyms.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ksym {
	uint64_t addr;
	char *name;
};

struct ipft_kallsyms {
	struct ksym *v;
	size_t n;
};

static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct ipft_kallsyms *ipft_kallsyms_load(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	struct ipft_kallsyms *k;
	char line[512];
	size_t cap = 0;

	if (!f)
		return NULL;
	k = calloc(1, sizeof(*k));
	if (!k) {
		fclose(f);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256];

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr)
			continue;
		/* BPF programs and trampolines: ipft's own load while this is
		 * read (ipft_kallsyms_load_start), so some or none would be
		 * named; the stack collector trims the tracing's frames by
		 * their not being named (tracer/collectors/stack.c). */
		if (strstr(line, "\t[bpf]"))
			continue;
		if (type != 't' && type != 'T')
			continue;
		if (k->n == cap) {
			size_t c = cap ? 2 * cap : 65536;
			struct ksym *v = realloc(k->v, c * sizeof(*v));
			if (!v)
				break;
			k->v = v;
			cap = c;
		}
		k->v[k->n].addr = addr;
		k->v[k->n].name = strdup(name);
		if (k->v[k->n].name)
			k->n++;
	}
	fclose(f);
	if (k->n) /* none when addresses are hidden: v is NULL */
		qsort(k->v, k->n, sizeof(*k->v), by_addr);
	return k;
}

struct ipft_kallsyms_job {
	pthread_t thread;
	bool started;
};

static void *load_job(void *arg)
{
	(void)arg;
	return ipft_kallsyms_load();
}

struct ipft_kallsyms_job *ipft_kallsyms_load_start(void)
{
	struct ipft_kallsyms_job *j = calloc(1, sizeof(*j));

	if (j)
		j->started = pthread_create(&j->thread, NULL, load_job, NULL) == 0;
	return j;
}

struct ipft_kallsyms *ipft_kallsyms_load_finish(struct ipft_kallsyms_job *j)
{
	void *k = NULL;

	if (!j || !j->started || pthread_join(j->thread, &k) != 0)
		k = ipft_kallsyms_load();
	free(j);
	return k;
}

bool ipft_kallsyms_hidden(const struct ipft_kallsyms *k)
{
	return !k || !k->n;
}

void ipft_kallsyms_free(struct ipft_kallsyms *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i].name);
	free(k->v);
	free(k);
}

int ipft_kallsyms_format(const struct ipft_kallsyms *k, uint64_t addr, char *buf, size_t len)
{
	size_t lo = 0, hi;

	if (!k || !k->n || addr < k->v[0].addr)
		return -1;
	hi = k->n;
	while (hi - lo > 1) { /* last symbol at or below addr */
		size_t mid = lo + (hi - lo) / 2;
		if (k->v[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (addr == k->v[lo].addr)
		snprintf(buf, len, "%s", k->v[lo].name);
	else
		snprintf(buf, len, "%s+0x%llx", k->v[lo].name,
			 (unsigned long long)(addr - k->v[lo].addr));
	return 0;
}

/* By name, then address: the lowest address of a name first. */
static int by_name(const void *a, const void *b)
{
	const struct ksym *x = *(const struct ksym *const *)a, *y = *(const struct ksym *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : by_addr(x, y);
}

static int name_is(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct ksym *const *)elem)->name);
}

int ipft_kallsyms_addrs(const struct ipft_kallsyms *k, const char *const *names, size_t n,
			uint64_t *addrs)
{
	size_t m = k ? k->n : 0;
	const struct ksym **idx = calloc(m ? m : 1, sizeof(*idx));

	if (!idx)
		return -1;
	for (size_t i = 0; i < m; i++)
		idx[i] = &k->v[i];
	qsort(idx, m, sizeof(*idx), by_name);
	for (size_t i = 0; i < n; i++) {
		const struct ksym **hit = bsearch(names[i], idx, m, sizeof(*idx), name_is);
		while (hit && hit > idx && strcmp(hit[-1]->name, names[i]) == 0)
			hit--;
		addrs[i] = hit ? (*hit)->addr : 0;
	}
	free(idx);
	return 0;
}
