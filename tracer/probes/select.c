/* select.c - the attach points of this run: -r applied, -l printed. */
#include "tracer/probes/select.h"
#include "tracer/probes/probe.h"
#include "tracer/backends/backend.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>

#define NAME_LEN 256

char *ipft_probe_display_name(const struct ipft_probe *p, char *buf, size_t len)
{
	if (p->category)
		snprintf(buf, len, "%s:%s", p->category, p->name);
	else
		snprintf(buf, len, "%s", p->name);
	return buf;
}

bool ipft_probe_matches(const regex_t *re, const struct ipft_probe *p)
{
	char name[NAME_LEN];

	return regexec(re, p->name, 0, NULL, 0) == 0 ||
	       regexec(re, ipft_probe_display_name(p, name, sizeof(name)), 0, NULL, 0) == 0;
}

/* Keeps the probes re matches (all without re), in order, ids renumbered. */
static size_t keep_matching(struct ipft_probe_set *s, const regex_t *re)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->n; i++) {
		struct ipft_probe *p = &s->v[i];
		if (!re || ipft_probe_matches(re, p)) {
			s->v[kept] = *p;
			s->v[kept].id = (uint32_t)kept;
			kept++;
		} else {
			free(p->name);
			free(p->category);
		}
	}
	s->n = kept;
	return kept;
}

int ipft_probes_select(struct ipft_probe_set *set, const char *regex, bool with_functions,
		       char *err, size_t errlen)
{
	regex_t re;
	size_t kept;
	int rc;

	if (regex && (rc = regcomp(&re, regex, REG_EXTENDED | REG_NOSUB))) {
		char msg[128];
		regerror(rc, &re, msg, sizeof(msg));
		snprintf(err, errlen, "bad regex '%s': %s", regex, msg);
		return -1;
	}
	kept = keep_matching(set, regex ? &re : NULL);
	if (regex)
		regfree(&re);
	if (kept)
		return 0;
	if (with_functions)
		snprintf(err, errlen, "no attach point matches '%s' (ipft -l lists them)",
			 regex ? regex : "");
	else
		snprintf(err, errlen, "no tracepoint matches '%s', and this run traces no kernel "
			 "functions (-b tracepoint, or no function backend works here: ipft -l says)",
			 regex ? regex : "");
	return -1;
}

static void list_probe(const struct ipft_probe *p)
{
	char name[NAME_LEN];

	printf("%-11s %-40s arg%-2d", p->type == IPFT_PROBE_TRACEPOINT ? "tracepoint" : "function",
	       ipft_probe_display_name(p, name, sizeof(name)), p->skb_arg + 1);
	for (size_t b = 0; ipft_backends[b]; b++)
		if (p->backends & ipft_backends[b]->id)
			printf(" %s", ipft_backends[b]->name);
	putchar('\n');
}

void ipft_probes_list(const struct ipft_probe_set *set)
{
	printf("%-11s %-40s %-5s %s\n", "TYPE", "NAME", "SKB", "BACKENDS");
	for (size_t i = 0; i < set->n; i++)
		list_probe(&set->v[i]);
	printf("%zu attach point%s\n", set->n, set->n == 1 ? "" : "s");
	/* What this kernel allows, beside what each backend could attach. */
	for (size_t b = 0; ipft_backends[b]; b++) {
		char why[256];
		if (ipft_backends[b]->available(why, sizeof(why)) == 0)
			printf("backend %s: works on this kernel\n", ipft_backends[b]->name);
		else
			printf("backend %s: not here: %s\n", ipft_backends[b]->name, why);
	}
}
