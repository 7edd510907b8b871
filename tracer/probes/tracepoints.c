/* tracepoints.c - find every tracepoint that carries an skb.
 *
 * The kernel's BTF has one "btf_trace_<name>" typedef per tracepoint: a
 * pointer to the prototype of its probe function, whose first parameter is
 * the context and the rest are the tracepoint's arguments.  Each one with a
 * struct sk_buff * argument is a probe; the tracepoint's system (its tracefs
 * folder) is looked up when tracefs is mounted, for display only.
 */
#include "tracer/probes/probe.h"
#include "tracer/collectors/tpargs.h"

#include <bpf/btf.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TRACE_PREFIX "btf_trace_"

/* The tracefs system folder holding events/<sys>/<name>, if mounted. */
static char *category_of(const char *name)
{
	static const char *roots[] = { "/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events" };
	char path[512];
	struct stat st;

	for (size_t r = 0; r < sizeof(roots) / sizeof(roots[0]); r++) {
		DIR *d = opendir(roots[r]);
		struct dirent *e;
		if (!d)
			continue;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", roots[r], e->d_name, name);
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
				char *c = strdup(e->d_name);
				closedir(d);
				return c;
			}
		}
		closedir(d);
	}
	return NULL;
}

int ipft_probes_add_tracepoints(struct ipft_probe_set *set, char *err, size_t errlen)
{
	struct btf *btf = btf__load_vmlinux_btf();
	uint32_t n;

	if (!btf) {
		snprintf(err, errlen, "cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): %s; "
			 "ipft needs a kernel built with CONFIG_DEBUG_INFO_BTF", strerror(errno));
		return -1;
	}
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
			btf__free(btf);
			return -1;
		}
		p->type = IPFT_PROBE_TRACEPOINT;
		p->skb_arg = skb_arg;
		p->nargs = btf_vlen(proto) - 1;
		p->args_mask = ipft_tpargs_mask(btf, proto, skb_arg);
		p->btf_id = id;
		p->category = category_of(p->name);
	}
	btf__free(btf);
	return 0;
}
