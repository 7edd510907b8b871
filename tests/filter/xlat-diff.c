/* xlat-diff - the translated eBPF decides exactly as libpcap does.
 *
 * Each expression is compiled by libpcap for Ethernet (the L2 variant) and
 * for raw IP (the L3 variant), translated by tracer/filter/cbpf_xlat.c, and loaded
 * into the kernel inside a small tc program that copies the packet into a
 * map buffer and calls the translated code (as the tracer's programs do
 * with bytes read from an skb).  Like the tracer, it copies only the bytes
 * the filter can load (ipft_cbpf_bytes_needed) and passes a wire length
 * only to filters that read it (ipft_cbpf_uses_wirelen, else 0), so those
 * two analyses are proven here too.  Every generated packet goes through
 * libpcap's own bpf_filter() and through BPF_PROG_TEST_RUN; the return
 * values must be equal.  Expressions that need L2 fields do not compile for
 * raw IP: that is counted, not a failure (docs/filter.md).
 */
#include "tracer/filter/cbpf_xlat.h"
#include "tests/filter/pcap_side.h"

#include <linux/types.h>
#include "bpf/ipft_shared.h" /* IPFT_PCAP_BUF: the tracer's copy of a packet */

#include <bpf/bpf.h>
#include <errno.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_MAX 1600  /* frames may be longer than what is copied */
#define PACKETS 800

static const char *const exprs[] = {
	"tcp", "udp", "icmp", "ip", "ip6", "arp", "tcp port 443", "udp port 53", "port 80",
	"host 10.1.2.3", "src host 10.0.0.1", "dst net 192.168.0.0/16",
	"tcp port 443 and host 10.1.2.3", "udp or icmp", "not tcp", "tcp and not port 22",
	"ip6 and tcp", "ip6 host 2001:db8::1", "ip6 and udp port 53", "vlan",
	"vlan and tcp port 80", "ip[6:2] & 0x1fff != 0", "ip[6] & 0x20 != 0",
	"tcp[tcpflags] & tcp-syn != 0", "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
	"tcp[13] = 18", "udp[8:2] = 0x1234", "ip[8] < 64", "len > 100", "less 80",
	"greater 200", "portrange 1000-2000", "tcp portrange 20-25", "ip proto 17",
	"ip6 proto 6", "icmp[icmptype] = icmp-echo", "ether host 02:00:00:00:00:01",
	"ether proto 0x0806", "src port 1234 or dst port 53",
	"(tcp or udp) and (port 80 or port 53)", "ip and ip[0] & 0xf > 5", "tcp[12] >> 4 = 5",
	"ip[2:2] > 60", "ip6 and ip6[6] = 17", "ip host 10.0.0.1 and not ip host 192.168.1.1",
	"ip[1] / 4 = 0", "ip[1] % 3 = 1", "ip[8] * 2 > 100", "ip[9] - 1 = 5", "ip[8] ^ 0xff > 200",
	"tcp[0:2] << 1 > 1000", "udp[4:2] >> 2 = 5", "ip multicast",
	/* IPv6 extension headers, fragments, VLAN stacks, bigger packets */
	"ip6 and ip6[6] = 44", "icmp6",
	"icmp6 and ip6[40] = 128", "ip6 net 2001:db8::/32", "ip6 dst host 2001:db8::2",
	"tcp port 80 and ip[6:2] & 0x1fff = 0", "ip[6:2] & 0x3fff != 0 and udp", "vlan 100",
	"vlan and vlan", "vlan and ip6", "ether broadcast", "ether multicast",
	"net 10.0.0.0/8 and not net 10.1.0.0/16", "dst portrange 1-1024",
	"ip[12:4] = 0x0a010203", "tcp[tcpflags] & (tcp-fin|tcp-rst) != 0", "tcp[12:1] & 0xf0 > 0x50",
	"len > 600", "greater 1000 and udp", "udp[1400:2] = 0", "ip[0] & 0xf != 5 and tcp",
	"(ip or ip6) and not (tcp or udp)", "ip6 and not ip6 proto 58", "not ip and not ip6",
};

/* Expressions whose classic BPF loops (a backward jump): the kernel could
 * not run them, and ipft must refuse them with this message. */
static const char *const loops[] = { "ip6 protochain 6", "ip6 protochain 17", "ip protochain 6" };
#define LOOP_MESSAGE "a backward jump"

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* An IP packet (v4 or v6) at p; returns its length. */
static size_t gen_ip(uint8_t *p)
{
	static const uint8_t v4[][4] = { { 10, 1, 2, 3 }, { 10, 0, 0, 1 }, { 192, 168, 1, 1 },
					 { 224, 0, 0, 5 }, { 255, 255, 255, 255 } };
	static const uint16_t ports[] = { 80, 443, 22, 1234, 53, 1500, 21, 65535 };
	static const uint8_t protos[] = { 6, 17, 1, 6, 17, 47 };
	uint8_t proto = protos[rnd() % 6];
	size_t l3, l4len;
	uint8_t *l4;

	if (rnd() % 3 == 0) { /* IPv6, sometimes with a hop-by-hop header */
		memset(p, 0, 40);
		p[0] = 0x60;
		p[7] = (uint8_t)(rnd() % 255);
		p[8] = 0x20, p[9] = 0x01, p[10] = 0x0d, p[11] = 0xb8;
		p[23] = (uint8_t)(1 + rnd() % 2);
		p[24] = 0x20, p[25] = 0x01, p[26] = 0x0d, p[27] = 0xb8;
		p[39] = (uint8_t)(1 + rnd() % 2);
		if (proto == 1)
			proto = 58;
		l3 = 40;
		/* a chain of extension headers: hop-by-hop, routing,
		 * fragment, destination options */
		static const uint8_t ext[] = { 0, 43, 44, 60 };
		uint8_t *next = p + 6;
		for (int i = 0; i < 4; i++) {
			if (rnd() % 5 != 0)
				continue;
			*next = ext[i];
			memset(p + l3, 0, 8);
			if (ext[i] == 44 && rnd() % 2) /* a later fragment */
				put16(p + l3 + 2, (uint16_t)((1 + rnd() % 100) << 3));
			next = p + l3;
			l3 += 8;
		}
		*next = proto;
	} else {
		size_t ihl = rnd() % 5 == 0 ? 24 : 20;
		memset(p, 0, ihl);
		p[0] = (uint8_t)(0x40 | (ihl / 4));
		p[1] = (uint8_t)rnd();
		if (rnd() % 6 == 0)
			put16(p + 6, (uint16_t)(rnd() % 2 ? 0x2000 : (rnd() & 0x1fff)));
		p[8] = (uint8_t)(rnd() % 128);
		p[9] = proto;
		memcpy(p + 12, v4[rnd() % 3], 4);
		memcpy(p + 16, v4[rnd() % 5], 4);
		l3 = ihl;
	}
	l4 = p + l3;
	if (proto == 6) {
		memset(l4, 0, 20);
		put16(l4, ports[rnd() % 8]);
		put16(l4 + 2, ports[rnd() % 8]);
		l4[12] = 0x50;
		l4[13] = (uint8_t)rnd();
		l4len = 20;
	} else if (proto == 17) {
		memset(l4, 0, 8);
		put16(l4, ports[rnd() % 8]);
		put16(l4 + 2, ports[rnd() % 8]);
		l4len = 8;
	} else {
		memset(l4, 0, 8);
		if (proto == 58) /* ICMPv6: echo request, neighbour solicitation, ... */
			l4[0] = (uint8_t)(rnd() % 2 ? 128 : 129 + rnd() % 8);
		else
			l4[0] = (uint8_t)(rnd() % 2 ? 8 : rnd() % 20);
		l4len = 8;
	}
	size_t payload = rnd() % 10 == 0 ? 400 + rnd() % 1000 : rnd() % 120;
	for (size_t i = 0; i < payload; i++)
		l4[l4len + i] = (uint8_t)rnd();
	if (payload >= 2 && rnd() % 4 == 0)
		put16(l4 + l4len, 0x1234);
	size_t len = l3 + l4len + payload;
	if (p[0] >> 4 == 4)
		put16(p + 2, (uint16_t)len);
	else
		put16(p + 4, (uint16_t)(len - 40));
	return len;
}

/* An Ethernet frame: IPv4/IPv6 (sometimes VLAN-tagged) or ARP. */
static size_t gen_frame(uint8_t *p)
{
	size_t off = 14, len;
	memset(p, 0, 14);
	p[0] = 0x02, p[5] = (uint8_t)(1 + rnd() % 2);
	if (rnd() % 10 == 0) /* broadcast or multicast */
		memset(p, rnd() % 2 ? 0xff : 0x01, 6);
	p[6] = 0x02, p[11] = (uint8_t)(1 + rnd() % 2);
	if (rnd() % 8 == 0) { /* ARP */
		put16(p + 12, 0x0806);
		memset(p + 14, 0, 28);
		put16(p + 14, 1), put16(p + 16, 0x0800), p[18] = 6, p[19] = 4;
		return 42;
	}
	int tags = rnd() % 6 == 0 ? 1 + (int)(rnd() % 2) : 0; /* VLAN, or QinQ */
	for (int i = 0; i < tags; i++) {
		put16(p + off - 2, i == 0 && tags == 2 ? 0x88a8 : 0x8100);
		put16(p + off, (uint16_t)(rnd() % 2 ? 100 : rnd() % 4095));
		off += 4;
	}
	len = gen_ip(p + off);
	put16(p + off - 2, p[off] >> 4 == 6 ? 0x86dd : 0x0800);
	return off + len;
}

static int load_prog(const struct bpf_insn *filter, size_t nf, int map_fd, int l3, unsigned need,
		     int wirelen)
{
	struct bpf_insn pro[] = {
		{ BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0 },
		{ BPF_ST | BPF_W | BPF_MEM, BPF_REG_10, 0, -4, 0 },
		{ BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0 },
		{ BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4 },
		{ BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd },
		{ 0, 0, 0, 0, 0 },
		{ BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem },
		{ BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 17, 0 },               /* -> ret0 */
		{ BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_7, BPF_REG_0, 0, 0 },
		{ BPF_LDX | BPF_W | BPF_MEM, BPF_REG_8, BPF_REG_6, offsetof(struct __sk_buff, len), 0 },
		{ BPF_JMP | BPF_JLE | BPF_K, BPF_REG_8, 0, 14, l3 ? 14 : 0 },      /* -> ret0 */
		{ BPF_ALU64 | BPF_SUB | BPF_K, BPF_REG_8, 0, 0, l3 ? 14 : 0 },
		{ BPF_ALU64 | BPF_MOV | (wirelen ? BPF_X : BPF_K), BPF_REG_9, wirelen ? BPF_REG_8 : 0, 0, 0 }, /* wire length or 0 */
		{ BPF_JMP | BPF_JLE | BPF_K, BPF_REG_8, 0, 1, need },              /* bytes copied */
		{ BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_8, 0, 0, need },
		{ BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0 },
		{ BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, l3 ? 14 : 0 },
		{ BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_7, 0, 0 },
		{ BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_4, BPF_REG_8, 0, 0 },
		{ BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_skb_load_bytes },
		{ BPF_JMP | BPF_JNE | BPF_K, BPF_REG_0, 0, 5, 0 },                /* -> ret0 */
		{ BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_7, 0, 0 },
		{ BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_8, 0, 0 },
		{ BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_9, 0, 0 },
		{ BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 3 },                  /* -> filter */
		{ BPF_JMP | BPF_EXIT, 0, 0, 0, 0 },
		{ BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0 },              /* ret0 */
		{ BPF_JMP | BPF_EXIT, 0, 0, 0, 0 },
	};
	size_t np = sizeof(pro) / sizeof(pro[0]);
	struct bpf_insn *all = malloc((np + nf) * sizeof(*all));
	static char log[1 << 20];
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log, .log_size = sizeof(log), .log_level = 1);
	int fd;

	memcpy(all, pro, sizeof(pro));
	memcpy(all + np, filter, nf * sizeof(*filter));
	log[0] = 0;
	fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "xlat_diff", "GPL", all, np + nf, &o);
	if (fd < 0) {
		size_t l = strlen(log);
		fprintf(stderr, "verifier log (tail):\n%s\n", l > 3000 ? log + l - 3000 : log);
	}
	free(all);
	return fd;
}

int main(void)
{
	static uint8_t frames[PACKETS][FRAME_MAX];
	static size_t lens[PACKETS];
	int map_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "xlat_buf", 4, IPFT_PCAP_BUF, 1,
				    NULL);
	int passed = 0, failed = 0, l3_refused = 0;
	long runs = 0, refused = 0;

	if (map_fd < 0) {
		perror("xlat-diff: map (needs root and BPF)");
		return 99;
	}
	for (int i = 0; i < PACKETS; i++) {
		lens[i] = gen_frame(frames[i]);
		if (rnd() % 7 == 0 && lens[i] > 20) /* a short packet: loads past its end */
			lens[i] = 14 + rnd() % (lens[i] - 14);
	}
	for (size_t e = 0; e < sizeof(loops) / sizeof(loops[0]); e++) {
		for (int l3 = 0; l3 < 2; l3++) {
			struct bpf_insn *x = NULL;
			size_t nx, nc;
			char err[256] = "";
			void *h = pcap_side_compile(loops[e], l3, err, sizeof(err));
			const struct sock_filter *c = h ? pcap_side_insns(h, &nc) : NULL;
			if (c && ipft_cbpf_xlat(c, nc, IPFT_PCAP_BUF, &x, &nx, err, sizeof(err)) < 0 &&
			    strstr(err, LOOP_MESSAGE)) {
				passed++;
			} else {
				printf("FAIL: '%s' (%s): not refused as a loop (%s)\n", loops[e],
				       l3 ? "L3" : "L2", err);
				failed++;
			}
			free(x);
			pcap_side_free(h);
		}
	}
	for (size_t e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		for (int l3 = 0; l3 < 2; l3++) {
			struct bpf_insn *x = NULL;
			size_t nx, nc;
			char err[256];
			int mism = 0;
			void *h = pcap_side_compile(exprs[e], l3, err, sizeof(err));

			if (!h) {
				if (!l3) {
					printf("FAIL: '%s' does not compile: %s\n", exprs[e], err);
					failed++;
				} else {
					l3_refused++;
				}
				continue;
			}
			const struct sock_filter *c = pcap_side_insns(h, &nc);
			if (ipft_cbpf_xlat(c, nc, IPFT_PCAP_BUF, &x, &nx, err, sizeof(err)) < 0) {
				printf("FAIL: '%s' (%s) does not translate: %s\n", exprs[e], l3 ? "L3" : "L2", err);
				failed++;
				goto next;
			}
			/* one byte at least: bpf_skb_load_bytes refuses 0 */
			unsigned need = ipft_cbpf_bytes_needed(c, nc, IPFT_PCAP_BUF);
			int fd = load_prog(x, nx, map_fd, l3, need ? need : 1, ipft_cbpf_uses_wirelen(c, nc));
			if (fd < 0) {
				printf("FAIL: '%s' (%s): the verifier refused the translation\n", exprs[e],
				       l3 ? "L3" : "L2");
				failed++;
				goto next;
			}
			for (int i = 0; i < PACKETS; i++) {
				uint8_t in[FRAME_MAX + 14];
				const uint8_t *pkt = frames[i] + (l3 ? 14 : 0);
				size_t plen = lens[i] - (l3 ? 14 : 0);
				if (l3) { /* raw IP: only the untagged IP frames */
					uint16_t et = (uint16_t)(frames[i][12] << 8 | frames[i][13]);
					if ((et != 0x0800 && et != 0x86dd) || plen == 0)
						continue;
				}
				memcpy(in, frames[i], 14);
				if (l3) { /* a type the kernel does not check: the bytes are raw IP */
					in[12] = 0x88;
					in[13] = 0xb5;
				}
				memcpy(in + (l3 ? 14 : 0), pkt, plen);
				/* what ipft's kernel side gives the filter: at most
				 * IPFT_PCAP_BUF bytes, and the whole length */
				unsigned copied = plen < IPFT_PCAP_BUF ? (unsigned)plen : IPFT_PCAP_BUF;
				unsigned want = pcap_side_filter(h, pkt, (unsigned)plen, copied);
				LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = in,
					    .data_size_in = (uint32_t)(plen + (l3 ? 14 : 0)), .repeat = 1);
				if (bpf_prog_test_run_opts(fd, &t) < 0) {
					/* The kernel refuses frames whose Ethernet type
					 * promises a header that is not there. */
					if (errno == EINVAL && !l3 && plen < 14 + 40) {
						refused++;
						continue;
					}
					fprintf(stderr, "xlat-diff: BPF_PROG_TEST_RUN on %zu bytes: %s\n",
						plen + (l3 ? 14 : 0), strerror(errno));
					return 99;
				}
				runs++;
				if (t.retval != want && mism++ < 3)
					printf("  '%s' (%s) packet %d (%zu bytes): libpcap %u, ipft %u\n",
					       exprs[e], l3 ? "L3" : "L2", i, plen, want, t.retval);
			}
			if (mism) {
				printf("FAIL: '%s' (%s): %d verdicts differ\n", exprs[e], l3 ? "L3" : "L2", mism);
				failed++;
			} else {
				passed++;
			}
			close(fd);
next:
			free(x);
			pcap_side_free(h);
		}
	}
	printf("%ld packet runs (%ld short frames the kernel would not run); %d expressions "
	       "need L2 fields and do not compile for raw IP\n", runs, refused, l3_refused);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
