/* test-known-names.c - the table of functions ftrace can attach
 * (tracer/probes/known_names.c): both formats it reads, names listed
 * twice, a table of many names, and this machine's /proc/kallsyms
 * against counts made the plain way (sorted, adjacent repeats). */
#include "tracer/probes/known_names.h"
#include "tracer/kernel/read_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit_check.h"

static void parse(struct ipft_known_names *k, const char *text, bool kallsyms)
{
	char *copy = strdup(text);

	*k = (struct ipft_known_names){ 0 };
	CHECK(copy && ipft_known_names_parse(k, copy, kallsyms) == 0, "parse");
}

static void test_ftrace_format(void)
{
	struct ipft_known_names k;

	parse(&k, "ip_rcv\nudp_rcv [udp]\ndup_fn\ndup_fn [mod]\n\n__x\nlast", false);
	CHECK(ipft_known_names_count(&k, "ip_rcv") == 1, "ip_rcv once");
	CHECK(ipft_known_names_count(&k, "udp_rcv") == 1, "a module's name without its module");
	CHECK(ipft_known_names_count(&k, "dup_fn") == 2, "listed twice");
	CHECK(ipft_known_names_count(&k, "__x") == 1, "after an empty line");
	CHECK(ipft_known_names_count(&k, "last") == 1, "a last line without its newline");
	CHECK(ipft_known_names_count(&k, "ip_rc") == 0, "a prefix is not a name");
	CHECK(ipft_known_names_count(&k, "ip_rcvx") == 0, "nor a longer name");
	CHECK(ipft_known_names_count(&k, "") == 0, "nor nothing");
	CHECK(ipft_known_names_count(&k, "udp_rcv [udp]") == 0, "nor a whole line");
	CHECK(k.n == 5, "5 names, got %zu", k.n);
	ipft_known_names_free(&k);
	CHECK(ipft_known_names_count(&k, "ip_rcv") == 0, "freed: empty");
}

static void test_kallsyms_format(void)
{
	struct ipft_known_names k;

	parse(&k,
	      "ffffffff81000000 T _stext\n"
	      "ffffffff81001000 t static_fn\n"
	      "ffffffff81002000 t static_fn\n"
	      "ffffffff81003000 D data_sym\n"
	      "ffffffff81004000 t mod_fn\t[mod]\n"
	      "0000000000000000 T hidden\n",
	      true);
	CHECK(ipft_known_names_count(&k, "_stext") == 1, "T");
	CHECK(ipft_known_names_count(&k, "static_fn") == 2, "two static functions");
	CHECK(ipft_known_names_count(&k, "data_sym") == 0, "data is no function");
	CHECK(ipft_known_names_count(&k, "mod_fn") == 1, "a module's, without its module");
	CHECK(ipft_known_names_count(&k, "hidden") == 1, "addresses hidden: still a name");
	ipft_known_names_free(&k);
}

/* Many names: every probe chain of the table, and no name lost. */
static void test_many(void)
{
	enum { N = 100000 };
	char *text = malloc((size_t)N * 12 + 16), *p = text, name[16];
	struct ipft_known_names k = { 0 };
	int wrong = 0;

	for (int i = 0; i < N; i++)
		p += sprintf(p, "f%d\n", i);
	strcpy(p, "f7\n");
	CHECK(ipft_known_names_parse(&k, text, false) == 0, "parse");
	CHECK(k.n == N, "%d names, got %zu", N, k.n);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		wrong += ipft_known_names_count(&k, name) != (i == 7 ? 2 : 1);
	}
	CHECK(!wrong, "%d names counted wrong", wrong);
	CHECK(ipft_known_names_count(&k, "f100000") == 0, "one past");
	ipft_known_names_free(&k);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The text symbols' names of kallsyms, sorted (copied out of text). */
static size_t plain_names(const char *text, char ***out)
{
	size_t n = 0, cap = 1024;
	char **v = malloc(cap * sizeof(*v)), buf[600], name[512], type;
	const char *line = text;

	while (v && *line) {
		const char *nl = strchr(line, '\n');
		/* one line at a time: sscanf measures the string it is given */
		snprintf(buf, sizeof(buf), "%.*s", nl ? (int)(nl - line) : 599, line);
		if (sscanf(buf, "%*s %c %511[^ \t\n]", &type, name) == 2 &&
		    (type == 't' || type == 'T')) {
			if (n == cap)
				v = realloc(v, (cap *= 2) * sizeof(*v));
			v[n++] = strdup(name);
		}
		line = nl ? nl + 1 : line + strlen(line);
	}
	qsort(v, n, sizeof(*v), by_name);
	*out = v;
	return n;
}

static void test_this_kallsyms(void)
{
	char *text = ipft_read_file("/proc/kallsyms", NULL), **names = NULL;
	struct ipft_known_names k = { 0 };
	size_t n, distinct = 0, wrong = 0;

	CHECK(text, "/proc/kallsyms unreadable");
	if (!text)
		return;
	n = plain_names(text, &names);
	CHECK(n > 10000, "only %zu text symbols", n);
	CHECK(ipft_known_names_parse(&k, text, true) == 0, "parse");
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(names[j], names[i]) == 0; j++)
			;
		distinct++;
		wrong += ipft_known_names_count(&k, names[i]) != (j - i > 1 ? 2 : 1);
	}
	CHECK(!wrong, "%zu of %zu names counted wrong", wrong, distinct);
	CHECK(k.n == distinct, "%zu distinct names, the table has %zu", distinct, k.n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	ipft_known_names_free(&k);
}

int main(void)
{
	test_ftrace_format();
	test_kallsyms_format();
	test_many();
	test_this_kallsyms();
	if (!failures)
		printf("test-known-names: all passed\n");
	return failures != 0;
}
