/* known_names.c - the kernel functions ftrace can attach, by name
 * (known_names.h). */
#include "tracer/probes/known_names.h"
#include "tracer/probes/ftrace_list.h"
#include "tracer/kernel/read_file.h"

#include <stdlib.h>
#include <string.h>

struct ipft_known_entry {
	const char *name; /* NULL: free */
	uint32_t hash;
	uint32_t count;   /* times listed, up to 2 */
};

/* FNV-1a over the name up to its end (NUL, space, tab or newline), whose
 * length it leaves in *len. */
static uint32_t name_hash(const char *s, size_t *len)
{
	uint32_t h = 2166136261u;
	size_t i = 0;

	for (; s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != '\n'; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	*len = i;
	return h;
}

/* The entry of name (len bytes, hash h), or the free one it would take. */
static struct ipft_known_entry *slot_of(const struct ipft_known_names *k, const char *name,
					size_t len, uint32_t h)
{
	for (size_t i = h & k->mask;; i = (i + 1) & k->mask) {
		struct ipft_known_entry *e = &k->table[i];

		if (!e->name || (e->hash == h && strncmp(e->name, name, len) == 0 && !e->name[len]))
			return e;
	}
}

static void add(struct ipft_known_names *k, char *name)
{
	size_t len;
	uint32_t h = name_hash(name, &len);
	struct ipft_known_entry *e;

	if (!len)
		return;
	name[len] = 0;
	e = slot_of(k, name, len, h);
	if (e->name) {
		e->count = 2;
		return;
	}
	*e = (struct ipft_known_entry){ .name = name, .hash = h, .count = 1 };
	k->n++;
}

/* kallsyms: "addr type name[\t[module]]"; the name if type is text. */
static char *kallsyms_name(char *line)
{
	char *sp = strchr(line, ' ');

	if (!sp || (sp[1] != 't' && sp[1] != 'T') || sp[2] != ' ')
		return NULL;
	return sp + 3;
}

/* A table twice the lines or more: probes stay short. */
static int table_for(struct ipft_known_names *k, const char *text)
{
	size_t lines = 1, size = 1024;

	for (const char *p = text; (p = strchr(p, '\n')); p++)
		lines++;
	while (size < 2 * lines)
		size *= 2;
	k->table = calloc(size, sizeof(*k->table));
	k->mask = size - 1;
	return k->table ? 0 : -1;
}

int ipft_known_names_parse(struct ipft_known_names *k, char *text, bool kallsyms)
{
	k->text = text;
	if (table_for(k, text) < 0)
		return -1;
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		char *name = kallsyms ? kallsyms_name(line) : line;

		if (nl)
			*nl = 0; /* the line's end, for kallsyms_name's look */
		if (name)
			add(k, name);
		line = nl ? nl + 1 : line + strlen(line);
	}
	return 0;
}

int ipft_known_names_load_ftrace(struct ipft_known_names *k)
{
	bool copied;
	char *text = ipft_ftrace_list_read(IPFT_FTRACE_COPY_DIR, &copied);

	*k = (struct ipft_known_names){ 0 };
	if (!text)
		return -1;
	k->source = copied ? "available_filter_functions, as kept in " IPFT_FTRACE_COPY_DIR
			   : "available_filter_functions";
	return ipft_known_names_parse(k, text, false);
}

int ipft_known_names_load_kallsyms(struct ipft_known_names *k)
{
	char *text = ipft_read_file("/proc/kallsyms", NULL);

	*k = (struct ipft_known_names){ 0 };
	if (!text)
		return -1;
	k->source = "kallsyms";
	return ipft_known_names_parse(k, text, true);
}

int ipft_known_names_count(const struct ipft_known_names *k, const char *name)
{
	size_t len;
	uint32_t h = name_hash(name, &len);
	const struct ipft_known_entry *e;

	if (!k->table || !len || name[len])
		return 0;
	e = slot_of(k, name, len, h);
	return e->name ? (int)e->count : 0;
}

void ipft_known_names_free(struct ipft_known_names *k)
{
	free(k->table);
	free(k->text);
	*k = (struct ipft_known_names){ 0 };
}
