/* pkt_summary.h - one line about a captured packet ("UDP 10.0.0.1:5 > 10.0.0.2:9"). */
#ifndef IPFT_PKT_SUMMARY_H
#define IPFT_PKT_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

/* l2: data starts with an Ethernet header, else with an IP header. */
void ipft_pkt_summary(const uint8_t *data, size_t len, int l2, char *out, size_t outlen);

#endif
