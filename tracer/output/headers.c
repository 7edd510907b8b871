/* headers.c - where a packet's headers end (headers.h).
 *
 * A walk over the headers with a cursor: each step reads only bytes it
 * has checked are there, and moves the cursor past its header, which may
 * then lie beyond the bytes captured (the result is cut to them).
 */
#include "tracer/output/headers.h"

#include <stdbool.h>

#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88a8
#define ETH_P_QINQ1 0x9100
#define ETH_P_IPV6 0x86dd
#define VLAN_TAGS_MAX 4
#define IPV6_HLEN 40
#define IPV6_EXT_MAX 16

enum { P_HOPOPTS = 0, P_ICMP = 1, P_TCP = 6, P_UDP = 17, P_ROUTING = 43, P_FRAGMENT = 44,
       P_AH = 51, P_ICMPV6 = 58, P_DSTOPTS = 60, P_SCTP = 132, P_MOBILITY = 135,
       P_UDPLITE = 136, P_HIP = 139, P_SHIM6 = 140, P_NONE = -1 };

struct walk {
	const uint8_t *p;
	size_t len, off; /* off may pass len: a header longer than the capture */
};

static bool have(const struct walk *w, size_t n)
{
	return w->off <= w->len && w->len - w->off >= n;
}

static unsigned be16_at(const struct walk *w, size_t i)
{
	return (unsigned)w->p[w->off + i] << 8 | w->p[w->off + i + 1];
}

/* Ethernet and its VLAN tags; the ethertype after them, 0 if unknown. */
static unsigned link_ethernet(struct walk *w)
{
	unsigned type;

	if (!have(w, ETH_HLEN)) {
		w->off += ETH_HLEN;  /* all of it is header */
		return 0;
	}
	type = be16_at(w, 12);
	w->off += ETH_HLEN;
	for (int i = 0; i < VLAN_TAGS_MAX && (type == ETH_P_8021Q || type == ETH_P_8021AD ||
					       type == ETH_P_QINQ1); i++) {
		if (!have(w, 4)) {
			w->off += 4;
			return 0;
		}
		type = be16_at(w, 2);
		w->off += 4;
	}
	return type;
}

/* IPv4: its protocol, or P_NONE when no transport header follows (a
 * later fragment) or the header is not there. */
static int ipv4(struct walk *w)
{
	size_t ihl;
	int proto;

	if (!have(w, 1) || w->p[w->off] >> 4 != 4 || (ihl = (w->p[w->off] & 0xfu) * 4u) < 20)
		return P_NONE;
	if (!have(w, 20)) {
		w->off += ihl;  /* cut short: all of it is header */
		return P_NONE;
	}
	proto = w->p[w->off + 9];
	if (be16_at(w, 6) & 0x1fff)  /* fragment offset: the transport header was earlier */
		proto = P_NONE;
	w->off += ihl;
	return proto;
}

/* One IPv6 extension header: its length, 0 when it ends the headers. */
static size_t ipv6_ext_len(const struct walk *w, int type)
{
	switch (type) {
	case P_HOPOPTS: case P_ROUTING: case P_DSTOPTS: case P_MOBILITY: case P_HIP: case P_SHIM6:
		return ((size_t)w->p[w->off + 1] + 1) * 8;
	case P_AH:
		return ((size_t)w->p[w->off + 1] + 2) * 4;
	case P_FRAGMENT:
		return 8;
	default:
		return 0;
	}
}

/* IPv6 and its extension headers: the protocol after them, or P_NONE. */
static int ipv6(struct walk *w)
{
	bool later_fragment;
	int next;

	if (!have(w, 1) || w->p[w->off] >> 4 != 6)
		return P_NONE;
	if (!have(w, IPV6_HLEN)) {
		w->off += IPV6_HLEN;  /* cut short: all of it is header */
		return P_NONE;
	}
	next = w->p[w->off + 6];
	w->off += IPV6_HLEN;
	for (int i = 0; i < IPV6_EXT_MAX; i++) {
		size_t n;

		if (!have(w, 8) || !(n = ipv6_ext_len(w, next)))
			return next;
		/* A later fragment: its transport header was in the first. */
		later_fragment = next == P_FRAGMENT && (be16_at(w, 2) & 0xfff8);
		next = w->p[w->off];
		w->off += n;
		if (later_fragment)
			return P_NONE;
	}
	return P_NONE;
}

static int network(struct walk *w, unsigned ethertype)
{
	switch (ethertype) {
	case ETH_P_IP:
		return ipv4(w);
	case ETH_P_IPV6:
		return ipv6(w);
	case ETH_P_ARP:
		w->off += have(w, 8) ? 8 + 2u * w->p[w->off + 4] + 2u * w->p[w->off + 5] : 8;
		return P_NONE;
	default:
		return P_NONE;
	}
}

/* An IP header of either version, as raw IP and ICMP errors carry it. */
static int ip_any(struct walk *w)
{
	if (!have(w, 1))
		return P_NONE;
	return network(w, w->p[w->off] >> 4 == 6 ? ETH_P_IPV6 : ETH_P_IP);
}

static bool icmp_error(int proto, uint8_t type)
{
	if (proto == P_ICMP)  /* unreachable, source quench, redirect, time exceeded, parameter */
		return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
	return type >= 1 && type <= 4;  /* ICMPv6: unreachable, too big, time exceeded, parameter */
}

static void transport(struct walk *w, int proto, bool quoted);

/* ICMP's 8 bytes; an error's quoted headers too (quoted once: an error
 * about an error is not walked further). */
static void icmp(struct walk *w, int proto, bool quoted)
{
	bool error;

	if (!have(w, 8)) {
		w->off += 8;  /* cut short: all of it is header */
		return;
	}
	error = icmp_error(proto, w->p[w->off]);
	w->off += 8;
	if (error && !quoted)
		transport(w, ip_any(w), true);
}

static void transport(struct walk *w, int proto, bool quoted)
{
	unsigned doff;

	switch (proto) {
	case P_TCP:
		doff = have(w, 20) ? (w->p[w->off + 12] >> 4) * 4u : 20;
		w->off += doff < 20 ? 20 : doff;
		return;
	case P_UDP:
	case P_UDPLITE:
		w->off += 8;
		return;
	case P_SCTP:
		w->off += 12 + 4;  /* common header, first chunk's type, flags, length */
		return;
	case P_ICMP:
	case P_ICMPV6:
		icmp(w, proto, quoted);
		return;
	default:
		return;
	}
}

size_t ipft_headers_len(const uint8_t *data, size_t len, enum ipft_hdr_start start)
{
	struct walk w = { .p = data, .len = len };
	int proto;

	if (start == IPFT_HDR_ETHERNET) {
		unsigned type = link_ethernet(&w);
		proto = type ? network(&w, type) : P_NONE;
	} else {
		proto = ip_any(&w);
	}
	transport(&w, proto, false);
	return w.off < len ? w.off : len;
}
