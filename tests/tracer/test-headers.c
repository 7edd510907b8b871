/* test-headers.c - where ipft_headers_len() (tracer/output/headers.c) ends
 * a packet's headers: packets of each kind it knows, built header by
 * header with a payload after them, cut short, or of a kind it does not
 * know.  --headers-only and ipft trim keep exactly these bytes. */
#include "tracer/output/headers.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit_check.h"

struct pkt {
	unsigned char b[512];
	size_t n;
};

static void put(struct pkt *p, size_t n, ...)
{
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		p->b[p->n++] = (unsigned char)va_arg(ap, int);
	va_end(ap);
}

static void zeros(struct pkt *p, size_t n)
{
	memset(p->b + p->n, 0, n);
	p->n += n;
}

static void eth(struct pkt *p, unsigned type)
{
	zeros(p, 12);
	put(p, 2, type >> 8, type & 0xff);
}

static void vlan(struct pkt *p, unsigned tpid, unsigned inner)
{
	p->n -= 2;  /* the ethertype becomes the tag's TPID */
	put(p, 6, tpid >> 8, tpid & 0xff, 0, 5, inner >> 8, inner & 0xff);
}

/* IPv4 with ihl 32-bit words; frag: the fragment offset in 8-byte units. */
static void ipv4(struct pkt *p, unsigned proto, unsigned ihl, unsigned frag)
{
	put(p, 10, 0x40 | ihl, 0, 0, 0, 0, 0, frag >> 8, frag & 0xff, 64, proto);
	zeros(p, 10 + (ihl - 5) * 4);
}

static void ipv6(struct pkt *p, unsigned next)
{
	put(p, 7, 0x60, 0, 0, 0, 0, 0, next);
	zeros(p, 33);
}

/* An extension header of len 8-byte units beyond the first 8. */
static void ext(struct pkt *p, unsigned next, unsigned len)
{
	put(p, 2, next, len);
	zeros(p, 6 + 8 * len);
}

static void fragment6(struct pkt *p, unsigned next, unsigned offset)
{
	put(p, 4, next, 0, (offset << 3) >> 8, (offset << 3) & 0xf8);
	zeros(p, 4);
}

static void udp(struct pkt *p) { zeros(p, 8); }

static void tcp(struct pkt *p, unsigned doff)
{
	zeros(p, 12);
	put(p, 1, doff << 4);
	zeros(p, doff * 4 - 13);
}

static void icmp(struct pkt *p, unsigned type) { put(p, 1, type); zeros(p, 7); }

static void payload(struct pkt *p) { memcpy(p->b + p->n, "PAYLOAD!PAYLOAD!", 16); p->n += 16; }

static size_t len_eth(const struct pkt *p)
{
	return ipft_headers_len(p->b, p->n, IPFT_HDR_ETHERNET);
}

static void test_ipv4(void)
{
	struct pkt p = { .n = 0 };

	eth(&p, 0x0800); ipv4(&p, 17, 5, 0); udp(&p); payload(&p);
	CHECK(len_eth(&p) == 14 + 20 + 8, "Ethernet, IPv4, UDP: %zu", len_eth(&p));
	CHECK(ipft_headers_len(p.b + 14, p.n - 14, IPFT_HDR_IP) == 28, "raw IP: from the IP header");

	p.n = 0; eth(&p, 0x0800); ipv4(&p, 6, 7, 0); tcp(&p, 8); payload(&p);
	CHECK(len_eth(&p) == 14 + 28 + 32, "IPv4 options, TCP options: %zu", len_eth(&p));

	p.n = 0; eth(&p, 0x0800); vlan(&p, 0x88a8, 0x8100); vlan(&p, 0x8100, 0x0800);
	ipv4(&p, 17, 5, 0); udp(&p); payload(&p);
	CHECK(len_eth(&p) == 14 + 8 + 20 + 8, "QinQ tags: %zu", len_eth(&p));

	p.n = 0; eth(&p, 0x0800); ipv4(&p, 17, 5, 185); payload(&p);
	CHECK(len_eth(&p) == 14 + 20, "a later fragment has no UDP header: %zu", len_eth(&p));

	p.n = 0; eth(&p, 0x0800); ipv4(&p, 132, 5, 0); zeros(&p, 16); payload(&p);
	CHECK(len_eth(&p) == 14 + 20 + 16, "SCTP common and chunk header: %zu", len_eth(&p));

	p.n = 0; eth(&p, 0x0800); ipv4(&p, 47, 5, 0); payload(&p);
	CHECK(len_eth(&p) == 14 + 20, "GRE, unknown: up to the network header: %zu", len_eth(&p));
}

static void test_icmp(void)
{
	struct pkt p = { .n = 0 };

	/* Port unreachable quoting a datagram and its payload. */
	eth(&p, 0x0800); ipv4(&p, 1, 5, 0); icmp(&p, 3); ipv4(&p, 17, 5, 0); udp(&p); payload(&p);
	CHECK(len_eth(&p) == 14 + 20 + 8 + 20 + 8, "ICMP error: the quoted headers: %zu", len_eth(&p));

	p.n = 0; eth(&p, 0x0800); ipv4(&p, 1, 5, 0); icmp(&p, 8); payload(&p);
	CHECK(len_eth(&p) == 14 + 20 + 8, "echo request: its 8 bytes: %zu", len_eth(&p));

	p.n = 0; eth(&p, 0x86dd); ipv6(&p, 58); icmp(&p, 1); ipv6(&p, 6); tcp(&p, 5); payload(&p);
	CHECK(len_eth(&p) == 14 + 40 + 8 + 40 + 20, "ICMPv6 error: %zu", len_eth(&p));
}

static void test_ipv6(void)
{
	struct pkt p = { .n = 0 };

	eth(&p, 0x86dd); ipv6(&p, 0); ext(&p, 43, 1); ext(&p, 44, 0); fragment6(&p, 17, 0);
	udp(&p); payload(&p);
	/* hop-by-hop (16), routing (8), fragment (8) */
	CHECK(len_eth(&p) == 14 + 40 + 16 + 8 + 8 + 8, "IPv6 extension headers: %zu", len_eth(&p));

	p.n = 0; eth(&p, 0x86dd); ipv6(&p, 44); fragment6(&p, 17, 100); payload(&p);
	CHECK(len_eth(&p) == 14 + 40 + 8, "IPv6 later fragment: %zu", len_eth(&p));

	p.n = 0; eth(&p, 0x86dd); ipv6(&p, 50); payload(&p);
	CHECK(len_eth(&p) == 14 + 40, "ESP: up to the network header: %zu", len_eth(&p));

	p.n = 0; ipv6(&p, 6); tcp(&p, 10); payload(&p);
	CHECK(ipft_headers_len(p.b, p.n, IPFT_HDR_IP) == 40 + 40, "raw IPv6, TCP with options");
}

static void test_short_and_unknown(void)
{
	struct pkt p = { .n = 0 };

	eth(&p, 0x0800); ipv4(&p, 6, 5, 0); tcp(&p, 15);
	p.n = 14 + 20 + 30;  /* the capture ends inside the TCP options */
	CHECK(len_eth(&p) == p.n, "never more than captured: %zu", len_eth(&p));
	CHECK(ipft_headers_len(p.b, 10, IPFT_HDR_ETHERNET) == 10, "a short Ethernet header");
	CHECK(ipft_headers_len(p.b, 14 + 12, IPFT_HDR_ETHERNET) == 26, "a short IPv4 header");

	p.n = 0; eth(&p, 0x0806); put(&p, 6, 0, 1, 8, 0, 6, 4); zeros(&p, 2 + 20); payload(&p);
	CHECK(len_eth(&p) == 14 + 28, "ARP: %zu", len_eth(&p));

	p.n = 0; eth(&p, 0x88cc); payload(&p);
	CHECK(len_eth(&p) == 14, "unknown ethertype: the link header: %zu", len_eth(&p));

	p.n = 0; payload(&p);
	CHECK(ipft_headers_len(p.b, p.n, IPFT_HDR_IP) == 0, "raw, not IP: nothing");
	CHECK(ipft_headers_len(p.b, 0, IPFT_HDR_IP) == 0, "no bytes");
}

int main(void)
{
	test_ipv4();
	test_icmp();
	test_ipv6();
	test_short_and_unknown();
	if (failures) {
		fprintf(stderr, "test-headers: %d checks failed\n", failures);
		return 1;
	}
	printf("test-headers: all checks passed\n");
	return 0;
}
