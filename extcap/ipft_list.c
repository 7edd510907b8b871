/* ipft_list.c - reading `ipft -l`: a table of attach points ("TYPE NAME
 * SKB BACKENDS"), a count, then one "backend NAME: ..." line per backend. */
#include "extcap/ipft_list.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ipft -l reads BTF only: a second is plenty, ten is a hang. */
#define LIST_TIMEOUT_MS 10000

/* The next space-separated word of *s, NUL-terminated in place. */
static char *word(char **s)
{
	char *w = *s + strspn(*s, " \t");
	char *end = w + strcspn(w, " \t");

	*s = *end ? end + 1 : end;
	*end = 0;
	return w;
}

static void read_backend(struct xc_ipft_list *l, char *line)
{
	char *colon = strchr(line, ':');

	if (!colon || l->n_backends == XC_BACKENDS_MAX)
		return;
	*colon = 0;
	l->backends[l->n_backends].name = line;
	l->backends[l->n_backends].works = strncmp(colon + 1, " works", 6) == 0;
	l->n_backends++;
}

static int read_point(struct xc_ipft_list *l, char *line, size_t *cap)
{
	if (l->n_points == *cap) {
		size_t n = *cap ? *cap * 2 : 1024;
		struct xc_attach_point *p = realloc(l->points, n * sizeof(*p));
		if (!p)
			return -1;
		l->points = p;
		*cap = n;
	}
	l->points[l->n_points].type = word(&line);
	l->points[l->n_points].name = word(&line);
	l->n_points++;
	return 0;
}

static int read_lines(struct xc_ipft_list *l)
{
	size_t cap = 0;

	for (char *line = strtok(l->raw.out, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "backend ", 8) == 0)
			read_backend(l, line + 8);
		else if (strncmp(line, "tracepoint ", 11) == 0 || strncmp(line, "function ", 9) == 0)
			if (read_point(l, line, &cap) < 0)
				return -1;
	}
	return 0;
}

/* The last line of what the program said on stderr, for an error. */
static const char *last_line(char *text)
{
	char *end = text + strlen(text);

	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		*--end = 0;
	char *nl = strrchr(text, '\n');
	return nl ? nl + 1 : text;
}

int xc_ipft_list(const char *const argv[], struct xc_ipft_list *l, char *err, size_t len)
{
	int rc;

	memset(l, 0, sizeof(*l));
	rc = xc_child_run(argv, LIST_TIMEOUT_MS, &l->raw);
	if (rc == -1) {
		snprintf(err, len, "cannot run %s: %s", argv[0], strerror(errno));
		return -1;
	}
	if (rc != 0) {
		snprintf(err, len, "%s", rc == -2 ? "listing the attach points took too long"
						  : last_line(l->raw.err));
		xc_ipft_list_free(l);
		return -1;
	}
	if (read_lines(l) < 0) {
		snprintf(err, len, "out of memory");
		xc_ipft_list_free(l);
		return -1;
	}
	return 0;
}

void xc_ipft_list_free(struct xc_ipft_list *l)
{
	xc_output_free(&l->raw);
	free(l->points);
	l->points = NULL;
	l->n_points = l->n_backends = 0;
}
