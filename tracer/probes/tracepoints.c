/* tracepoints.c - find every tracepoint that carries an skb.
 *
 * The kernel's BTF has one "btf_trace_<name>" typedef per tracepoint: a
 * pointer to the prototype of its probe function, whose first parameter is
 * the context and the rest are the tracepoint's arguments.  Each one with a
 * struct sk_buff * argument is a probe; the tracepoint's system (tracefs's
 * available_events) is looked up when tracefs is mounted, for display only.
 */
#include "tracer/probes/probe.h"
#include "tracer/kernel/vmlinux_btf.h"
#include "tracer/collectors/tpargs.h"

#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRACE_PREFIX "btf_trace_"

/* tracefs's list of every event, a "system:name" line each, or NULL
 * when tracefs is not mounted.  One read: looking for each tracepoint's
 * folder among the systems' folders took thousands of stat calls. */
static char *read_events(void)
{
	static const char *paths[] = { "/sys/kernel/tracing/available_events",
				       "/sys/kernel/debug/tracing/available_events" };
	char *text = NULL;
	size_t len = 0;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !text; i++) {
		FILE *f = fopen(paths[i], "re");
		FILE *out;

		if (!f)
			continue;
		if ((out = open_memstream(&text, &len))) {
			char buf[8192];
			size_t n;
			while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
				fwrite(buf, 1, n, out);
			fclose(out);
		}
		fclose(f);
	}
	return text;
}

/* The tracefs system of the tracepoint name (a copy), NULL if unknown. */
static char *category_of(const char *events, const char *name)
{
	size_t n = strlen(name);

	for (const char *line = events; line && *line;) {
		const char *end = line + strcspn(line, "\n");
		const char *colon = memchr(line, ':', (size_t)(end - line));

		if (colon && (size_t)(end - colon - 1) == n && memcmp(colon + 1, name, n) == 0)
			return strndup(line, (size_t)(colon - line));
		line = *end ? end + 1 : end;
	}
	return NULL;
}

int ipft_probes_add_tracepoints(struct ipft_probe_set *set, char *err, size_t errlen)
{
	struct btf *btf = ipft_vmlinux_btf_get();
	char *events;
	uint32_t n;

	if (!btf) {
		snprintf(err, errlen, "cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): %s; "
			 "ipft needs a kernel built with CONFIG_DEBUG_INFO_BTF", strerror(errno));
		return -1;
	}
	events = read_events();
	n = btf__type_cnt(btf);
	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id), *proto;
		const char *name = btf__name_by_offset(btf, t->name_off);
		const struct btf_param *params;
		int skb_arg = -1;

		if (!btf_is_typedef(t) || strncmp(name, TRACE_PREFIX, strlen(TRACE_PREFIX)) != 0)
			continue;
		proto = ipft_btf_skip_mods(btf, t->type);
		if (!proto || !btf_is_ptr(proto))
			continue;
		proto = ipft_btf_skip_mods(btf, proto->type);
		if (!proto || !btf_is_func_proto(proto) || btf_vlen(proto) < 2)
			continue;
		params = btf_params(proto);
		for (int i = 1; i < btf_vlen(proto); i++) {
			if (ipft_btf_is_skb_ptr(btf, params[i].type)) {
				skb_arg = i - 1; /* params[0] is the context */
				break;
			}
		}
		if (skb_arg < 0)
			continue;
		struct ipft_probe *p = ipft_probe_set_push(set);
		if (!p || !(p->name = strdup(name + strlen(TRACE_PREFIX)))) {
			snprintf(err, errlen, "out of memory");
			free(events);
			ipft_vmlinux_btf_put(btf);
			return -1;
		}
		p->type = IPFT_PROBE_TRACEPOINT;
		p->skb_arg = skb_arg;
		p->nargs = btf_vlen(proto) - 1;
		p->args_mask = ipft_tpargs_mask(btf, proto, skb_arg);
		p->btf_id = id;
		p->category = category_of(events, p->name);
	}
	free(events);
	ipft_vmlinux_btf_put(btf);
	return 0;
}
