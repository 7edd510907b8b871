/* options.h - everything the command line decides. */
#ifndef IPFT_CONFIG_H
#define IPFT_CONFIG_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf/ipft_shared.h" /* limits and defaults shared with the BPF side */
#define IPFT_XSTR(x) #x
#define IPFT_STR(x) IPFT_XSTR(x)

enum ipft_output_format {
	IPFT_OUT_NONE,       /* only -w */
	IPFT_OUT_AGGREGATE,
	IPFT_OUT_JSON,
};

/* --trigger: which packets leave the kernel (tracer/filter/trigger.c). */
struct ipft_trigger {
	uint32_t bits;               /* IPFT_TRIGGER_*; 0: no trigger, every packet */
	char reason_name[64];        /* reason=NAME, resolved at load into reason */
	uint32_t reason;
	const char *func_regex;      /* func=REGEX: attach points, by name */
	uint64_t latency_ns;         /* latency>TIME */
	const char *spec;            /* as given */
};

struct ipft_config {
	const char *write_path;      /* -w */
	enum ipft_output_format format; /* -o */
	const char *backend;         /* -b */
	bool function_graph;         /* -t function_graph: entries and returns */
	const char *regex;           /* -r */
	const char *stack_at;        /* --stack-at: a stack at these attach points' hits */
	struct ipft_trigger trigger; /* --trigger */
	bool list;                   /* -l */
	bool mark_set;
	uint32_t mark, mark_mask;    /* -m, --mask */
	char ifname[16];             /* -i */
	uint32_t netns;              /* --netns, as an inode number */
	uint64_t count;              /* -c, 0: unlimited */
	double duration;             /* --duration, 0: unlimited */
	uint32_t snaplen;            /* -s */
	uint32_t collect;            /* -x: IPFT_COLLECT_* */
	const char *extension;       /* -e: a user extension, FILE.bpf.o */
	bool headers_only;           /* --headers-only: no payload in the file */
	bool raw_addresses;          /* --raw-addresses: kernel addresses, not only sym+off */
	bool verbose;                /* -v */
	bool trace_blocks;           /* --trace-blocks */
	uint32_t max_inflight;       /* --max-inflight */
	uint64_t flush_timeout_ns;   /* --flush-timeout */
	uint32_t ringbuf_bytes;      /* --ringbuf-size */
	const char *filter_expr;     /* positional pcap-filter expression */
	uint64_t id_salt;            /* random, high bits of every packet_id */
	char *cmdline;               /* for the file's metadata */
};

#endif
