/* headers.h - where a packet's headers end and its payload starts.
 *
 * Used to keep payload out of a file: ipft -w --headers-only cuts each
 * packet there, and ipft trim cuts the packets of an existing file.
 */
#ifndef IPFT_HEADERS_H
#define IPFT_HEADERS_H

#include <stddef.h>
#include <stdint.h>

enum ipft_hdr_start {
	IPFT_HDR_ETHERNET, /* an Ethernet header first (LINKTYPE_ETHERNET) */
	IPFT_HDR_IP,       /* an IPv4 or IPv6 header first (LINKTYPE_RAW) */
};

/* The bytes of data[0..len) that are headers: the link header (with VLAN
 * tags), the network header (IPv4 with options, IPv6 with its extension
 * headers, ARP) and the transport header (TCP with options, UDP,
 * UDP-Lite, ICMP, ICMPv6, SCTP's common header and first chunk header).
 * An ICMP or ICMPv6 error keeps the headers it quotes (network and
 * transport), not the payload quoted after them.  Where the next header
 * is unknown (a protocol not listed, a later fragment, ESP) the headers
 * end before it.  Never more than len. */
size_t ipft_headers_len(const uint8_t *data, size_t len, enum ipft_hdr_start start);

#endif
