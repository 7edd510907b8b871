/* pkt_summary.c - decode just enough of a packet's headers for a one-line
 * description in the text outputs.  Every read is bounds-checked. */
#include "tracer/output/pkt_summary.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void l4(const char *src, const char *dst, int v6, uint8_t proto, const uint8_t *p,
	       size_t len, char *out, size_t outlen)
{
	/* An IPv6 address followed by a port is written in brackets. */
	const char *o = v6 ? "[" : "", *c = v6 ? "]" : "";

	switch (proto) {
	case 6:
		if (len >= 14) {
			uint8_t f = p[13];
			snprintf(out, outlen, "TCP %s%s%s:%u > %s%s%s:%u [%s%s%s%s%s]", o, src, c,
				 be16(p), o, dst, c, be16(p + 2), f & 0x02 ? "S" : "",
				 f & 0x10 ? "." : "", f & 0x01 ? "F" : "", f & 0x04 ? "R" : "",
				 f & 0x08 ? "P" : "");
			return;
		}
		break;
	case 17:
		if (len >= 4) {
			snprintf(out, outlen, "UDP %s%s%s:%u > %s%s%s:%u", o, src, c, be16(p), o, dst,
				 c, be16(p + 2));
			return;
		}
		break;
	case 1:
	case 58:
		if (len >= 1) {
			snprintf(out, outlen, "ICMP%s %s > %s type %u", proto == 58 ? "v6" : "", src,
				 dst, p[0]);
			return;
		}
		break;
	}
	snprintf(out, outlen, "IP proto %u %s > %s", proto, src, dst);
}

void ipft_pkt_summary(const uint8_t *data, size_t len, int l2, char *out, size_t outlen)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	uint16_t ethertype = 0;

	snprintf(out, outlen, "%zu bytes", len);
	if (l2) {
		if (len < 14)
			return;
		ethertype = be16(data + 12);
		data += 14;
		len -= 14;
		while ((ethertype == 0x8100 || ethertype == 0x88a8) && len >= 4) {
			ethertype = be16(data + 2);
			data += 4;
			len -= 4;
		}
		if (ethertype == 0x0806) {
			snprintf(out, outlen, "ARP");
			return;
		}
	}
	if (len < 1)
		return;
	if ((data[0] >> 4) == 4 && len >= 20) {
		size_t ihl = (size_t)(data[0] & 0x0f) * 4;
		inet_ntop(AF_INET, data + 12, src, sizeof(src));
		inet_ntop(AF_INET, data + 16, dst, sizeof(dst));
		if (ihl < 20 || ihl > len || (be16(data + 6) & 0x1fff)) {
			snprintf(out, outlen, "IPv4 %s > %s proto %u", src, dst, data[9]);
			return;
		}
		l4(src, dst, 0, data[9], data + ihl, len - ihl, out, outlen);
	} else if ((data[0] >> 4) == 6 && len >= 40) {
		inet_ntop(AF_INET6, data + 8, src, sizeof(src));
		inet_ntop(AF_INET6, data + 24, dst, sizeof(dst));
		l4(src, dst, 1, data[6], data + 40, len - 40, out, outlen);
	} else if (ethertype) {
		snprintf(out, outlen, "ethertype 0x%04x", ethertype);
	}
}
