/* kallsyms.c - symbolise kernel addresses through /proc/kallsyms. */
#include "tracer/kernel/kallsyms.h"
#include "tracer/kernel/read_file.h"
#include "tracer/job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ksym {
	uint64_t addr;
	const char *name; /* in text */
};

struct ipft_kallsyms {
	struct ksym *v;
	size_t n;
	char *text;       /* the file as read, each name cut out in place */
	struct ipft_job filler; /* filling the table in: ipft_kallsyms_load_start;
				 * joined by the first lookup */
};

static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Parses the line at *p ("addr type name[\t[module]]\n"), leaves *p at
 * the next line and cuts the name at its end; whether it is a kernel
 * function (text, not a BPF program or trampoline). */
static bool parse_line(char **p, uint64_t *addr, const char **name)
{
	char *s = *p, *end = strchr(s, '\n'), *tab, type;
	bool bpf;

	if (!end)
		end = s + strlen(s);
	*p = *end ? end + 1 : end;
	*addr = strtoull(s, &s, 16);
	if (*s != ' ' || end - s < 4 || s[2] != ' ')
		return false;
	type = s[1];
	*name = s + 3;
	tab = memchr(s + 3, '\t', (size_t)(end - (s + 3)));
	/* BPF programs and trampolines: ipft's own load while this is read
	 * (ipft_kallsyms_load_start), so some or none would be named; the
	 * stack collector trims the tracing's frames by their not being
	 * named (tracer/collectors/stack.c). */
	bpf = tab && end - tab >= 6 && memcmp(tab, "\t[bpf]", 6) == 0;
	*(tab ? tab : end) = 0;
	return *addr && (type == 't' || type == 'T') && !bpf && **name;
}

/* Reads the file into k; k->n stays 0 when it is unreadable. */
static void fill(struct ipft_kallsyms *k)
{
	size_t cap = 0;
	bool sorted = true;

	k->text = ipft_read_file("/proc/kallsyms", NULL);
	for (char *p = k->text; p && *p;) {
		struct ksym sym;

		if (!parse_line(&p, &sym.addr, &sym.name))
			continue;
		if (k->n == cap) {
			size_t c = cap ? 2 * cap : 65536;
			struct ksym *v = realloc(k->v, c * sizeof(*v));
			if (!v)
				break;
			k->v = v;
			cap = c;
		}
		sorted = sorted && (!k->n || k->v[k->n - 1].addr <= sym.addr);
		k->v[k->n++] = sym;
	}
	/* vmlinux's symbols come sorted; modules' may not */
	if (k->n && !sorted) /* none when addresses are hidden: v is NULL */
		qsort(k->v, k->n, sizeof(*k->v), by_addr);
}

struct ipft_kallsyms *ipft_kallsyms_load(void)
{
	struct ipft_kallsyms *k = calloc(1, sizeof(*k));

	if (k)
		fill(k);
	if (k && !k->text) {
		free(k);
		return NULL;
	}
	return k;
}

static void *fill_job(void *k)
{
	fill(k);
	return NULL;
}

struct ipft_kallsyms *ipft_kallsyms_load_start(void)
{
	struct ipft_kallsyms *k = calloc(1, sizeof(*k));

	if (k)
		ipft_job_start(&k->filler, fill_job, k);
	return k;
}

/* The table, once its filler is done.  The table is filled in once,
 * behind the const pointers its users hold (the join is locked: the
 * attaching backends may ask from their threads). */
static const struct ipft_kallsyms *ready(const struct ipft_kallsyms *table)
{
	struct ipft_kallsyms *k = (struct ipft_kallsyms *)table;

	if (k)
		ipft_job_join(&k->filler);
	return k;
}

/* Hidden addresses all read 0; shown ones may too at first (x86's
 * per-CPU symbols start at 0), never at the first function. */
bool ipft_kallsyms_visible(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	bool visible = false;

	while (f && fgets(line, sizeof(line), f)) {
		char *s;

		if (strtoull(line, &s, 16) != 0) {
			visible = true;
			break;
		}
		if (s[0] == ' ' && (s[1] == 't' || s[1] == 'T'))
			break;
	}
	if (f)
		fclose(f);
	return visible;
}

bool ipft_kallsyms_hidden(const struct ipft_kallsyms *k)
{
	k = ready(k);
	return !k || !k->n;
}

void ipft_kallsyms_free(struct ipft_kallsyms *k)
{
	if (!ready(k))
		return;
	free(k->v);
	free(k->text);
	free(k);
}

int ipft_kallsyms_format(const struct ipft_kallsyms *k, uint64_t addr, char *buf, size_t len)
{
	size_t lo = 0, hi;

	k = ready(k);
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
	size_t m = (k = ready(k)) ? k->n : 0;
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
