/* select.h - the attach points of this run: -r applied, -l printed. */
#ifndef IPFT_PROBES_SELECT_H
#define IPFT_PROBES_SELECT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

struct ipft_probe;
struct ipft_probe_set;

/* "skb:kfree_skb" for a tracepoint, "ip_rcv" for a function. */
char *ipft_probe_display_name(const struct ipft_probe *p, char *buf, size_t len);
/* As -r matches: the name or the display name (-r, --stack-at, --trigger func=). */
bool ipft_probe_matches(const regex_t *re, const struct ipft_probe *p);
/* Keeps the probes whose name or display name matches regex (NULL: all)
 * and renumbers their ids to table positions.  with_functions: kernel
 * functions were looked for, so say so when nothing matches.  0, or -1
 * with a message in err. */
int ipft_probes_select(struct ipft_probe_set *set, const char *regex, bool with_functions,
		       char *err, size_t errlen);
/* -l: every probe with the backends that can attach it, then what this
 * kernel allows of each backend. */
void ipft_probes_list(const struct ipft_probe_set *set);

#endif
