/* option_table.c - every option of ipft in one table: name, argument,
 * type, default, range, group and help, and what it sets in struct
 * ipft_config. Parsing, --help and the documentation test read it. */
#include "tracer/cli/cli_internal.h"
#include "tracer/backends/backend.h"
#include "tracer/collectors/collectors.h"
#include "tracer/filter/trigger.h"
#include "config.h"

#include <linux/types.h>
#include "bpf/ipft_shared.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#define MAX_INFLIGHT (1 << 24)
#define MAX_RINGBUF_MB 1024
/* The main loop looks at the clock every 50 ms and sweeps for old
 * packets every second: shorter times than these mean nothing. */
#define MIN_DURATION_S 0.01
#define MIN_FLUSH_TIMEOUT_S 0.1
#define MAX_SECONDS 1e9

const struct ipft_option_group_info ipft_option_groups[IPFT_N_GROUPS] = {
	[IPFT_GROUP_OUTPUT] = { "Output", NULL },
	[IPFT_GROUP_TRACE] = { "What to trace", NULL },
	[IPFT_GROUP_PACKETS] = { "Which packets", "a packet is checked once, when first seen; then followed" },
	[IPFT_GROUP_STOP] = { "When to stop", "Ctrl-C or SIGTERM stop too; the file stays valid" },
	[IPFT_GROUP_LIMITS] = { "Limits", NULL },
	[IPFT_GROUP_PROGRAM] = { NULL, NULL },
};

static const char *const *output_formats(void)
{
	static const char *const v[] = { "aggregate", "json", NULL };
	return v;
}

static const char *const *tracers(void)
{
	static const char *const v[] = { "function", "function_graph", NULL };
	return v;
}

static const char *const *protocols(void)
{
	static const char *const v[] = { "tcp", "udp", "icmp", "icmp6", "sctp", NULL };
	return v;
}

/* auto, then the backend table's names, best first. */
static const char *const *backends(void)
{
	static const char *v[16];

	if (!v[0]) {
		v[0] = "auto";
		for (size_t i = 0; ipft_backends[i] && i + 2 < sizeof(v) / sizeof(v[0]); i++)
			v[i + 1] = ipft_backends[i]->name;
	}
	return v;
}

/* The setters: a value already parsed and range-checked, stored. */
#define SETTER(name) \
	static int name(struct ipft_cli *cli __attribute__((unused)), \
			const struct ipft_option *o __attribute__((unused)), \
			const struct ipft_option_value *v __attribute__((unused)))

SETTER(set_write)
{
	if (!v->text[0])
		return ipft_cli_bad(o, v->text, "an empty file name");
	cli->cfg->write_path = v->text;
	return 0;
}

SETTER(set_output)
{
	cli->cfg->format = strcmp(v->text, "json") == 0 ? IPFT_OUT_JSON : IPFT_OUT_AGGREGATE;
	return 0;
}

SETTER(set_trace_blocks)
{
	cli->cfg->trace_blocks = true;
	return 0;
}

SETTER(set_snaplen)
{
	cli->cfg->snaplen = (uint32_t)v->u;
	return 0;
}

SETTER(set_headers_only)
{
	cli->cfg->headers_only = true;
	return 0;
}

SETTER(set_raw_addresses)
{
	cli->cfg->raw_addresses = true;
	return 0;
}

SETTER(set_backend)
{
	cli->cfg->backend = v->text;
	return 0;
}

SETTER(set_tracer)
{
	cli->cfg->function_graph = strcmp(v->text, "function_graph") == 0;
	return 0;
}

/* No attach point's name holds a control character: such an -r is a slip. */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if (iscntrl((unsigned char)*s))
			return true;
	return false;
}

SETTER(set_collect)
{
	char why[160];

	if (ipft_collect_parse(v->text, &cli->cfg->collect, why, sizeof(why)) < 0)
		return ipft_cli_bad(o, v->text, why);
	return 0;
}

SETTER(set_stack_at)
{
	regex_t re;

	if (!v->text[0] || has_control(v->text))
		return ipft_cli_bad(o, v->text, "not empty, no control characters");
	if (regcomp(&re, v->text, REG_EXTENDED | REG_NOSUB))
		return ipft_cli_bad(o, v->text, "not an extended regular expression");
	regfree(&re);
	cli->cfg->stack_at = v->text;
	return 0;
}

SETTER(set_extension)
{
	if (!v->text[0] || has_control(v->text))
		return ipft_cli_bad(o, v->text, "a file name: not empty, no control characters");
	cli->cfg->extension = v->text;
	return 0;
}

SETTER(set_regex)
{
	if (!v->text[0])
		return ipft_cli_bad(o, v->text, "empty (it would match every attach point: leave -r out)");
	if (has_control(v->text))
		return ipft_cli_bad(o, v->text, "control characters match no attach point");
	cli->cfg->regex = v->text;
	return 0;
}

SETTER(set_list)
{
	cli->cfg->list = true;
	return 0;
}

SETTER(set_mark)
{
	cli->cfg->mark = (uint32_t)v->u;
	cli->cfg->mark_set = true;
	return 0;
}

SETTER(set_mask)
{
	cli->cfg->mark_mask = (uint32_t)v->u;
	return 0;
}

/* As the kernel's dev_valid_name(): a name it refuses can never match. */
SETTER(set_interface)
{
	const char *s = v->text;

	if (!s[0] || strlen(s) >= sizeof(cli->cfg->ifname) || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0 || strpbrk(s, "/: ") || has_control(s))
		return ipft_cli_bad(o, s, "a device name is 1 to 15 characters, without '/', ':' "
				    "or white space");
	strcpy(cli->cfg->ifname, v->text);
	return 0;
}

SETTER(set_netns)
{
	char why[128];

	if (ipft_netns_inode(v->text, &cli->cfg->netns, cli->netns_path, sizeof(cli->netns_path),
			     why, sizeof(why)) < 0)
		return ipft_cli_bad(o, v->text, why);
	return 0;
}

SETTER(set_trigger)
{
	char why[200];

	if (has_control(v->text) || ipft_trigger_parse(v->text, &cli->cfg->trigger, why, sizeof(why)) < 0)
		return ipft_cli_bad(o, v->text, has_control(v->text) ? "no control characters" : why);
	return 0;
}

/* The shortcuts become pcap-filter terms; each is given at most once
 * (cli.c refuses a repeat), so the five always fit. */
static char *next_term(struct ipft_cli *cli)
{
	return cli->n_terms < IPFT_SHORTCUTS ? cli->terms[cli->n_terms++] : NULL;
}

SETTER(set_proto)
{
	char *t = next_term(cli);

	if (!t)
		return -1;
	snprintf(t, sizeof(cli->terms[0]), "%s", v->text);
	return 0;
}

SETTER(set_address)
{
	unsigned char addr[16];
	bool v4 = inet_pton(AF_INET, v->text, addr) == 1;
	char *t;

	if (!v4 && inet_pton(AF_INET6, v->text, addr) != 1)
		return ipft_cli_bad(o, v->text, "not an IPv4 or IPv6 address");
	t = next_term(cli);
	if (!t)
		return -1;
	/* "ip src host", not "src host": an ARP packet naming the address
	 * is not from it. */
	snprintf(t, sizeof(cli->terms[0]), "%s %s host %s", v4 ? "ip" : "ip6",
		 strcmp(o->name, "saddr") == 0 ? "src" : "dst", v->text);
	return 0;
}

SETTER(set_port)
{
	char *t = next_term(cli);

	if (!t)
		return -1;
	snprintf(t, sizeof(cli->terms[0]), "%s port %u",
		 strcmp(o->name, "sport") == 0 ? "src" : "dst", (unsigned)v->u);
	return 0;
}

SETTER(set_count)
{
	cli->cfg->count = v->u;
	return 0;
}

SETTER(set_duration)
{
	cli->cfg->duration = v->d;
	return 0;
}

SETTER(set_max_inflight)
{
	cli->cfg->max_inflight = (uint32_t)v->u;
	return 0;
}

SETTER(set_flush_timeout)
{
	cli->cfg->flush_timeout_ns = (uint64_t)(v->d * 1e9);
	return 0;
}

SETTER(set_ringbuf_size)
{
	if (v->u & (v->u - 1))
		return ipft_cli_bad(o, v->text, "a power of two from 1 to " IPFT_STRINGIFY(MAX_RINGBUF_MB) " (MB)");
	cli->cfg->ringbuf_bytes = (uint32_t)(v->u << 20);
	return 0;
}

SETTER(set_verbose)
{
	cli->cfg->verbose = true;
	return 0;
}

SETTER(print_version)
{
	printf("ipft %s\n", PACKAGE_VERSION);
	return 1;
}

SETTER(print_help)
{
	ipft_cli_help();
	return 1;
}


const struct ipft_option ipft_options[] = {
	{ "write", 'w', "FILE", IPFT_OPT_STRING, .group = IPFT_GROUP_OUTPUT, .set = set_write,
	  .help = "write a pcapng file: the packets' headers with their kernel path attached "
		  "to each packet; '-' writes to stdout, flushed per packet, for a live view "
		  "(see Examples)" },
	{ "output", 'o', "FORMAT", IPFT_OPT_ENUM, output_formats, .group = IPFT_GROUP_OUTPUT,
	  .set = set_output,
	  .help = "print on stdout; aggregate is the default without -w" },
	{ "trace-blocks", 0, NULL, IPFT_OPT_FLAG, .group = IPFT_GROUP_OUTPUT, .set = set_trace_blocks,
	  .help = "write each trace as a standalone pcapng Custom Block before its packet "
		  "instead of an option of the packet. Costs: live views (tshark/Wireshark "
		  "reading a pipe) lag one record per block, and exports of selected packets "
		  "(editcap -r, tshark -Y ... -w) and of a time range (editcap -A/-B) drop "
		  "the blocks" },
	{ "snaplen", 's', "BYTES", IPFT_OPT_UINT, .def = IPFT_STRINGIFY(IPFT_SNAPLEN_DEFAULT),
	  .min = 1, .max = IPFT_SNAPLEN_MAX, .group = IPFT_GROUP_OUTPUT, .set = set_snaplen,
	  .help = "header bytes to keep per packet" },
	{ "headers-only", 0, NULL, IPFT_OPT_FLAG, .group = IPFT_GROUP_OUTPUT,
	  .set = set_headers_only,
	  .help = "with -w: cut each packet after its transport header (TCP, UDP, ICMP, SCTP; "
		  "else after the IP header), so no payload reaches the file; the packet's "
		  "length stays its real one" },
	{ "raw-addresses", 0, NULL, IPFT_OPT_FLAG, .group = IPFT_GROUP_OUTPUT,
	  .set = set_raw_addresses,
	  .help = "also write kernel addresses (each function's, each drop location's), which "
		  "tell where the kernel sits in memory (KASLR); by default a drop location is "
		  "written as sym+off only" },

	{ "backend", 'b', "NAME", IPFT_OPT_ENUM, backends, .def = "auto",
	  .group = IPFT_GROUP_TRACE, .set = set_backend,
	  .help = "how functions are traced: auto is the best backend the kernel allows "
		  "(none: tracepoints only); tracepoints always go through tp_btf/raw_tp; "
		  "-b tracepoint traces tracepoints only" },
	{ "tracer", 't', "NAME", IPFT_OPT_ENUM, tracers, .def = "function",
	  .group = IPFT_GROUP_TRACE, .set = set_tracer,
	  .help = "function: each function the packet enters; function_graph: entries and "
		  "returns, with call depth, return value and duration per call; it attaches "
		  "one fentry/fexit trampoline per function, which takes minutes for all of "
		  "them: narrow with -r" },
	{ "regex", 'r', "REGEX", IPFT_OPT_STRING, .group = IPFT_GROUP_TRACE, .set = set_regex,
	  .help = "attach only to points whose name matches (extended regex, matched against "
		  "'name' and 'system:name')" },
	{ "collect", 'x', "LIST", IPFT_OPT_STRING, .def = "none", .group = IPFT_GROUP_TRACE,
	  .set = set_collect,
	  .help = "what else each event says, written where it changed since the packet's "
		  "previous event: meta (device, netns, len, data_len, mark, protocol, "
		  "pkt_type, cloned, gso), task (pid, tgid and comm, or softirq/irq), stack "
		  "(the kernel stack at drops), tpargs (a tracepoint's scalar arguments); "
		  "comma-separated, or none" },
	{ "stack-at", 0, "REGEX", IPFT_OPT_STRING, .group = IPFT_GROUP_TRACE, .set = set_stack_at,
	  .help = "with -x stack: a kernel stack at every hit of the attach points whose name "
		  "(or system:name) matches, too, not only at drops" },
	{ "extension", 'e', "FILE.bpf.o", IPFT_OPT_STRING, .group = IPFT_GROUP_TRACE,
	  .set = set_extension,
	  .help = "a user extension: a BPF object compiled with clang -target bpf -g, whose "
		  "int module(void *ctx, struct sk_buff *skb, __u8 data[64]) fills the struct "
		  "that is the type of its __ipft_event_struct (ipftrace2's interface, "
		  "<ipft/extension.h>); each member becomes a key, written where it changed "
		  "since the packet's previous event" },
	{ "list", 'l', NULL, IPFT_OPT_FLAG, .group = IPFT_GROUP_TRACE, .set = set_list,
	  .help = "list the attach points and which backend can use each" },

	{ "mark", 'm', "MARK", IPFT_OPT_UINT, .min = 0, .max = UINT32_MAX,
	  .group = IPFT_GROUP_PACKETS, .set = set_mark,
	  .help = "only packets whose skb mark & MASK == MARK" },
	{ "mask", 0, "MASK", IPFT_OPT_UINT, .def = "0xffffffff", .min = 1, .max = UINT32_MAX,
	  .group = IPFT_GROUP_PACKETS, .set = set_mask,
	  .help = "mask for -m" },
	{ "interface", 'i', "IFNAME", IPFT_OPT_STRING, .group = IPFT_GROUP_PACKETS,
	  .set = set_interface,
	  .help = "only packets first seen on a device of this name, in any network namespace "
		  "unless --netns; ipft warns when there is none yet, and keeps watching" },
	{ "netns", 0, "INODE|PATH", IPFT_OPT_STRING, .group = IPFT_GROUP_PACKETS, .set = set_netns,
	  .help = "only packets first seen in this network namespace: a namespace file "
		  "(/run/netns/NAME, /proc/PID/ns/net) or its inode number, in decimal" },
	{ "trigger", 0, "COND", IPFT_OPT_STRING, .group = IPFT_GROUP_PACKETS, .set = set_trigger,
	  .help = "flight recorder: every packet is followed in the kernel as usual, but only "
		  "those that meet COND leave it, with their whole path from its start and "
		  "their headers as they are there; the rest are discarded in the kernel and "
		  "counted. COND: drop (any drop), reason=NAME (a drop with this reason, "
		  "NO_SOCKET), latency>TIME (a hit this long after the packet's first: 500us, "
		  "1ms), func=REGEX (a hit of an attach point the regex names, as -r); "
		  "comma-separated, any one met, func= last" },
	{ NULL, 0, "EXPRESSION", IPFT_OPT_STRING, .group = IPFT_GROUP_PACKETS,
	  .help = "a pcap-filter expression, as tcpdump takes it, decided in the kernel "
		  "('tcp port 443 and host 10.1.2.3')" },
	{ "proto", 0, "PROTO", IPFT_OPT_ENUM, protocols, .group = IPFT_GROUP_PACKETS,
	  .set = set_proto, .help = "only this protocol; the shortcuts --proto to --dport, from ipftrace v1, "
		  "are ANDed with each other and with EXPRESSION" },
	{ "saddr", 0, "ADDR", IPFT_OPT_STRING, .group = IPFT_GROUP_PACKETS, .set = set_address,
	  .help = "only this IPv4 or IPv6 source address, a shortcut" },
	{ "daddr", 0, "ADDR", IPFT_OPT_STRING, .group = IPFT_GROUP_PACKETS, .set = set_address,
	  .help = "only this IPv4 or IPv6 destination address, a shortcut" },
	{ "sport", 0, "PORT", IPFT_OPT_UINT, .min = 1, .max = 65535, .group = IPFT_GROUP_PACKETS,
	  .set = set_port, .help = "only this source port, a shortcut" },
	{ "dport", 0, "PORT", IPFT_OPT_UINT, .min = 1, .max = 65535, .group = IPFT_GROUP_PACKETS,
	  .set = set_port, .help = "only this destination port, a shortcut" },

	{ "count", 'c', "N", IPFT_OPT_UINT, .min = 1, .max = (double)UINT64_MAX,
	  .group = IPFT_GROUP_STOP, .set = set_count,
	  .help = "after N packets are written" },
	{ "duration", 0, "SECONDS", IPFT_OPT_DOUBLE, .min = MIN_DURATION_S, .max = MAX_SECONDS,
	  .group = IPFT_GROUP_STOP, .set = set_duration,
	  .help = "after this long" },

	{ "max-inflight", 0, "N", IPFT_OPT_UINT, .def = IPFT_STRINGIFY(IPFT_MAX_INFLIGHT_DEFAULT),
	  .min = 1, .max = MAX_INFLIGHT, .group = IPFT_GROUP_LIMITS, .set = set_max_inflight,
	  .help = "packets followed at once; when full, the oldest is written as a partial "
		  "trace to make room, and a new packet finding no room is counted lost" },
	{ "flush-timeout", 0, "SECONDS", IPFT_OPT_DOUBLE, .def = "10",
	  .min = MIN_FLUSH_TIMEOUT_S, .max = MAX_SECONDS, .group = IPFT_GROUP_LIMITS,
	  .set = set_flush_timeout,
	  .help = "write a packet still alive after this long as a partial trace" },
	{ "ringbuf-size", 0, "MB", IPFT_OPT_UINT, .def = IPFT_STRINGIFY(IPFT_RINGBUF_MB_DEFAULT), .min = 1, .max = MAX_RINGBUF_MB,
	  .group = IPFT_GROUP_LIMITS, .set = set_ringbuf_size,
	  .help = "kernel-to-user ring buffer size, a power of two" },

	{ "verbose", 'v', NULL, IPFT_OPT_FLAG, .group = IPFT_GROUP_PROGRAM, .set = set_verbose,
	  .help = "say what ipft decides and what libbpf does" },
	{ "version", 'V', NULL, IPFT_OPT_FLAG, .group = IPFT_GROUP_PROGRAM, .set = print_version,
	  .help = "print the version" },
	{ "help", 'h', NULL, IPFT_OPT_FLAG, .group = IPFT_GROUP_PROGRAM, .set = print_help,
	  .help = "this text" },
};

const size_t ipft_n_options = sizeof(ipft_options) / sizeof(ipft_options[0]);
_Static_assert(sizeof(ipft_options) / sizeof(ipft_options[0]) <= IPFT_OPTIONS_MAX,
	       "raise IPFT_OPTIONS_MAX");
