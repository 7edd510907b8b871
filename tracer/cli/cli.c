/* cli.c - ipft's command line: options, defaults, help. */
#include "tracer/cli/cli.h"
#include "tracer/backends/backend.h"
#include "config.h"

#include <errno.h>
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_SNAPLEN 256
#define DEFAULT_MAX_INFLIGHT 65536
#define DEFAULT_FLUSH_TIMEOUT_S 10
#define DEFAULT_RINGBUF_MB 8
#define MAX_RINGBUF_MB 1024

static const char usage_text[] =
"Usage: ipft [OPTIONS] [EXPRESSION]\n"
"Follow packets (struct sk_buff) through the Linux kernel with eBPF.\n"
"\n"
"Output:\n"
"  -w, --write FILE        write a pcapng file: the packets' headers with their kernel\n"
"                          path attached to each packet; '-' writes to stdout, flushed\n"
"                          per packet (ipft -w - | wireshark -k -i -)\n"
"  -o, --output FORMAT     print on stdout: 'aggregate' (default without -w) or 'json'\n"
"      --trace-blocks      write each trace as a standalone pcapng Custom Block before its\n"
"                          packet instead of an option of the packet. Costs: live views\n"
"                          (tshark/Wireshark reading a pipe) lag one record per block, and\n"
"                          exports of selected packets (editcap -r, tshark -Y ... -w) drop\n"
"                          the blocks\n"
"  -s, --snaplen BYTES     header bytes to keep per packet (default %d, at most %d)\n"
"\n"
"What to trace:\n"
"  -b, --backend NAME      how functions are traced: auto (default: the best the\n"
"                          kernel allows; none: tracepoints only) or one of:\n"
"                          %s\n"
"                          (tracepoints always go through tp_btf/raw_tp;\n"
"                          -b tracepoint: tracepoints only)\n"
"  -t, --tracer NAME       function (default): each function the packet enters;\n"
"                          function_graph: entries and returns, with call depth,\n"
"                          return value and duration per call (fentry/fexit: one\n"
"                          trampoline per function, so attaching all of them takes\n"
"                          minutes; narrow with -r)\n"
"  -r, --regex REGEX       attach only to points whose name matches (extended regex,\n"
"                          matched against 'name' and 'system:name')\n"
"  -l, --list              list the attach points and which backend can use each\n"
"\n"
"Which packets (a packet is checked once, when first seen; then followed):\n"
"  -m, --mark MARK         only packets whose skb mark & MASK == MARK\n"
"      --mask MASK         mask for -m (default 0xffffffff)\n"
"  -i, --interface IFNAME  only packets first seen on this device\n"
"      --netns INODE|PATH  only packets first seen in this network namespace\n"
"                          (an inode number, or a path like /run/netns/NAME)\n"
"  EXPRESSION              a pcap-filter expression, as tcpdump takes it, decided in\n"
"                          the kernel ('tcp port 443 and host 10.1.2.3')\n"
"      --proto PROTO       shortcuts (ipftrace v1), ANDed with EXPRESSION: tcp, udp,\n"
"      --saddr ADDR        icmp, icmp6 or sctp; an IPv4 or IPv6 source/destination\n"
"      --daddr ADDR        address; a source/destination port\n"
"      --sport PORT\n"
"      --dport PORT\n"
"\n"
"When to stop (Ctrl-C or SIGTERM stop too; the file stays valid):\n"
"  -c, --count N           after N packets are written\n"
"      --duration SECONDS  after this long\n"
"\n"
"Limits:\n"
"      --max-inflight N    packets followed at once (default %d); when full, the\n"
"                          oldest is written as a partial trace to make room\n"
"                          (counted; a new packet finding no room is counted lost)\n"
"      --flush-timeout S   write a packet still alive after S seconds as a partial\n"
"                          trace (default %d)\n"
"      --ringbuf-size MB   kernel-to-user ring buffer size (default %d)\n"
"\n"
"  -v, --verbose           say what ipft decides and what libbpf does\n"
"  -V, --version           print the version\n"
"  -h, --help              this text\n"
"\n"
"Exit status: 0 stopped as asked; 1 bad usage or the kernel/privileges do not allow\n"
"tracing; 2 writing the output failed (the file holds every packet before the failure).\n"
"\n"
"Examples:\n"
"  ipft -w trace.pcapng                  trace every packet until Ctrl-C\n"
"  ipft -o aggregate -m 0xbeef           packets marked 0xbeef, listed per packet\n"
"  ipft -o json -c 100                   JSON lines, stop after 100 packets\n"
"  ipft -w - -i eth0 | wireshark -k -i - watch live in Wireshark\n"
"  ipft -l -r kfree                      which attach points match 'kfree'\n";

/* "tracepoint, kprobe-multi, ..." from the backend table. */
static const char *backend_names(void)
{
	static char names[256];

	names[0] = 0;
	for (size_t i = 0; ipft_backends[i]; i++) {
		if (i)
			strncat(names, ", ", sizeof(names) - strlen(names) - 1);
		strncat(names, ipft_backends[i]->name, sizeof(names) - strlen(names) - 1);
	}
	return names;
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "ipft: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see ipft --help)\n");
	return -1;
}

static int parse_u64(const char *s, uint64_t *v, uint64_t max)
{
	char *end;

	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || x > max)
		return -1;
	*v = x;
	return 0;
}

static int parse_seconds(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return errno || end == s || *end || !(*v > 0) || *v > 1e9 ? -1 : 0;
}

static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* One pcap-filter term from a shortcut flag (--proto ... --dport, in the
 * order of the option enum), validated so that the error names the flag. */
static int shortcut_term(int which, const char *arg, char *out, size_t len)
{
	static const char *const protos[] = { "tcp", "udp", "icmp", "icmp6", "sctp" };
	unsigned char addr[16];
	uint64_t port;

	switch (which) {
	case 0:
		for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
			if (strcmp(arg, protos[i]) == 0) {
				snprintf(out, len, "%s", protos[i]);
				return 0;
			}
		}
		return usage_error("bad --proto '%s': tcp, udp, icmp, icmp6 or sctp", arg);
	case 1:
	case 2:
		if (inet_pton(AF_INET, arg, addr) != 1 && inet_pton(AF_INET6, arg, addr) != 1)
			return usage_error(which == 1 ? "bad --saddr '%s': not an IPv4 or IPv6 address"
					   : "bad --daddr '%s': not an IPv4 or IPv6 address", arg);
		snprintf(out, len, "%s host %s", which == 1 ? "src" : "dst", arg);
		return 0;
	default:
		if (parse_u64(arg, &port, 65535) < 0 || port == 0)
			return usage_error(which == 3 ? "bad --sport '%s': a port from 1 to 65535"
					   : "bad --dport '%s': a port from 1 to 65535", arg);
		snprintf(out, len, "%s port %u", which == 3 ? "src" : "dst", (unsigned)port);
		return 0;
	}
}

int ipft_cli_parse(int argc, char **argv, struct ipft_config *cfg)
{
	enum { OPT_MASK = 256, OPT_NETNS, OPT_DURATION, OPT_TRACE_BLOCKS, OPT_MAX_INFLIGHT,
	       OPT_FLUSH_TIMEOUT, OPT_RINGBUF, OPT_PROTO, OPT_SADDR, OPT_DADDR, OPT_SPORT,
	       OPT_DPORT };
	static const struct option longopts[] = {
		{ "write", required_argument, NULL, 'w' },
		{ "output", required_argument, NULL, 'o' },
		{ "backend", required_argument, NULL, 'b' },
		{ "tracer", required_argument, NULL, 't' },
		{ "regex", required_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },
		{ "mark", required_argument, NULL, 'm' },
		{ "mask", required_argument, NULL, OPT_MASK },
		{ "interface", required_argument, NULL, 'i' },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "snaplen", required_argument, NULL, 's' },
		{ "trace-blocks", no_argument, NULL, OPT_TRACE_BLOCKS },
		{ "max-inflight", required_argument, NULL, OPT_MAX_INFLIGHT },
		{ "flush-timeout", required_argument, NULL, OPT_FLUSH_TIMEOUT },
		{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF },
		{ "proto", required_argument, NULL, OPT_PROTO },
		{ "saddr", required_argument, NULL, OPT_SADDR },
		{ "daddr", required_argument, NULL, OPT_DADDR },
		{ "sport", required_argument, NULL, OPT_SPORT },
		{ "dport", required_argument, NULL, OPT_DPORT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char terms[5][64];
	int n_terms = 0;
	bool format_set = false, tracer_set = false;
	uint64_t v;
	double secs;
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->backend = "auto";
	cfg->mark_mask = 0xffffffff;
	cfg->snaplen = DEFAULT_SNAPLEN;
	cfg->max_inflight = DEFAULT_MAX_INFLIGHT;
	cfg->flush_timeout_ns = DEFAULT_FLUSH_TIMEOUT_S * 1000000000ull;
	cfg->ringbuf_bytes = DEFAULT_RINGBUF_MB << 20;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":w:o:b:t:r:lm:i:c:s:vVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'w':
			cfg->write_path = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "aggregate") == 0)
				cfg->format = IPFT_OUT_AGGREGATE;
			else if (strcmp(optarg, "json") == 0)
				cfg->format = IPFT_OUT_JSON;
			else
				return usage_error("unknown output format '%s': use aggregate or json", optarg);
			format_set = true;
			break;
		case 'b':
			if (strcmp(optarg, "auto") != 0 && !ipft_backend_find(optarg)) {
				fprintf(stderr, "ipft: unknown backend '%s': choose one of auto, %s "
					"(see ipft --help)\n", optarg, backend_names());
				return -1;
			}
			cfg->backend = optarg;
			break;
		case 't':
			if (strcmp(optarg, "function_graph") == 0)
				cfg->function_graph = true;
			else if (strcmp(optarg, "function") == 0)
				cfg->function_graph = false;
			else
				return usage_error("unknown tracer '%s': use function or function_graph",
						   optarg);
			tracer_set = true;
			break;
		case 'r':
			cfg->regex = optarg;
			break;
		case 'l':
			cfg->list = true;
			break;
		case 'm':
			if (parse_u64(optarg, &v, UINT32_MAX) < 0)
				return usage_error("bad mark '%s': expected a 32-bit number", optarg);
			cfg->mark = (uint32_t)v;
			cfg->mark_set = true;
			break;
		case OPT_MASK:
			if (parse_u64(optarg, &v, UINT32_MAX) < 0 || v == 0)
				return usage_error("bad mask '%s': expected a non-zero 32-bit number", optarg);
			cfg->mark_mask = (uint32_t)v;
			break;
		case 'i':
			if (!optarg[0] || strlen(optarg) >= sizeof(cfg->ifname))
				return usage_error("bad interface name '%s': 1 to 15 characters", optarg);
			strcpy(cfg->ifname, optarg);
			break;
		case OPT_NETNS: {
			struct stat st;
			if (parse_u64(optarg, &v, UINT32_MAX) == 0 && v) {
				cfg->netns = (uint32_t)v;
			} else if (stat(optarg, &st) == 0) {
				cfg->netns = (uint32_t)st.st_ino;
			} else {
				return usage_error("bad --netns '%s': not an inode number nor a namespace file",
						   optarg);
			}
			break;
		}
		case 'c':
			if (parse_u64(optarg, &v, UINT64_MAX) < 0 || v == 0)
				return usage_error("bad count '%s': expected a positive number", optarg);
			cfg->count = v;
			break;
		case OPT_DURATION:
			if (parse_seconds(optarg, &cfg->duration) < 0)
				return usage_error("bad duration '%s': expected positive seconds", optarg);
			break;
		case 's':
			if (parse_u64(optarg, &v, IPFT_SNAPLEN_MAX) < 0 || v == 0)
				return usage_error("bad snaplen '%s': expected 1 to " IPFT_STR(IPFT_SNAPLEN_MAX) " bytes", optarg);
			cfg->snaplen = (uint32_t)v;
			break;
		case OPT_TRACE_BLOCKS:
			cfg->trace_blocks = true;
			break;
		case OPT_MAX_INFLIGHT:
			if (parse_u64(optarg, &v, 1u << 24) < 0 || v == 0)
				return usage_error("bad --max-inflight '%s': expected 1 to 16777216", optarg);
			cfg->max_inflight = (uint32_t)v;
			break;
		case OPT_FLUSH_TIMEOUT:
			if (parse_seconds(optarg, &secs) < 0)
				return usage_error("bad --flush-timeout '%s': expected positive seconds", optarg);
			cfg->flush_timeout_ns = (uint64_t)(secs * 1e9);
			break;
		case OPT_RINGBUF:
			if (parse_u64(optarg, &v, MAX_RINGBUF_MB) < 0 || v == 0 || (v & (v - 1)))
				return usage_error("bad --ringbuf-size '%s': a power of two from 1 to 1024 (MB)", optarg);
			cfg->ringbuf_bytes = (uint32_t)(v << 20);
			break;
		case 'v':
			cfg->verbose = true;
			break;
		case 'V':
			printf("ipft %s\n", PACKAGE_VERSION);
			return 1;
		case 'h':
			printf(usage_text, DEFAULT_SNAPLEN, IPFT_SNAPLEN_MAX, backend_names(),
			       DEFAULT_MAX_INFLIGHT,
			       DEFAULT_FLUSH_TIMEOUT_S, DEFAULT_RINGBUF_MB);
			return 1;
		case OPT_PROTO:
		case OPT_SADDR:
		case OPT_DADDR:
		case OPT_SPORT:
		case OPT_DPORT:
			if (shortcut_term(c - OPT_PROTO, optarg, terms[n_terms], sizeof(terms[0])) < 0)
				return -1;
			if (n_terms < 4) /* a repeated flag replaces the last term */
				n_terms++;
			break;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc || n_terms) {
		/* The rest is one pcap-filter expression, as with tcpdump; the
		 * shortcut flags are ANDed with it. */
		char *rest = optind < argc ? join_args(argc - optind, argv + optind) : NULL;
		size_t len = (rest ? strlen(rest) : 0) + 8 + (size_t)n_terms * (sizeof(terms[0]) + 5);
		char *expr = calloc(1, len);
		if (!expr) {
			free(rest);
			return usage_error("%s", "out of memory");
		}
		for (int i = 0; i < n_terms; i++)
			snprintf(expr + strlen(expr), len - strlen(expr), "%s%s", i ? " and " : "", terms[i]);
		if (rest)
			snprintf(expr + strlen(expr), len - strlen(expr), n_terms ? " and (%s)" : "%s", rest);
		free(rest);
		cfg->filter_expr = expr;
	}
	/* fentry is the backend that traces returns: -b fentry is a graph. */
	if (strcmp(cfg->backend, "fentry") == 0) {
		if (tracer_set && !cfg->function_graph)
			return usage_error("-b %s traces entries and returns: use it with -t "
					   "function_graph", cfg->backend);
		cfg->function_graph = true;
	} else if (cfg->function_graph && strcmp(cfg->backend, "auto") != 0) {
		return usage_error("-t function_graph needs returns, which -b %s does not trace: "
				   "use -b fentry (or auto)", cfg->backend);
	}
	if (!format_set && !cfg->write_path)
		cfg->format = IPFT_OUT_AGGREGATE;
	if (cfg->write_path && strcmp(cfg->write_path, "-") == 0 && cfg->format != IPFT_OUT_NONE)
		return usage_error("%s", "-w - and -o both want stdout: choose one");
	if (cfg->trace_blocks && !cfg->write_path)
		return usage_error("%s", "--trace-blocks needs -w");
	cfg->cmdline = join_args(argc, argv);
	return 0;
}

void ipft_cli_free(struct ipft_config *cfg)
{
	free((char *)cfg->filter_expr);
	free(cfg->cmdline);
}
