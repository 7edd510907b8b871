/* known_names.h - the kernel functions ftrace can attach, by name: the
 * lines of available_filter_functions ("name" or "name [module]"), or,
 * without tracefs, the text symbols of /proc/kallsyms.  A name listed
 * twice is two static functions a name cannot tell apart.
 *
 * The list has 60 000 to 120 000 names and is read at every start that
 * may trace functions; under emulation its parse was a tenth of a second
 * of the start.  So the text is cut in place and the names go into a
 * hash table, neither copied nor sorted.
 */
#ifndef IPFT_KNOWN_NAMES_H
#define IPFT_KNOWN_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipft_known_entry;

struct ipft_known_names {
	char *text;                       /* the file, each name cut out in place */
	struct ipft_known_entry *table;   /* open addressing, mask + 1 entries */
	size_t mask, n;                   /* n: names listed, repeats counted once */
	const char *source;               /* "available_filter_functions" or "kallsyms" */
};

/* Reads the ftrace list (ftrace_list.h: perhaps the copy kept from an
 * earlier run of this boot).  -1 when tracefs cannot be read or out of
 * memory (errno). */
int ipft_known_names_load_ftrace(struct ipft_known_names *k);
/* Reads kallsyms' text symbols instead, where the ftrace list could not
 * be read.  -1 likewise. */
int ipft_known_names_load_kallsyms(struct ipft_known_names *k);
/* Takes text (malloc'd, NUL-terminated, owned by k from here on) in the
 * ftrace list's format, or kallsyms' if kallsyms.  -1: out of memory. */
int ipft_known_names_parse(struct ipft_known_names *k, char *text, bool kallsyms);
/* 0: not listed; 1: once; 2: more than once. */
int ipft_known_names_count(const struct ipft_known_names *k, const char *name);
void ipft_known_names_free(struct ipft_known_names *k);

#endif
